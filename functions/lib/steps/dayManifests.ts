// The files of a day run and their COPY manifests: a day is the log file its key template names; each day that
// has one gets a manifest listing exactly that file (so COPY reads it and nothing that merely shares its prefix),
// written to the manifest location under the execution's name.
import { MissingDayError, SettingsError } from '../contracts/errors';
import { applyOverrides, daysOf, type DayManifest, type Overrides, type Settings } from '../contracts/settings';
import { parseS3Uri } from '../contracts/s3Uri';
import type { StepDeps } from '../ports/stepDeps';

/** The S3 URI of a day's log file: the template's {yyyy}, {mm}, {dd} filled in, in the log bucket; refused when
 * it is not within the log prefix (the Redshift role may read only that). */
export function dayFileUri(settings: Settings, day: string): string {
  const [yyyy, mm, dd] = day.split('-');
  const key = settings.logFileTemplate.replaceAll('{yyyy}', yyyy).replaceAll('{mm}', mm).replaceAll('{dd}', dd);
  const { bucket } = parseS3Uri(settings.sources.logData);
  const uri = `s3://${bucket}/${key}`;
  if (!uri.startsWith(settings.sources.logData)) {
    throw new SettingsError(`The log file of ${day}, ${uri} (DWH_LOG_FILE_TEMPLATE), is not within the log data ${settings.sources.logData}`);
  }
  return uri;
}

/** A manifest of one file, as Redshift reads it (docs: "Using a manifest to specify data files"). */
export function manifestOf(fileUri: string, contentLength: number): string {
  return JSON.stringify({ entries: [{ url: fileUri, mandatory: true, meta: { content_length: contentLength } }] }, null, 2);
}

/** Writes the manifest of each day of the run that has a file; a day without one fails naming its key, unless
 * the input allows missing days. Returns the manifests, by day. */
export async function writeDayManifests(overrides: Overrides, execution: string, deps: StepDeps): Promise<DayManifest[]> {
  const settings = applyOverrides(deps.settings, overrides);
  const { days } = overrides;
  if (!days || !settings.manifestLocation) throw new SettingsError('writeManifests needs the days of a day run ($.overrides.days)');
  const manifests: DayManifest[] = [];
  const missing: string[] = [];
  for (const day of daysOf(days.from, days.to)) {
    const file = dayFileUri(settings, day);
    const size = await deps.objects.size(file);
    if (size === undefined) {
      missing.push(`${day} (${file})`);
      continue;
    }
    const manifest = `${settings.manifestLocation}/${execution}/${day}.manifest`;
    await deps.objects.put(manifest, manifestOf(file, size));
    manifests.push({ day, manifest });
  }
  if (missing.length > 0 && !days.allowMissing) {
    throw new MissingDayError(
      `No log file for ${missing.join(', ')}: the run changes nothing; ` + 'give "allowMissing": true in $.days to load such a day as empty',
    );
  }
  if (missing.length > 0) deps.logger.info(`No log file for ${missing.join(', ')}: loaded as empty days`);
  return manifests;
}
