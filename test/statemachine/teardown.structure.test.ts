// Checks statemachine/teardown.asl.yml as written: valid ASL, every transition lands, every Task is named after its
// function and guarded, the wait for the deletion is bounded, and every error name it matches is one AWS raises.
import { readFileSync } from 'node:fs';
import validator from 'asl-validator';
import { parse } from 'yaml';
import { loadDefinition, TEARDOWN_DEFINITION_FILE } from '../../local/definition';
import { readFunctions } from '../../local/identities';

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<Record<string, unknown> & { Next: string }>;
  Resource?: { 'Fn::GetAtt': [string, string] };
  Parameters?: Record<string, unknown>;
  ResultPath?: string;
  TimeoutSeconds?: number;
  Retry?: Array<{ ErrorEquals: string[]; JitterStrategy?: string; BackoffRate?: number; MaxDelaySeconds?: number }>;
  Catch?: Array<{ ErrorEquals: string[]; ResultPath?: string; Next: string }>;
}

const definition = parse(readFileSync(TEARDOWN_DEFINITION_FILE, 'utf8')) as { StartAt: string; TimeoutSeconds: number; States: Record<string, State> };
const states = Object.entries(definition.States);
const tasks = states.filter(([, state]) => state.Type === 'Task');
const FUNCTION_KEYS = readFunctions().map(({ key }) => key);

/** The verbs a teardown Task's name may start with. */
const TASK_VERBS = ['Revoke', 'Delete', 'Describe'];
/** Errors AWS raises that are worth a retry here: throttling as each API names it, Redshift's transient common
 * errors, a cluster in a transition (DeleteCluster, InvalidClusterState), a workgroup or namespace another
 * operation is changing (ConflictException). */
const AWS_ERROR_NAMES = ['ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'InternalFailure', 'ServiceUnavailable', 'InvalidClusterStateFault', 'ConflictException'];

function targets(state: State): string[] {
  return [state.Next, state.Default, ...(state.Choices ?? []).map((rule) => rule.Next), ...(state.Catch ?? []).map((c) => c.Next)].filter(
    (target): target is string => typeof target === 'string',
  );
}

describe('statemachine/teardown.asl.yml', () => {
  it('is valid Amazon States Language once each Task names a Lambda ARN', async () => {
    const { definition: withArns } = await loadDefinition(TEARDOWN_DEFINITION_FILE);

    const result = validator(structuredClone(withArns), { checkArn: true, checkPaths: true });

    expect(result.errorsText()).toBe('');
  });

  it('validates its input first: RevokeIngress receives it whole, before anything is removed', () => {
    expect(definition.StartAt).toBe('RevokeIngress');
    expect(definition.States.RevokeIngress.Parameters).toEqual({ 'input.$': '$' });
  });

  it('removes in order: ingress rules, cluster or workgroup (waited for), namespace, COPY role', () => {
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name && !order.includes(name); ) {
      order.push(name);
      const state: State = definition.States[name];
      name = state.Type === 'Choice' ? state.Choices?.[0].Next : state.Next;
    }

    expect(order).toEqual(['RevokeIngress', 'DeleteCluster', 'IsDeletionFinished', 'DeleteNamespace', 'DeleteCopyRole']);
    expect(definition.States.DeleteCopyRole.End).toBe(true);
  });

  it('sends every transition to a state that exists, and reaches every state', () => {
    const reached = new Set([definition.StartAt]);
    for (const name of reached) for (const next of targets(definition.States[name])) reached.add(next);

    expect(states.flatMap(([name, state]) => targets(state).filter((t) => !(t in definition.States)).map((t) => `${name} -> ${t}`))).toEqual([]);
    expect(states.map(([name]) => name).filter((name) => !reached.has(name))).toEqual([]);
  });

  it('names each Task verb-object after its function of functions/functions.yml, as Fn::GetAtt [function, Arn]', () => {
    const drifted = tasks
      .map(([name, state]) => [name, state.Resource?.['Fn::GetAtt']] as const)
      .filter(([name, getAtt]) => !getAtt || getAtt[1] !== 'Arn' || getAtt[0] !== `${name[0].toLowerCase()}${name.slice(1)}` || !FUNCTION_KEYS.includes(getAtt[0]))
      .map(([name]) => name);

    expect(drifted).toEqual([]);
    expect(tasks.map(([name]) => name).filter((name) => !TASK_VERBS.includes(/^[A-Z][a-z]+/.exec(name)?.[0] ?? ''))).toEqual([]);
  });

  describe.each(tasks)('Task %s', (_name, state) => {
    it('has a timeout, retries only named errors with backoff and full jitter, and catches the rest into TeardownFailed', () => {
      expect(state.TimeoutSeconds).toBeGreaterThan(0);
      for (const retrier of state.Retry ?? []) {
        expect(retrier.ErrorEquals.filter((name) => !name.startsWith('Lambda.') && !AWS_ERROR_NAMES.includes(name))).toEqual([]);
        expect([retrier.JitterStrategy, retrier.BackoffRate! > 1, retrier.MaxDelaySeconds! > 0]).toEqual(['FULL', true, true]);
      }
      expect(state.Retry?.length).toBeGreaterThan(0);
      expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'TeardownFailed' }]);
    });
  });

  it('waits for the deletion on an explicit in-progress list, gives up at a bound, and fails on anything else', () => {
    const choice = definition.States.IsDeletionFinished;

    expect(choice.Choices).toEqual([
      { Variable: '$.deletion.status', StringEquals: 'deleted', Next: 'DeleteNamespace' },
      {
        And: [
          { Variable: '$.deletion.attempt', NumericGreaterThanEquals: 120 },
          { Or: [{ Variable: '$.deletion.status', StringEquals: 'final-snapshot' }, { Variable: '$.deletion.status', StringEquals: 'deleting' }] },
        ],
        Next: 'DeletionTimedOut',
      },
      { Or: [{ Variable: '$.deletion.status', StringEquals: 'final-snapshot' }, { Variable: '$.deletion.status', StringEquals: 'deleting' }], Next: 'WaitForDeletion' },
    ]);
    expect(choice.Default).toBe('DeletionFailed');
    expect([definition.States.WaitForDeletion.Next, definition.States.DescribeDeletion.Next]).toEqual(['DescribeDeletion', 'IsDeletionFinished']);
    expect(['DeletionTimedOut', 'DeletionFailed', 'TeardownFailed'].map((name) => definition.States[name].Type)).toEqual(['Fail', 'Fail', 'Fail']);
  });

  it('has an execution timeout above its poll bound (120 x 30 s) and its retries', () => {
    expect(definition.TimeoutSeconds).toBeGreaterThan(120 * 30);
  });
});
