// createCluster: validates the execution input, then ensures the Redshift role and the cluster (created,
// reused, or resumed), or on Redshift Serverless the namespace (the role attached) and the workgroup.
// Result: the whole state.
import { provisionCluster } from './lib/steps/clusterSteps';
import type { StepDeps } from './lib/ports/stepDeps';
import type { CreateClusterEvent, PipelineState } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';
import { parseOverrides } from './lib/contracts/settings';
import { resolveDays } from './lib/contracts/days';

/** The CreateCluster step: `{input, startTime}` -> `{overrides, cluster}`; a bad input fails before any AWS call. */
export async function createCluster(event: CreateClusterEvent, deps: StepDeps): Promise<PipelineState> {
  const overrides = parseOverrides(resolveDays(event?.input, event?.startTime), deps.settings);
  const cluster = await provisionCluster(deps);
  deps.logger.info(cluster.message);
  return { overrides, cluster };
}

export const handler = lambdaHandler(createCluster);
