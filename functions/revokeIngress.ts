// revokeIngress: the teardown's first state: validates its input, then revokes the ingress rules the pipeline
// added to the cluster's (or the Serverless workgroup's) security groups. Result: the whole state.
import { revokePipelineIngress } from './lib/steps/teardownSteps';
import type { StepDeps } from './lib/ports/stepDeps';
import { parseTeardownOptions, type RevokeIngressEvent, type TeardownState } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';

/** The RevokeIngress step: `{input}` -> `{options, ingress}`; a bad input fails before anything is removed. */
export async function revokeIngress(event: RevokeIngressEvent, deps: StepDeps): Promise<TeardownState> {
  const options = parseTeardownOptions(event?.input);
  const ingress = await revokePipelineIngress(deps);
  deps.logger.info(ingress.message);
  return { options, ingress };
}

export const handler = lambdaHandler(revokeIngress);
