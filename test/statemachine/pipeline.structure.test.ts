// Checks statemachine/pipeline.asl.yml as written: valid ASL, every transition lands, every Task is guarded,
// every loop is bounded, and every error name it matches is one a handler or AWS can raise.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import validator from 'asl-validator';
import { parse } from 'yaml';
import { ERROR_NAMES } from '../../functions/lib/contracts/errors';
import { IN_PROGRESS_STATUSES } from '../../functions/lib/ports/warehouse';
import { DEFINITION_FILE, loadDefinition, TEARDOWN_DEFINITION_FILE } from '../../local/definition';
import { readFunctions } from '../../local/identities';

/** The functions serverless.yml deploys (functions/functions.yml); every Task invokes one of them. */
const FUNCTIONS = readFunctions();
const FUNCTION_KEYS = FUNCTIONS.map(({ key }) => key);

/** The verbs a Task state's name may start with: the name says what its function does to what. */
const TASK_VERBS = ['Create', 'Describe', 'Open', 'Write', 'Load', 'Insert', 'Analyze', 'Report', 'Explain', 'Pause'];

/** The Tasks that explain a failed load: they keep $.statement, the load's, whatever happens to them. */
const EXPLAIN_LOAD_FAILURE_TASKS = ['ExplainLoadFailure', 'DescribeExplainLoadFailure', 'ReportLoadFailure'];

/** Errors AWS raises that are worth a retry: throttling as the JSON APIs (the Data API), Redshift and IAM,
 * and EC2 name it, the Data API's limit on statements running at once, Redshift Serverless refusing a change
 * while another operation runs on the namespace, Redshift's transient common errors, and Redshift refusing to
 * pause a cluster that is briefly not available. */
const AWS_ERROR_NAMES = [
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'ActiveStatementsExceededException',
  'ConflictException',
  'InternalFailure',
  'ServiceUnavailable',
  'InvalidClusterStateFault',
  'SlowDown',
];

/** A state that names a failure: it writes `{Error, Cause}` to $.error and ends the run through PauseCluster. */
function recordsFailure(state: State): boolean {
  const parameters = state.Parameters ?? {};
  return (
    state.Type === 'Pass' &&
    state.ResultPath === '$.error' &&
    state.Next === 'PauseCluster' &&
    /^[A-Z][A-Za-z]+Error$/.test(String(parameters.Error)) &&
    typeof parameters['Cause.$'] === 'string'
  );
}

interface Rule {
  Variable?: string;
  Next?: string;
  And?: Rule[];
  Or?: Rule[];
  Not?: Rule;
  [operator: string]: unknown;
}

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Rule[];
  Resource?: { 'Fn::GetAtt'?: [string, string] } | string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Catch?: Array<{ ErrorEquals: string[]; ResultPath?: string; Next: string }>;
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

interface Definition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, State>;
}

const definition = parse(readFileSync(DEFINITION_FILE, 'utf8')) as Definition;
const states = Object.entries(definition.States);
const ofType = (type: string) => states.filter(([, state]) => state.Type === type);

/** Every state a state can go to next: Next, Default, each Choice's Next and each Catch's Next. */
function targets(state: State): string[] {
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Default ? [state.Default] : []),
    ...(state.Choices ?? []).map((rule) => rule.Next as string),
    ...(state.Catch ?? []).map((catcher) => catcher.Next),
  ];
}

/** The rule and every rule nested in it (And, Or, Not). */
function flatten(rule: Rule): Rule[] {
  return [rule, ...[...(rule.And ?? []), ...(rule.Or ?? []), ...(rule.Not ? [rule.Not] : [])].flatMap(flatten)];
}

/** The groups of states that can reach each other (strongly connected components, Tarjan), loops only. */
function loops(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (name: string) => {
    index.set(name, index.size);
    low.set(name, index.get(name) as number);
    stack.push(name);
    for (const next of targets(definition.States[name])) {
      if (!index.has(next)) {
        visit(next);
        low.set(name, Math.min(low.get(name) as number, low.get(next) as number));
      } else if (stack.includes(next)) {
        low.set(name, Math.min(low.get(name) as number, index.get(next) as number));
      }
    }
    if (low.get(name) === index.get(name)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        component.push(member);
      } while (member !== name);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const [name] of states) if (!index.has(name)) visit(name);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

describe('statemachine/pipeline.asl.yml', () => {
  it('is valid Amazon States Language once each Task names a Lambda ARN', async () => {
    const { definition: withArns } = await loadDefinition();

    const result = validator(structuredClone(withArns), { checkArn: true, checkPaths: true });

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('starts by validating the execution input: CreateCluster receives it whole', () => {
    expect(definition.StartAt).toBe('CreateCluster');
    expect(definition.States.CreateCluster.Parameters).toEqual({ 'input.$': '$', 'startTime.$': '$$.Execution.StartTime' });
  });

  it('has an execution timeout', () => {
    expect(definition.TimeoutSeconds).toBe(18000);
  });

  it('sends every transition to a state that exists', () => {
    const missing = states.flatMap(([name, state]) =>
      targets(state)
        .filter((target) => !(target in definition.States))
        .map((target) => `${name} -> ${target}`),
    );

    expect(missing).toEqual([]);
  });

  it('can reach every state from StartAt', () => {
    const reached = new Set([definition.StartAt]);
    for (const name of reached) for (const next of targets(definition.States[name])) reached.add(next);

    expect(states.map(([name]) => name).filter((name) => !reached.has(name))).toEqual([]);
  });

  it('names tasks in PascalCase, choices as questions and waits WaitFor…', () => {
    const misnamed = states
      .filter(([name, state]) => {
        if (!/^[A-Z][A-Za-z]+$/.test(name)) return true;
        if (state.Type === 'Choice') return !name.startsWith('Is');
        if (state.Type === 'Wait') return !name.startsWith('WaitFor');
        return false;
      })
      .map(([name]) => name);

    expect(misnamed).toEqual([]);
  });

  it('names each Task verb-object, starting with a verb of its list', () => {
    const misnamed = ofType('Task')
      .map(([name]) => name)
      .filter((name) => !TASK_VERBS.includes(/^[A-Z][a-z]+/.exec(name)?.[0] ?? ''));

    expect(misnamed).toEqual([]);
  });

  it('invokes each function of functions/functions.yml but the teardown\'s, and only them, as Fn::GetAtt [function, Arn]', () => {
    const resources = ofType('Task').map(([, state]) => state.Resource);
    const teardown = parse(readFileSync(TEARDOWN_DEFINITION_FILE, 'utf8')) as Definition;
    const teardownKeys = Object.values(teardown.States).flatMap((state) => (state.Type === 'Task' ? [(state.Resource as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]] : []));

    const keys = resources.map((resource) => (typeof resource === 'object' ? resource['Fn::GetAtt'] : resource));

    expect(keys.filter((key) => !Array.isArray(key) || key[1] !== 'Arn' || !FUNCTION_KEYS.includes(key[0]))).toEqual([]);
    expect(new Set(keys.map((key) => (key as string[])[0]))).toEqual(new Set(FUNCTION_KEYS.filter((key) => !teardownKeys.includes(key))));
  });

  it('names each Task after its function, XyzAbc for xyzAbc; a Describe<Task> state polls that Task with describeStatement', () => {
    const functionKey = (name: string) => `${name[0].toLowerCase()}${name.slice(1)}`;
    const polled = (name: string) => definition.States[name.replace(/^Describe/, '')]?.Type === 'Task';

    const drifted = ofType('Task')
      .map(([name, state]) => [name, (state.Resource as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]])
      .filter(([name, key]) => (key === 'describeStatement' ? !polled(name) : key !== functionKey(name)))
      .map(([name, key]) => `${name} -> ${key}`);

    expect(drifted).toEqual([]);
  });

  it.each(FUNCTIONS)('finds function $key in functions/$key.ts, exported as $key and wrapped as its handler', async ({ key, handler }) => {
    const file = path.join(__dirname, '..', '..', 'functions', `${key}.ts`);

    expect(handler).toBe(`functions/${key}.handler`);
    expect(existsSync(file)).toBe(true);
    const module = (await import(file)) as Record<string, unknown>;
    expect(typeof module[key]).toBe('function');
    expect(typeof module.handler).toBe('function');
  });

  describe.each(ofType('Task'))('Task %s', (name, state) => {
    it('has a timeout, a retry and a catch', () => {
      expect(state.TimeoutSeconds).toBeGreaterThan(0);
      expect(state.Retry?.length).toBeGreaterThan(0);
      expect(state.Catch?.length).toBeGreaterThan(0);
    });

    it('retries only named errors, with backoff, a delay cap and full jitter', () => {
      for (const retrier of state.Retry ?? []) {
        expect(retrier.ErrorEquals).not.toContain('States.ALL');
        expect(retrier.ErrorEquals).not.toContain('States.TaskFailed');
        expect(retrier.JitterStrategy).toBe('FULL');
        expect(retrier.BackoffRate).toBeGreaterThan(1);
        expect(retrier.MaxAttempts).toBeGreaterThan(0);
        expect(retrier.MaxDelaySeconds).toBeGreaterThan(0);
      }
    });

    // Explaining a failed load: an error there still ends at StatementFailed, with the load's own statement.
    // PauseCluster ends every run: its own error must not replace the run's.
    const explaining = EXPLAIN_LOAD_FAILURE_TASKS.includes(name);
    const expected =
      name === 'PauseCluster'
        ? { ResultPath: '$.pauseError', Next: 'IsPipelineFailed' }
        : { ResultPath: '$.error', Next: explaining ? 'StatementFailed' : 'PauseCluster' };

    it(`catches everything else into ${expected.ResultPath} and goes to ${expected.Next}`, () => {
      expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ...expected }]);
    });
  });

  it('ends every run through PauseCluster, then fails with $.error, else with $.pauseError, else succeeds', () => {
    const { ReportAnalysis, PauseCluster, IsPipelineFailed, PipelineSucceeded, PauseClusterFailed } = definition.States;

    expect(ReportAnalysis.Next).toBe('PauseCluster');
    expect([PauseCluster.Type, PauseCluster.ResultPath, PauseCluster.Next]).toEqual(['Task', '$.pause', 'IsPipelineFailed']);
    expect(IsPipelineFailed).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.error', IsPresent: true, Next: 'PipelineFailed' },
        { Variable: '$.pauseError', IsPresent: true, Next: 'PauseClusterFailed' },
      ],
      Default: 'PipelineSucceeded',
    });
    expect(PipelineSucceeded).toEqual({ Type: 'Succeed' });
    expect(PauseClusterFailed).toEqual({ Type: 'Fail', ErrorPath: '$.pauseError.Error', CausePath: '$.pauseError.Cause' });
    expect(states.filter(([, state]) => state.End).map(([name]) => name)).toEqual([]);
  });

  it('names each failure in a state of its own, which records it and goes to PauseCluster', () => {
    const named = states.filter(([, state]) => state.Type === 'Pass').map(([name, state]) => [name, recordsFailure(state)]);

    expect(named).toEqual([
      ['ClusterTimedOut', true],
      ['ClusterFailed', true],
      ['StatementTimedOut', true],
      ['StatementFailed', true],
    ]);
  });

  it('fails at PipelineFailed under the caught error name, with its cause', () => {
    expect(definition.States.PipelineFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('gives every Fail state an error and a cause', () => {
    const incomplete = ofType('Fail')
      .filter(([, state]) => !(state.Error ?? state.ErrorPath) || !(state.Cause ?? state.CausePath))
      .map(([name]) => name);

    expect(incomplete).toEqual([]);
  });

  it('matches only error names that a handler (functions/lib/contracts/errors.ts), Step Functions, Lambda or AWS raises', () => {
    const names = states.flatMap(([, state]) => [...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((entry) => entry.ErrorEquals));

    const unknown = names.filter(
      (name) =>
        !name.startsWith('States.') &&
        !name.startsWith('Lambda.') &&
        !AWS_ERROR_NAMES.includes(name) &&
        !(ERROR_NAMES as readonly string[]).includes(name),
    );

    expect(unknown).toEqual([]);
  });

  it('retries RoleNotReadyError on CreateCluster before anything else, more patiently than the Lambda errors', () => {
    const [first, ...rest] = definition.States.CreateCluster.Retry ?? [];

    expect(first.ErrorEquals).toEqual(['RoleNotReadyError']);
    for (const retrier of rest) {
      expect(first.IntervalSeconds).toBeGreaterThan(retrier.IntervalSeconds ?? 1);
      expect(first.MaxAttempts).toBeGreaterThanOrEqual(retrier.MaxAttempts ?? 3);
    }
  });

  it('has the six poll loops it is meant to have', () => {
    expect(loops()).toEqual([
      ['DescribeAnalyze', 'IsAnalyzeFinished', 'WaitForAnalyze'],
      ['DescribeCluster', 'IsClusterAvailable', 'WaitForCluster'],
      ['DescribeCreateTables', 'IsCreateTablesFinished', 'WaitForCreateTables'],
      ['DescribeExplainLoadFailure', 'IsExplainLoadFailureFinished', 'WaitForExplainLoadFailure'],
      ['DescribeInsertTables', 'IsInsertTablesFinished', 'WaitForInsertTables'],
      ['DescribeLoadStaging', 'IsLoadStagingFinished', 'WaitForLoadStaging'],
    ]);
  });

  describe.each(loops().map((loop) => [loop.find((name) => name.startsWith('Is')) as string, loop] as const))(
    'the poll loop of %s',
    (choiceName, loop) => {
      const choice = definition.States[choiceName];

      it('leaves for a state that records the failure once the attempt counter reaches a bound', () => {
        const bounded = (choice.Choices ?? []).filter((rule) =>
          flatten(rule).some((part) => part.Variable?.endsWith('.attempt') && typeof part.NumericGreaterThanEquals === 'number'),
        );

        expect(bounded.map((rule) => recordsFailure(definition.States[rule.Next as string]))).toEqual([true]);
      });

      it('fails by default, so an unknown status cannot loop', () => {
        expect(loop).not.toContain(choice.Default);
        expect(recordsFailure(definition.States[choice.Default as string])).toBe(true);
      });
    },
  );

  it.each(['IsCreateTablesFinished', 'IsLoadStagingFinished', 'IsInsertTablesFinished', 'IsAnalyzeFinished', 'IsExplainLoadFailureFinished'])(
    '%s waits on exactly the in-progress statuses of functions/lib/ports/warehouse.ts',
    (choiceName) => {
      const loopBack = (definition.States[choiceName].Choices ?? []).filter((rule) => rule.Next?.startsWith('WaitFor'));

      const statuses = loopBack.flatMap(flatten).flatMap((rule) => (typeof rule.StringEquals === 'string' ? [rule.StringEquals] : []));

      expect(statuses.sort()).toEqual([...IN_PROGRESS_STATUSES].sort());
    },
  );
});
