// `dwh aws start|status|teardown`: the deployed pipeline driven from the command line. The state machines are found
// from the stack's outputs; an execution is followed by reading its history, and reported with the same progress
// lines and tables as `dwh run`. Credentials and region come from the AWS SDK's standard chain (profile,
// environment). Loaded only when a `dwh aws` command runs: the local commands never load the AWS SDK.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { AnalysisResult } from '../../functions/lib/contracts/events';
import { progressReporter } from '../progress';
import { analysisReport } from '../report';
import type { StateRecord } from '../runner';
import { AwsCommandError, explainAwsError } from './awsErrors';
import { followExecution, readExecution, type ExecutionEnd, type FollowOptions } from './history';
import { findStateMachines, stackName } from './stack';

/** The clients `dwh aws` uses; built once per command (tests hand mocked ones). */
export interface AwsCommandClients {
  cloudFormation: CloudFormationClient;
  sfn: SFNClient;
}

/** Where a command writes, its exit code, and how it waits between history reads (tests make it instant). */
export interface CommandIo {
  out(text: string): void;
  err: NodeJS.WriteStream;
  colors: boolean;
  setExitCode(code: number): void;
  follow?: Pick<FollowOptions, 'sleep' | 'pollMs' | 'maxPollMs'>;
}

/** The SDK clients, with the region and credentials of the standard chain. */
export function defaultClients(): AwsCommandClients {
  return { cloudFormation: new CloudFormationClient({}), sfn: new SFNClient({}) };
}

/** The report of an execution, for --json: as `dwh run --json`, without `tables` (the warehouse is on AWS). */
interface ExecutionReport {
  executionArn: string;
  status: ExecutionEnd['status'] | 'RUNNING';
  error?: string;
  cause?: string;
  states: StateRecord[];
  analysis: AnalysisResult | null;
}

function reportOf(executionArn: string, states: StateRecord[], end: ExecutionEnd | undefined): ExecutionReport {
  const analysis = (end?.output as { analysis?: AnalysisResult } | undefined)?.analysis ?? null;
  return {
    executionArn,
    status: end?.status ?? 'RUNNING',
    ...(end && end.status !== 'SUCCEEDED' ? { error: end.error, cause: end.cause } : {}),
    states,
    analysis,
  };
}

/** The end of an execution in words: its status, then the analysis tables or its error and cause. */
function renderEnd(what: string, report: ExecutionReport, colors: boolean): string {
  const lines = [`${what} ${report.status}: ${report.executionArn}`];
  if (report.error) lines.push(`${report.error}: ${report.cause}`);
  if (report.analysis) lines.push('', ...analysisReport(report.analysis, colors));
  return lines.join('\n');
}

/** Exit code as for `dwh run`: 0 success, 1 failed (timed out and aborted included), still running 0. */
const exitCodeOf = (report: ExecutionReport) => (report.status === 'SUCCEEDED' || report.status === 'RUNNING' ? 0 : 1);

/** Runs `action` with the stack's state machines; AWS errors are said in words. */
async function withStack<T>(stage: string, clients: AwsCommandClients, action: (machines: Awaited<ReturnType<typeof findStateMachines>>) => Promise<T>): Promise<T> {
  try {
    return await action(await findStateMachines(clients.cloudFormation, stage));
  } catch (error) {
    const region = await clients.sfn.config.region().catch(() => undefined);
    throw explainAwsError(error, { stackName: stackName(stage), region });
  }
}

/** Starts an execution of `stateMachineArn` with `input`; follows it when asked. */
async function startAndMaybeFollow(
  what: string,
  stateMachineArn: string,
  input: Record<string, unknown>,
  follow: boolean,
  clients: AwsCommandClients,
  io: CommandIo,
): Promise<void> {
  const { executionArn } = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  io.err.write(`Started ${executionArn}\n`);
  if (!follow) {
    io.out(executionArn!);
    return;
  }
  const reporter = progressReporter(io.err);
  const { states, end } = await followExecution(clients.sfn, executionArn!, { ...io.follow, onState: reporter.onState });
  reporter.stop();
  const report = reportOf(executionArn!, states, end);
  io.out(`\n${renderEnd(what, report, io.colors)}`);
  io.setExitCode(exitCodeOf(report));
}

/** `dwh aws start`: starts the pipeline with the execution input, and follows it with --follow. */
export async function startPipeline(
  options: { stage: string; input?: Record<string, unknown>; follow?: boolean },
  clients: AwsCommandClients,
  io: CommandIo,
): Promise<void> {
  await withStack(options.stage, clients, (machines) =>
    startAndMaybeFollow('Pipeline', machines.pipeline, options.input ?? {}, Boolean(options.follow), clients, io),
  );
}

/** `dwh aws teardown`: starts the teardown (with a final snapshot when named) and follows it. */
export async function startTeardown(options: { stage: string; finalSnapshot?: string }, clients: AwsCommandClients, io: CommandIo): Promise<void> {
  const input = options.finalSnapshot ? { finalSnapshot: options.finalSnapshot } : {};
  await withStack(options.stage, clients, (machines) => startAndMaybeFollow('Teardown', machines.teardown, input, true, clients, io));
}

/** `dwh aws status`: the latest execution of the pipeline, or the one named (its name or ARN), with its states and result. */
export async function showStatus(
  options: { stage: string; execution?: string; json?: boolean },
  clients: AwsCommandClients,
  io: CommandIo,
): Promise<void> {
  await withStack(options.stage, clients, async (machines) => {
    const executionArn = options.execution ? executionArnOf(machines.pipeline, options.execution) : await latestExecution(clients.sfn, machines.pipeline);
    const { states, end } = await readExecution(clients.sfn, executionArn);
    const report = reportOf(executionArn, states, end);
    if (options.json) io.out(JSON.stringify(report));
    else {
      const reporter = progressReporter(io.err);
      for (const state of states) reporter.onState(state);
      io.out(`\n${renderEnd('Pipeline', report, io.colors)}`);
    }
    io.setExitCode(exitCodeOf(report));
  });
}

/** An execution's ARN from its name (an execution ARN is the state machine's, `execution` for `stateMachine`, and the name). */
function executionArnOf(stateMachineArn: string, execution: string): string {
  return execution.startsWith('arn:') ? execution : `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${execution}`;
}

/** The latest execution of the state machine (ListExecutions lists the newest first). */
async function latestExecution(sfn: SFNClient, stateMachineArn: string): Promise<string> {
  const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }));
  const latest = executions?.[0]?.executionArn;
  if (!latest) throw new AwsCommandError(`No execution of ${stateMachineArn} yet: start one with \`dwh aws start\``);
  return latest;
}
