// writeManifests: in a day run, checks that each day has its log file and writes the COPY manifest of each.
// Result: the manifests by day (ResultPath $.overrides.manifests), which loadStaging COPYs from.
import type { StepDeps } from './lib/ports/stepDeps';
import type { DayManifest } from './lib/contracts/settings';
import { parseWriteManifestsEvent, type WriteManifestsEvent } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';
import { writeDayManifests } from './lib/steps/dayManifests';

/** The WriteManifests step: `{overrides, execution}` -> the manifests, one per day that has a log file. */
export async function writeManifests(event: WriteManifestsEvent, deps: StepDeps): Promise<DayManifest[]> {
  const { overrides, execution } = parseWriteManifestsEvent(event, deps.settings);
  const manifests = await writeDayManifests(overrides, execution, deps);
  deps.logger.info(`${manifests.length} manifests written under ${deps.settings.manifestLocation}/${execution}/`);
  return manifests;
}

export const handler = lambdaHandler(writeManifests);
