// describeCluster: describes the cluster (or the Serverless namespace and workgroup) once per turn of the state
// machine's wait loop.
import { describeClusterForWait } from './lib/steps/clusterSteps';
import type { StepDeps } from './lib/ports/stepDeps';
import { parseClusterEvent } from './lib/contracts/events';
import type { ClusterEvent, ClusterResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';

/** The DescribeCluster step: `{cluster}` -> the cluster described, attempt + 1. Invoked alone: describes once. */
export async function describeCluster(event: ClusterEvent, deps: StepDeps): Promise<ClusterResult> {
  const cluster = await describeClusterForWait(parseClusterEvent(event, 'describeCluster'), deps);
  deps.logger.info(cluster.message);
  return cluster;
}

export const handler = lambdaHandler(describeCluster);
