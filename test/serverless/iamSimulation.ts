// Evaluates the IAM requests of the pipeline against the roles of a packaged template with
// @cloud-copilot/iam-simulate: every call a function makes must be allowed by its role on exactly the resource
// it targets, and every action a function role allows must be used by some call; the state machine's role may
// invoke exactly the functions its Tasks invoke; the schedule's role may start the state machine; the role
// Redshift assumes for COPY reads exactly the source prefixes.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { sourceReadPolicy } from '../../functions/lib/steps/rolePolicy';
import { parseS3Uri } from '../../functions/lib/contracts/s3Uri';
import { loadSettings, type Settings } from '../../functions/lib/contracts/settings';
import type { SdkCall, FunctionInfo } from './calls';
import type { Problem } from './cfnSpec';
import { iamRequestsOf, type IamRequest } from './commandTable';
import { listOf, rolePolicies, statementsOf, type NamedPolicy, type PolicyDocument } from './iamPolicies';
import { ACCOUNT, PARTITION, REGION, type Resolver } from './intrinsics';

/** An IAM request made with a function's role. */
export interface RoleRequest extends IamRequest {
  function: string;
  role: string;
}

/** A Lambda function's log stream: the runtime writes the function's logs with its role. */
const LOG_STREAM = '2026/12/02/[$LATEST]0123456789abcdef0123456789abcdef';

/** The settings a function runs with, from its environment in the template. */
export function settingsOf(fn: FunctionInfo): Settings {
  return loadSettings(fn.env);
}

/** The function that submitted a Data API statement: calls.ts names statements `<function>-<n>`. */
function submitterOf(id: string): string {
  return id.split(':')[0].replace(/-\d+$/, '');
}

/** Every IAM request of the derived calls, plus the Lambda runtime's log writes, each with its function and role. */
export function requestsOf(calls: SdkCall[], functions: FunctionInfo[], resolver: Resolver): RoleRequest[] {
  const byKey = new Map(functions.map((fn) => [fn.key, fn]));
  const requests: RoleRequest[] = [];
  for (const fn of functions) {
    const stream = `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${fn.functionName}:log-stream:${LOG_STREAM}`;
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      requests.push({ action, resource: stream, because: 'the Lambda runtime writes the function log', function: fn.key, role: fn.role });
    }
  }
  for (const call of calls) {
    const fn = byKey.get(call.function)!;
    const context = {
      settings: settingsOf(fn),
      statementOwner(id: string) {
        const owner = byKey.get(submitterOf(id));
        if (!owner) throw new Error(`Statement ${id}: no function submitted it`);
        return { function: owner.key, userId: `${resolver.string({ 'Fn::GetAtt': [owner.role, 'RoleId'] })}:${owner.functionName}` };
      },
    };
    for (const request of iamRequestsOf(call.command, call.input, context)) requests.push({ ...request, function: fn.key, role: fn.role });
  }
  // The same request made in several scenarios is simulated once.
  const unique = new Map(requests.map((request) => [JSON.stringify(request), request]));
  return [...unique.values()];
}

/** The session ARN a role's caller has. */
function sessionArn(resolver: Resolver, role: string, session: string): string {
  return `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${resolver.string({ Ref: role })}/${session}`;
}

/** The decision for one request against identity policies: Allowed, ImplicitlyDenied, ExplicitlyDenied, or an error. */
export async function decide(principal: string, documents: PolicyDocument[], request: Pick<IamRequest, 'action' | 'resource' | 'context'>): Promise<string> {
  const response = await runSimulation(
    {
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context ?? {},
      },
      identityPolicies: documents.map((policy, index) => ({ name: `policy${index + 1}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (response.resultType === 'error') return `not simulated: ${response.errors.message}`;
  return response.overallResult;
}

const describe = (request: RoleRequest) =>
  `${request.function} (${request.role}): ${request.action} on ${request.resource}${request.context ? ` with ${JSON.stringify(request.context)}` : ''} (${request.because})`;

/** Every request must be allowed by its role; a Data API call on a statement must come from the role that
 * submitted it (only the submitting identity may describe a statement or read its results: ARCHITECTURE.md,
 * Identity; Redshift Management Guide, "Using Data API with trusted identity propagation"). */
export async function simulateRequests(requests: RoleRequest[], policies: NamedPolicy[], resolver: Resolver, functions: FunctionInfo[]): Promise<Problem[]> {
  const byKey = new Map(functions.map((fn) => [fn.key, fn]));
  const problems: Problem[] = [];
  for (const request of requests) {
    const documents = rolePolicies(policies, request.role).map((policy) => policy.document);
    const result = await decide(sessionArn(resolver, request.role, byKey.get(request.function)!.functionName), documents, request);
    if (result !== 'Allowed') problems.push(`${describe(request)}: ${result}`);
    const owner = request.statementOwner && byKey.get(request.statementOwner);
    if (owner && owner.role !== request.role) {
      problems.push(
        `${request.function} (${request.role}): ${request.action} on a statement ${owner.key} (${owner.role}) submitted: ` +
          'the Data API answers only the identity that submitted a statement',
      );
    }
  }
  return problems;
}

/** Whether an action name of a policy (maybe with wildcards) covers an action. */
function covers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(action);
}

/** Every action a function role allows must be used by a request of a function with that role. */
export function unusedPermissions(requests: RoleRequest[], policies: NamedPolicy[], functions: FunctionInfo[]): Problem[] {
  const problems: Problem[] = [];
  for (const role of [...new Set(functions.map((fn) => fn.role))]) {
    const users = functions.filter((fn) => fn.role === role).map((fn) => fn.key);
    const used = requests.filter((request) => request.role === role).map((request) => request.action);
    for (const policy of rolePolicies(policies, role)) {
      for (const statement of statementsOf(policy.document).filter((entry) => entry.Effect === 'Allow')) {
        for (const action of listOf(statement.Action)) {
          if (!used.some((candidate) => covers(action, candidate))) {
            problems.push(`${policy.where}: ${role} allows ${action}, which no call of ${users.join(', ')} uses`);
          }
        }
      }
    }
  }
  return [...new Set(problems)];
}

type Node = Record<string, unknown>;

/** The Lambda functions the Task states of an ASL definition invoke, by Task name (nested branches included). */
function invokedFunctions(definition: Node, into = new Map<string, string>()): Map<string, string> {
  for (const [name, state] of Object.entries((definition.States ?? {}) as Record<string, Node>)) {
    if (state.Type === 'Task') {
      const resource = String(state.Resource);
      const target = resource.endsWith(':states:::lambda:invoke') ? String((state.Parameters as Node)?.FunctionName) : resource;
      if (target.includes(':lambda:')) into.set(name, target);
    }
    for (const branch of (state.Branches ?? []) as Node[]) invokedFunctions(branch, into);
    for (const inner of [state.Iterator, state.ItemProcessor]) if (inner) invokedFunctions(inner as Node, into);
  }
  return into;
}

/** A state machine's role may invoke exactly the functions its Tasks invoke. */
export async function checkStateMachineRoles(resolver: Resolver, policies: NamedPolicy[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const resources = Object.entries(resolver.template.Resources);
  const lambdas = resources.filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');
  for (const [id, machine] of resources.filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')) {
    const role = (machine.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const definition = JSON.parse(resolver.string(machine.Properties.DefinitionString)) as Node;
    const invoked = invokedFunctions(definition);
    const documents = rolePolicies(policies, role).map((policy) => policy.document);
    for (const [logicalId] of lambdas) {
      const arn = resolver.string({ 'Fn::GetAtt': [logicalId, 'Arn'] });
      const tasks = [...invoked].filter(([, target]) => target === arn).map(([task]) => task);
      const result = await decide(sessionArn(resolver, role, 'StepFunctions'), documents, { action: 'lambda:InvokeFunction', resource: arn });
      if (tasks.length > 0 && result !== 'Allowed') problems.push(`${role} cannot invoke ${arn}, which Task ${tasks.join(', ')} of ${id} invokes: ${result}`);
      if (tasks.length === 0 && result === 'Allowed') problems.push(`${role} may invoke ${arn}, which no Task of ${id} invokes`);
    }
    for (const [task, target] of invoked) {
      if (!lambdas.some(([logicalId]) => resolver.string({ 'Fn::GetAtt': [logicalId, 'Arn'] }) === target)) {
        problems.push(`${id} Task ${task} invokes ${target}, which is no function of the template`);
      }
    }
  }
  return problems;
}

/** Each EventBridge rule's role may start the rule's target (the state machine). */
export async function checkScheduleRoles(resolver: Resolver, policies: NamedPolicy[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const [id, rule] of Object.entries(resolver.template.Resources).filter(([, resource]) => resource.Type === 'AWS::Events::Rule')) {
    for (const target of (rule.Properties.Targets ?? []) as Node[]) {
      const role = (target.RoleArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
      if (!role) continue;
      const arn = resolver.string(target.Arn);
      const documents = rolePolicies(policies, role).map((policy) => policy.document);
      const result = await decide(sessionArn(resolver, role, 'EventBridge'), documents, { action: 'states:StartExecution', resource: arn });
      if (result !== 'Allowed') problems.push(`${id}: ${role} cannot start ${arn}: ${result}`);
    }
  }
  return problems;
}

/** The S3 requests COPY makes with the role Redshift assumes, and whether each must be allowed: GetObject and
 * ListBucket inside each source prefix (allowed), outside them and in another bucket (denied). */
export function copyRequests(settings: Settings): { request: IamRequest; allowed: boolean }[] {
  const { logData, songData, logJsonPath } = settings.sources;
  const entries: { request: IamRequest; allowed: boolean }[] = [];
  for (const uri of [logData, songData, ...(logJsonPath ? [logJsonPath] : [])]) {
    const { bucket, key: prefix } = parseS3Uri(uri);
    const inside = /\.[a-z]+$/i.test(prefix) ? prefix : `${prefix}${prefix.endsWith('/') || prefix === '' ? '' : '/'}2018/11/part-0001.json`;
    const object = (name: string, key: string) => `arn:${PARTITION}:s3:::${name}/${key}`;
    const read = (resource: string, because: string) => ({ action: 's3:GetObject', resource, because });
    const list = (name: string, listed: string, because: string) => ({
      action: 's3:ListBucket',
      resource: `arn:${PARTITION}:s3:::${name}`,
      context: { 's3:prefix': listed },
      because,
    });
    entries.push(
      { request: read(object(bucket, inside), `COPY reads ${uri}`), allowed: true },
      { request: list(bucket, prefix, `COPY lists ${uri}`), allowed: true },
    );
    if (prefix !== '') {
      entries.push(
        { request: read(object(bucket, `not-a-source/${prefix}`), `a key outside ${uri}`), allowed: false },
        { request: list(bucket, `not-a-source/${prefix}`, `a listing outside ${uri}`), allowed: false },
      );
    }
    entries.push(
      { request: read(object(`${bucket}-other`, inside), `the same key in another bucket than ${uri}`), allowed: false },
      { request: list(`${bucket}-other`, prefix, `the same prefix in another bucket than ${uri}`), allowed: false },
    );
  }
  return entries;
}

/** The COPY role (its policy as createCluster puts it: sourceReadPolicy) reads exactly the source prefixes. */
export async function checkCopyRole(settings: Settings, policy: PolicyDocument = sourceReadPolicy(settings) as unknown as PolicyDocument): Promise<Problem[]> {
  const principal = `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${settings.roleArn.split('/').pop()}/RedshiftIamRoleSession`;
  const problems: Problem[] = [];
  for (const { request, allowed } of copyRequests(settings)) {
    const result = await decide(principal, [policy], request);
    if ((result === 'Allowed') !== allowed) {
      problems.push(`COPY role: ${request.action} on ${request.resource}${request.context ? ` with ${JSON.stringify(request.context)}` : ''} (${request.because}): ${result}, expected ${allowed ? 'Allowed' : 'denied'}`);
    }
  }
  return problems;
}
