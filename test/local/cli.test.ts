// The `dwh` command as a user runs it: a separate process, its stdout, stderr and exit code.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { play, song, writeSources } from '../sql/fixtures';

const DWH = path.join(__dirname, '..', '..', 'bin', 'dwh.js');
const FULL_DISK = path.join(__dirname, 'fullDisk.js');
let root: string;
let dataDir: string;
let dbDir: string;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `dwh args...` to completion. */
function dwh(...args: string[]): Promise<Outcome> {
  return dwhOn({}, ...args);
}

/** Runs `dwh args...` on a disk that fills up: after `bytes` written to files matching `files` (fullDisk.js).
 * A process that does not end within 2 minutes is killed (code null). */
function dwhOnFullDisk(files: string, bytes: number, ...args: string[]): Promise<Outcome> {
  return dwhOn({ DWH_TEST_FULL_DISK_FILES: files, DWH_TEST_FULL_DISK_BYTES: String(bytes) }, '-r', FULL_DISK, ...args);
}

/** A path as a regular expression that matches it. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function dwhOn(env: Record<string, string>, ...args: string[]): Promise<Outcome> {
  const nodeArgs = args[0] === '-r' ? args.slice(0, 2) : [];
  const dwhArgs = args.slice(nodeArgs.length);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, DWH, ...dwhArgs],
      { cwd: root, env: { ...process.env, ...env }, timeout: 120_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

/** A free TCP port on localhost. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-cli-'));
  await writeSources(root, 'data', {
    songs: [song({ song_id: 'SO1' })],
    logFiles: [[play({ userId: '1', gender: 'F' }), play({ userId: '2', gender: 'M', ts: 1541111130900 })]],
  });
  dataDir = path.join(root, 'data');
  dbDir = path.join(root, 'db');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('dwh run', () => {
  it('prints exactly one JSON document with --json, and exits 0 when the run succeeds', async () => {
    const { code, stdout } = await dwh('run', '--data', dataDir, '--db', dbDir, '--json');
    const report = JSON.parse(stdout);

    expect(code).toBe(0);
    expect(Object.keys(report)).toEqual(['status', 'states', 'tables', 'analysis']);
    expect(report.status).toBe('SUCCEEDED');
    expect(report.tables).toEqual({ staging_events: 2, staging_songs: 1, songplays: 2, users: 2, songs: 1, artists: 1, time: 2 });
    expect(report.analysis.usersByGender).toEqual([
      { gender: 'F', users: 1 },
      { gender: 'M', users: 1 },
    ]);
    expect(report.states[0]).toEqual({ name: 'CreateCluster', status: 'SUCCEEDED', ms: expect.any(Number), startedAt: expect.any(Number), retriedAt: [] });
  }, 60_000);

  it('prints the analysis as tables without --json, and the states on stderr', async () => {
    const { code, stdout, stderr } = await dwh('run', '--data', dataDir, '--db', dbDir);

    expect(code).toBe(0);
    expect(stdout).toContain('Pipeline SUCCEEDED');
    expect(stdout).toContain('Users by gender');
    expect(stdout).toMatch(/songplays\s*│\s*2/);
    expect(stderr).toMatch(/✔ ReportAnalysis\s+SUCCEEDED/);
    expect(stderr).toContain('COPY staging_events: 1 files, 2 rows');
  }, 60_000);

  it("ends by printing the path of the run's HTML report, also kept as latest.html", async () => {
    const { code, stdout } = await dwh('run', '--data', dataDir, '--db', dbDir);
    const report = /\nReport: (.+)\n$/.exec(stdout)?.[1] ?? '';

    expect(code).toBe(0);
    expect(report).toMatch(new RegExp(`^${escaped(path.join(dbDir, 'reports'))}/run-[\\dTZ-]+\\.html$`));
    const html = await readFile(report, 'utf8');
    expect(html).toContain('<title>Sparkify pipeline run: SUCCEEDED</title>');
    expect(await readFile(path.join(dbDir, 'reports', 'latest.html'), 'utf8')).toBe(html);
  }, 60_000);

  it('rehearses a Redshift Serverless workgroup with --redshift serverless, and says so', async () => {
    const { code, stdout, stderr } = await dwh('run', '--data', dataDir, '--db', path.join(root, 'serverless-db'), '--redshift', 'serverless', '--json');
    const report = JSON.parse(stdout);

    expect(code).toBe(0);
    expect(stderr).toContain(`Running the pipeline on ${dataDir} (redshift: serverless, warehouse: ${path.join(root, 'serverless-db')})`);
    expect(report.status).toBe('SUCCEEDED');
    expect(report.tables).toEqual({ staging_events: 2, staging_songs: 1, songplays: 2, users: 2, songs: 1, artists: 1, time: 2 });
    expect(report.states.filter((state: { name: string }) => state.name === 'DescribeCluster')).toHaveLength(2);
  }, 60_000);

  it('exits 1 with the error and cause in the JSON when the run fails', async () => {
    const badDir = path.join(root, 'bad');
    await writeSources(root, 'bad', { songs: [song({ song_id: 'SO1' })], logFiles: [[play()]] });
    await appendFile(path.join(badDir, 'log_data', '2018', '11', '2018-11-01-events.json'), '\n{"ts": "soon"}');

    const { code, stdout } = await dwh('run', '--data', badDir, '--db', path.join(root, 'bad-db'), '--json');
    const report = JSON.parse(stdout);

    expect(code).toBe(1);
    expect(report.status).toBe('FAILED');
    expect(report.error).toBe('StatementFailedError');
    expect(report.cause).toContain('line 2');
    expect(report.analysis).toBeNull();
    expect(report.tables.staging_events).toBeNull();
  }, 60_000);

  it.each([
    ['a missing --data folder', ['run', '--data', 'no-such-folder'], 'error: --data no-such-folder: no such folder'],
    ['a --data folder that does not mirror the bucket', ['run', '--data', '.'], 'it has no song_data/ folder'],
    ['an unknown flag', ['run', '--fast'], "error: unknown option '--fast'"],
    ['an unknown kind of Redshift', ['run', '--redshift', 'aurora'], "error: option '--redshift <kind>' argument 'aurora' is invalid. Allowed choices are cluster, serverless."],
    ['an input that is not JSON', ['run', '--input', '{oops'], "error: option '--input <json>' argument '{oops' is invalid. Not a JSON object."],
    ['a bad port', ['serve', '--port', 'http'], "error: option '--port <n>' argument 'http' is invalid. Not a positive integer."],
    ['sql without a warehouse', ['sql', 'select 1', '--db', 'nowhere'], 'error: --db nowhere: no warehouse there'],
    ['report without a warehouse', ['report', '--db', 'nowhere'], 'error: --db nowhere: no warehouse there'],
    ['generate into a folder that is not empty', ['generate', '--out', '.'], 'outDir: . is not empty; choose a new or empty folder'],
    ['generate without --out', ['generate'], "error: required option '--out <dir>' not specified"],
  ])('exits 2 on %s, saying what is wrong', async (_, args, message) => {
    const { code, stderr } = await dwh(...args);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('prints help for every command and exits 0', async () => {
    for (const command of ['run', 'report', 'sql', 'serve', 'generate']) {
      const { code, stdout } = await dwh(command, '--help');
      expect([command, code, stdout.startsWith(`Usage: dwh ${command}`)]).toEqual([command, 0, true]);
    }
  }, 60_000);
});

describe('dwh run on a --db folder that cannot hold a warehouse', () => {
  it('refuses a folder of other files with exit 2, naming them, prints its JSON report, and leaves the folder as it was', async () => {
    const mine = path.join(root, 'mine');
    await mkdir(mine);
    await writeFile(path.join(mine, 'thesis.docx'), 'x');

    const { code, stdout, stderr } = await dwh('run', '--data', dataDir, '--db', mine, '--json');

    const message = `--db ${mine} holds other files and no warehouse (thesis.docx): choose a new or empty folder, or a warehouse's folder`;
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({ status: 'FAILED', error: 'WarehouseFolderError', cause: message, states: [], tables: null, analysis: null });
    expect(stderr).toContain(`error: ${message}`);
    expect(await readdir(mine)).toEqual(['thesis.docx']);
  }, 60_000);

  it('refuses a --db that is a file with exit 2', async () => {
    const file = path.join(root, 'a-file');
    await writeFile(file, 'x');

    const { code, stderr } = await dwh('run', '--data', dataDir, '--db', file);

    expect(code).toBe(2);
    expect(stderr).toContain(`error: --db ${file} is a file, not a folder: choose a folder for the warehouse`);
  }, 60_000);
});

describe('dwh run on a full disk', () => {
  const ENOSPC = 'no space left on the device (ENOSPC); free some space and run again';

  it('ends a rerun whose WAL cannot be written with one JSON report and exit 1, keeps the warehouse, and runs again once there is space', async () => {
    const db = path.join(root, 'full-db');
    expect((await dwh('run', '--data', dataDir, '--db', db, '--json')).code).toBe(0);
    const before = await dwh('sql', 'select * from songplays order by songplay_id', '--db', db, '--json');

    const failed = await dwhOnFullDisk('/pg_wal/', 200_000, 'run', '--data', dataDir, '--db', db, '--json');
    const unopenable = await dwhOnFullDisk(escaped(db), 0, 'run', '--data', dataDir, '--db', db, '--json');
    const after = await dwh('sql', 'select * from songplays order by songplay_id', '--db', db, '--json');
    const again = await dwh('run', '--data', dataDir, '--db', db, '--json');

    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toEqual({
      status: 'FAILED',
      error: 'WarehouseEngineError',
      cause: expect.stringMatching(
        new RegExp(
          `^The warehouse engine stopped: could not write pg_wal/[0-9A-F]{24} in ${db}: no space left on the device \\(ENOSPC\\); ` +
            "free some space and run again. The last completed run's warehouse is kept; the failed run's changes are " +
            'rolled back when the warehouse next opens.$',
        ),
      ),
      states: expect.arrayContaining([{ name: 'CreateTables', status: 'SUCCEEDED', ms: expect.any(Number), startedAt: expect.any(Number), retriedAt: [] }]),
      tables: null,
      analysis: null,
    });
    expect(unopenable.code).toBe(1);
    expect(JSON.parse(unopenable.stdout)).toMatchObject({
      status: 'FAILED',
      error: 'WarehouseEngineError',
      cause: expect.stringMatching(new RegExp(`^Could not open the warehouse in ${db}: could not write \\S+ in ${db}: no space left on the device \\(ENOSPC\\); free some space and run again. The warehouse is kept: it opens again once that is mended$`)),
    });
    expect(after.stdout).toBe(before.stdout);
    expect(JSON.parse(after.stdout)).toHaveLength(2);
    expect(again.code).toBe(0);
  }, 600_000);

  it('says why a new warehouse could not be created, and creates it once there is space', async () => {
    const db = path.join(root, 'full-new-db');

    const failed = await dwhOnFullDisk(escaped(db), 1_000_000, 'run', '--data', dataDir, '--db', db, '--json');
    const again = await dwh('run', '--data', dataDir, '--db', db, '--json');

    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      status: 'FAILED',
      error: expect.stringMatching(/^Warehouse(Engine|Resource)Error$/),
      cause: expect.stringMatching(new RegExp(`^(Could not create the warehouse in ${db}: could not write \\S+ in ${db}|--db ${db}): ${ENOSPC.replace(/[()]/g, '\\$&')}$`)),
    });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).tables.songplays).toBe(2);
  }, 300_000);
});

describe('dwh sql', () => {
  it("prints a query's rows from the kept warehouse as JSON", async () => {
    const { code, stdout } = await dwh('sql', 'select user_id, gender from users order by user_id', '--db', dbDir, '--json');

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { user_id: 1, gender: 'F' },
      { user_id: 2, gender: 'M' },
    ]);
  }, 30_000);

  it('exits 1 with the database error for a bad query', async () => {
    const { code, stderr } = await dwh('sql', 'select nothing from nowhere', '--db', dbDir);

    expect(code).toBe(1);
    expect(stderr).toContain('error: relation "nowhere" does not exist');
  }, 30_000);
});

describe('dwh report', () => {
  it('writes an HTML report on the warehouse as it stands to --out, and prints its path', async () => {
    const out = path.join(root, 'pages', 'warehouse.html');

    const { code, stdout } = await dwh('report', '--db', dbDir, '--out', out);

    expect(code).toBe(0);
    expect(stdout).toBe(`Report: ${out}\n`);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<title>Sparkify warehouse</title>');
    expect(html).toContain('<tr><td>songplays</td><td class="n">2</td></tr>');
  }, 60_000);
});

describe('dwh serve', () => {
  it('answers a PostgreSQL client on localhost, keeps other dwh commands off the warehouse, and stops on SIGINT', async () => {
    const port = await freePort();
    const server = spawn(process.execPath, [DWH, 'serve', '--db', dbDir, '--port', String(port)], { cwd: root });
    await new Promise<void>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Serving') && resolve());
      server.once('exit', (code) => reject(new Error(`dwh serve exited with ${code}`)));
    });
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });

    await client.connect();
    const { rows } = await client.query('select count(*)::int as plays from songplays');
    await client.end();
    const meanwhile = await dwh('sql', 'select 1', '--db', dbDir);
    const exit = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGINT');

    expect(rows).toEqual([{ plays: 2 }]);
    expect(meanwhile.code).toBe(1);
    expect(meanwhile.stderr).toContain(`error: The warehouse in ${dbDir} is in use by process ${server.pid}`);
    expect(await exit).toBe(0);
  }, 60_000);
});

describe('dwh generate', () => {
  it('writes a sample in the source bucket layout', async () => {
    const out = path.join(root, 'generated');

    const { code, stdout } = await dwh('generate', '--out', out, '--songs', '5', '--events', '40', '--days', '2', '--seed', '7');

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Wrote 5 song files and 2 log files \(40 events/);
    expect(existsSync(path.join(out, 'log_data'))).toBe(true);
  }, 30_000);
});

describe('dwh teardown', () => {
  it('keeps the local cluster with the warehouse, then tears it down with the teardown state machine and removes the folder', async () => {
    const db = path.join(root, 'teardown-db');
    await dwh('run', '--data', dataDir, '--db', db, '--json');
    const second = JSON.parse((await dwh('run', '--data', dataDir, '--db', db, '--json')).stdout);

    const { code, stdout, stderr } = await dwh('teardown', '--db', db, '--yes', '--final-snapshot', 'sparkify-final');

    // The second run found the cluster the first one created: no wait for it.
    expect(second.states.slice(0, 3).map((state: { name: string }) => state.name)).toEqual(['CreateCluster', 'IsClusterAvailable', 'OpenPort']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/✔ RevokeIngress\s+SUCCEEDED/);
    expect(stderr).toMatch(/✔ DescribeDeletion\s+SUCCEEDED/);
    expect(stderr).toMatch(/✔ DeleteCopyRole\s+SUCCEEDED/);
    expect(stdout).toBe(`Teardown SUCCEEDED: the local cluster is deleted and ${db} removed\n`);
    expect(existsSync(db)).toBe(false);
  }, 120_000);

  it.each([
    [['teardown', '--db', 'no-such-db', '--yes'], 'error: --db no-such-db: no such folder: nothing to tear down'],
    [['teardown', '--db', 'data-for-teardown'], 'error: dwh teardown removes data-for-teardown: confirm with --yes when not on a terminal'],
  ])('refuses %j with exit code 2, removing nothing', async (args, message) => {
    const db = path.join(root, 'data-for-teardown');
    await dwh('run', '--data', dataDir, '--db', db, '--json');

    const { code, stderr } = await dwh(...args);

    expect(code).toBe(2);
    expect(stderr.trim()).toBe(message);
    expect(existsSync(db)).toBe(true);
  }, 120_000);

  it('refuses a folder that holds no warehouse, and leaves it', async () => {
    const folder = path.join(root, 'not-a-warehouse');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'notes.txt'), 'mine');

    const { code, stderr } = await dwh('teardown', '--db', folder, '--yes');

    expect(code).toBe(2);
    expect(stderr).toContain('holds other files and no warehouse (notes.txt)');
    expect(existsSync(path.join(folder, 'notes.txt'))).toBe(true);
  });
});
