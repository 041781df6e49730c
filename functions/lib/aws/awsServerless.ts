// The Cluster port's Redshift Serverless half on AWS: the namespace (with the COPY role attached) and the
// workgroup. Every method is idempotent, so a retried or rerun step reuses what exists.
import {
  CreateNamespaceCommand,
  CreateWorkgroupCommand,
  DeleteNamespaceCommand,
  DeleteWorkgroupCommand,
  GetNamespaceCommand,
  GetWorkgroupCommand,
  UpdateNamespaceCommand,
  type Namespace,
  type RedshiftServerlessClient,
  type Workgroup,
} from '@aws-sdk/client-redshift-serverless';
import type {
  ClusterPort,
  EnsureNamespaceAction,
  NamespaceSpec,
  NamespaceState,
  WorkgroupSpec,
  WorkgroupState,
} from '../ports/cluster';
import { ClusterFailedError } from '../contracts/errors';

/** The tag the pipeline puts on the namespace and the workgroup it creates, its value the resource's own name.
 * Their ARNs hold ids unknown when packaging, so serverless.yml narrows the IAM grants with this tag. */
export const PIPELINE_TAG_KEY = 'sparkify-dwh';

/** GetNamespace lists each role as `IamRole(applyStatus=in-sync, iamRoleArn=arn:...)` rather than the bare ARN
 * (the API reference only says "a list of IAM roles"; terraform-provider-aws parses the same shape). */
const WRAPPED_ROLE = /iamRoleArn=([^,)\s]+)/;

/** The ARN of a namespace's role entry, wrapped or bare. */
export function roleArnOf(entry: string): string {
  return WRAPPED_ROLE.exec(entry)?.[1] ?? entry.trim();
}

/** The SDK error's name when `error` is one (SDK v3 errors carry the service's error code as `name`). */
function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function toNamespaceState(namespace: Namespace | undefined, name: string): NamespaceState {
  if (!namespace) throw new ClusterFailedError(`Redshift Serverless returned no description of namespace ${name}`);
  return {
    name: namespace.namespaceName ?? name,
    status: namespace.status ?? 'UNKNOWN',
    iamRoles: (namespace.iamRoles ?? []).map(roleArnOf),
  };
}

function toWorkgroupState(workgroup: Workgroup | undefined, name: string): WorkgroupState {
  if (!workgroup) throw new ClusterFailedError(`Redshift Serverless returned no description of workgroup ${name}`);
  return {
    name: workgroup.workgroupName ?? name,
    namespaceName: workgroup.namespaceName ?? '',
    status: workgroup.status ?? 'UNKNOWN',
    port: workgroup.endpoint?.port ?? workgroup.port,
    securityGroupIds: workgroup.securityGroupIds ?? [],
  };
}

type ServerlessMethods = Pick<
  ClusterPort,
  'ensureNamespace' | 'ensureWorkgroup' | 'describeNamespace' | 'describeWorkgroup' | 'deleteWorkgroup' | 'deleteNamespace'
>;

/** Builds the Serverless half of the Cluster port over the SDK client. */
export function createAwsServerless(client: RedshiftServerlessClient): ServerlessMethods {
  /** Creates the namespace: admin password managed by Redshift in Secrets Manager, the COPY role attached (CreateNamespace). */
  async function createNamespace(spec: NamespaceSpec): Promise<NamespaceState> {
    const output = await client.send(
      new CreateNamespaceCommand({
        namespaceName: spec.name,
        adminUsername: spec.dbUser,
        manageAdminPassword: true,
        dbName: spec.dbName,
        iamRoles: [spec.roleArn],
        tags: [{ key: PIPELINE_TAG_KEY, value: spec.name }],
      }),
    );
    return toNamespaceState(output.namespace, spec.name);
  }

  /** Reads a namespace as the API returns it (GetNamespace); a missing one throws ResourceNotFoundException. */
  async function getNamespace(name: string): Promise<Namespace | undefined> {
    return (await client.send(new GetNamespaceCommand({ namespaceName: name }))).namespace;
  }

  /** Attaches `roleArn` to an existing namespace (UpdateNamespace). iamRoles replaces the whole list and must come
   * with defaultIamRoleArn (API reference: UpdateNamespace): the existing roles are kept, and so is the default. */
  async function attachRole(namespace: Namespace, name: string, roleArn: string): Promise<NamespaceState> {
    const roles = (namespace.iamRoles ?? []).map(roleArnOf);
    const output = await client.send(
      new UpdateNamespaceCommand({
        namespaceName: name,
        iamRoles: [...roles, roleArn],
        defaultIamRoleArn: namespace.defaultIamRoleArn || roleArn,
      }),
    );
    return toNamespaceState(output.namespace, name);
  }

  /** Creates the workgroup in its namespace (CreateWorkgroup): the default VPC's subnets and security group. */
  async function createWorkgroup(spec: WorkgroupSpec): Promise<WorkgroupState> {
    const output = await client.send(
      new CreateWorkgroupCommand({
        workgroupName: spec.name,
        namespaceName: spec.namespaceName,
        baseCapacity: spec.baseCapacity,
        port: spec.port,
        publiclyAccessible: spec.publiclyAccessible,
        tags: [{ key: PIPELINE_TAG_KEY, value: spec.name }],
      }),
    );
    return toWorkgroupState(output.workgroup, spec.name);
  }

  /** Describes one workgroup (GetWorkgroup); a missing one throws ResourceNotFoundException. */
  async function describeWorkgroup(name: string): Promise<WorkgroupState> {
    const output = await client.send(new GetWorkgroupCommand({ workgroupName: name }));
    return toWorkgroupState(output.workgroup, name);
  }

  return {
    async ensureNamespace(spec) {
      try {
        return { action: 'created' as EnsureNamespaceAction, state: await createNamespace(spec) };
      } catch (error) {
        // CreateNamespace answers ConflictException when the name is taken (API reference: CreateNamespace, Errors).
        if (errorName(error) !== 'ConflictException') throw error;
      }
      const existing = await getNamespace(spec.name);
      const state = toNamespaceState(existing, spec.name);
      if (state.iamRoles.includes(spec.roleArn)) return { action: 'reused', state };
      return { action: 'role-added', state: await attachRole(existing!, spec.name, spec.roleArn) };
    },

    async ensureWorkgroup(spec) {
      try {
        return { action: 'created', state: await createWorkgroup(spec) };
      } catch (error) {
        // As for CreateNamespace: ConflictException when the name is taken (API reference: CreateWorkgroup, Errors).
        if (errorName(error) !== 'ConflictException') throw error;
        const state = await describeWorkgroup(spec.name).catch((described: unknown) => {
          // No such workgroup: the conflict was another operation on the namespace (the role being attached, say);
          // the state machine retries ConflictException.
          throw errorName(described) === 'ResourceNotFoundException' ? error : described;
        });
        return { action: 'reused', state };
      }
    },

    async describeNamespace(name) {
      return toNamespaceState(await getNamespace(name), name);
    },

    describeWorkgroup,

    /** DeleteWorkgroup; API reference: DeleteWorkgroup, Errors (ConflictException, ResourceNotFoundException). */
    async deleteWorkgroup(name) {
      return toWorkgroupState((await client.send(new DeleteWorkgroupCommand({ workgroupName: name }))).workgroup, name);
    },

    /** DeleteNamespace, with finalSnapshotName when a final snapshot is asked for (API reference: DeleteNamespace). */
    async deleteNamespace(name, finalSnapshot) {
      const output = await client.send(
        new DeleteNamespaceCommand({ namespaceName: name, ...(finalSnapshot ? { finalSnapshotName: finalSnapshot } : {}) }),
      );
      return toNamespaceState(output.namespace, name);
    },
  };
}
