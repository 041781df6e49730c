// The real state machine definition run locally, end to end, on the local warehouse.
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { LocalCluster } from '../../local/localCluster';
import { loadDefinition, validatedBefore } from '../../local/definition';
import { runPipeline } from '../../local/runner';
import type { EventRecord } from '../../local/generate/format';
import { play, song, writeSources } from '../sql/fixtures';
import { expectedWarehouse } from '../sql/sampleCounts';
import { dumpWarehouse } from './dumpWarehouse';

const SAMPLE = path.join(__dirname, '..', '..', 'data', 'sample');
/** How every failed run ends: PauseCluster (which pauses only with pauseAfterRun), then PipelineFailed. */
const PAUSED_AND_FAILED = [
  ['PauseCluster', 'SUCCEEDED'],
  ['IsPipelineFailed', 'SUCCEEDED'],
  ['PipelineFailed', 'FAILED'],
];
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-runner-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));


/** A small source folder with two plays of one song. */
async function smallSources(name: string): Promise<string> {
  await writeSources(root, name, {
    songs: [song({ song_id: 'SO1' }), song({ song_id: 'SO2', title: 'Other' })],
    logFiles: [[play({ ts: 1541111130796 }), play({ ts: 1541111130900, userId: '11', song: 'Other' })]],
  });
  return path.join(root, name);
}

describe('runPipeline', () => {
  it('runs the whole state machine on the bundled sample and builds what the raw files call for', async () => {
    const expected = expectedWarehouse(SAMPLE);

    const result = await runPipeline({ dataDir: SAMPLE });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.tables).toEqual(expected.tables);
    expect(result.analysis?.checks.filter((check) => !check.passed)).toEqual([]);
    expect(result.analysis?.checks).toHaveLength(13);
    expect(result.analysis?.duplicateUserIds).toBe(0);
    const usersByGender = result.analysis?.usersByGender.reduce((sum, row) => sum + Number(row.users), 0);
    expect(usersByGender).toBe(expected.tables.users);
  }, 120_000);

  it('visits every step in order, polling the cluster until the local cluster is available', async () => {
    const result = await runPipeline({ dataDir: await smallSources('order') });
    const tasks = result.states.map((state) => state.name).filter((name) => !/^(WaitFor|Is)/.test(name));

    expect(result.status).toBe('SUCCEEDED');
    expect(tasks.filter((name, i) => name !== tasks[i - 1])).toEqual([
      'CreateCluster',
      'DescribeCluster',
      'OpenPort',
      'CreateTables',
      'DescribeCreateTables',
      'LoadStaging',
      'DescribeLoadStaging',
      'InsertTables',
      'DescribeInsertTables',
      'Analyze',
      'DescribeAnalyze',
      'ReportAnalysis',
      'PauseCluster',
      'PipelineSucceeded',
    ]);
    expect(tasks.filter((name) => name === 'DescribeCluster')).toHaveLength(2);
    expect(result.states.every((state) => state.status === 'SUCCEEDED')).toBe(true);
    // each visit is entered once the one before it has been left, and none was retried
    expect(result.states.slice(1).filter((state, i) => state.startedAt < result.states[i].startedAt + result.states[i].ms)).toEqual([]);
    expect(result.states.flatMap((state) => state.retriedAt)).toEqual([]);
  }, 60_000);

  it('runs the whole state machine on Redshift Serverless, polling until the local workgroup is available', async () => {
    const expected = expectedWarehouse(SAMPLE);

    const cluster = new LocalCluster();

    const result = await runPipeline({ dataDir: SAMPLE, redshift: 'serverless', cluster });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.tables).toEqual(expected.tables);
    expect(result.analysis?.checks.filter((check) => !check.passed)).toEqual([]);
    const clusterStates = result.states.map((state) => state.name).slice(0, result.states.findIndex((state) => state.name === 'OpenPort') + 1);
    expect(clusterStates).toEqual([
      'CreateCluster',
      'IsClusterAvailable',
      ...['WaitForCluster', 'DescribeCluster', 'IsClusterAvailable'],
      ...['WaitForCluster', 'DescribeCluster', 'IsClusterAvailable'],
      'OpenPort',
    ]);
    expect(cluster.namespaceRoles('sparkify-dwh')).toEqual(['arn:aws:iam::000000000000:role/sparkify-dwh-s3-read']);
    expect((await cluster.describeWorkgroup('sparkify-dwh')).namespaceName).toBe('sparkify-dwh');
  }, 120_000);

  it('pauses the cluster at the end with pauseAfterRun, and the next run resumes it', async () => {
    const dataDir = await smallSources('pause');
    const cluster = new LocalCluster({ describesWhileCreating: 0 });

    const first = await runPipeline({ dataDir, cluster, pauseAfterRun: true });
    const pausedAfterFirst = (await cluster.describeCluster('sparkify-dwh')).status;
    const second = await runPipeline({ dataDir, cluster, pauseAfterRun: false });

    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(pausedAfterFirst).toBe('paused');
    expect(second.states.slice(0, 5).map((state) => state.name)).toEqual([
      'CreateCluster',
      'IsClusterAvailable',
      'WaitForCluster',
      'DescribeCluster',
      'IsClusterAvailable',
    ]);
    expect((await cluster.describeCluster('sparkify-dwh')).status).toBe('available');
  }, 60_000);

  it('pauses the cluster after a failed run too, and still fails with the run error', async () => {
    const dataDir = await smallSources('pause-failed');
    const [logFile] = await readdir(path.join(dataDir, 'log_data', '2018', '11'));
    await appendFile(path.join(dataDir, 'log_data', '2018', '11', logFile), '\n{"ts": "soon"}');
    const cluster = new LocalCluster({ describesWhileCreating: 0 });

    const result = await runPipeline({ dataDir, cluster, pauseAfterRun: true });

    expect([result.status, result.error]).toEqual(['FAILED', 'StatementFailedError']);
    expect(result.cause).toContain('line 3');
    expect(result.states.slice(-4).map((state) => [state.name, state.status])).toEqual([['StatementFailed', 'SUCCEEDED'], ...PAUSED_AND_FAILED]);
    expect((await cluster.describeCluster('sparkify-dwh')).status).toBe('paused');
  }, 60_000);

  it('rebuilds identical tables, without a duplicated row, when run again on the same warehouse', async () => {
    const dataDir = await smallSources('rerun');
    const dbDir = path.join(root, 'rerun-db');
    await runPipeline({ dataDir, dbDir });
    const first = await dumpWarehouse(dbDir);

    const again = await runPipeline({ dataDir, dbDir });

    expect(again.status).toBe('SUCCEEDED');
    expect(await dumpWarehouse(dbDir)).toEqual(first);
    expect(first.songplays).toHaveLength(2);
  }, 60_000);

  it('fails on a malformed line, naming the file and the line, and leaves the kept warehouse as it was', async () => {
    const dataDir = await smallSources('malformed');
    const dbDir = path.join(root, 'malformed-db');
    await runPipeline({ dataDir, dbDir });
    const before = await dumpWarehouse(dbDir);
    const [logFile] = await readdir(path.join(dataDir, 'log_data', '2018', '11'));
    await appendFile(path.join(dataDir, 'log_data', '2018', '11', logFile), '\n{"artist": "Broken", "auth": ');

    const result = await runPipeline({ dataDir, dbDir });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('StatementFailedError');
    expect(result.cause).toContain(`file s3://sparkify-local/log_data/2018/11/${logFile}, line 3`);
    expect(await dumpWarehouse(dbDir)).toEqual(before);
    expect(result.tables.staging_events).toBe(2);
  }, 60_000);

  it.each([
    [
      'a NextSong event with a null ts',
      { ts: null } as unknown as Partial<EventRecord>,
      'Data quality checks failed: songplays_null_keys (1 offending row), songplays_time_missing (1 offending row); ' +
        'the new build is rolled back and the previous warehouse is unchanged',
    ],
    [
      'ts in seconds instead of milliseconds',
      { ts: 1541111131 },
      'Data quality checks failed: songplays_start_time_outside_window (1 offending row); ' +
        'the new build is rolled back and the previous warehouse is unchanged',
    ],
    [
      'a userId that is not a number',
      { userId: 'abc' },
      'Invalid userId in log_data: "abc" is neither "" nor an integer, in the event with ts 1541111131000, sessionId 1, ' +
        'itemInSession 2 (events with an invalid userId: 1); the star tables are unchanged',
    ],
  ])('fails on %s, naming why, and leaves the kept warehouse exactly as it was', async (name, bad, reason) => {
    const dataDir = await smallSources(name.replace(/\W+/g, '-'));
    const dbDir = path.join(root, `${name.replace(/\W+/g, '-')}-db`);
    await runPipeline({ dataDir, dbDir });
    const before = await dumpWarehouse(dbDir);
    await writeSources(root, path.basename(dataDir), {
      songs: [],
      logFiles: [[play({ ts: 1541111130796 }), play({ ts: 1541111130900, userId: '11', song: 'Other' }), play({ ts: 1541111131000, itemInSession: 2, ...bad })]],
    });

    const result = await runPipeline({ dataDir, dbDir });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('StatementFailedError');
    expect(result.cause).toBe(`insertTables failed: ERROR: ${reason}`);
    expect(result.states.slice(-5).map((state) => [state.name, state.status])).toEqual([
      ['IsInsertTablesFinished', 'SUCCEEDED'],
      ['StatementFailed', 'SUCCEEDED'],
      ...PAUSED_AND_FAILED,
    ]);
    expect(await dumpWarehouse(dbDir)).toEqual({ ...before, staging_events: expect.any(Array) });
    expect(result.tables).toMatchObject({ songplays: 2, users: 2, songs: 2, artists: 1, time: 2, staging_events: 3 });
  }, 60_000);

  it('fails in its first state on an invalid execution input, naming the field', async () => {
    const result = await runPipeline({ dataDir: await smallSources('bad-input'), input: { sources: { logData: 'log_data' } } });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('SettingsError');
    expect(result.cause).toContain('$.sources.logData');
    expect(result.states.map((state) => [state.name, state.status])).toEqual([
      ['CreateCluster', 'CAUGHT'],
      ...PAUSED_AND_FAILED,
    ]);
  }, 60_000);

  it('fails as AWS would when a Describe state runs as another identity than the one that submitted the statement', async () => {
    const result = await runPipeline({
      dataDir: await smallSources('identity'),
      stateIdentities: { DescribeCreateTables: 'DescribeStatementRole' },
    });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('ResourceNotFoundException');
    expect(result.cause).toMatch(
      /^Statement [0-9a-f-]{36} was not found for DescribeStatementRole: the Data API shows a statement only to the IAM identity that submitted it$/,
    );
    expect(result.states.map((state) => [state.name, state.status]).slice(-5)).toEqual([
      ['WaitForCreateTables', 'SUCCEEDED'],
      ['DescribeCreateTables', 'CAUGHT'],
      ...PAUSED_AND_FAILED,
    ]);
  }, 60_000);

  it('refuses a definition with a Task whose function functions/functions.yml does not list, naming the state', async () => {
    const file = path.join(root, 'extra.asl.yml');
    await writeFile(
      file,
      stringify({
        StartAt: 'Publish',
        States: { Publish: { Type: 'Task', Resource: { 'Fn::GetAtt': ['publishReport', 'Arn'] }, End: true } },
      }),
    );

    await expect(runPipeline({ dataDir: await smallSources('binding'), definitionFile: file })).rejects.toThrow(
      'State Publish invokes function publishReport, which functions/functions.yml does not list',
    );
  });

  it('validates a definition until it has once been found valid, and refuses an invalid one every time', async () => {
    const dataDir = await smallSources('validation');
    const valid = path.join(root, `valid-${Date.now()}.asl.yml`);
    await writeFile(valid, stringify({ Comment: `only this test's ${valid}`, StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }));
    const invalid = path.join(root, 'invalid.asl.yml');
    await writeFile(invalid, stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', Next: 'Missing' } } }));

    expect(validatedBefore((await loadDefinition(valid)).definition)).toBe(false);
    expect((await runPipeline({ dataDir, definitionFile: valid })).status).toBe('SUCCEEDED');
    expect(validatedBefore((await loadDefinition(valid)).definition)).toBe(true);
    expect((await runPipeline({ dataDir, definitionFile: valid })).status).toBe('SUCCEEDED');

    for (let run = 0; run < 2; run += 1) {
      await expect(runPipeline({ dataDir, definitionFile: invalid })).rejects.toThrow(
        "State machine definition is invalid, see error(s) below:\n MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: Missing",
      );
    }
    expect(validatedBefore((await loadDefinition(invalid)).definition)).toBe(false);
  });
});
