// The fault matrix: the real definition run locally on the local warehouse, with faults injected into its Task
// states. The cases come from the definition itself (faults.ts), so a new Task or poll loop is covered as it
// is added. Every run shares one warehouse folder that a successful run built first: a faulted run must end in
// the right state, with a readable cause, and leave that warehouse as it was.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { StatementResult } from '../../functions/lib/contracts/events';
import { runPipeline, type LocalRunResult } from '../../local/runner';
import type { TableCounts } from '../../local/tables';
import { pageView, play, song, writeSources } from '../sql/fixtures';
import { namedError } from './execution';
import { dumpWarehouse } from '../local/dumpWarehouse';
import {
  FaultPlan,
  clusterDescribedAs,
  failingBatch,
  faultCases,
  statementDescribedAs,
  throwingAfterRunning,
  throwingBeforeRunning,
  type PollCase,
} from './faults';

const { tasks: allTasks, polls } = faultCases();
/** The Tasks that explain a failed load run only after one: their Catch keeps the load's failure (StatementFailed). */
const explainTasks = allTasks.filter((task) => task.caughtBy === 'StatementFailed');
const tasks = allTasks.filter((task) => task.caughtBy !== 'StatementFailed');
const statementPolls = polls.filter((poll) => poll.subject === 'statement');
const explanationPolls = polls.filter((poll) => poll.subject === 'explanation');
const clusterPolls = polls.filter((poll) => poll.subject === 'cluster');
/** Each distinct retrier (by its names), with the first Task that has it. */
const retriers = tasks
  .flatMap(({ state, caughtBy, retriers }) => retriers.map((retrier) => ({ state, caughtBy, ...retrier })))
  .filter((retrier, index, all) => all.findIndex((other) => other.errors.join() === retrier.errors.join()) === index);

let root: string;
let dataDir: string;
let dbDir: string;
/** The warehouse as the successful run before the faulted ones left it. */
let before: { tables: TableCounts; rows: Record<string, unknown[]> };


/** The faulted runs are day runs of the sources' one day, so that every Task runs (WriteManifests too); by the
 * rule across days they leave the warehouse the full run built. */
function run(plan: FaultPlan): Promise<LocalRunResult> {
  return runPipeline({ dataDir, dbDir, wrapStep: plan.wrapStep, input: { days: { from: '2018-11-01', to: '2018-11-01' } } });
}

/** The states from the last visit of `state` to the end of the run, and how each ended. */
function fromLastVisit(result: LocalRunResult, state: string): string[][] {
  const index = result.states.map(({ name }) => name).lastIndexOf(state);
  return result.states.slice(index).map(({ name, status }) => [name, status]);
}

/** Where a run goes after a Catch sent it to `caughtBy`: every failure ends through PauseCluster at
 * PipelineFailed; PauseCluster's own error, after a run that succeeded, at PauseClusterFailed. */
function afterCatch(caughtBy: string): string[][] {
  const pauseAndFail = [
    ['PauseCluster', 'SUCCEEDED'],
    ['IsPipelineFailed', 'SUCCEEDED'],
    ['PipelineFailed', 'FAILED'],
  ];
  if (caughtBy === 'IsPipelineFailed') return [['IsPipelineFailed', 'SUCCEEDED'], ['PauseClusterFailed', 'FAILED']];
  return caughtBy === 'PauseCluster' ? pauseAndFail : [[caughtBy, 'SUCCEEDED'], ...pauseAndFail];
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-faults-'));
  await writeSources(root, 'sources', {
    songs: [song({ song_id: 'SO1' }), song({ song_id: 'SO2', title: 'Other' })],
    logFiles: [
      [play({ ts: 1541111130796 }), pageView({ ts: 1541111130800 }), play({ ts: 1541111130900, userId: '11', song: 'Other' })],
    ],
  });
  dataDir = path.join(root, 'sources');
  dbDir = path.join(root, 'warehouse');
  // A full run, then the day run the faulted runs repeat (staging then holds that day, as after each of them).
  await runPipeline({ dataDir, dbDir });
  const built = await run(new FaultPlan({}));
  if (built.status !== 'SUCCEEDED') throw new Error(`the run that builds the warehouse failed: ${built.error}: ${built.cause}`);
  before = { tables: built.tables, rows: await dumpWarehouse(dbDir) };
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

/** A Task that does its work and then throws each error its Retry names, once, one after the other. */
function throwingEachRetried(state: string, retried: string[]) {
  return throwingAfterRunning(retried.map((name) => namedError(name, `${name} injected into ${state}`)));
}

describe('the fault matrix', () => {
  it('covers every Task state and a bounded loop for every describing Task', () => {
    const describing = allTasks.filter((task) => ['describeStatement', 'describeCluster'].includes(task.functionKey));

    expect(tasks.length).toBeGreaterThan(0);
    expect(explainTasks.map((task) => task.state)).toEqual(['ExplainLoadFailure', 'DescribeExplainLoadFailure', 'ReportLoadFailure']);
    expect(explanationPolls.map((poll) => poll.describe)).toEqual(['DescribeExplainLoadFailure']);
    expect(polls.map((poll) => poll.describe).sort()).toEqual(describing.map((task) => task.state).sort());
    expect(statementPolls.every((poll) => poll.submit)).toBe(true);
    expect(before.tables.songplays).toBe(2);
  });

  describe('a Task that throws each error its Retry names, one after the other', () => {
    // One run for the whole matrix: every Task throws each of its named errors once, after doing its work.
    const plan = new FaultPlan(
      Object.fromEntries(
        tasks.map(({ state, retried }) => [state, throwingEachRetried(state, retried)]),
      ),
    );
    let result: LocalRunResult;
    beforeAll(async () => {
      result = await run(plan);
    }, 120_000);

    it('still succeeds, every check passed, the warehouse row for row as before', async () => {
      expect([result.status, result.error, result.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
      expect(result.analysis?.checks.filter((check) => !check.passed)).toEqual([]);
      expect(result.tables).toEqual(before.tables);
      expect(await dumpWarehouse(dbDir)).toEqual(before.rows);
    }, 30_000);

    it.each(tasks)('$state is retried after each of $retried', ({ state, retried }) => {
      expect(plan.outcomesOf(state).slice(0, retried.length + 1)).toEqual([...retried, 'answered']);
      expect(result.states.find((visit) => visit.name === state)?.status).toBe('SUCCEEDED');
    });
  });

  describe('a failed load whose explaining Tasks throw each error their Retry names, one after the other', () => {
    const plan = new FaultPlan({
      LoadStaging: failingBatch(),
      ...Object.fromEntries(
        explainTasks.map(({ state, retried }) => [state, throwingEachRetried(state, retried)]),
      ),
    });
    let result: LocalRunResult;
    beforeAll(async () => {
      result = await run(plan);
    }, 120_000);

    it('still ends at StatementFailed with the load error text and its load errors, nothing committed', () => {
      const { statement } = plan.eventsOf('ExplainLoadFailure')[0] as { statement: StatementResult };
      expect(fromLastVisit(result, 'StatementFailed')).toEqual(afterCatch('StatementFailed'));
      expect([result.error, result.cause]).toEqual([
        'StatementFailedError',
        `loadStaging failed: ERROR: division by zero. No load errors recorded since ${statement.createdAt}`,
      ]);
      expect(result.tables).toEqual(before.tables);
    });

    it.each(explainTasks)('$state is retried after each of $retried', ({ state, retried }) => {
      expect(plan.outcomesOf(state).slice(0, retried.length + 1)).toEqual([...retried, 'answered']);
      expect(result.states.find((visit) => visit.name === state)?.status).toBe('SUCCEEDED');
    });
  });

  describe('a Task that keeps throwing an error its Retry names', () => {
    it.each(retriers)(
      '$state retries $errors.0 $maxAttempts times, then fails the run through its Catch to $caughtBy with it',
      async ({ state, caughtBy, errors: [name], maxAttempts }) => {
        const plan = new FaultPlan({ [state]: throwingBeforeRunning(namedError(name, `${name} injected into ${state}`)) });

        const result = await run(plan);

        expect([result.status, result.error, result.cause]).toEqual(['FAILED', name, `${name} injected into ${state}`]);
        expect(fromLastVisit(result, state)).toEqual([[state, 'CAUGHT'], ...afterCatch(caughtBy)]);
        expect(plan.outcomesOf(state)).toEqual(Array(maxAttempts + 1).fill(name));
        expect(result.tables).toEqual(before.tables);
      },
      60_000,
    );
  });

  describe('a Task that throws an error its Retry does not name', () => {
    it.each(tasks)('$state fails the run through its Catch to $caughtBy, with the error and its message', async ({ state, caughtBy }) => {
      const fault = namedError('InjectedFaultError', `fault injected into ${state}`);
      const plan = new FaultPlan({ [state]: throwingBeforeRunning(fault) });

      const result = await run(plan);

      expect([result.status, result.error, result.cause]).toEqual(['FAILED', fault.name, fault.message]);
      expect(fromLastVisit(result, state)).toEqual([[state, 'CAUGHT'], ...afterCatch(caughtBy)]);
      expect(plan.outcomesOf(state)).toEqual(['InjectedFaultError']);
      expect(result.tables).toEqual(before.tables);
    }, 60_000);

    it.each(explainTasks)(
      '$state, explaining a failed load, ends the run at $caughtBy with the load error text alone',
      async ({ state, caughtBy }) => {
        const fault = namedError('InjectedFaultError', `fault injected into ${state}`);
        const plan = new FaultPlan({ LoadStaging: failingBatch(), [state]: throwingBeforeRunning(fault) });

        const result = await run(plan);

        expect([result.status, result.error, result.cause]).toEqual(['FAILED', 'StatementFailedError', 'loadStaging failed: ERROR: division by zero']);
        expect(fromLastVisit(result, state)).toEqual([[state, 'CAUGHT'], ...afterCatch(caughtBy)]);
        expect(plan.outcomesOf(state)).toEqual(['InjectedFaultError']);
        expect(result.tables).toEqual(before.tables);
      },
      60_000,
    );

    it('leaves the warehouse row for row as the successful run left it', async () => {
      expect(await dumpWarehouse(dbDir)).toEqual(before.rows);
    }, 30_000);
  });

  describe.each(statementPolls)('the statement polled by $describe', (poll: PollCase) => {
    const submit = String(poll.submit);
    /** The statement as the loop's first describe received it. */
    const submitted = (plan: FaultPlan) => (plan.eventsOf(poll.describe)[0] as { statement: StatementResult }).statement;
    /** A failed load's message goes on with the load errors recorded since the statement began (none here). */
    const loadErrors = (statement: StatementResult) =>
      statement.step === 'loadStaging' ? `. No load errors recorded since ${statement.createdAt}` : '';

    it(`ends FAILED: ${poll.failed.state}, with the database's error text, nothing committed`, async () => {
      const plan = new FaultPlan({ [submit]: failingBatch() });

      const result = await run(plan);

      const statement = submitted(plan);
      expect(fromLastVisit(result, poll.failed.state)).toEqual(afterCatch(poll.failed.state));
      expect([result.error, result.cause]).toEqual([
        poll.failed.error,
        `${statement.step} failed: ERROR: division by zero${loadErrors(statement)}`,
      ]);
      expect(result.tables).toEqual(before.tables);
    }, 60_000);

    it(`ends ABORTED: ${poll.failed.state}, saying it was aborted, nothing committed`, async () => {
      const plan = new FaultPlan({ [submit]: failingBatch(), [poll.describe]: statementDescribedAs('ABORTED') });

      const result = await run(plan);

      const statement = submitted(plan);
      expect(fromLastVisit(result, poll.failed.state)).toEqual(afterCatch(poll.failed.state));
      expect([result.error, result.cause]).toEqual([
        poll.failed.error,
        `${statement.step} failed: the statement was ABORTED without an error text${loadErrors(statement)}`,
      ]);
      expect(result.tables).toEqual(before.tables);
    }, 60_000);

    it(`stays STARTED past ${poll.bound} describes: ${poll.timedOut.state}, saying how often it was described`, async () => {
      const plan = new FaultPlan({ [poll.describe]: statementDescribedAs('STARTED', { at: 2, bound: poll.bound }) });

      const result = await run(plan);

      const statement = submitted(plan);
      expect(fromLastVisit(result, poll.timedOut.state)).toEqual(afterCatch(poll.timedOut.state));
      expect([result.error, result.cause]).toEqual([
        poll.timedOut.error,
        `${statement.step} is STARTED (statement ${statement.id}, described ${poll.bound} times)`,
      ]);
      // Polled on while in progress, then given up at the bound.
      expect(plan.outcomesOf(poll.describe)).toEqual(['answered', 'answered']);
      expect(result.tables).toEqual(before.tables);
    }, 60_000);
  });

  describe.each(explanationPolls)('the load-error lookup polled by $describe', (poll: PollCase) => {
    // The load fails first; whatever then happens to its lookup, the run ends with the load's own error text.
    it(`ends FAILED: ${poll.failed.state}, with the load's error text alone`, async () => {
      const plan = new FaultPlan({ LoadStaging: failingBatch(), [poll.describe]: statementDescribedAs('FAILED') });

      const result = await run(plan);

      expect(fromLastVisit(result, poll.failed.state)).toEqual(afterCatch(poll.failed.state));
      expect([result.error, result.cause]).toEqual([poll.failed.error, 'loadStaging failed: ERROR: division by zero']);
      expect(result.tables).toEqual(before.tables);
    }, 60_000);

    it(`stays STARTED past ${poll.bound} describes: ${poll.timedOut.state}, with the load's error text alone`, async () => {
      const plan = new FaultPlan({ LoadStaging: failingBatch(), [poll.describe]: statementDescribedAs('STARTED', { at: 2, bound: poll.bound }) });

      const result = await run(plan);

      expect(fromLastVisit(result, poll.timedOut.state)).toEqual(afterCatch(poll.timedOut.state));
      expect([result.error, result.cause]).toEqual([poll.timedOut.error, 'loadStaging failed: ERROR: division by zero']);
      expect(plan.outcomesOf(poll.describe)).toEqual(['answered', 'answered']);
      expect(result.tables).toEqual(before.tables);
    }, 60_000);
  });

  describe.each(clusterPolls)('the cluster polled by $describe', (poll: PollCase) => {
    const cluster = (plan: FaultPlan) => (plan.eventsOf(poll.describe)[0] as { cluster: { identifier: string } }).cluster;

    it(`stays creating past ${poll.bound} describes: ${poll.timedOut.state}, saying how often it was described`, async () => {
      const stillCreating = clusterDescribedAs('creating', 'Unavailable', { at: 2, bound: poll.bound });
      const plan = new FaultPlan({ [poll.describe]: stillCreating });

      const result = await run(plan);

      expect(fromLastVisit(result, poll.timedOut.state)).toEqual(afterCatch(poll.timedOut.state));
      expect([result.error, result.cause]).toEqual([
        poll.timedOut.error,
        `Cluster ${cluster(plan).identifier} is creating (Unavailable), described ${poll.bound} times`,
      ]);
      expect(plan.outcomesOf(poll.describe)).toEqual(['answered', 'answered']);
      expect(result.tables).toEqual(before.tables);
    }, 60_000);

    it(`ends incompatible-network: ${poll.failed.state}, naming the status`, async () => {
      const plan = new FaultPlan({ [poll.describe]: clusterDescribedAs('incompatible-network', 'Failed') });

      const result = await run(plan);

      expect(fromLastVisit(result, poll.failed.state)).toEqual(afterCatch(poll.failed.state));
      expect([result.error, result.cause]).toEqual([
        poll.failed.error,
        `Cluster ${cluster(plan).identifier} is incompatible-network (Failed), described 1 time`,
      ]);
      expect(result.tables).toEqual(before.tables);
    }, 60_000);
  });

  it('after every faulted run, the warehouse is row for row the one the successful run built', async () => {
    expect(await dumpWarehouse(dbDir)).toEqual(before.rows);
  }, 30_000);
});
