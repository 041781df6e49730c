// Pausing the cluster when a run ends (DWH_PAUSE_AFTER_RUN), after a success or a failure: a paused ra3 cluster
// bills only its storage, and the next run's createCluster resumes it. The pause is started, not awaited.
import type { StepDeps } from '../ports/stepDeps';
import type { PauseResult } from '../contracts/events';

/** Statuses in which the cluster is already paused, or on its way there: nothing to do. */
const PAUSED_OR_PAUSING = ['paused', 'pausing'];

/** The SDK error's name when `error` is one. */
const errorName = (error: unknown) => (error instanceof Error ? error.name : undefined);

/** Pauses the cluster if the settings ask for it and it is not paused yet. On Redshift Serverless there is
 * nothing to pause (compute is billed only while queries run); a missing cluster is nothing to pause either. Any
 * status but `available` is Redshift's to refuse (InvalidClusterStateFault), which the state machine retries. */
export async function pauseClusterAfterRun(deps: StepDeps): Promise<PauseResult> {
  const { settings } = deps;
  if (settings.redshift === 'serverless') {
    return { paused: false, message: 'Redshift Serverless bills compute only while queries run: there is nothing to pause' };
  }
  const identifier = settings.clusterIdentifier;
  if (!settings.pauseAfterRun) {
    return { paused: false, message: `DWH_PAUSE_AFTER_RUN is false: cluster ${identifier} keeps running (and billing) until paused or deleted` };
  }
  let status: string;
  try {
    status = (await deps.cluster.describeCluster(identifier)).status;
  } catch (error) {
    if (errorName(error) !== 'ClusterNotFoundFault') throw error;
    return { paused: false, message: `Cluster ${identifier} does not exist: nothing to pause` };
  }
  if (PAUSED_OR_PAUSING.includes(status)) return { paused: false, status, message: `Cluster ${identifier} is already ${status}` };
  const state = await deps.cluster.pauseCluster(identifier);
  return { paused: true, status: state.status, message: `Cluster ${identifier} is ${state.status}: the next run resumes it` };
}
