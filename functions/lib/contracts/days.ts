// Which days an execution loads: the daily schedule's input `{"days": "previous"}` means the UTC day before the
// execution's start ($$.Execution.StartTime, which the state machine passes to CreateCluster as `startTime`).
// A person's input names its days; manifests are the pipeline's own and may not come from the input.
import { SettingsError } from './errors';

/** The input with `days: "previous"` replaced by that day; refuses `manifests` in the input. */
export function resolveDays(input: unknown, startTime: string | undefined): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const fields = input as Record<string, unknown>;
  if ('manifests' in fields) {
    throw new SettingsError('Invalid execution input: $.manifests: written by the pipeline (writeManifests), not given in the input');
  }
  if (fields.days !== 'previous') return input;
  const started = Date.parse(startTime ?? '');
  if (Number.isNaN(started)) {
    throw new SettingsError(`Invalid execution input: $.days: "previous" needs the execution's start time, got ${JSON.stringify(startTime)}`);
  }
  const day = new Date(started - 86_400_000).toISOString().slice(0, 10);
  return { ...fields, days: { from: day, to: day } };
}
