// Runs statemachine/pipeline.asl.yml with aws-local-stepfunctions, every Task answered by a scripted mock,
// every Wait and retry interval cut to 0, and reports what happened: the states visited, the retries, the
// output or the Fail state's error and cause.
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import type { AnalysisResult, ClusterResult, IngressResult, PauseResult, StatementResult } from '../../functions/lib/contracts/events';
import { withLoadErrors } from '../../functions/lib/steps/loadErrorLookup';
import type { SqlStep } from '../../functions/lib/sql/sql';
import type { StatementStatus } from '../../functions/lib/ports/warehouse';
import { loadDefinition } from '../../local/definition';

type Json = Parameters<StateMachine['run']>[0];

/** What a mock answers to one call: a result, an Error to throw, or a function of the Task's input. */
export type Answer = unknown;

export interface TaskMock {
  /** The inputs the Task received (after its Parameters), one per call. */
  calls: unknown[];
  handle(input: unknown): Promise<unknown>;
}

/** A Task mock that answers its n-th call with the n-th answer; one call more fails the Task (and so the run). */
export function answers(...scripted: Answer[]): TaskMock {
  return scriptedMock((call) => {
    if (call >= scripted.length) throw new Error(`called ${call + 1} times, scripted for ${scripted.length}`);
    return scripted[call];
  });
}

/** A Task mock that answers every call the same way (a poll that never ends, an error that never goes away). */
export function always(answer: Answer): TaskMock {
  return scriptedMock(() => answer);
}

function scriptedMock(answerFor: (call: number) => Answer): TaskMock {
  const calls: unknown[] = [];
  return {
    calls,
    async handle(input) {
      const answer = answerFor(calls.length);
      calls.push(input);
      if (answer instanceof Error) throw answer;
      return typeof answer === 'function' ? (answer as (input: unknown) => unknown)(input) : answer;
    },
  };
}

/** A Task mock that throws `error` on its first call, then answers as `mock` does. */
export function failingOnce(error: Error, mock: TaskMock): TaskMock {
  const calls: unknown[] = [];
  return {
    calls,
    async handle(input) {
      calls.push(input);
      if (calls.length === 1) throw error;
      return mock.handle(input);
    },
  };
}

/** An error as a handler throws it: the state machine matches its `name`. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export interface ExecutionReport {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  /** The Fail state's Error and Cause (or the uncaught error's name and message). */
  error?: string;
  cause?: string;
  /** Every state entered, in order. */
  visited: string[];
  /** The state of every retry, in order. */
  retried: string[];
}

/** The context object's execution name every test run has; its StartTime is now (aws-local-stepfunctions sets it). */
export const EXECUTION_NAME = 'test-execution';
export const START_TIME = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) as unknown as string;

/** Runs the definition on `input`; a Task without a mock fails with an error naming the state. */
export async function execute(mocks: Record<string, TaskMock>, input: Json = {}): Promise<ExecutionReport> {
  const { definition, tasks, waits } = await loadDefinition();
  const handlers = Object.fromEntries(
    [...tasks.keys()].map((state) => [
      state,
      (taskInput: Json) => {
        const mock = mocks[state];
        if (!mock) throw new Error(`no mock for state ${state}`);
        return mock.handle(taskInput) as Promise<Json>;
      },
    ]),
  );
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  const execution = machine.run(input, {
    context: { Execution: { Name: EXECUTION_NAME } },
    overrides: {
      taskResourceLocalHandlers: handlers,
      waitTimeOverrides: Object.fromEntries(waits.map((name) => [name, 0])),
      retryIntervalOverrides: Object.fromEntries([...tasks.keys()].map((name) => [name, 0])),
    },
  });
  const outcome = await execution.result.then(
    (output): Pick<ExecutionReport, 'status' | 'output'> => ({ status: 'SUCCEEDED', output }),
    (error: unknown): Pick<ExecutionReport, 'status' | 'error' | 'cause'> => {
      const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
      return { status: 'FAILED', error: failure.name, cause: failure.message };
    },
  );
  const visited: string[] = [];
  const retried: string[] = [];
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered') visited.push(event.state.name);
    if (event.type === 'StateRetried') retried.push(event.state.name);
  }
  return { ...outcome, visited, retried };
}

// ------------------------------------------------------------------------------------------ handler results

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/sparkify-dwh-redshift';

/** What the cluster steps return (ResultPath `$.cluster`). */
export function clusterResult(status: string, availability: string, attempt: number): ClusterResult {
  return {
    identifier: 'sparkify-dwh',
    status,
    availability,
    attempt,
    message: `Cluster sparkify-dwh is ${status} (${availability}) after ${attempt} checks`,
    roleArn: ROLE_ARN,
  };
}

/** DescribeCluster's answer: the cluster it was given, described once more. */
export function describedCluster(status: string, availability: string): (input: unknown) => ClusterResult {
  return (input) => clusterResult(status, availability, (input as { cluster: ClusterResult }).cluster.attempt + 1);
}

/** A SQL step's or DescribeStatement's result (ResultPath `$.statement`). */
export function statementResult(step: StatementResult['step'], status: StatementStatus | string, attempt: number): StatementResult {
  return {
    step,
    id: `${step}-0001`,
    status: status as StatementStatus,
    createdAt: '2024-05-01T12:00:00.000Z',
    attempt,
    message: `Statement ${step}-0001 (${step}) is ${status} after ${attempt} checks`,
  };
}

/** DescribeStatement's answer: the statement it was given, described once more. */
export function describedStatement(status: StatementStatus | string): (input: unknown) => StatementResult {
  return (input) => {
    const { step, attempt } = (input as { statement: StatementResult }).statement;
    return statementResult(step, status, attempt + 1);
  };
}

/** PauseCluster's answer with pauseAfterRun off (the default). */
export const NOT_PAUSED: PauseResult = {
  paused: false,
  message: 'DWH_PAUSE_AFTER_RUN is false: cluster sparkify-dwh keeps running (and billing) until paused or deleted',
};

/** The states every run ends with after its last step: a success, or a failure once a state has recorded it. */
export const SUCCESS_END = ['PauseCluster', 'IsPipelineFailed', 'PipelineSucceeded'];
export const FAILURE_END = ['PauseCluster', 'IsPipelineFailed', 'PipelineFailed'];

export const INGRESS: IngressResult = { port: 5439, added: [], existing: [], message: 'No ingress CIDRs configured: port left closed' };

export const ANALYSIS: AnalysisResult = {
  usersByGender: [
    { gender: 'F', users: 55 },
    { gender: 'M', users: 41 },
  ],
  usersByLevel: [
    { level: 'free', users: 74 },
    { level: 'paid', users: 22 },
  ],
  duplicateUserIds: 0,
  checks: [{ name: 'songplays_without_user', failures: 0, passed: true }],
};

/** The SQL steps in the order the pipeline runs them, with their Task state names. */
export const SQL_STATES: ReadonlyArray<{ state: string; step: SqlStep }> = [
  { state: 'CreateTables', step: 'createTables' },
  { state: 'LoadStaging', step: 'loadStaging' },
  { state: 'InsertTables', step: 'insertTables' },
  { state: 'Analyze', step: 'analyze' },
];

/** What the ReportLoadFailure mock adds to a failed load's message. */
export const LOAD_ERRORS_SENTENCE = "First load errors: file s3://udacity-dend/log_data/a.json, line 3, column ts: Invalid digit (value 'x')";

/** The states a failed load visits after IsLoadStagingFinished, when its lookup finishes on the first describe. */
export const EXPLAIN_STATES = [
  'ExplainLoadFailure',
  'WaitForExplainLoadFailure',
  'DescribeExplainLoadFailure',
  'IsExplainLoadFailureFinished',
  'ReportLoadFailure',
];

/** Mocks for a run that goes straight through: the cluster is available at once and every statement has
 * FINISHED on its first describe. Tests replace the mocks of the states they are about. */
export function straightThrough(): Record<string, TaskMock> {
  const mocks: Record<string, TaskMock> = {
    CreateCluster: answers({ overrides: {}, cluster: clusterResult('available', 'Available', 0) }),
    OpenPort: answers(INGRESS),
    ReportAnalysis: answers(ANALYSIS),
    PauseCluster: always(NOT_PAUSED),
    // Reached only when the load fails: the lookup finishes at once and adds a sentence to the load's message.
    ExplainLoadFailure: answers(statementResult('explainLoadFailure', 'SUBMITTED', 0)),
    DescribeExplainLoadFailure: answers(describedStatement('FINISHED')),
    ReportLoadFailure: answers((input: unknown) => {
      const { statement } = input as { statement: StatementResult };
      return { ...statement, message: withLoadErrors(statement.message, LOAD_ERRORS_SENTENCE) };
    }),
  };
  for (const { state, step } of SQL_STATES) {
    mocks[state] = answers(statementResult(step, 'SUBMITTED', 0));
    mocks[`Describe${state}`] = answers(describedStatement('FINISHED'));
  }
  return mocks;
}

/** The states a SQL step visits when its first describe is final. */
export function sqlStepStates(state: string): string[] {
  return [state, `WaitFor${state}`, `Describe${state}`, `Is${state}Finished`];
}
