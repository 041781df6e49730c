// openPort: opens the cluster's (or the Serverless workgroup's) port to the configured CIDRs (DWH_INGRESS_CIDRS), if any.
import { openClusterPort } from './lib/steps/clusterSteps';
import type { StepDeps } from './lib/ports/stepDeps';
import type { IngressResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';

/** The OpenPort step: takes no event (the state machine passes none); describes the cluster or workgroup itself,
 * since its security group and port are not in the state -> which CIDRs were added and which were already open. */
export async function openPort(_event: unknown, deps: StepDeps): Promise<IngressResult> {
  const ingress = await openClusterPort(deps);
  deps.logger.info(ingress.message);
  return ingress;
}

export const handler = lambdaHandler(openPort);
