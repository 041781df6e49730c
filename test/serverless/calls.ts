// Derives the AWS calls each function makes, from the code: the step functions (functions/<key>.ts exports
// `<key>(event, deps)`) run through their scenarios with the real AWS adapters, built by the Lambda wiring
// (createAwsDeps) from the function's environment in the packaged template, over SDK clients mocked with
// aws-sdk-client-mock. Every command the mocks receive is recorded with the function that sent it.
import '../functions/awsTestEnv';
import { Logger } from '@aws-lambda-powertools/logger';
import { EntityAlreadyExistsException, NoSuchEntityException } from '@aws-sdk/client-iam';
import { ClusterAlreadyExistsFault } from '@aws-sdk/client-redshift';
import { INGRESS_RULE_DESCRIPTION } from '../../functions/lib/ports/cluster';
import { ConflictException } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import path from 'node:path';
import { createAwsClients } from '../../functions/lib/aws/awsClients';
import { createAwsDeps } from '../../functions/lib/aws/awsDeps';
import type { StepDeps } from '../../functions/lib/ports/stepDeps';
import { statementName } from '../../functions/lib/steps/sqlStep';
import { NAMESPACE_ID, namespaceArn, WORKGROUP_ID, workgroupArn } from './commandTable';
import type { Resolver } from './intrinsics';
import { readFunctions } from '../../local/identities';

const ROOT = path.join(__dirname, '..', '..');

/** A function of serverless.yml, as deployed by the template. */
export interface FunctionInfo {
  /** Its key in serverless.yml, the name of its file and of the step it exports. */
  key: string;
  /** Its logical id and name in the template. */
  logicalId: string;
  functionName: string;
  /** Its role's logical id (serverless.yml `role:`). */
  role: string;
  /** Its environment, resolved. */
  env: Record<string, string>;
}

/** One SDK command a function sent. */
export interface SdkCall {
  function: string;
  scenario: string;
  /** `<client>.<command>`, e.g. `RedshiftData.BatchExecuteStatement`. */
  command: string;
  input: Record<string, unknown>;
}

/** The functions of serverless.yml: their keys and roles. */
export type FunctionRoles = Record<string, { role: string }>;

/** The function list serverless.yml includes (functions/functions.yml), as keys and roles. */
export function serverlessFunctions(): FunctionRoles {
  return Object.fromEntries(readFunctions().map(({ key, role }) => [key, { role }]));
}

/** The functions of serverless.yml, each with what the template deploys for it; an inconsistency is an error. */
export function functionsOf(resolver: Resolver, functions: FunctionRoles = serverlessFunctions()): FunctionInfo[] {
  const deployed = Object.entries(resolver.template.Resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');
  return Object.entries(functions).map(([key, { role }]) => {
    const functionName = `${resolver.stackName}-${key}`;
    const found = deployed.find(([, resource]) => resource.Properties.FunctionName === functionName);
    if (!found) throw new Error(`serverless.yml function ${key}: no AWS::Lambda::Function named ${functionName} in the template`);
    const [logicalId, { Properties }] = found;
    const templateRole = (Properties.Role as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
    if (templateRole !== role) throw new Error(`serverless.yml function ${key} has role ${role}, the template gives it ${String(templateRole)}`);
    const env = resolver.resolve((Properties.Environment as { Variables: unknown }).Variables) as Record<string, string>;
    return { key, logicalId, functionName, role, env };
  });
}

/** What the mocked AWS holds in a scenario. */
interface World {
  roleExists: boolean;
  cluster: 'missing' | 'available' | 'paused' | 'deleting';
  ingressRuleExists: boolean;
  /** The load statements fail (the Data API reports FAILED). */
  loadFails: boolean;
}

/** One invocation of a step: its function, its event (from the previous results), and the error it ends with. */
interface Invocation {
  function: string;
  event: (results: unknown[]) => unknown;
  throws?: string;
}

interface Scenario {
  name: string;
  world: World;
  invocations: Invocation[];
}

const last = (results: unknown[]) => results[results.length - 1];
const call = (fn: string, event: (results: unknown[]) => unknown, throws?: string): Invocation => ({ function: fn, event, throws });
/** A SQL step as the state machine runs it: submit (wait: false), then describeStatement on its statement. */
const submitAndDescribe = (step: string): Invocation[] => [
  call(step, () => ({ overrides: {}, wait: false })),
  call('describeStatement', (results) => ({ statement: last(results) })),
];
/** The failure branch after a failed load: submit the load-error lookup, describe it, report the load errors. */
const explainLoadFailure = (): Invocation[] => [
  call('explainLoadFailure', (results) => ({ statement: last(results) })),
  call('describeStatement', (results) => ({ statement: last(results) })),
  call('reportLoadFailure', (results) => ({ statement: results[results.length - 3], explanation: last(results) })),
];
const creating = { roleExists: false, cluster: 'missing', ingressRuleExists: false, loadFails: false } as const;

/** The pipeline as the state machine runs it (statemachine/pipeline.asl.yml), from createCluster to the report. */
const pipeline = (world: World): Invocation[] => [
  call('createCluster', () => ({ input: {} })),
  call('describeCluster', (results) => ({ cluster: (last(results) as { cluster: unknown }).cluster })),
  call('openPort', () => ({})),
  ...submitAndDescribe('createTables'),
  ...submitAndDescribe('loadStaging'),
  ...(world.loadFails
    ? explainLoadFailure()
    : [...submitAndDescribe('insertTables'), ...submitAndDescribe('analyze'), call('reportAnalysis', (results) => ({ statement: last(results) }))]),
  // Every run ends with it, a success or a failure.
  call('pauseCluster', () => ({})),
];

/** The teardown as its state machine runs it (statemachine/teardown.asl.yml): the deletion polled once. */
const teardown = (finalSnapshot?: string): Invocation[] => [
  call('revokeIngress', () => ({ input: finalSnapshot ? { finalSnapshot } : {} })),
  call('deleteCluster', (results) => ({ options: (last(results) as { options: unknown }).options })),
  call('describeDeletion', (results) => ({ deletion: last(results) })),
  call('deleteNamespace', (results) => ({ options: (results[0] as { options: unknown }).options })),
  call('deleteCopyRole', () => ({})),
];

export const SCENARIOS: Scenario[] = [
  { name: 'a first run creates the role and the cluster', world: creating, invocations: pipeline(creating) },
  ...[
    { name: 'a rerun reuses them', world: { ...creating, roleExists: true, cluster: 'available', ingressRuleExists: true } as World },
    { name: 'a scheduled run resumes the paused cluster', world: { ...creating, roleExists: true, cluster: 'paused' } as World },
    { name: 'a failed load is explained from the load errors', world: { ...creating, roleExists: true, cluster: 'available', loadFails: true } as World },
  ].map(({ name, world }) => ({ name, world, invocations: pipeline(world) })),
  {
    name: 'each SQL step invoked alone waits for its statement',
    world: { ...creating, roleExists: true, cluster: 'available' },
    invocations: ['createTables', 'loadStaging', 'insertTables', 'analyze'].map((step) => call(step, () => ({}))),
  },
  {
    name: 'a teardown removes the ingress rules, the cluster (with a final snapshot) and the COPY role',
    world: { ...creating, roleExists: true, cluster: 'available', ingressRuleExists: true },
    invocations: teardown('sparkify-final'),
  },
  {
    name: 'a teardown of a half-removed deployment finishes the job',
    world: { ...creating, roleExists: false, cluster: 'deleting', ingressRuleExists: false },
    invocations: teardown(),
  },
  {
    name: 'a daily run writes the manifest of its day',
    world: { ...creating, roleExists: true, cluster: 'available' },
    invocations: [
      call('createCluster', () => ({ input: { days: 'previous' }, startTime: '2018-11-06T03:00:00.000Z' })),
      call('writeManifests', (results) => ({ overrides: (last(results) as { overrides: unknown }).overrides, execution: 'scheduled-1' })),
    ],
  },
  {
    name: 'loadStaging invoked alone reports a failed load',
    world: { ...creating, roleExists: true, cluster: 'available', loadFails: true },
    invocations: [call('loadStaging', () => ({}), 'StatementFailedError')],
  },
];

/** The SDK's name for a client or command class, without its suffix. */
const shortName = (name: string, suffix: string) => name.replace(new RegExp(`${suffix}$`), '');

/** Builds a service exception of an SDK class, as the SDK throws it. */
function sdkError<T>(ErrorClass: new (options: { message: string; $metadata: object }) => T, message: string): T {
  return new ErrorClass({ message, $metadata: {} });
}

/** Runs every scenario; returns the commands each function sent. A scenario that fails unexpectedly is an error
 * naming it and the invocation. */
export async function deriveCalls(functions: FunctionInfo[]): Promise<SdkCall[]> {
  const byKey = new Map(functions.map((fn) => [fn.key, fn]));
  const calls: SdkCall[] = [];
  const clients = Object.values(createAwsClients());
  const mocks = clients.map((client) => ({ name: shortName(client.constructor.name, 'Client'), mock: mockClient(client.constructor as never) }));
  const logger = new Logger({ serviceName: 'sparkify-dwh-checks', logLevel: 'SILENT' });
  try {
    for (const scenario of SCENARIOS) {
      const { world } = scenario;
      let current = '';
      let statements = 0;
      const loadStatements = new Set<string>();
      const respond = (command: string, input: Record<string, unknown>, fn: FunctionInfo): unknown => {
        const settings = { identifier: fn.env.DWH_CLUSTER_IDENTIFIER, workgroup: fn.env.DWH_WORKGROUP_NAME };
        const cluster = (status: string) => ({
          ClusterIdentifier: settings.identifier,
          ClusterStatus: status,
          ClusterAvailabilityStatus: status === 'available' ? 'Available' : 'Unavailable',
          Endpoint: { Address: `${settings.identifier}.example.us-west-2.redshift.amazonaws.com`, Port: Number(fn.env.DWH_DB_PORT) },
          VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0', Status: 'active' }],
        });
        const namespace = { namespaceName: settings.workgroup, namespaceId: NAMESPACE_ID, namespaceArn: namespaceArn(), status: 'AVAILABLE' };
        const workgroup = {
          workgroupName: settings.workgroup,
          workgroupId: WORKGROUP_ID,
          workgroupArn: workgroupArn(),
          namespaceName: settings.workgroup,
          status: 'AVAILABLE',
          endpoint: { address: `${settings.workgroup}.example.us-west-2.redshift-serverless.amazonaws.com`, port: Number(fn.env.DWH_DB_PORT) },
        };
        switch (command) {
          case 'IAM.CreateRole':
            if (world.roleExists) throw sdkError(EntityAlreadyExistsException, `Role with name ${String(input.RoleName)} already exists.`);
            return { Role: { Arn: fn.env.DWH_ROLE_ARN, RoleName: input.RoleName } };
          case 'IAM.GetRole':
            return { Role: { Arn: fn.env.DWH_ROLE_ARN, RoleName: input.RoleName } };
          case 'IAM.PutRolePolicy':
            return {};
          case 'Redshift.CreateCluster':
            if (world.cluster !== 'missing') throw sdkError(ClusterAlreadyExistsFault, 'Cluster already exists');
            return { Cluster: cluster('creating') };
          case 'Redshift.DescribeClusters':
            // A missing cluster is the world before a first run: createCluster has created it by the time it is described.
            return { Clusters: [cluster(world.cluster === 'missing' ? 'available' : world.cluster)] };
          case 'Redshift.ResumeCluster':
            return { Cluster: cluster('resuming') };
          case 'Redshift.PauseCluster':
            return { Cluster: cluster('pausing') };
          case 'Redshift.DeleteCluster':
            return { Cluster: cluster(input.FinalClusterSnapshotIdentifier ? 'final-snapshot' : 'deleting') };
          case 'EC2.DescribeSecurityGroupRules':
            return {
              SecurityGroupRules: world.ingressRuleExists
                ? [{ SecurityGroupRuleId: 'sgr-0123456789abcdef0', GroupId: 'sg-0123456789abcdef0', IsEgress: false, Description: INGRESS_RULE_DESCRIPTION }]
                : [],
            };
          case 'EC2.RevokeSecurityGroupIngress':
            return { Return: true };
          case 'IAM.DeleteRolePolicy':
          case 'IAM.DeleteRole':
            if (!world.roleExists) throw sdkError(NoSuchEntityException, `The role with name ${String(input.RoleName)} cannot be found.`);
            return {};
          case 'EC2.AuthorizeSecurityGroupIngress':
            if (world.ingressRuleExists) throw Object.assign(new Error('the specified rule already exists'), { name: 'InvalidPermission.Duplicate' });
            return { Return: true };
          case 'RedshiftData.BatchExecuteStatement': {
            statements += 1;
            const id = `${current}-${statements}`;
            if (world.loadFails && input.StatementName === statementName('loadStaging')) loadStatements.add(id);
            return { Id: id };
          }
          case 'RedshiftData.DescribeStatement': {
            const id = String(input.Id);
            const failed = loadStatements.has(id);
            return { Id: id, Status: failed ? 'FAILED' : 'FINISHED', Error: failed ? 'Load into table failed' : undefined, CreatedAt: new Date(), SubStatements: [] };
          }
          case 'RedshiftData.GetStatementResult':
            return {
              ColumnMetadata: [{ name: 'check_name' }, { name: 'failures' }, { name: 'duplicate_user_ids' }],
              Records: [[{ stringValue: 'example' }, { longValue: 0 }, { longValue: 0 }]],
            };
          case 'RedshiftServerless.CreateNamespace':
            if (world.cluster !== 'missing') throw sdkError(ConflictException, 'Namespace already exists');
            return { namespace };
          case 'RedshiftServerless.GetNamespace':
          case 'RedshiftServerless.UpdateNamespace':
            return { namespace };
          case 'RedshiftServerless.CreateWorkgroup':
            if (world.cluster !== 'missing') throw sdkError(ConflictException, 'Workgroup already exists');
            return { workgroup };
          case 'RedshiftServerless.GetWorkgroup':
            return { workgroup: { ...workgroup, status: world.cluster === 'deleting' ? 'DELETING' : 'AVAILABLE', securityGroupIds: ['sg-0123456789abcdef0'] } };
          case 'RedshiftServerless.DeleteWorkgroup':
            return { workgroup: { ...workgroup, status: 'DELETING' } };
          case 'RedshiftServerless.DeleteNamespace':
            return { namespace: { ...namespace, status: 'DELETING' } };
          case 'RedshiftServerless.TagResource':
            return {};
          case 'S3.HeadObject':
            return { ContentLength: 1234 };
          case 'S3.PutObject':
            return {};
        }
        throw new Error(`The mocked AWS has no answer to ${command}: add one to test/serverless/calls.ts`);
      };
      for (const { name, mock } of mocks) {
        mock.reset();
        mock.send.callsFake(async (command) => {
          const fn = byKey.get(current)!;
          const key = `${name}.${shortName(command.constructor.name, 'Command')}`;
          const input = command.input as Record<string, unknown>;
          calls.push({ function: current, scenario: scenario.name, command: key, input });
          return respond(key, input, fn) as never;
        });
      }
      const results: unknown[] = [];
      for (const invocation of scenario.invocations) {
        const fn = byKey.get(invocation.function);
        if (!fn) throw new Error(`Scenario "${scenario.name}" invokes ${invocation.function}, which serverless.yml does not define`);
        current = fn.key;
        const step = (require(path.join(ROOT, 'functions', fn.key)) as Record<string, (event: unknown, deps: StepDeps) => Promise<unknown>>)[fn.key];
        const deps: StepDeps = { ...createAwsDeps(fn.env, logger), sleep: async () => undefined, remainingMs: () => 15 * 60 * 1000 };
        try {
          results.push(await step(invocation.event(results), deps));
          if (invocation.throws) throw new Error(`expected ${invocation.throws}, but it succeeded`);
        } catch (error) {
          if (invocation.throws && error instanceof Error && error.name === invocation.throws) continue;
          throw new Error(`Scenario "${scenario.name}", ${fn.key}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        }
      }
    }
  } finally {
    for (const { mock } of mocks) mock.restore();
  }
  return calls;
}

/** The functions serverless.yml defines that no scenario runs. */
export function functionsWithoutScenario(functions: FunctionInfo[]): string[] {
  const run = new Set(SCENARIOS.flatMap((scenario) => scenario.invocations.map((invocation) => invocation.function)));
  return functions.map((fn) => fn.key).filter((key) => !run.has(key));
}
