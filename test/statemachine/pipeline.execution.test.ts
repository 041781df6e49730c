import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
// Runs the real definition through every branch, with each Task's handler replaced by scripted results.
import {
  ANALYSIS,
  INGRESS,
  SQL_STATES,
  always,
  NOT_PAUSED,
  SUCCESS_END,
  FAILURE_END,
  answers,
  clusterResult,
  describedCluster,
  describedStatement,
  EXPLAIN_STATES,
  execute,
  failingOnce,
  namedError,
  LOAD_ERRORS_SENTENCE,
  sqlStepStates,
  statementResult,
  straightThrough,
  type TaskMock,
  EXECUTION_NAME,
  START_TIME,
} from './execution';
import { serverlessStatus } from '../../functions/lib/steps/clusterSteps';
import type { PauseResult } from '../../functions/lib/contracts/events';

const CLUSTER_READY = ['CreateCluster', 'IsClusterAvailable', 'OpenPort', 'IsDayRun'];
const ALL_SQL_STEPS = SQL_STATES.flatMap(({ state }) => sqlStepStates(state));
const CLUSTER_POLL = ['WaitForCluster', 'DescribeCluster', 'IsClusterAvailable'];

describe('the pipeline state machine', () => {
  describe('on a run that succeeds', () => {
    const input = { sources: { logData: 's3://udacity-dend/log_data/2018/11' } };

    /** The cluster is created and needs two polls; every statement needs two describes. */
    function fullRunMocks() {
      return {
        CreateCluster: answers({ overrides: input, cluster: clusterResult('creating', 'Unavailable', 0) }),
        DescribeCluster: answers(describedCluster('creating', 'Unavailable'), describedCluster('available', 'Available')),
        OpenPort: answers(INGRESS),
        CreateTables: answers(statementResult('createTables', 'SUBMITTED', 0)),
        DescribeCreateTables: answers(describedStatement('STARTED'), describedStatement('FINISHED')),
        LoadStaging: answers(statementResult('loadStaging', 'SUBMITTED', 0)),
        DescribeLoadStaging: answers(describedStatement('PICKED'), describedStatement('FINISHED')),
        InsertTables: answers(statementResult('insertTables', 'SUBMITTED', 0)),
        DescribeInsertTables: answers(describedStatement('SUBMITTED'), describedStatement('FINISHED')),
        Analyze: answers(statementResult('analyze', 'SUBMITTED', 0)),
        DescribeAnalyze: answers(describedStatement('STARTED'), describedStatement('FINISHED')),
        ReportAnalysis: answers(ANALYSIS),
        PauseCluster: answers(NOT_PAUSED),
      };
    }

    it('visits every step in order, polling until each one is done', async () => {
      const mocks = fullRunMocks();

      const report = await execute(mocks, input);

      expect(report.status).toBe('SUCCEEDED');
      expect(report.visited).toEqual([
        'CreateCluster',
        'IsClusterAvailable',
        ...CLUSTER_POLL,
        ...CLUSTER_POLL,
        'OpenPort',
        'IsDayRun',
        ...['CreateTables', 'WaitForCreateTables', 'DescribeCreateTables', 'IsCreateTablesFinished'],
        ...['WaitForCreateTables', 'DescribeCreateTables', 'IsCreateTablesFinished'],
        ...['LoadStaging', 'WaitForLoadStaging', 'DescribeLoadStaging', 'IsLoadStagingFinished'],
        ...['WaitForLoadStaging', 'DescribeLoadStaging', 'IsLoadStagingFinished'],
        ...['InsertTables', 'WaitForInsertTables', 'DescribeInsertTables', 'IsInsertTablesFinished'],
        ...['WaitForInsertTables', 'DescribeInsertTables', 'IsInsertTablesFinished'],
        ...['Analyze', 'WaitForAnalyze', 'DescribeAnalyze', 'IsAnalyzeFinished'],
        ...['WaitForAnalyze', 'DescribeAnalyze', 'IsAnalyzeFinished'],
        'ReportAnalysis',
        ...SUCCESS_END,
      ]);
      expect(report.retried).toEqual([]);
    });

    it('ends with the analysis, the cluster, the ingress and the last statement in its output', async () => {
      const mocks = fullRunMocks();

      const report = await execute(mocks, input);

      expect(report.output).toEqual({
        overrides: input,
        cluster: clusterResult('available', 'Available', 2),
        ingress: INGRESS,
        statement: statementResult('analyze', 'FINISHED', 2),
        analysis: ANALYSIS,
        pause: NOT_PAUSED,
      });
    });

    it('hands each handler exactly the event its Parameters build', async () => {
      const mocks = fullRunMocks();

      await execute(mocks, input);

      expect(mocks.CreateCluster.calls).toEqual([{ input, startTime: START_TIME }]);
      expect(mocks.DescribeCluster.calls).toEqual([
        { cluster: clusterResult('creating', 'Unavailable', 0) },
        { cluster: clusterResult('creating', 'Unavailable', 1) },
      ]);
      expect(mocks.OpenPort.calls).toEqual([{}]);
      for (const { state } of SQL_STATES) {
        expect(mocks[state as keyof typeof mocks].calls).toEqual([{ overrides: input, wait: false }]);
      }
      expect(mocks.DescribeLoadStaging.calls).toEqual([
        { statement: statementResult('loadStaging', 'SUBMITTED', 0) },
        { statement: statementResult('loadStaging', 'PICKED', 1) },
      ]);
      expect(mocks.ReportAnalysis.calls).toEqual([{ statement: statementResult('analyze', 'FINISHED', 2) }]);
      expect(mocks.PauseCluster.calls).toEqual([{}]);
    });

    it('goes straight to OpenPort when the cluster is already available', async () => {
      const report = await execute(straightThrough());

      expect(report.status).toBe('SUCCEEDED');
      expect(report.visited).toEqual([...CLUSTER_READY, ...ALL_SQL_STEPS, 'ReportAnalysis', ...SUCCESS_END]);
    });
  });

  describe('while the cluster gets ready', () => {
    it.each([
      ['creating', 'Unavailable'],
      ['resuming', 'Unavailable'],
      ['modifying', 'Modifying'],
      ['rebooting', 'Modifying'],
      ['resizing', 'Modifying'],
      ['renaming', 'Modifying'],
      ['rotating-keys', 'Modifying'],
      ['updating-hsm', 'Modifying'],
      ['cancelling-resize', 'Modifying'],
      ['available, prep-for-resize', 'Available'],
      ['available, resize-cleanup', 'Available'],
      ['available', 'Modifying'],
      ['available', 'Maintenance'],
      ['available', 'Unavailable'],
    ])('polls again while the cluster is %s (%s)', async (status, availability) => {
      const mocks = {
        ...straightThrough(),
        CreateCluster: answers({ overrides: {}, cluster: clusterResult(status, availability, 0) }),
        DescribeCluster: answers(describedCluster('available', 'Available')),
      };

      const report = await execute(mocks);

      expect(report.status).toBe('SUCCEEDED');
      expect(report.visited.slice(0, 6)).toEqual(['CreateCluster', 'IsClusterAvailable', ...CLUSTER_POLL, 'OpenPort']);
    });

    it.each([
      ['incompatible-network', 'Failed'],
      ['incompatible-parameters', 'Failed'],
      ['hardware-failure', 'Failed'],
      ['storage-full', 'Unavailable'],
      ['paused', 'Unavailable'],
      ['deleting', 'Unavailable'],
      ['final-snapshot', 'Unavailable'],
      ['available', 'Failed'],
      ['a-status-added-next-year', 'Unavailable'],
    ])('fails at ClusterFailed with the cluster message when the cluster turns %s (%s)', async (status, availability) => {
      const mocks = {
        ...straightThrough(),
        CreateCluster: answers({ overrides: {}, cluster: clusterResult('creating', 'Unavailable', 0) }),
        DescribeCluster: answers(describedCluster(status, availability)),
      };

      const report = await execute(mocks);

      expect(report).toEqual({
        status: 'FAILED',
        error: 'ClusterFailedError',
        cause: `Cluster sparkify-dwh is ${status} (${availability}) after 1 checks`,
        visited: ['CreateCluster', 'IsClusterAvailable', ...CLUSTER_POLL, 'ClusterFailed', ...FAILURE_END],
        retried: [],
      });
    });

    it('gives up at ClusterTimedOut after the 90th poll finds the cluster still creating', async () => {
      const mocks = {
        ...straightThrough(),
        CreateCluster: answers({ overrides: {}, cluster: clusterResult('creating', 'Unavailable', 0) }),
        DescribeCluster: always(describedCluster('creating', 'Unavailable')),
      };

      const report = await execute(mocks);

      expect(report.status).toBe('FAILED');
      expect(report.error).toBe('ClusterTimedOutError');
      expect(report.cause).toBe('Cluster sparkify-dwh is creating (Unavailable) after 90 checks');
      expect(mocks.DescribeCluster.calls).toHaveLength(90);
      expect(report.visited).toEqual(['CreateCluster', 'IsClusterAvailable', ...Array(90).fill(CLUSTER_POLL).flat(), 'ClusterTimedOut', ...FAILURE_END]);
    });

    it.each([
      ['available', 'Available', 'OpenPort'],
      ['incompatible-network', 'Failed', 'ClusterFailed'],
    ])('follows a %s (%s) cluster on the 90th poll to %s, not to the timeout', async (status, availability, next) => {
      const mocks = {
        ...straightThrough(),
        CreateCluster: answers({ overrides: {}, cluster: clusterResult('creating', 'Unavailable', 89) }),
        DescribeCluster: answers(describedCluster(status, availability)),
      };

      const report = await execute(mocks);

      expect(report.visited.slice(0, 6)).toEqual(['CreateCluster', 'IsClusterAvailable', ...CLUSTER_POLL, next]);
    });
  });

  describe('on a day run', () => {
    const days = { from: '2018-11-05', to: '2018-11-06' };
    const manifests = [
      { day: '2018-11-05', manifest: 's3://sparkify-dwh-manifests/manifests/test-execution/2018-11-05.manifest' },
      { day: '2018-11-06', manifest: 's3://sparkify-dwh-manifests/manifests/test-execution/2018-11-06.manifest' },
    ];

    it('writes the manifests after OpenPort and hands them to every SQL step in the overrides', async () => {
      const mocks = { ...straightThrough(), CreateCluster: answers({ overrides: { days }, cluster: clusterResult('available', 'Available', 0) }), WriteManifests: answers(manifests) };

      const report = await execute(mocks, { days });

      expect(report.status).toBe('SUCCEEDED');
      expect(report.visited.slice(0, 6)).toEqual(['CreateCluster', 'IsClusterAvailable', 'OpenPort', 'IsDayRun', 'WriteManifests', 'CreateTables']);
      expect(mocks.WriteManifests.calls).toEqual([{ overrides: { days }, execution: EXECUTION_NAME }]);
      for (const { state } of SQL_STATES) expect(mocks[state as keyof typeof mocks].calls).toEqual([{ overrides: { days, manifests }, wait: false }]);
    });

    it('fails at PipelineFailed, before any SQL, when a day has no log file', async () => {
      const cause = 'No log file for 2018-11-06 (s3://udacity-dend/log_data/2018/11/2018-11-06-events.json): the run changes nothing';
      const mocks = {
        ...straightThrough(),
        CreateCluster: answers({ overrides: { days }, cluster: clusterResult('available', 'Available', 0) }),
        WriteManifests: always(namedError('MissingDayError', cause)),
      };

      const report = await execute(mocks, { days });

      expect(report).toMatchObject({ status: 'FAILED', error: 'MissingDayError', cause });
      expect(report.visited).not.toContain('CreateTables');
    });

    it('hands the daily schedule\'s input and the execution\'s start time to CreateCluster', async () => {
      const scheduleInput = (parse(await readFile(path.join(__dirname, '..', '..', 'statemachine', 'scheduleInput.yml'), 'utf8')) as Record<string, unknown>).daily;
      const mocks = straightThrough();

      await execute(mocks, scheduleInput as never);

      expect(mocks.CreateCluster.calls).toEqual([{ input: { days: 'previous' }, startTime: START_TIME }]);
    });
  });

  describe('while a Serverless namespace and workgroup get ready', () => {
    /** A cluster step's result for a namespace and a workgroup in these statuses, mapped as the handlers map them. */
    function workgroupResult(namespaceStatus: string, workgroupStatus: string, attempt: number) {
      const { status, availability } = serverlessStatus(namespaceStatus, workgroupStatus);
      return clusterResult(status, availability, attempt);
    }

    const ready = ['OpenPort', 'IsDayRun'];
    const pollsOnce = ['WaitForCluster', 'DescribeCluster', 'IsClusterAvailable', 'OpenPort', 'IsDayRun'];
    const fails = ['ClusterFailed'];

    // Every NamespaceStatus with every WorkgroupStatus (API reference: Namespace, Workgroup), and a status AWS may add.
    it.each([
      ['AVAILABLE', 'AVAILABLE', ready],
      ['AVAILABLE', 'CREATING', pollsOnce],
      ['AVAILABLE', 'MODIFYING', pollsOnce],
      ['AVAILABLE', 'DELETING', fails],
      ['MODIFYING', 'AVAILABLE', pollsOnce],
      ['MODIFYING', 'CREATING', pollsOnce],
      ['MODIFYING', 'MODIFYING', pollsOnce],
      ['MODIFYING', 'DELETING', fails],
      ['DELETING', 'AVAILABLE', fails],
      ['DELETING', 'CREATING', fails],
      ['DELETING', 'MODIFYING', fails],
      ['DELETING', 'DELETING', fails],
      ['AVAILABLE', 'A_NEW_STATUS', fails],
      ['A_NEW_STATUS', 'AVAILABLE', fails],
    ])('goes from a %s namespace with a %s workgroup on to %j', async (namespaceStatus, workgroupStatus, path) => {
      const mocks = {
        ...straightThrough(),
        CreateCluster: answers({ overrides: {}, cluster: workgroupResult(namespaceStatus, workgroupStatus, 0) }),
        DescribeCluster: answers(() => workgroupResult('AVAILABLE', 'AVAILABLE', 1)),
      };

      const report = await execute(mocks);

      expect(report.visited.slice(0, 2 + path.length)).toEqual(['CreateCluster', 'IsClusterAvailable', ...path]);
    });

    it('fails at ClusterFailed with the message naming both statuses when the workgroup is being deleted', async () => {
      const deleting = { ...workgroupResult('AVAILABLE', 'DELETING', 1), message: 'Namespace sparkify-ns is AVAILABLE, workgroup sparkify-wg is DELETING, described 1 time' };
      const mocks = {
        ...straightThrough(),
        CreateCluster: answers({ overrides: {}, cluster: workgroupResult('AVAILABLE', 'CREATING', 0) }),
        DescribeCluster: answers(deleting),
      };

      const report = await execute(mocks);

      expect(report).toMatchObject({ status: 'FAILED', error: 'ClusterFailedError', cause: deleting.message });
    });
  });

  describe('while a statement runs', () => {
    const stepsBefore = (index: number) => SQL_STATES.slice(0, index).flatMap(({ state }) => sqlStepStates(state));

    it.each(
      SQL_STATES.flatMap(({ state, step }, index) =>
        ['FAILED', 'ABORTED', 'A_NEW_STATUS'].map((status) => ({ state, step, index, status })),
      ),
    )(
      'fails $state at StatementFailed with the statement message when it ends $status',
      async ({ state, step, index, status }) => {
        const mocks = { ...straightThrough(), [`Describe${state}`]: answers(describedStatement(status)) };

        const report = await execute(mocks);

        // A failed or aborted load is explained first: its message gets the load errors.
        const explained = step === 'loadStaging' && status !== 'A_NEW_STATUS';
        expect(report).toEqual({
          status: 'FAILED',
          error: 'StatementFailedError',
          cause: `Statement ${step}-0001 (${step}) is ${status} after 1 checks${explained ? `. ${LOAD_ERRORS_SENTENCE}` : ''}`,
          visited: [...CLUSTER_READY, ...stepsBefore(index), ...sqlStepStates(state), ...(explained ? EXPLAIN_STATES : []), 'StatementFailed', ...FAILURE_END],
          retried: [],
        });
      },
    );

    it('carries the database error text of a failed COPY, and its load errors, into the cause', async () => {
      const message =
        "loadStaging failed: Load into table 'staging_events' failed. Check 'stl_load_errors' system table for details.";
      const mocks: Record<string, TaskMock> = {
        ...straightThrough(),
        DescribeLoadStaging: answers({ ...statementResult('loadStaging', 'FAILED', 1), message }),
      };

      const report = await execute(mocks);

      expect(report.error).toBe('StatementFailedError');
      expect(report.cause).toBe(`${message} ${LOAD_ERRORS_SENTENCE}`);
      expect(mocks.ReportLoadFailure.calls).toEqual([
        { statement: { ...statementResult('loadStaging', 'FAILED', 1), message }, explanation: statementResult('explainLoadFailure', 'FINISHED', 1) },
      ]);
    });

    it.each([
      ['its lookup fails', { DescribeExplainLoadFailure: answers(describedStatement('FAILED')) }, 'DescribeExplainLoadFailure'],
      ['its lookup cannot be submitted', { ExplainLoadFailure: always(namedError('AccessDeniedException', 'not authorized')) }, 'ExplainLoadFailure'],
      ['its load errors cannot be read', { ReportLoadFailure: always(namedError('ThrottlingException', 'Rate exceeded')) }, 'ReportLoadFailure'],
    ])('still fails a load at StatementFailed with its own error text when %s', async (_, faults, last) => {
      const message = "loadStaging failed: Load into table 'staging_events' failed.";
      const mocks = { ...straightThrough(), DescribeLoadStaging: answers({ ...statementResult('loadStaging', 'FAILED', 1), message }), ...faults };

      const report = await execute(mocks);

      expect([report.error, report.cause]).toEqual(['StatementFailedError', message]);
      expect(report.visited.slice(-5)).toEqual([last === 'DescribeExplainLoadFailure' ? 'IsExplainLoadFailureFinished' : last, 'StatementFailed', ...FAILURE_END]);
    });

    it.each([
      { state: 'CreateTables', index: 0, bound: 120 },
      { state: 'LoadStaging', index: 1, bound: 720 },
      { state: 'InsertTables', index: 2, bound: 360 },
      { state: 'Analyze', index: 3, bound: 120 },
    ])('gives up $state at StatementTimedOut after describe $bound still finds it running', async ({ state, index, bound }) => {
      const describe = always(describedStatement('STARTED'));
      const mocks = { ...straightThrough(), [`Describe${state}`]: describe };

      const report = await execute(mocks);

      const step = SQL_STATES[index].step;
      expect(report.status).toBe('FAILED');
      expect(report.error).toBe('StatementTimedOutError');
      expect(report.cause).toBe(`Statement ${step}-0001 (${step}) is STARTED after ${bound} checks`);
      expect(describe.calls).toHaveLength(bound);
      expect(report.visited).toEqual([
        ...CLUSTER_READY,
        ...stepsBefore(index),
        state,
        ...Array(bound).fill([`WaitFor${state}`, `Describe${state}`, `Is${state}Finished`]).flat(),
        'StatementTimedOut',
        ...FAILURE_END,
      ]);
    });

    it.each([
      ['FINISHED', 'InsertTables'],
      // A failed load is explained (its load errors read) on its way to StatementFailed.
      ['FAILED', 'ExplainLoadFailure'],
    ])('follows a statement that is %s on its last allowed describe to %s', async (status, next) => {
      const mocks = {
        ...straightThrough(),
        LoadStaging: answers(statementResult('loadStaging', 'SUBMITTED', 719)),
        DescribeLoadStaging: answers(describedStatement(status)),
      };

      const report = await execute(mocks);

      const upToLoadStaging = [...CLUSTER_READY, ...sqlStepStates('CreateTables'), ...sqlStepStates('LoadStaging')];
      expect(report.visited.slice(0, upToLoadStaging.length + 1)).toEqual([...upToLoadStaging, next]);
    });
  });

  describe('when a handler throws', () => {
    it.each([
      ['CreateCluster', 'RoleNotReadyError'],
      ['CreateCluster', 'ConflictException'],
      ['CreateCluster', 'Lambda.ServiceException'],
      ['DescribeCluster', 'Lambda.TooManyRequestsException'],
      ['OpenPort', 'RequestLimitExceeded'],
      ['CreateTables', 'Lambda.AWSLambdaException'],
      ['LoadStaging', 'ActiveStatementsExceededException'],
      ['DescribeInsertTables', 'ThrottlingException'],
      ['ReportAnalysis', 'Lambda.SdkClientException'],
      ['PauseCluster', 'ServiceUnavailable'],
      ['PauseCluster', 'InvalidClusterStateFault'],
    ])('retries %s after a transient %s and carries on', async (state, name) => {
      const mocks: Record<string, TaskMock> = {
        ...straightThrough(),
        CreateCluster: answers({ overrides: {}, cluster: clusterResult('creating', 'Unavailable', 0) }),
        DescribeCluster: answers(describedCluster('available', 'Available')),
      };
      const flaky = failingOnce(namedError(name, 'Rate exceeded'), mocks[state]);
      mocks[state] = flaky;

      const report = await execute(mocks);

      expect(report.status).toBe('SUCCEEDED');
      expect(report.retried).toEqual([state]);
      expect(flaky.calls).toHaveLength(2);
      expect(flaky.calls[1]).toEqual(flaky.calls[0]);
    });

    it('stops retrying after six attempts and fails at PipelineFailed with the last error', async () => {
      const describeCluster = always(namedError('Lambda.TooManyRequestsException', 'Rate exceeded'));
      const mocks = {
        ...straightThrough(),
        CreateCluster: answers({ overrides: {}, cluster: clusterResult('creating', 'Unavailable', 0) }),
        DescribeCluster: describeCluster,
      };

      const report = await execute(mocks);

      expect(report).toEqual({
        status: 'FAILED',
        error: 'Lambda.TooManyRequestsException',
        cause: 'Rate exceeded',
        visited: ['CreateCluster', 'IsClusterAvailable', ...CLUSTER_POLL.slice(0, 2), ...FAILURE_END],
        retried: Array(6).fill('DescribeCluster'),
      });
      expect(describeCluster.calls).toHaveLength(7);
    });

    it.each([
      ['CreateCluster', 'SettingsError', 'Invalid execution input: $.sources.logData: must be an S3 URI like s3://bucket/prefix'],
      ['OpenPort', 'SettingsError', 'Invalid settings: DWH_INGRESS_CIDRS: holds 0.0.0.0/0'],
      ['LoadStaging', 'BatchTooLargeError', 'sql/load_staging.sql: statement 3 is 120000 bytes, over the 100 KB limit'],
      ['ReportAnalysis', 'DataQualityError', 'Data quality checks failed: songplays_without_user (3 rows)'],
      ['DescribeAnalyze', 'AccessDeniedException', 'not authorized to perform: redshift-data:DescribeStatement'],
    ])('does not retry %s after %s and fails at PipelineFailed with its name and message', async (state, name, message) => {
      const failing = answers(namedError(name, message));
      const mocks = { ...straightThrough(), [state]: failing };

      const report = await execute(mocks);

      expect(report.status).toBe('FAILED');
      expect(report.error).toBe(name);
      expect(report.cause).toBe(message);
      expect(report.visited.slice(-4)).toEqual([state, ...FAILURE_END]);
      expect(report.retried).toEqual([]);
      expect(failing.calls).toHaveLength(1);
    });
  });

  describe('at the end of every run', () => {
    const PAUSED: PauseResult = { paused: true, status: 'pausing', message: 'Cluster sparkify-dwh is pausing: the next run resumes it' };

    it('pauses the cluster after a success and still succeeds, the pause in the output', async () => {
      const mocks = { ...straightThrough(), PauseCluster: answers(PAUSED) };

      const report = await execute(mocks);

      expect(report.status).toBe('SUCCEEDED');
      expect(report.output).toMatchObject({ analysis: ANALYSIS, pause: PAUSED });
      expect(mocks.PauseCluster.calls).toEqual([{}]);
    });

    it('pauses the cluster after a failure and still fails with the original error and cause', async () => {
      const mocks = { ...straightThrough(), PauseCluster: answers(PAUSED), DescribeInsertTables: answers(describedStatement('FAILED')) };

      const report = await execute(mocks);

      expect([report.status, report.error, report.cause]).toEqual(['FAILED', 'StatementFailedError', 'Statement insertTables-0001 (insertTables) is FAILED after 1 checks']);
      expect(report.visited.slice(-5)).toEqual(['IsInsertTablesFinished', 'StatementFailed', ...FAILURE_END]);
      expect(mocks.PauseCluster.calls).toEqual([{}]);
    });

    it('keeps the original error when the pause itself fails after a failure', async () => {
      const mocks = {
        ...straightThrough(),
        OpenPort: answers(namedError('AccessDeniedException', 'not authorized to perform: ec2:AuthorizeSecurityGroupIngress')),
        PauseCluster: always(namedError('ClusterNotFoundFault', 'Cluster sparkify-dwh not found.')),
      };

      const report = await execute(mocks);

      expect([report.error, report.cause]).toEqual(['AccessDeniedException', 'not authorized to perform: ec2:AuthorizeSecurityGroupIngress']);
      expect(report.visited.slice(-4)).toEqual(['OpenPort', ...FAILURE_END]);
    });

    it('fails at PauseClusterFailed with the pause error when a run that succeeded cannot pause its cluster', async () => {
      const pause = always(namedError('InvalidClusterStateFault', 'The specified cluster is not in the available state.'));
      const mocks = { ...straightThrough(), PauseCluster: pause };

      const report = await execute(mocks);

      expect([report.status, report.error, report.cause]).toEqual(['FAILED', 'InvalidClusterStateFault', 'The specified cluster is not in the available state.']);
      expect(report.visited.slice(-3)).toEqual(['PauseCluster', 'IsPipelineFailed', 'PauseClusterFailed']);
      expect(report.retried).toEqual(Array(4).fill('PauseCluster'));
      expect(pause.calls).toHaveLength(5);
    });
  });
});
