// describeDeletion: describes the cluster (or the workgroup) being deleted once per turn of the teardown's wait loop.
import { describePipelineDeletion } from './lib/steps/teardownSteps';
import type { StepDeps } from './lib/ports/stepDeps';
import { parseDeletionEvent, type DeletionResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';

/** The DescribeDeletion step: `{deletion}` -> the deletion described, attempt + 1, `deleted` once it is gone. */
export async function describeDeletion(event: unknown, deps: StepDeps): Promise<DeletionResult> {
  const deletion = await describePipelineDeletion(parseDeletionEvent(event, 'describeDeletion'), deps);
  deps.logger.info(deletion.message);
  return deletion;
}

export const handler = lambdaHandler(describeDeletion);
