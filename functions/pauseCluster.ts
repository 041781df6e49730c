// pauseCluster: pauses the cluster when a run ends, after a success or a failure, if DWH_PAUSE_AFTER_RUN is true.
import { pauseClusterAfterRun } from './lib/steps/clusterPause';
import type { StepDeps } from './lib/ports/stepDeps';
import type { PauseResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';

/** The PauseCluster step: takes no event -> whether it started pausing the cluster, and why (not). It does not
 * wait for `paused`: the pause goes on after the run has ended. */
export async function pauseCluster(_event: unknown, deps: StepDeps): Promise<PauseResult> {
  const pause = await pauseClusterAfterRun(deps);
  deps.logger.info(pause.message);
  return pause;
}

export const handler = lambdaHandler(pauseCluster);
