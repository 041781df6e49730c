// The cluster steps' core: create (or reuse, or resume) the cluster and its role, or the Serverless namespace
// and workgroup; describe them while the state machine waits; open the port to the configured CIDRs.
import type { ClusterState, EnsureClusterAction, NamespaceState, WorkgroupState } from '../ports/cluster';
import type { StepDeps } from '../ports/stepDeps';
import { ClusterFailedError, SettingsError } from '../contracts/errors';
import type { ClusterEvent, ClusterResult, IngressResult } from '../contracts/events';
import { redshiftRoleSpec } from './rolePolicy';
import { PUBLIC_CIDR, type Settings } from '../contracts/settings';

/** The statuses the IsClusterAvailable Choice waits on or moves on at, from the least to the most ready. */
const READINESS = ['creating', 'modifying', 'available'];
/** ClusterAvailabilityStatus for each of those statuses; any other status (DELETING, an unknown one) is final. */
const AVAILABILITY: Record<string, string> = { creating: 'Unavailable', modifying: 'Modifying', available: 'Available' };

/** Maps a namespace's and a workgroup's statuses (NamespaceStatus AVAILABLE|MODIFYING|DELETING, WorkgroupStatus
 * CREATING|AVAILABLE|MODIFYING|DELETING; API reference: Namespace, Workgroup) onto a cluster's status and
 * availability, so the IsClusterAvailable Choice serves both targets: the less ready of the two, a final
 * status (DELETING, or one this code does not know) above all, the workgroup's on a tie. */
export function serverlessStatus(namespaceStatus: string, workgroupStatus: string): { status: string; availability: string } {
  const [workgroup, namespace] = [workgroupStatus.toLowerCase(), namespaceStatus.toLowerCase()];
  const status = READINESS.indexOf(namespace) < READINESS.indexOf(workgroup) ? namespace : workgroup;
  return { status, availability: AVAILABILITY[status] ?? 'Unavailable' };
}

/** A ClusterResult from a described state. */
function clusterResult(
  state: ClusterState,
  fields: { attempt: number; message: string; roleArn: string; action?: EnsureClusterAction },
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

/** A ClusterResult from a described namespace and workgroup: the workgroup names it. */
function workgroupResult(
  namespace: NamespaceState,
  workgroup: WorkgroupState,
  fields: { attempt: number; message: string; roleArn: string; action?: EnsureClusterAction },
): ClusterResult {
  return {
    identifier: workgroup.name,
    ...serverlessStatus(namespace.status, workgroup.status),
    attempt: fields.attempt,
    message: fields.message,
    ...(fields.action ? { action: fields.action } : {}),
    roleArn: fields.roleArn,
  };
}

/** Rethrows a missing resource (`notFound`, the SDK's error name) as a ClusterFailedError naming it. */
async function describeOrFail<T>(what: string, notFound: string, describe: () => Promise<T>): Promise<T> {
  try {
    return await describe();
  } catch (error) {
    if (error instanceof Error && error.name === notFound) {
      throw new ClusterFailedError(`${what} does not exist (run createCluster first): ${error.message}`);
    }
    throw error;
  }
}

/** Describes the cluster; a missing one is a ClusterFailedError naming it. */
function describeExistingCluster(deps: StepDeps): Promise<ClusterState> {
  const identifier = deps.settings.clusterIdentifier;
  return describeOrFail(`Cluster ${identifier}`, 'ClusterNotFoundFault', () => deps.cluster.describeCluster(identifier));
}

/** Describes the workgroup; a missing one is a ClusterFailedError naming it. */
function describeExistingWorkgroup(deps: StepDeps): Promise<WorkgroupState> {
  const name = deps.settings.workgroupName;
  return describeOrFail(`Workgroup ${name}`, 'ResourceNotFoundException', () => deps.cluster.describeWorkgroup(name));
}

/** Describes the namespace; a missing one is a ClusterFailedError naming it. */
function describeExistingNamespace(deps: StepDeps): Promise<NamespaceState> {
  const name = deps.settings.namespaceName;
  return describeOrFail(`Namespace ${name}`, 'ResourceNotFoundException', () => deps.cluster.describeNamespace(name));
}

/** A workgroup of another namespace would run the SQL elsewhere: refused, naming the settings. */
function checkNamespaceOf(workgroup: WorkgroupState, settings: Settings): void {
  if (workgroup.namespaceName !== settings.namespaceName) {
    throw new ClusterFailedError(
      `Workgroup ${workgroup.name} (DWH_WORKGROUP_NAME) belongs to namespace ${workgroup.namespaceName}, ` +
        `not to ${settings.namespaceName} (DWH_NAMESPACE_NAME)`,
    );
  }
}

/** Ensures the role, the namespace (the role attached) and the workgroup; returns them as they stand (attempt 0). */
async function provisionServerless(deps: StepDeps, role: { arn: string; created: boolean }): Promise<ClusterResult> {
  const { settings } = deps;
  const namespace = await deps.cluster.ensureNamespace({
    name: settings.namespaceName,
    dbName: settings.dbName,
    dbUser: settings.dbUser,
    roleArn: role.arn,
  });
  const workgroup = await deps.cluster.ensureWorkgroup({
    name: settings.workgroupName,
    namespaceName: settings.namespaceName,
    baseCapacity: settings.baseCapacity,
    port: settings.port,
    publiclyAccessible: settings.publiclyAccessible,
  });
  checkNamespaceOf(workgroup.state, settings);
  const namespaceAction = namespace.action === 'role-added' ? 'reused, the role attached' : namespace.action;
  const message =
    `Namespace ${namespace.state.name} ${namespaceAction} (${namespace.state.status}), ` +
    `workgroup ${workgroup.state.name} ${workgroup.action} (${workgroup.state.status}); ` +
    `role ${role.arn} ${role.created ? 'created' : 'reused'}, its source read policy put`;
  return workgroupResult(namespace.state, workgroup.state, { attempt: 0, message, roleArn: role.arn, action: workgroup.action });
}

/** Ensures the role and the cluster (or the namespace and workgroup); returns them as they stand (attempt 0). */
export async function provisionCluster(deps: StepDeps): Promise<ClusterResult> {
  const { settings } = deps;
  const role = await deps.cluster.ensureRole(redshiftRoleSpec(settings));
  if (settings.redshift === 'serverless') return provisionServerless(deps, role);
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

/** How many times, in words. */
const times = (count: number) => `${count} time${count === 1 ? '' : 's'}`;

/** Describes the cluster (or the namespace and workgroup) once more for the wait loop: attempt + 1. Whether to
 * wait on is the state machine's Choice; a missing cluster, namespace or workgroup is a ClusterFailedError. */
export async function describeClusterForWait(event: ClusterEvent, deps: StepDeps): Promise<ClusterResult> {
  const { settings } = deps;
  const attempt = (event.cluster?.attempt ?? 0) + 1;
  const roleArn = event.cluster?.roleArn ?? settings.roleArn;
  const action = event.cluster?.action;
  if (settings.redshift === 'serverless') {
    const namespace = await describeExistingNamespace(deps);
    const workgroup = await describeExistingWorkgroup(deps);
    const message =
      `Namespace ${namespace.name} is ${namespace.status}, workgroup ${workgroup.name} is ${workgroup.status}, ` +
      `described ${times(attempt)}`;
    return workgroupResult(namespace, workgroup, { attempt, message, roleArn, action });
  }
  const state = await describeExistingCluster(deps);
  const message = `Cluster ${state.identifier} is ${state.status} (${state.availability}), described ${times(attempt)}`;
  return clusterResult(state, { attempt, message, roleArn, action });
}

/** Where to open the port: the cluster's first active VPC security group, or the workgroup's first security
 * group (one group's rule is enough: a resource's groups' rules add up), and the port it listens on. */
async function ingressTarget(deps: StepDeps): Promise<{ what: string; groupId?: string; port: number }> {
  const { settings } = deps;
  if (settings.redshift === 'serverless') {
    const workgroup = await describeExistingWorkgroup(deps);
    return { what: `workgroup ${workgroup.name}`, groupId: workgroup.securityGroupIds[0], port: workgroup.port ?? settings.port };
  }
  const state = await describeExistingCluster(deps);
  return { what: `cluster ${state.identifier}`, groupId: state.securityGroupIds[0], port: state.endpoint?.port ?? settings.port };
}

/** Opens the cluster's or workgroup's port to each configured CIDR on its security group. */
export async function openClusterPort(deps: StepDeps): Promise<IngressResult> {
  const { settings } = deps;
  if (settings.ingressCidrs.length === 0) {
    return {
      port: settings.port,
      added: [],
      existing: [],
      message: 'No CIDR configured in DWH_INGRESS_CIDRS: the port stays closed (the Data API needs no open port)',
    };
  }
  // settings.ts refuses it already; a second check, since this is the one call that opens the warehouse.
  if (settings.ingressCidrs.includes(PUBLIC_CIDR) && !settings.allowPublicIngress) {
    throw new SettingsError(`DWH_INGRESS_CIDRS: ${PUBLIC_CIDR} needs DWH_ALLOW_PUBLIC_INGRESS=true`);
  }
  const { what, groupId, port } = await ingressTarget(deps);
  if (!groupId) throw new ClusterFailedError(`${what[0].toUpperCase()}${what.slice(1)} has no VPC security group to open`);
  const added: string[] = [];
  const existing: string[] = [];
  for (const cidr of settings.ingressCidrs) {
    const result = await deps.cluster.authorizeIngress(groupId, cidr, port);
    (result === 'added' ? added : existing).push(cidr);
  }
  const message =
    `Port ${port} of ${what} on ${groupId}: ` +
    `${added.length ? `opened to ${added.join(', ')}` : 'no new rule'}` +
    `${existing.length ? `; already open to ${existing.join(', ')}` : ''}`;
  return { groupId, port, added, existing, message };
}
