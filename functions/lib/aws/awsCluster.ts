// The Cluster port on AWS: IAM for the role Redshift assumes, Redshift for the cluster, EC2 for its (or the
// workgroup's) security group, and Redshift Serverless (awsServerless.ts) for the namespace and workgroup.
// Every method is idempotent, so a retried or rerun step reuses what exists.
import {
  AuthorizeSecurityGroupIngressCommand,
  paginateDescribeSecurityGroupRules,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  ClusterAlreadyExistsFault,
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  PauseClusterCommand,
  ResumeClusterCommand,
  type Cluster,
} from '@aws-sdk/client-redshift';
import type { AwsClients } from './awsClients';
import { createAwsServerless } from './awsServerless';
import {
  INGRESS_RULE_DESCRIPTION,
  type ClusterPort,
  type ClusterSpec,
  type ClusterState,
  type EnsureClusterAction,
  type IngressRuleOutcome,
  type RoleSpec,
} from '../ports/cluster';
import { ClusterFailedError, RoleNotReadyError } from '../contracts/errors';

/** Lets Redshift, provisioned or Serverless, assume the role (for COPY's IAM_ROLE): a namespace's role must trust
 * both principals ("Granting permissions to Amazon Redshift Serverless"), so one role serves either kind of Redshift. */
export const REDSHIFT_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    },
  ],
};


/** What CreateCluster answers (InvalidParameterValue) while IAM has not yet propagated a just-created role:
 * "The IAM role <arn> is not valid. The IAM role must delegate access to an Amazon Redshift account." */
const ROLE_NOT_READY_MESSAGE = /The IAM role .* is not valid|must delegate access to an Amazon Redshift account/;

/** ClusterAvailabilityStatus derived from ClusterStatus, for when Redshift leaves it out. */
export function deriveAvailability(status: string): string {
  if (status === 'available') return 'Available';
  if (status.startsWith('incompatible-') || status === 'hardware-failure') return 'Failed';
  if (['modifying', 'rebooting', 'renaming', 'resizing', 'rotating-keys', 'updating-hsm'].includes(status)) return 'Modifying';
  return 'Unavailable';
}

/** The SDK error's name when `error` is one (SDK v3 errors carry the service's error code as `name`). */
function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** Maps a Redshift Cluster to the port's ClusterState. */
function toClusterState(cluster: Cluster | undefined, identifier: string): ClusterState {
  if (!cluster) throw new ClusterFailedError(`Redshift returned no description of cluster ${identifier}`);
  const status = (cluster.ClusterStatus ?? 'unknown').toLowerCase();
  const groups = cluster.VpcSecurityGroups ?? [];
  const active = groups.filter((group) => group.Status === 'active');
  const ordered = [...active, ...groups.filter((group) => group.Status !== 'active')];
  return {
    identifier: cluster.ClusterIdentifier ?? identifier,
    status,
    availability: cluster.ClusterAvailabilityStatus ?? deriveAvailability(status),
    endpoint:
      cluster.Endpoint?.Address && cluster.Endpoint.Port !== undefined
        ? { address: cluster.Endpoint.Address, port: cluster.Endpoint.Port }
        : undefined,
    securityGroupIds: ordered.flatMap((group) => (group.VpcSecurityGroupId ? [group.VpcSecurityGroupId] : [])),
  };
}

/** Builds the Cluster port over the AWS SDK clients. */
export function createAwsCluster(clients: Pick<AwsClients, 'iam' | 'redshift' | 'redshiftServerless' | 'ec2'>): ClusterPort {
  const { iam, redshift, ec2 } = clients;

  /** Creates the role trusted by Redshift (CreateRole); returns its ARN. */
  async function createRole(spec: RoleSpec): Promise<string> {
    const output = await iam.send(
      new CreateRoleCommand({
        RoleName: spec.name,
        Path: spec.path,
        AssumeRolePolicyDocument: JSON.stringify(REDSHIFT_TRUST_POLICY),
        Description: 'Lets Redshift read the sparkify-dwh source data (COPY)',
      }),
    );
    return output.Role!.Arn!; // IAM always returns the new role and its ARN
  }

  /** Reads an existing role's ARN (GetRole). */
  async function getRoleArn(name: string): Promise<string> {
    const output = await iam.send(new GetRoleCommand({ RoleName: name }));
    return output.Role!.Arn!; // IAM always returns the role and its ARN
  }

  /** Puts (creates or replaces) the role's inline policy (PutRolePolicy). */
  async function putRolePolicy(spec: RoleSpec): Promise<void> {
    await iam.send(
      new PutRolePolicyCommand({ RoleName: spec.name, PolicyName: spec.policyName, PolicyDocument: JSON.stringify(spec.policy) }),
    );
  }

  /** Creates the cluster: encrypted, admin password managed by Redshift in Secrets Manager (CreateCluster). */
  async function createCluster(spec: ClusterSpec): Promise<ClusterState> {
    const output = await redshift.send(
      new CreateClusterCommand({
        ClusterIdentifier: spec.identifier,
        NodeType: spec.nodeType,
        ...(spec.nodeCount === 1
          ? { ClusterType: 'single-node' }
          : { ClusterType: 'multi-node', NumberOfNodes: spec.nodeCount }),
        DBName: spec.dbName,
        MasterUsername: spec.dbUser,
        ManageMasterPassword: true,
        Port: spec.port,
        IamRoles: [spec.roleArn],
        Encrypted: true,
        PubliclyAccessible: spec.publiclyAccessible,
      }),
    );
    return toClusterState(output.Cluster, spec.identifier);
  }

  /** Describes one cluster (DescribeClusters); a missing cluster throws the SDK's ClusterNotFoundFault. */
  async function describeCluster(identifier: string): Promise<ClusterState> {
    const output = await redshift.send(new DescribeClustersCommand({ ClusterIdentifier: identifier }));
    return toClusterState(output.Clusters?.[0], identifier);
  }

  /** Resumes a paused cluster (ResumeCluster). */
  async function resumeCluster(identifier: string): Promise<ClusterState> {
    const output = await redshift.send(new ResumeClusterCommand({ ClusterIdentifier: identifier }));
    return toClusterState(output.Cluster, identifier);
  }

  /** Pauses an available cluster (PauseCluster); API reference: PauseCluster, Errors (ClusterNotFound,
   * InvalidClusterState: "not in the available state"). */
  async function pauseCluster(identifier: string): Promise<ClusterState> {
    const output = await redshift.send(new PauseClusterCommand({ ClusterIdentifier: identifier }));
    return toClusterState(output.Cluster, identifier);
  }

  /** The ids of a security group's ingress rules with this description (DescribeSecurityGroupRules, every page). */
  async function ingressRuleIds(groupId: string, description: string): Promise<string[]> {
    const ids: string[] = [];
    const pages = paginateDescribeSecurityGroupRules({ client: ec2 }, { Filters: [{ Name: 'group-id', Values: [groupId] }] });
    for await (const page of pages) {
      for (const rule of page.SecurityGroupRules ?? []) {
        if (!rule.IsEgress && rule.Description === description && rule.SecurityGroupRuleId) ids.push(rule.SecurityGroupRuleId);
      }
    }
    return ids;
  }

  /** Revokes the group's ingress rules with this description (RevokeSecurityGroupIngress by rule id). */
  async function revokeIngress(groupId: string, description: string): Promise<string[]> {
    const ids = await ingressRuleIds(groupId, description);
    if (ids.length > 0) await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ids }));
    return ids;
  }

  /** Starts deleting the cluster (DeleteCluster): a final snapshot when named, else SkipFinalClusterSnapshot. */
  async function deleteCluster(identifier: string, finalSnapshot?: string): Promise<ClusterState> {
    const output = await redshift.send(
      new DeleteClusterCommand({
        ClusterIdentifier: identifier,
        ...(finalSnapshot ? { SkipFinalClusterSnapshot: false, FinalClusterSnapshotIdentifier: finalSnapshot } : { SkipFinalClusterSnapshot: true }),
      }),
    );
    return toClusterState(output.Cluster, identifier);
  }

  /** Deletes the role's inline policy, then the role (DeleteRolePolicy, DeleteRole; IAM refuses to delete a role
   * that still has a policy). NoSuchEntity on either: already deleted. */
  async function deleteRole(name: string, policyName: string): Promise<'deleted' | 'absent'> {
    const ignoringMissing = (send: Promise<unknown>) =>
      send.then(
        () => true,
        (error: unknown) => {
          if (error instanceof NoSuchEntityException) return false;
          throw error;
        },
      );
    await ignoringMissing(iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })));
    return (await ignoringMissing(iam.send(new DeleteRoleCommand({ RoleName: name })))) ? 'deleted' : 'absent';
  }

  /** Allows TCP on `port` from `cidr` on a security group (AuthorizeSecurityGroupIngress). */
  async function authorizeIngress(groupId: string, cidr: string, port: number): Promise<IngressRuleOutcome> {
    try {
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr, Description: INGRESS_RULE_DESCRIPTION }] },
          ],
        }),
      );
      return 'added';
    } catch (error) {
      if (errorName(error) === 'InvalidPermission.Duplicate') return 'exists';
      throw error;
    }
  }

  return {
    async ensureRole(spec) {
      let arn: string;
      let created = true;
      try {
        arn = await createRole(spec);
      } catch (error) {
        if (!(error instanceof EntityAlreadyExistsException)) throw error;
        created = false;
        arn = await getRoleArn(spec.name);
      }
      // Put on every run, so a reused role's policy matches the configured sources.
      await putRolePolicy(spec);
      return { arn, created };
    },

    async ensureCluster(spec) {
      let action: EnsureClusterAction = 'created';
      let state: ClusterState;
      try {
        state = await createCluster(spec);
      } catch (error) {
        if (errorName(error) === 'InvalidParameterValue' && error instanceof Error && ROLE_NOT_READY_MESSAGE.test(error.message)) {
          throw new RoleNotReadyError(`Redshift does not accept role ${spec.roleArn} yet (IAM propagates new roles in seconds): ${error.message}`);
        }
        if (!(error instanceof ClusterAlreadyExistsFault)) throw error;
        action = 'reused';
        state = await describeCluster(spec.identifier);
      }
      if (state.status === 'paused') {
        action = 'resumed';
        state = await resumeCluster(spec.identifier);
      }
      return { action, state };
    },

    describeCluster,
    ...createAwsServerless(clients.redshiftServerless),
    authorizeIngress,
    pauseCluster,
    revokeIngress,
    deleteCluster,
    deleteRole,
  };
}
