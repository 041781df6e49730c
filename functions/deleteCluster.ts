// deleteCluster: starts deleting the cluster (with or without a final snapshot), or on Redshift Serverless the
// workgroup; the teardown's Wait/Choice loop then waits until it is gone.
import { deletePipelineCluster } from './lib/steps/teardownSteps';
import type { StepDeps } from './lib/ports/stepDeps';
import { parseOptionsEvent, type DeletionResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';

/** The DeleteCluster step: `{options}` -> the deletion to wait for (attempt 0). Idempotent: a cluster being
 * deleted is left to it, one already gone is `deleted`. */
export async function deleteCluster(event: unknown, deps: StepDeps): Promise<DeletionResult> {
  const deletion = await deletePipelineCluster(parseOptionsEvent(event, 'deleteCluster'), deps);
  deps.logger.info(deletion.message);
  return deletion;
}

export const handler = lambdaHandler(deleteCluster);
