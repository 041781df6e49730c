// The local pipeline's job on a native PostgreSQL, for scripts/benchmark.ts to time side by side: the JSON
// flattened to one document per line, COPY into jsonb staging, then the project's own SQL, translated as the local
// warehouse translates it, one transaction per step. The server is a throwaway one in a temporary folder,
// reached by a unix socket in that folder only.
import { execFile, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, createWriteStream, readdirSync, realpathSync, rmSync, type WriteStream } from 'node:fs';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadSettings } from '../functions/lib/contracts/settings';
import { stepStatements, type SqlStep } from '../functions/lib/sql/sql';
import { WAREHOUSE_TABLES, type TableCounts } from '../local/tables';
import { SCHEMA as SYSTEM_SCHEMA, SEARCH_PATH_SQL, SYSTEM_TABLES_SQL } from '../local/warehouse/copy/loadErrorRows';
import { listObjects } from '../local/warehouse/copy/s3Mirror';
import { isCopyStatement, redshiftFunctionsSql, translateStatement } from '../local/warehouse/dialect/dialect';
import { SESSION_SQL } from '../local/warehouse/localWarehouse';

const run = promisify(execFile);

const SERVER_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];
/** initdb and postgres refuse to run as root: as root, they run as this user. */
const SERVER_USER = 'postgres';

export interface NativeRun {
  /** From the start of flattening to the end of the last statement. */
  ms: number;
  flattenMs: number;
  /** initdb and server start, not counted in `ms`. */
  setupMs: number;
  tables: TableCounts;
}

export interface NativePostgres {
  /** e.g. "postgres (PostgreSQL) 15.8 in /usr/lib/postgresql/15/bin" */
  description: string;
  /** Runs the job on a pipeline data folder (song_data, log_data) on a new throwaway server. */
  run(dataDir: string): Promise<NativeRun>;
}

/** The native PostgreSQL of this machine, or why there is none. */
export function findNativePostgres(): { postgres: NativePostgres } | { postgres: undefined; reason: string } {
  const found = serverBinDir();
  if (!found) {
    return { postgres: undefined, reason: 'no initdb, pg_ctl and postgres together on PATH or in /usr/lib/postgresql/*/bin' };
  }
  // PATH may hold links to the programs: their own folder is the installation's.
  const bin = path.dirname(realpathSync(path.join(found, 'postgres')));
  const psql = [found, bin].map((dir) => path.join(dir, 'psql')).find(isExecutable) ?? onPath('psql');
  if (!psql) return { postgres: undefined, reason: `no psql in ${bin} or on PATH` };
  let owner: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8', stdio: 'pipe' }));
      owner = { uid: id('-u'), gid: id('-g') };
    } catch {
      return { postgres: undefined, reason: `running as root, and there is no '${SERVER_USER}' user to run initdb and postgres as` };
    }
  }
  const version = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  const server: Server = { bin, psql, owner };
  return { postgres: { description: `${version} in ${bin}`, run: (dataDir) => runJob(server, dataDir) } };
}

interface Server {
  bin: string;
  psql: string;
  /** Who owns the server's folder and runs its programs, when that is not us (we are root). */
  owner?: { uid: number; gid: number };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const pathDirs = () => (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);

function onPath(program: string): string | undefined {
  return pathDirs()
    .map((dir) => path.join(dir, program))
    .find(isExecutable);
}

/** The first folder holding all the server programs: on PATH, then the newest /usr/lib/postgresql/<version>/bin. */
function serverBinDir(): string | undefined {
  let versions: string[] = [];
  try {
    versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  } catch {
    // no Debian-style installation
  }
  const candidates = [...pathDirs(), ...versions.map((version) => path.join('/usr/lib/postgresql', version, 'bin'))];
  return candidates.find((dir) => SERVER_PROGRAMS.every((program) => isExecutable(path.join(dir, program))));
}

/** Runs the job on a new server in a temporary folder; stops the server and removes the folder whatever happens. */
async function runJob(server: Server, dataDir: string): Promise<NativeRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dwh-native-'));
  const pgData = path.join(dir, 'data');
  let started = false;
  const stopNow = () => {
    if (started) {
      try {
        execFileSync(...asServer(server, 'pg_ctl', ['stop', '-D', pgData, '-m', 'immediate', '-w']), { stdio: 'ignore', cwd: dir });
      } catch {
        // it may not have started
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Ctrl-C: pg_ctl starts the server in a session of its own, so it would outlive us.
  const onSignal = (signal: NodeJS.Signals) => {
    stopNow();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (server.owner) await chown(dir, server.owner.uid, server.owner.gid);
    const setupStart = Date.now();
    await run(...asServer(server, 'initdb', ['-D', pgData, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']), { cwd: dir });
    started = true;
    // pg_ctl hands -o to a shell: the folder from mkdtemp has no characters a shell would read.
    const serverOptions = `-c listen_addresses='' -k ${dir}`;
    await run(...asServer(server, 'pg_ctl', ['start', '-w', '-D', pgData, '-l', path.join(dir, 'server.log'), '-o', serverOptions]), { cwd: dir });
    const setupMs = Date.now() - setupStart;

    const psql = (args: string[]) => run(server.psql, ['-X', '-q', '-h', dir, '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', ...args], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
    });
    const jobStart = Date.now();
    const events = path.join(dir, 'events.jsonl');
    const songs = path.join(dir, 'songs.jsonl');
    await flatten(dataDir, 'log_data', events, logDocuments);
    await flatten(dataDir, 'song_data', songs, songDocuments);
    const flattenMs = Date.now() - jobStart;
    for (const [name, sql] of jobSteps(events, songs)) {
      const file = path.join(dir, `${name}.sql`);
      await writeFile(file, sql);
      await psql(['--single-transaction', '-f', file]).catch((error: unknown) => {
        throw new Error(`native PostgreSQL: step ${name} failed: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`);
      });
    }
    const ms = Date.now() - jobStart;
    const counts = WAREHOUSE_TABLES.map((table) => `(select count(*) from ${table})`).join(', ');
    const { stdout } = await psql(['-A', '-t', '-F', ',', '-c', `select ${counts}`]);
    const values = stdout.trim().split(',').map(Number);
    const tables = Object.fromEntries(WAREHOUSE_TABLES.map((table, k) => [table, values[k]])) as TableCounts;
    return { ms, flattenMs, setupMs, tables };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (started) await run(...asServer(server, 'pg_ctl', ['stop', '-D', pgData, '-m', 'fast', '-w']), { cwd: dir }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** A server program's command line: as root, run as SERVER_USER. */
function asServer(server: Server, program: string, args: string[]): [string, string[]] {
  const file = path.join(server.bin, program);
  return server.owner ? ['runuser', ['-u', SERVER_USER, '--', file, ...args]] : [file, args];
}

/** The SQL files of the job, one transaction each, as the pipeline's steps (the first is the warehouse's opening). */
function jobSteps(events: string, songs: string): [string, string][] {
  const settings = loadSettings({ DWH_ROLE_ARN: 'arn:aws:iam::000000000000:role/benchmark' });
  const translated = (step: SqlStep) =>
    stepStatements(step, settings)
      .filter(({ sql }) => !isCopyStatement(sql))
      .map(({ sql }) => translateStatement(sql));
  // A statement may end in a comment: its semicolon goes on a line of its own.
  const script = (statements: string[]) => [SESSION_SQL, `${SEARCH_PATH_SQL};`, ...statements.map((sql) => `${sql}\n;`)].join('\n');
  // Lines arrive raw: neither quote nor delimiter (0x01, 0x02) can stand in a line JSON.stringify wrote.
  const load = (table: string, file: string) => [
    `\\copy raw_documents from '${file}' with (format csv, quote e'\\x01', delimiter e'\\x02')`,
    `insert into ${table} select r.* from raw_documents, jsonb_populate_record(null::${table}, doc) as r;`,
    'truncate raw_documents;',
  ];
  return [
    ['open', script([SYSTEM_TABLES_SQL, redshiftFunctionsSql(SYSTEM_SCHEMA)])],
    ['createTables', script(translated('createTables'))],
    [
      'loadStaging',
      [
        script(translated('loadStaging')),
        'create temp table raw_documents (doc jsonb) on commit drop;',
        ...load('staging_events', events),
        ...load('staging_songs', songs),
      ].join('\n'),
    ],
    ['insertTables', script(translated('insertTables'))],
    ['analyze', script(translated('analyze'))],
  ];
}

/** Writes the documents of every file under `<dataDir>/<folder>` (the files the local COPY reads, in its order)
 * to `target`, one a line, keys lower-cased; a file at a time. */
async function flatten(dataDir: string, folder: string, target: string, documents: (text: string, file: string) => string[]): Promise<void> {
  const out = createWriteStream(target);
  const closed = once(out, 'close');
  try {
    for (const object of await listObjects({ data: dataDir }, `s3://data/${folder}`)) {
      const lines = documents(await readFile(object.path, 'utf8'), object.path);
      if (lines.length > 0) await write(out, `${lines.join('\n')}\n`);
    }
  } finally {
    out.end();
    await closed;
  }
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** A log file: one object per line. */
function logDocuments(text: string, file: string): string[] {
  const lines: string[] = [];
  text.split('\n').forEach((line, k) => {
    if (line.trim() !== '') lines.push(lowerCasedKeys(parse(line, `${file}:${k + 1}`)));
  });
  return lines;
}

/** A song file: one or more objects, one after another. */
function songDocuments(text: string, file: string): string[] {
  const lines: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let k = 0; k < text.length; k += 1) {
    const ch = text[k];
    if (inString) {
      if (ch === '\\') k += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '{' || ch === '[') {
      if (depth === 0) start = k;
      depth += 1;
    } else if (ch === '}' || ch === ']') {
      depth -= 1;
      if (depth === 0) lines.push(lowerCasedKeys(parse(text.slice(start, k + 1), file)));
    }
  }
  if (depth !== 0 || inString) throw new Error(`${file}: a JSON object is not closed`);
  return lines;
}

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

/** The document as one line of JSON, its keys lower-cased (the columns are the keys, lower-cased). */
function lowerCasedKeys(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const lowered: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) lowered[key.toLowerCase()] = member;
  return JSON.stringify(lowered);
}
