// deleteCopyRole: deletes the role Redshift assumed for COPY, and its inline policy (createCluster made both).
import { deletePipelineRole } from './lib/steps/teardownSteps';
import type { StepDeps } from './lib/ports/stepDeps';
import type { RoleDeletionResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';

/** The DeleteCopyRole step: takes no event -> whether it deleted the role (already gone: nothing to do). */
export async function deleteCopyRole(_event: unknown, deps: StepDeps): Promise<RoleDeletionResult> {
  const role = await deletePipelineRole(deps);
  deps.logger.info(role.message);
  return role;
}

export const handler = lambdaHandler(deleteCopyRole);
