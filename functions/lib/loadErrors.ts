// Explains a failed COPY: the first rows of the load-error table (stl_load_errors on a cluster,
// sys_load_error_detail on Serverless) since the load statement was created, read through the Warehouse port.
import type { StepDeps } from './deps';
import { loadErrorsStatement } from './sql';
import type { Row } from './warehouse';

/** How often, and how many times, the lookup is described before it counts as timed out. */
export const LOAD_ERRORS_POLL_MS = 1000;
export const LOAD_ERRORS_POLLS = 10;

/** One load error as a sentence: `file F, line L, column C: reason (value 'V')`. */
export function formatLoadError(row: Row): string {
  const text = (value: Row[string] | undefined) => String(value ?? '').trim();
  return (
    `file ${text(row.file_name)}, line ${text(row.line_number)}, column ${text(row.column_name)}: ` +
    `${text(row.error_reason)} (value '${text(row.raw_field_value)}')`
  );
}

/** Runs the lookup and waits for it briefly; returns rows, or the reason there are none. */
async function queryLoadErrors(since: string, deps: StepDeps): Promise<Row[] | string> {
  const id = await deps.warehouse.submit([loadErrorsStatement(deps.settings, new Date(since))], 'sparkify-dwh-load-errors');
  for (let poll = 1; poll <= LOAD_ERRORS_POLLS; poll += 1) {
    const description = await deps.warehouse.describe(id);
    if (description.status === 'FINISHED') return deps.warehouse.fetchRows(`${id}:1`);
    if (description.status === 'FAILED' || description.status === 'ABORTED') {
      return `the lookup ${description.status}: ${description.error ?? 'no error text'}`;
    }
    if (poll < LOAD_ERRORS_POLLS) await deps.sleep(LOAD_ERRORS_POLL_MS);
  }
  return `the lookup did not finish within ${(LOAD_ERRORS_POLLS * LOAD_ERRORS_POLL_MS) / 1000} s`;
}

/** A sentence on the load errors recorded since `since` (ISO 8601). Never throws: a failed or slow lookup
 * is reported in the sentence, so the load's own failure stays the one that counts. */
export async function describeLoadErrors(since: string, deps: StepDeps): Promise<string> {
  try {
    const rows = await queryLoadErrors(since, deps);
    if (typeof rows === 'string') return `Load errors could not be read: ${rows}`;
    if (rows.length === 0) return `No load errors recorded since ${since}`;
    return `First load errors: ${rows.map(formatLoadError).join('; ')}`;
  } catch (error) {
    return `Load errors could not be read: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
}
