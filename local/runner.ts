// Runs the real state machine definition locally with aws-local-stepfunctions: every Task state calls the
// same step function as on AWS (functions/<key>.ts for the function key it names), in-process, with local deps, as
// the IAM identity its function has on AWS (functions/functions.yml); every Wait and every retry interval is 0 s.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExecutionError } from 'aws-local-stepfunctions';
import type { Warehouse } from '../functions/lib/ports/warehouse';
import type { StepDeps } from '../functions/lib/ports/stepDeps';
import type { AnalysisResult } from '../functions/lib/contracts/events';
import type { Settings } from '../functions/lib/contracts/settings';
import { loadDefinition, stateMachineOf, TEARDOWN_DEFINITION_FILE, type LocalDefinition } from './definition';
import { LOCAL_BUCKET, LOCAL_MANIFEST_BUCKET, localDeps, localSettings } from './deps';
import { localObjectStore } from './localObjects';
import { FUNCTIONS_FILE, loadIdentities } from './identities';
import { LocalCluster } from './localCluster';
import { countTables, type TableCounts } from './tables';
import { openLocalWarehouse, type CopyProgress, type CopyTimes } from './warehouse';

const ROOT = path.join(__dirname, '..');

type Step = (event: never, deps: StepDeps) => Promise<unknown>;
/** A Task state's local step, as `wrapStep` sees it. */
export type LocalStep = (event: unknown, deps: StepDeps) => Promise<unknown>;

/** The step of function `key`: the export named `key` of functions/<key>.ts (state = handler = file, by
 * construction); a file or export that is missing is an error naming the state. */
function loadStep(state: string, key: string): Step {
  let module: Record<string, unknown>;
  try {
    module = require(`../functions/${key}`) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`State ${state} invokes function ${key}, whose file functions/${key}.ts cannot be loaded: ${String(error)}`);
  }
  const step = module[key];
  if (typeof step !== 'function') throw new Error(`State ${state} invokes function ${key}, but functions/${key}.ts exports no ${key}`);
  return step as Step;
}

export interface StateRecord {
  name: string;
  status: 'SUCCEEDED' | 'CAUGHT' | 'FAILED';
  ms: number;
  /** When the state was entered (epoch ms); it was left `ms` later. */
  startedAt: number;
  /** When each retry of the state began (epoch ms), in order; [] when it ran once. */
  retriedAt: number[];
}

export interface LocalRunOptions {
  /** A local mirror of the source bucket: song_data/, log_data/ and optionally log_json_path.json. */
  dataDir: string;
  /** Keep the warehouse in this folder; absent: in memory, gone after the run. */
  dbDir?: string;
  /** Where the run rehearses: a provisioned cluster (default) or a Redshift Serverless namespace and workgroup. */
  redshift?: Settings['redshift'];
  /** The simulated cluster and workgroup (a test may look into it afterwards); absent: a new one. */
  cluster?: LocalCluster;
  /** Pause the local cluster when the run ends (as DWH_PAUSE_AFTER_RUN=true); absent: as the environment says. */
  pauseAfterRun?: boolean;
  /** The execution input (for example `{ "sources": { "logData": ... } }`). */
  input?: Record<string, unknown>;
  onState?: (state: StateRecord) => void;
  onProgress?: (progress: CopyProgress) => void;
  /** Where each COPY's time went (scripts/benchmark.ts). */
  onCopied?: (times: CopyTimes) => void;
  definitionFile?: string;
  /** Tests only, never set by the CLI: Task state name -> the identity it runs as, instead of its function's role. */
  stateIdentities?: Record<string, string>;
  /** Tests only, never set by the CLI: wraps each Task state's step, to inject faults (test/statemachine). */
  wrapStep?: (state: string, step: LocalStep) => LocalStep;
}

export interface LocalRunResult {
  status: 'SUCCEEDED' | 'FAILED';
  error?: string;
  cause?: string;
  states: StateRecord[];
  /** Row counts as they stand at the end of the run (after a failure too); null for a table that does not exist. */
  tables: TableCounts;
  analysis: AnalysisResult | null;
}

/** Runs the pipeline's state machine locally and reports how it went; never throws for a failed run. */
export async function runPipeline(options: LocalRunOptions): Promise<LocalRunResult> {
  const { definition, tasks, waits } = await loadDefinition(options.definitionFile);
  const handlers = bindTasks(tasks, await loadIdentities(), options.stateIdentities ?? {});
  const { wrapStep } = options;
  if (wrapStep) for (const [state, bound] of handlers) bound.step = wrapStep(state, bound.step as LocalStep) as Step;
  // The COPY manifests of day runs live beside the warehouse (in a temporary folder for one in memory).
  const temporaryManifests = options.dbDir ? undefined : await mkdtemp(path.join(tmpdir(), 'dwh-manifests-'));
  const manifestDir = temporaryManifests ?? path.join(options.dbDir as string, 'manifests');
  const buckets = { [LOCAL_BUCKET]: options.dataDir, [LOCAL_MANIFEST_BUCKET]: manifestDir };
  const warehouse = await openLocalWarehouse({ dbDir: options.dbDir, buckets, onProgress: options.onProgress, onCopied: options.onCopied });
  try {
    const environment = localSettings(options.dataDir, options.redshift);
    const settings = { ...environment, pauseAfterRun: options.pauseAfterRun ?? environment.pauseAfterRun };
    const cluster = options.cluster ?? new LocalCluster();
    const taskResourceLocalHandlers = Object.fromEntries(
      [...handlers].map(([state, { step, identity }]) => {
        const deps = localDeps(settings, warehouse.as(identity), cluster, localObjectStore(buckets));
        return [state, (input: unknown) => step(input as never, deps)];
      }),
    );
    const outcome = await execute({ definition, tasks, waits }, taskResourceLocalHandlers, options.input, options.onState);
    const output = outcome.status === 'SUCCEEDED' ? (outcome.output as { analysis?: AnalysisResult }) : undefined;
    return {
      status: outcome.status,
      ...(outcome.status === 'FAILED' ? { error: outcome.error, cause: outcome.cause } : {}),
      states: outcome.states,
      tables: await countTables(warehouse),
      analysis: output?.analysis ?? null,
    };
  } finally {
    await warehouse.close();
    if (temporaryManifests) await rm(temporaryManifests, { recursive: true, force: true });
  }
}

/** How an execution of a definition went: its output, or its error and cause, and every state it visited. */
interface Execution {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  states: StateRecord[];
}

/** Runs a definition with aws-local-stepfunctions: each Task calls its local handler, every Wait and every retry
 * interval is 0 s. Never throws for a failed execution. */
async function execute(
  { definition, tasks, waits }: LocalDefinition,
  handlers: Record<string, (input: unknown) => Promise<unknown>>,
  input: Record<string, unknown> = {},
  onState?: (state: StateRecord) => void,
): Promise<Execution> {
  const machine = await stateMachineOf(definition);
  const execution = machine.run(input as never, {
    // The execution's name, which names its manifests' folder (aws-local-stepfunctions sets StartTime itself: now).
    context: { Execution: { Name: `local-${new Date().toISOString().replace(/[^0-9]/g, '')}` } },
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: Object.fromEntries(waits.map((name) => [name, 0])),
      // The local adapters have nothing to recover from over time: a retry (an injected fault) goes at once.
      retryIntervalOverrides: Object.fromEntries([...tasks.keys()].map((name) => [name, 0])),
    },
  });
  const states: StateRecord[] = [];
  const recording = recordStates(execution.eventLogs, states, onState);
  const outcome = await execution.result.then(
    (output) => ({ status: 'SUCCEEDED' as const, output }),
    (error: unknown) => ({ status: 'FAILED' as const, ...describeFailure(error) }),
  );
  await recording;
  return { ...outcome, states };
}

export interface LocalTeardownOptions {
  /** The local cluster the runs created (local/clusterFile.ts keeps it with the warehouse). */
  cluster: LocalCluster;
  redshift?: Settings['redshift'];
  /** The execution input (for example `{ "finalSnapshot": "name" }`). */
  input?: Record<string, unknown>;
  onState?: (state: StateRecord) => void;
  definitionFile?: string;
}

export interface LocalTeardownResult {
  status: 'SUCCEEDED' | 'FAILED';
  error?: string;
  cause?: string;
  states: StateRecord[];
  output: unknown;
}

/** A warehouse for the teardown's steps, which run no SQL: any use is an error saying so. */
const NO_WAREHOUSE: Warehouse = {
  submit: () => Promise.reject(new Error('The teardown runs no SQL')),
  describe: () => Promise.reject(new Error('The teardown runs no SQL')),
  fetchRows: () => Promise.reject(new Error('The teardown runs no SQL')),
};

/** Runs the teardown's state machine (statemachine/teardown.asl.yml) against the local cluster, each Task as the
 * role its function has on AWS; never throws for a failed run. */
export async function runTeardown(options: LocalTeardownOptions): Promise<LocalTeardownResult> {
  const loaded = await loadDefinition(options.definitionFile ?? TEARDOWN_DEFINITION_FILE);
  const handlers = bindTasks(loaded.tasks, await loadIdentities(), {});
  const settings = localSettings(undefined, options.redshift);
  const deps = localDeps(settings, NO_WAREHOUSE, options.cluster);
  const taskHandlers = Object.fromEntries([...handlers].map(([state, { step }]) => [state, (input: unknown) => step(input as never, deps)]));
  const outcome = await execute(loaded, taskHandlers, options.input, options.onState);
  return {
    status: outcome.status,
    ...(outcome.status === 'FAILED' ? { error: outcome.error, cause: outcome.cause } : {}),
    states: outcome.states,
    output: outcome.output ?? null,
  };
}

/** Every Task state's local step and the identity it runs as; a state whose function functions/functions.yml
 * does not list is an error naming it. */
function bindTasks(
  tasks: Map<string, string>,
  identities: Map<string, string>,
  stateIdentities: Record<string, string>,
): Map<string, { step: Step; identity: string }> {
  const bound = new Map<string, { step: Step; identity: string }>();
  for (const [state, functionKey] of tasks) {
    const role = identities.get(functionKey);
    if (!role) throw new Error(`State ${state} invokes function ${functionKey}, which ${path.relative(ROOT, FUNCTIONS_FILE)} does not list`);
    bound.set(state, { step: loadStep(state, functionKey), identity: stateIdentities[state] ?? role });
  }
  return bound;
}

/** The Error and Cause of a failed execution (a Fail state's, or the uncaught error's). */
function describeFailure(error: unknown): { error: string; cause: string } {
  const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
  if (failure instanceof Error) return { error: failure.name, cause: failure.message };
  return { error: 'Error', cause: String(failure) };
}

/** Turns the execution's event log into one record per state visit: SUCCEEDED, CAUGHT (failed, and its Catch
 * moved on) or FAILED (the execution failed there); retries stay within the visit, their times recorded. */
async function recordStates(
  events: AsyncGenerator<{ type: string; timestamp: number; state?: { name: string } }>,
  states: StateRecord[],
  onState?: (state: StateRecord) => void,
): Promise<void> {
  let visit: { name: string; at: number; caught: boolean; retriedAt: number[] } | undefined;
  const finish = (status: StateRecord['status'], at: number) => {
    if (!visit) return;
    const record = { name: visit.name, status, ms: at - visit.at, startedAt: visit.at, retriedAt: visit.retriedAt };
    states.push(record);
    onState?.(record);
    visit = undefined;
  };
  for await (const event of events) {
    if (event.type === 'StateEntered' && event.state) visit = { name: event.state.name, at: event.timestamp, caught: false, retriedAt: [] };
    else if (event.type === 'StateRetried' && visit) visit.retriedAt.push(event.timestamp);
    else if (event.type === 'StateCaught' && visit) visit.caught = true;
    else if (event.type === 'StateExited') finish(visit?.caught ? 'CAUGHT' : 'SUCCEEDED', event.timestamp);
    else if (event.type === 'ExecutionFailed') finish('FAILED', event.timestamp);
  }
}
