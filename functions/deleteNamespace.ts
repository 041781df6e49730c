// deleteNamespace: on Redshift Serverless, starts deleting the namespace once its workgroup is gone (with or
// without a final snapshot); a provisioned cluster has none.
import { deletePipelineNamespace } from './lib/steps/teardownSteps';
import type { StepDeps } from './lib/ports/stepDeps';
import { parseOptionsEvent, type NamespaceDeletionResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';

/** The DeleteNamespace step: `{options}` -> whether it started deleting the namespace, and why (not). */
export async function deleteNamespace(event: unknown, deps: StepDeps): Promise<NamespaceDeletionResult> {
  const namespace = await deletePipelineNamespace(parseOptionsEvent(event, 'deleteNamespace'), deps);
  deps.logger.info(namespace.message);
  return namespace;
}

export const handler = lambdaHandler(deleteNamespace);
