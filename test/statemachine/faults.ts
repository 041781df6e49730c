// The fault matrix's two halves: the cases, read from statemachine/pipeline.asl.yml (every Task state, the
// errors its Retry names, where its Catch goes, every bounded poll loop), and the faults, injected into the
// local run through runPipeline's `wrapStep` (local/runner.ts): an error thrown by a Task, or a port that
// answers what AWS could answer (a failed or aborted statement, one still running, a cluster that never gets ready).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ClusterState } from '../../functions/lib/ports/cluster';
import type { StepDeps } from '../../functions/lib/ports/stepDeps';
import type { StatementResult } from '../../functions/lib/contracts/events';
import type { StatementDescription } from '../../functions/lib/ports/warehouse';
import { DEFINITION_FILE } from '../../local/definition';
import type { LocalStep } from '../../local/runner';

// ------------------------------------------------------------------------------------------ the cases

export interface TaskCase {
  state: string;
  /** The serverless.yml function the Task invokes. */
  functionKey: string;
  /** Every name in the state's Retry ErrorEquals, in order. */
  retried: string[];
  /** The state's retriers: their names and how many retries each allows. */
  retriers: Array<{ errors: string[]; maxAttempts: number }>;
  /** Where the state's `States.ALL` Catch goes. */
  caughtBy: string;
}

export interface PollCase {
  /** The Task that describes the statement or the cluster once per turn of the loop. */
  describe: string;
  /** The Task that submits the statement the loop polls (statement loops only). */
  submit?: string;
  /** `statement` or `cluster`: what the loop's Choice reads (`$.<subject>.status`, `.attempt`). */
  subject: string;
  /** The Choice's bound on `$.<subject>.attempt`. */
  bound: number;
  /** The state that names the failure the loop gives up with at its bound, and the one its Default goes to. */
  timedOut: { state: string; error: string };
  failed: { state: string; error: string };
}

type Node = Record<string, unknown> & { Type: string; Next?: string };
interface Rule {
  Variable?: string;
  NumericGreaterThanEquals?: number;
  And?: Rule[];
  Next?: string;
}

/** The Task states and the bounded poll loops of the pipeline's definition. */
export function faultCases(file = DEFINITION_FILE): { tasks: TaskCase[]; polls: PollCase[] } {
  const states = (parse(readFileSync(file, 'utf8')) as { States: Record<string, Node> }).States;
  // A failure is named by a Pass state that writes {Error, Cause} to $.error before the run pauses and fails.
  const fail = (state: string) => ({ state, error: String((states[state].Parameters as { Error?: string } | undefined)?.Error) });
  const tasks = Object.entries(states)
    .filter(([, node]) => node.Type === 'Task')
    .map(([state, node]): TaskCase => {
      const retry = (node.Retry ?? []) as Array<{ ErrorEquals: string[]; MaxAttempts?: number }>;
      const catches = (node.Catch ?? []) as Array<{ ErrorEquals: string[]; Next: string }>;
      return {
        state,
        functionKey: String((node.Resource as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]),
        retried: retry.flatMap((rule) => rule.ErrorEquals),
        // MaxAttempts defaults to 3 (Step Functions Developer Guide, "Handling errors": retrying after an error).
        retriers: retry.map((rule) => ({ errors: rule.ErrorEquals, maxAttempts: rule.MaxAttempts ?? 3 })),
        caughtBy: catches.find((rule) => rule.ErrorEquals.includes('States.ALL'))?.Next ?? '(no Catch)',
      };
    });
  const polls: PollCase[] = [];
  for (const node of Object.values(states)) {
    if (node.Type !== 'Choice') continue;
    const rules = node.Choices as Rule[];
    // The rule that gives up: `$.<subject>.attempt >= bound` and still in progress.
    const giveUp = rules.find((rule) => rule.And?.some((term) => term.NumericGreaterThanEquals !== undefined));
    const boundTerm = giveUp?.And?.find((term) => term.NumericGreaterThanEquals !== undefined);
    const subject = /^\$\.(\w+)\.attempt$/.exec(boundTerm?.Variable ?? '')?.[1];
    // The rule that loops: to a Wait, whose Next is the describing Task.
    const wait = rules.find((rule) => rule.Next && states[rule.Next].Type === 'Wait')?.Next;
    if (!giveUp?.Next || !subject || !wait) continue;
    const describe = String(states[wait].Next);
    const submit = tasks.find((task) => task.state !== describe && states[task.state].Next === wait)?.state;
    polls.push({
      describe,
      ...(submit ? { submit } : {}),
      subject,
      bound: Number(boundTerm?.NumericGreaterThanEquals),
      timedOut: fail(giveUp.Next),
      failed: fail(String(node.Default)),
    });
  }
  return { tasks, polls };
}

// ------------------------------------------------------------------------------------------ the faults

/** What replaces a Task's step: it gets the call number (1 = first attempt) and may call the real step. */
export type Fault = (call: number, event: unknown, deps: StepDeps, step: LocalStep) => Promise<unknown>;

/** Faults by Task state; records the event of every call of every Task (faulted or not) and how it ended. */
export class FaultPlan {
  private readonly calls = new Map<string, Array<{ event: unknown; outcome?: string }>>();

  constructor(private readonly faults: Record<string, Fault>) {}

  /** For runPipeline's `wrapStep`. */
  readonly wrapStep = (state: string, step: LocalStep): LocalStep => {
    return async (event, deps) => {
      const calls = this.calls.get(state) ?? [];
      this.calls.set(state, calls);
      const call = { event, outcome: undefined as string | undefined };
      calls.push(call);
      const fault = this.faults[state];
      try {
        const result = await (fault ? fault(calls.length, event, deps, step) : step(event, deps));
        call.outcome = 'answered';
        return result;
      } catch (error) {
        call.outcome = error instanceof Error ? error.name : String(error);
        throw error;
      }
    };
  };

  /** The events the state's Task received, one per call. */
  eventsOf(state: string): unknown[] {
    return (this.calls.get(state) ?? []).map((call) => call.event);
  }

  /** How each call of the state's Task ended: `answered`, or the name of the error it threw. */
  outcomesOf(state: string): string[] {
    return (this.calls.get(state) ?? []).map((call) => call.outcome ?? 'unfinished');
  }
}

/** The first attempts run the step, then throw these errors in turn (the work was done, the answer was lost:
 * the harder case for a retry, which does the work again); the next attempt answers as the step does. */
export function throwingAfterRunning(errors: Error[]): Fault {
  return async (call, event, deps, step) => {
    const result = await step(event, deps);
    if (call <= errors.length) throw errors[call - 1];
    return result;
  };
}

/** Every attempt throws `error` before the step runs. */
export function throwingBeforeRunning(error: Error): Fault {
  return async () => {
    throw error;
  };
}

/** `target` with some methods replaced; every other member is target's own. */
function overriding<T extends object>(target: T, methods: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (key in methods) return methods[key as keyof T];
      const value = Reflect.get(object, key);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/** The statement the step submits really fails: its batch gets one more statement that fails (division by
 * zero), so the whole transaction rolls back and the warehouse reports FAILED with the database's text. */
export function failingBatch(): Fault {
  return async (_call, event, deps, step) => {
    const { warehouse } = deps;
    const failing = overriding(warehouse, {
      submit: (statements: string[], name: string) => warehouse.submit([...statements, 'select 1 / 0'], name),
    });
    return step(event, { ...deps, warehouse: failing });
  };
}

/** The Describe step sees its statement as `status` (the rest of the description is the warehouse's);
 * from call `jump.at` on, the event's attempt is raised to `bound - 1`, as if the loop had already polled
 * that often, so the loop reaches its bound without hundreds of turns. */
export function statementDescribedAs(
  status: StatementDescription['status'],
  jump?: { at: number; bound: number },
): Fault {
  return async (call, event, deps, step) => {
    const { statement } = event as { statement: StatementResult };
    const { warehouse } = deps;
    const describing = overriding(warehouse, {
      describe: async (id: string) => {
        const description = await warehouse.describe(id);
        if (id !== statement.id) return description;
        const { error: _error, ...rest } = description;
        return {
          ...rest,
          status,
          subStatements: description.subStatements.map(({ error: _subError, ...sub }) => ({ ...sub, status })),
        };
      },
    });
    const attempt = jump && call >= jump.at ? jump.bound - 1 : statement.attempt;
    return step({ ...(event as object), statement: { ...statement, attempt } }, { ...deps, warehouse: describing });
  };
}

/** The DescribeCluster step sees the cluster as `status` (`availability`); from call `jump.at` on, the event's
 * attempt is raised to `bound - 1` (see statementDescribedAs). */
export function clusterDescribedAs(status: string, availability: string, jump?: { at: number; bound: number }): Fault {
  return async (call, event, deps, step) => {
    const { cluster } = event as { cluster: { attempt: number } };
    const ports = deps.cluster;
    const describing = overriding(ports, {
      describeCluster: async (identifier: string): Promise<ClusterState> => ({
        ...(await ports.describeCluster(identifier)),
        status,
        availability,
      }),
    });
    const attempt = jump && call >= jump.at ? jump.bound - 1 : cluster.attempt;
    return step({ ...(event as object), cluster: { ...cluster, attempt } }, { ...deps, cluster: describing });
  };
}
