// The teardown's step cores: remove what the pipeline created at run time, each step idempotent, so a teardown of a
// half-removed deployment finishes the job: the ingress rules it added, the cluster (or the Serverless workgroup,
// then the namespace), and the COPY role. The state machine (statemachine/teardown.asl.yml) waits for the deletion.
import type { StepDeps } from '../ports/stepDeps';
import type { DeletionResult, NamespaceDeletionResult, RevokeResult, RoleDeletionResult, TeardownOptions } from '../contracts/events';
import { INGRESS_RULE_DESCRIPTION } from '../ports/cluster';
import { redshiftRoleSpec } from './rolePolicy';

/** The SDK error's name when `error` is one. */
const errorName = (error: unknown) => (error instanceof Error ? error.name : undefined);

/** What `describe` returns, or undefined when the resource does not exist (`notFound`, the SDK's error name). */
async function unlessMissing<T>(notFound: string, describe: () => Promise<T>): Promise<T | undefined> {
  try {
    return await describe();
  } catch (error) {
    if (errorName(error) === notFound) return undefined;
    throw error;
  }
}

/** The cluster's, or on Serverless the workgroup's, name and security groups; undefined when it is gone. */
async function warehouseResource(deps: StepDeps): Promise<{ what: string; groups: string[] } | undefined> {
  const { settings } = deps;
  if (settings.redshift === 'serverless') {
    const workgroup = await unlessMissing('ResourceNotFoundException', () => deps.cluster.describeWorkgroup(settings.workgroupName));
    return workgroup && { what: `workgroup ${workgroup.name}`, groups: workgroup.securityGroupIds };
  }
  const cluster = await unlessMissing('ClusterNotFoundFault', () => deps.cluster.describeCluster(settings.clusterIdentifier));
  return cluster && { what: `cluster ${cluster.identifier}`, groups: cluster.securityGroupIds };
}

/** Revokes, on each security group of the cluster or workgroup, the ingress rules openPort added (recognised by
 * their description); a cluster or workgroup already gone has none left to revoke. */
export async function revokePipelineIngress(deps: StepDeps): Promise<RevokeResult> {
  const resource = await warehouseResource(deps);
  const name = deps.settings.redshift === 'serverless' ? `Workgroup ${deps.settings.workgroupName}` : `Cluster ${deps.settings.clusterIdentifier}`;
  if (!resource) return { revoked: [], message: `${name} does not exist: no ingress rule of the pipeline to revoke` };
  const revoked: string[] = [];
  for (const groupId of resource.groups) revoked.push(...(await deps.cluster.revokeIngress(groupId, INGRESS_RULE_DESCRIPTION)));
  const message = revoked.length
    ? `Revoked the pipeline's ingress rules ${revoked.join(', ')} of ${resource.what}`
    : `No ingress rule of the pipeline on ${resource.what} (${resource.groups.join(', ') || 'no security group'})`;
  return { revoked, message };
}

/** In-progress deletion statuses, lower-case: a cluster's `final-snapshot` then `deleting`, a workgroup's `DELETING`. */
const DELETING = ['final-snapshot', 'deleting'];

/** Starts deleting the cluster (with a final snapshot if named), or on Serverless the workgroup; one already being
 * deleted is left to it, one already gone is `deleted`. Returns what the wait loop polls (attempt 0). */
export async function deletePipelineCluster(options: TeardownOptions, deps: StepDeps): Promise<DeletionResult> {
  const { settings } = deps;
  if (settings.redshift === 'serverless') {
    const name = settings.workgroupName;
    const workgroup = await unlessMissing('ResourceNotFoundException', () => deps.cluster.describeWorkgroup(name));
    if (!workgroup) return deletion('workgroup', name, 'deleted', 0, `Workgroup ${name} does not exist: nothing to delete`);
    const status = workgroup.status.toLowerCase();
    if (DELETING.includes(status)) return deletion('workgroup', name, status, 0, `Workgroup ${name} is already ${status}`);
    const deleting = await deps.cluster.deleteWorkgroup(name);
    return deletion('workgroup', name, deleting.status.toLowerCase(), 0, `Workgroup ${name} is ${deleting.status.toLowerCase()}`);
  }
  const identifier = settings.clusterIdentifier;
  const cluster = await unlessMissing('ClusterNotFoundFault', () => deps.cluster.describeCluster(identifier));
  if (!cluster) return deletion('cluster', identifier, 'deleted', 0, `Cluster ${identifier} does not exist: nothing to delete`);
  if (DELETING.includes(cluster.status)) return deletion('cluster', identifier, cluster.status, 0, `Cluster ${identifier} is already ${cluster.status}`);
  const deleting = await deps.cluster.deleteCluster(identifier, options.finalSnapshot);
  const snapshot = options.finalSnapshot ? `, after a final snapshot ${options.finalSnapshot}` : ', without a final snapshot';
  return deletion('cluster', identifier, deleting.status, 0, `Cluster ${identifier} is ${deleting.status}${snapshot}`);
}

/** Describes the cluster or workgroup being deleted once more (attempt + 1): `deleted` once it is gone. */
export async function describePipelineDeletion(previous: DeletionResult, deps: StepDeps): Promise<DeletionResult> {
  const attempt = previous.attempt + 1;
  const times = `described ${attempt} time${attempt === 1 ? '' : 's'}`;
  const status =
    previous.resource === 'workgroup'
      ? (await unlessMissing('ResourceNotFoundException', () => deps.cluster.describeWorkgroup(previous.name)))?.status.toLowerCase()
      : (await unlessMissing('ClusterNotFoundFault', () => deps.cluster.describeCluster(previous.name)))?.status;
  const what = `${previous.resource === 'workgroup' ? 'Workgroup' : 'Cluster'} ${previous.name}`;
  if (status === undefined) return deletion(previous.resource, previous.name, 'deleted', attempt, `${what} is deleted, ${times}`);
  return deletion(previous.resource, previous.name, status, attempt, `${what} is ${status}, ${times}`);
}

function deletion(resource: DeletionResult['resource'], name: string, status: string, attempt: number, message: string): DeletionResult {
  return { resource, name, status, attempt, message };
}

/** On Serverless, starts deleting the namespace once its workgroup is gone (with a final snapshot if named); a
 * namespace already gone or being deleted is left as it is. A cluster has no namespace. */
export async function deletePipelineNamespace(options: TeardownOptions, deps: StepDeps): Promise<NamespaceDeletionResult> {
  const { settings } = deps;
  if (settings.redshift !== 'serverless') return { deleted: false, message: 'A provisioned cluster has no namespace: nothing to delete' };
  const name = settings.namespaceName;
  const namespace = await unlessMissing('ResourceNotFoundException', () => deps.cluster.describeNamespace(name));
  if (!namespace) return { deleted: false, message: `Namespace ${name} does not exist: nothing to delete` };
  if (namespace.status === 'DELETING') return { deleted: false, status: namespace.status, message: `Namespace ${name} is already DELETING` };
  const deleting = await deps.cluster.deleteNamespace(name, options.finalSnapshot);
  const snapshot = options.finalSnapshot ? `, after a final snapshot ${options.finalSnapshot}` : ', without a final snapshot';
  return { deleted: true, status: deleting.status, message: `Namespace ${name} is ${deleting.status}${snapshot}` };
}

/** Deletes the COPY role and its inline policy (createCluster's); already gone is done. */
export async function deletePipelineRole(deps: StepDeps): Promise<RoleDeletionResult> {
  const { name, policyName } = redshiftRoleSpec(deps.settings);
  const outcome = await deps.cluster.deleteRole(name, policyName);
  const message = outcome === 'deleted' ? `Role ${name} and its policy deleted` : `Role ${name} does not exist: nothing to delete`;
  return { deleted: outcome === 'deleted', message };
}
