// openPort: opens the cluster's (or the Serverless workgroup's) port to the configured CIDRs (DWH_INGRESS_CIDRS), if any.
import { openClusterPort } from './lib/clusterSteps';
import type { StepDeps } from './lib/deps';
import { parseClusterEvent } from './lib/events';
import type { ClusterEvent, IngressResult } from './lib/events';
import { lambdaHandler } from './lib/lambdaHandler';

/** The OpenPort step: `{cluster}` -> which CIDRs were added and which were already open. */
export async function openPort(event: ClusterEvent, deps: StepDeps): Promise<IngressResult> {
  parseClusterEvent(event, 'openPort');
  const ingress = await openClusterPort(deps);
  deps.logger.info(ingress.message);
  return ingress;
}

export const handler = lambdaHandler(openPort);
