// The cluster steps' core: create (or reuse, or resume) the cluster and its role, describe it while the
// state machine waits, and open its port to the configured CIDRs. On the serverless target there is no
// cluster: each step says so and returns at once.
import type { ClusterState, EnsureClusterAction } from './cluster';
import type { StepDeps } from './deps';
import { ClusterFailedError, SettingsError } from './errors';
import type { ClusterEvent, ClusterResult, IngressResult } from './events';
import { redshiftRoleSpec } from './rolePolicy';
import { PUBLIC_CIDR, type Settings } from './settings';

/** The ClusterResult of a serverless target: always available. */
function serverlessResult(settings: Settings, attempt: number, message: string): ClusterResult {
  return {
    identifier: settings.workgroupName ?? '',
    status: 'available',
    availability: 'Available',
    attempt,
    message,
    action: 'skipped',
    roleArn: settings.roleArn,
  };
}

/** A ClusterResult from a described state. */
function clusterResult(
  state: ClusterState,
  fields: { attempt: number; message: string; roleArn: string; action?: EnsureClusterAction | 'skipped' },
): ClusterResult {
  return {
    identifier: state.identifier,
    status: state.status,
    availability: state.availability,
    attempt: fields.attempt,
    message: fields.message,
    ...(fields.action ? { action: fields.action } : {}),
    roleArn: fields.roleArn,
  };
}

/** Describes the cluster; a missing one is a ClusterFailedError naming it. */
async function describeExisting(deps: StepDeps): Promise<ClusterState> {
  const identifier = deps.settings.clusterIdentifier;
  try {
    return await deps.cluster.describeCluster(identifier);
  } catch (error) {
    if (error instanceof Error && error.name === 'ClusterNotFoundFault') {
      throw new ClusterFailedError(`Cluster ${identifier} does not exist (run createCluster first): ${error.message}`);
    }
    throw error;
  }
}

/** Ensures the role and the cluster; returns the cluster as it stands (attempt 0). */
export async function provisionCluster(deps: StepDeps): Promise<ClusterResult> {
  const { settings } = deps;
  if (settings.target === 'serverless') {
    return serverlessResult(settings, 0, `Target is Redshift Serverless workgroup ${settings.workgroupName}: no cluster to create`);
  }
  const role = await deps.cluster.ensureRole(redshiftRoleSpec(settings));
  const { action, state } = await deps.cluster.ensureCluster({
    identifier: settings.clusterIdentifier,
    nodeType: settings.nodeType,
    nodeCount: settings.nodeCount,
    dbName: settings.dbName,
    dbUser: settings.dbUser,
    port: settings.port,
    roleArn: role.arn,
    publiclyAccessible: settings.publiclyAccessible,
  });
  const message =
    `Cluster ${state.identifier} ${action} (${state.status}); ` +
    `role ${role.arn} ${role.created ? 'created' : 'reused'}, its source read policy put`;
  return clusterResult(state, { attempt: 0, message, roleArn: role.arn, action });
}

/** Describes the cluster once more for the wait loop: attempt + 1. Whether to wait on is the state
 * machine's Choice; a missing cluster is a ClusterFailedError. */
export async function describeClusterForWait(event: ClusterEvent, deps: StepDeps): Promise<ClusterResult> {
  const { settings } = deps;
  const attempt = (event.cluster?.attempt ?? 0) + 1;
  const roleArn = event.cluster?.roleArn ?? settings.roleArn;
  if (settings.target === 'serverless') {
    return serverlessResult(settings, attempt, `Target is Redshift Serverless workgroup ${settings.workgroupName}: nothing to wait for`);
  }
  const state = await describeExisting(deps);
  const message = `Cluster ${state.identifier} is ${state.status} (${state.availability}), described ${attempt} time${attempt === 1 ? '' : 's'}`;
  return clusterResult(state, { attempt, message, roleArn, action: event.cluster?.action });
}

/** Opens the cluster's port to each configured CIDR on its first VPC security group. */
export async function openClusterPort(deps: StepDeps): Promise<IngressResult> {
  const { settings } = deps;
  const nothing = (message: string): IngressResult => ({ port: settings.port, added: [], existing: [], message });
  if (settings.target === 'serverless') {
    return nothing(`Target is Redshift Serverless workgroup ${settings.workgroupName}: no cluster port to open`);
  }
  if (settings.ingressCidrs.length === 0) {
    return nothing('No CIDR configured in DWH_INGRESS_CIDRS: the port stays closed (the Data API needs no open port)');
  }
  // settings.ts refuses it already; a second check, since this is the one call that opens the cluster.
  if (settings.ingressCidrs.includes(PUBLIC_CIDR) && !settings.allowPublicIngress) {
    throw new SettingsError(`DWH_INGRESS_CIDRS: ${PUBLIC_CIDR} needs DWH_ALLOW_PUBLIC_INGRESS=true`);
  }
  const state = await describeExisting(deps);
  const groupId = state.securityGroupIds[0];
  if (!groupId) throw new ClusterFailedError(`Cluster ${state.identifier} has no VPC security group to open`);
  const port = state.endpoint?.port ?? settings.port;
  const added: string[] = [];
  const existing: string[] = [];
  for (const cidr of settings.ingressCidrs) {
    const result = await deps.cluster.authorizeIngress(groupId, cidr, port);
    (result === 'added' ? added : existing).push(cidr);
  }
  const message =
    `Port ${port} of cluster ${state.identifier} on ${groupId}: ` +
    `${added.length ? `opened to ${added.join(', ')}` : 'no new rule'}` +
    `${existing.length ? `; already open to ${existing.join(', ')}` : ''}`;
  return { groupId, port, added, existing, message };
}
