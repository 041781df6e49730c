// `dwh aws start|status|teardown` over mocked CloudFormation and Step Functions clients: the exact requests, the
// history read page by page until the execution ends, the report, the exit code, and AWS errors said in words.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { explainAwsError } from '../../../local/aws/awsErrors';
import { showStatus, startPipeline, startTeardown, type CommandIo } from '../../../local/aws/commands';

process.env.AWS_REGION = 'us-west-2';
process.env.AWS_ACCESS_KEY_ID = 'test-access-key';
process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key';

const cloudFormation = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);
const clients = { cloudFormation: new CloudFormationClient({}), sfn: new SFNClient({}) };

const PIPELINE = 'arn:aws:states:us-west-2:123456789012:stateMachine:sparkify-dwh-dev-pipeline';
const TEARDOWN = 'arn:aws:states:us-west-2:123456789012:stateMachine:sparkify-dwh-dev-teardown';
const EXECUTION = 'arn:aws:states:us-west-2:123456789012:execution:sparkify-dwh-dev-pipeline:run-1';
const ANALYSIS = {
  usersByGender: [{ gender: 'F', users: 12 }],
  usersByLevel: [{ level: 'paid', users: 12 }],
  duplicateUserIds: 0,
  checks: [{ name: 'songplays_null_keys', failures: 0, passed: true }],
};

/** Captures what a command writes, its exit code, and the waits between history reads. */
function capture(): CommandIo & { stdout: string[]; stderr: () => string; exitCode?: number; waits: number[] } {
  const err = new PassThrough();
  const chunks: string[] = [];
  err.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const io = {
    stdout: [] as string[],
    stderr: () => chunks.join(''),
    exitCode: undefined as number | undefined,
    waits: [] as number[],
    out: (text: string) => io.stdout.push(text),
    err: err as unknown as NodeJS.WriteStream,
    colors: false,
    setExitCode: (code: number) => {
      io.exitCode = code;
    },
    follow: { pollMs: 2000, maxPollMs: 8000, sleep: async (ms: number) => void io.waits.push(ms) },
  };
  return io;
}

const at = (second: number) => new Date(Date.UTC(2026, 11, 2, 3, 0, second));
let nextId = 0;
function event(type: string, second: number, details: Partial<HistoryEvent> = {}): HistoryEvent {
  nextId += 1;
  return { id: nextId, type: type as HistoryEvent['type'], timestamp: at(second), ...details };
}
const entered = (type: string, name: string, second: number) => event(`${type}StateEntered`, second, { stateEnteredEventDetails: { name } });
const exited = (type: string, name: string, second: number) => event(`${type}StateExited`, second, { stateExitedEventDetails: { name } });

beforeEach(() => {
  nextId = 0;
  cloudFormation.reset();
  sfn.reset();
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'sparkify-dwh-dev',
        CreationTime: at(0),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: [
          { OutputKey: 'PipelineStateMachineArn', OutputValue: PIPELINE },
          { OutputKey: 'TeardownStateMachineArn', OutputValue: TEARDOWN },
        ],
      },
    ],
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: at(0) });
});

describe('dwh aws start', () => {
  it('finds the pipeline from the stack outputs and starts it with the input, printing the execution ARN', async () => {
    const io = capture();

    await startPipeline({ stage: 'dev', input: { sources: { logData: 's3://udacity-dend/log_data/2018/11' } } }, clients, io);

    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input)).toEqual([{ StackName: 'sparkify-dwh-dev' }]);
    expect(sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input)).toEqual([
      { stateMachineArn: PIPELINE, input: '{"sources":{"logData":"s3://udacity-dend/log_data/2018/11"}}' },
    ]);
    expect(io.stdout).toEqual([EXECUTION]);
    expect(sfn).not.toHaveReceivedCommand(GetExecutionHistoryCommand);
  });

  it('follows the execution: reads every page of the history, polls with backoff, prints each state once and the analysis', async () => {
    const firstPoll = [event('ExecutionStarted', 0), entered('Task', 'CreateCluster', 0), event('LambdaFunctionScheduled', 0)];
    const page1 = [
      ...firstPoll,
      event('LambdaFunctionSucceeded', 1),
      exited('Task', 'CreateCluster', 1),
      entered('Choice', 'IsClusterAvailable', 1),
      exited('Choice', 'IsClusterAvailable', 1),
    ];
    const page2 = [
      entered('Task', 'OpenPort', 2),
      event('LambdaFunctionFailed', 3, { lambdaFunctionFailedEventDetails: { error: 'Lambda.ServiceException', cause: 'x' } }),
      event('LambdaFunctionSucceeded', 4),
      exited('Task', 'OpenPort', 4),
      entered('Succeed', 'PipelineSucceeded', 5),
      exited('Succeed', 'PipelineSucceeded', 5),
      event('ExecutionSucceeded', 5, { executionSucceededEventDetails: { output: JSON.stringify({ analysis: ANALYSIS }) } }),
    ];
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: firstPoll })
      .resolvesOnce({ events: firstPoll })
      .resolvesOnce({ events: page1, nextToken: 'page-2' })
      .resolvesOnce({ events: page2 });
    const io = capture();

    await startPipeline({ stage: 'dev', follow: true }, clients, io);

    const reads = sfn.commandCalls(GetExecutionHistoryCommand).map((call) => call.args[0].input);
    expect(reads).toEqual([
      { executionArn: EXECUTION, maxResults: 1000 },
      { executionArn: EXECUTION, maxResults: 1000 },
      { executionArn: EXECUTION, maxResults: 1000 },
      { executionArn: EXECUTION, maxResults: 1000, nextToken: 'page-2' },
    ]);
    // Nothing new twice: the wait doubles; the last read ends it.
    expect(io.waits).toEqual([2000, 4000]);
    expect(io.stderr()).toBe(
      [
        `Started ${EXECUTION}`,
        '  ✔ CreateCluster                SUCCEEDED    1000 ms',
        '  ✔ IsClusterAvailable           SUCCEEDED       0 ms',
        '  ✔ OpenPort                     SUCCEEDED    2000 ms',
        '  ✔ PipelineSucceeded            SUCCEEDED       0 ms',
        '',
      ].join('\n'),
    );
    expect(io.stdout.join('\n')).toContain(`Pipeline SUCCEEDED: ${EXECUTION}`);
    expect(io.stdout.join('\n')).toContain('Users by gender');
    expect(io.stdout.join('\n')).toContain('songplays_null_keys');
    expect(io.exitCode).toBe(0);
  });

  it('ends with the error and cause of a failed execution, the caught state marked, and exit code 1', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        entered('Task', 'LoadStaging', 0),
        event('LambdaFunctionFailed', 1),
        exited('Task', 'LoadStaging', 1),
        entered('Pass', 'StatementFailed', 1),
        exited('Pass', 'StatementFailed', 1),
        entered('Fail', 'PipelineFailed', 2),
        event('ExecutionFailed', 2, { executionFailedEventDetails: { error: 'StatementFailedError', cause: 'loadStaging failed: line 3' } }),
      ],
    });
    const io = capture();

    await startPipeline({ stage: 'dev', follow: true }, clients, io);

    expect(io.stderr()).toContain('  ✖ LoadStaging                  CAUGHT       1000 ms');
    expect(io.stderr()).toContain('  ✖ PipelineFailed               FAILED          0 ms');
    expect(io.stdout.join('\n')).toBe(`\nPipeline FAILED: ${EXECUTION}\nStatementFailedError: loadStaging failed: line 3`);
    expect(io.exitCode).toBe(1);
  });
});

describe('dwh aws teardown', () => {
  it('starts the teardown state machine with the final snapshot, and follows it to its end', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [entered('Task', 'RevokeIngress', 0), exited('Task', 'RevokeIngress', 1), event('ExecutionSucceeded', 1, { executionSucceededEventDetails: { output: '{}' } })],
    });
    const io = capture();

    await startTeardown({ stage: 'dev', finalSnapshot: 'sparkify-final' }, clients, io);

    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({ stateMachineArn: TEARDOWN, input: '{"finalSnapshot":"sparkify-final"}' });
    expect(io.stdout).toEqual([`\nTeardown SUCCEEDED: ${EXECUTION}`]);
    expect(io.exitCode).toBe(0);
  });
});

describe('dwh aws status', () => {
  it('shows the latest execution, with --json as one document, each state with its entry time and retries', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: EXECUTION, stateMachineArn: PIPELINE, name: 'run-1', status: 'RUNNING', startDate: at(0) }] });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        entered('Task', 'CreateCluster', 0),
        event('LambdaFunctionScheduled', 0),
        event('LambdaFunctionFailed', 1, { lambdaFunctionFailedEventDetails: { error: 'Lambda.ServiceException', cause: 'x' } }),
        event('LambdaFunctionScheduled', 2),
        event('LambdaFunctionSucceeded', 3),
        exited('Task', 'CreateCluster', 3),
        entered('Choice', 'IsClusterAvailable', 3),
      ],
    });
    const io = capture();

    await showStatus({ stage: 'dev', json: true }, clients, io);

    expect(sfn.commandCalls(ListExecutionsCommand)[0].args[0].input).toEqual({ stateMachineArn: PIPELINE, maxResults: 1 });
    expect(JSON.parse(io.stdout.join(''))).toEqual({
      executionArn: EXECUTION,
      status: 'RUNNING',
      // The second LambdaFunctionScheduled of the visit is its Retry.
      states: [{ name: 'CreateCluster', status: 'SUCCEEDED', ms: 3000, startedAt: at(0).getTime(), retriedAt: [at(2).getTime()] }],
      analysis: null,
    });
    expect(io.exitCode).toBe(0);
  });

  it('reads a named execution of the pipeline by its name', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [event('ExecutionTimedOut', 9, { executionTimedOutEventDetails: { error: 'States.Timeout', cause: 'timed out' } })] });
    const io = capture();

    await showStatus({ stage: 'dev', execution: 'run-1' }, clients, io);

    expect(sfn.commandCalls(GetExecutionHistoryCommand)[0].args[0].input).toEqual({ executionArn: EXECUTION, maxResults: 1000 });
    expect(io.stdout.join('\n')).toBe(`\nPipeline TIMED_OUT: ${EXECUTION}\nStates.Timeout: timed out`);
    expect(io.exitCode).toBe(1);
  });

  it('says there is no execution yet', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });

    await expect(showStatus({ stage: 'dev' }, clients, capture())).rejects.toThrow(`No execution of ${PIPELINE} yet: start one with \`dwh aws start\``);
  });
});

describe('AWS errors, said in words', () => {
  it('names the stack and the region when the stack does not exist', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id sparkify-dwh-prod does not exist'), { name: 'ValidationError' }));

    await expect(startPipeline({ stage: 'prod' }, clients, capture())).rejects.toThrow(
      'No stack sparkify-dwh-prod in us-west-2: deploy it first (`npx sls deploy --stage <stage>`), or give the stage and region it was deployed to',
    );
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('names the action when access is denied', async () => {
    sfn.on(StartExecutionCommand).rejects(
      Object.assign(new Error('User: arn:aws:iam::123456789012:user/ana is not authorized to perform: states:StartExecution on resource: ' + PIPELINE), {
        name: 'AccessDeniedException',
      }),
    );

    await expect(startPipeline({ stage: 'dev' }, clients, capture())).rejects.toThrow(/^Access denied to states:StartExecution: User: arn:aws:iam::123456789012:user\/ana/);
  });

  it('names a stack without the teardown output as one to deploy again', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'sparkify-dwh-dev', CreationTime: at(0), StackStatus: 'UPDATE_COMPLETE', Outputs: [{ OutputKey: 'PipelineStateMachineArn', OutputValue: PIPELINE }] }] });

    await expect(startTeardown({ stage: 'dev' }, clients, capture())).rejects.toThrow(
      'Stack sparkify-dwh-dev has no output TeardownStateMachineArn: deploy this version of the pipeline (`npx sls deploy --stage dev`)',
    );
  });

  it.each([
    [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), /^No AWS credentials found: configure a profile/],
    [Object.assign(new Error('Region is missing'), { name: 'Error' }), /^No AWS region: set AWS_REGION/],
    [Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' }), /^Your AWS credentials are not valid \(ExpiredTokenException\)/],
  ])('explains %s', (error, message) => {
    expect(explainAwsError(error, { stackName: 'sparkify-dwh-dev' }).message).toMatch(message);
  });
});

describe('the dwh command', () => {
  it('loads the dwh aws code (and its AWS SDK clients) only when a dwh aws command runs', () => {
    const script =
      "require('./bin/register'); require('./local/cli');" +
      "console.log(JSON.stringify(Object.keys(require.cache).filter((file) => /client-sfn|client-cloudformation|local[\\\\/]aws[\\\\/]/.test(file))))";

    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..', '..', '..') }).toString());

    expect(loaded).toEqual([]);
  });
});
