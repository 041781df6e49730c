// Explains a failed COPY: the first rows of the load-error table (stl_load_errors on a cluster,
// sys_load_error_detail on Serverless) since the load statement was created, read through the Warehouse port.
// Under the state machine the lookup is its own steps (explainLoadFailure, describeStatement, reportLoadFailure);
// a load invoked alone waits for it here (lookUpLoadErrors), the one exception to "no handler waits".
import type { StepDeps } from '../ports/stepDeps';
import { EXPLAIN_LOAD_FAILURE, type StatementResult } from '../contracts/events';
import { loadErrorsStatement } from '../sql/sql';
import type { Row } from '../ports/warehouse';

/** How often, and how many times, a load invoked alone describes the lookup before it counts as timed out. */
export const LOAD_ERRORS_POLL_MS = 1000;
export const LOAD_ERRORS_POLLS = 10;

/** The Data API StatementName of the lookup. */
const LOOKUP_NAME = 'sparkify-dwh-load-errors';

/** One load error as a sentence: `file F, line L, column C: reason (value 'V')`. */
export function formatLoadError(row: Row): string {
  const text = (value: Row[string] | undefined) => String(value ?? '').trim();
  return (
    `file ${text(row.file_name)}, line ${text(row.line_number)}, column ${text(row.column_name)}: ` +
    `${text(row.error_reason)} (value '${text(row.raw_field_value)}')`
  );
}

/** The sentence on the rows the lookup read. */
export function loadErrorsSentence(rows: Row[], since: string): string {
  if (rows.length === 0) return `No load errors recorded since ${since}`;
  return `First load errors: ${rows.map(formatLoadError).join('; ')}`;
}

/** The failed load's message, followed by the sentence on its load errors. */
export function withLoadErrors(message: string, sentence: string): string {
  return `${message}${/[.!?]$/.test(message) ? '' : '.'} ${sentence}`;
}

/** Submits the lookup of the load errors recorded since the load was created; returns it as SUBMITTED. */
export async function submitLoadErrorLookup(load: StatementResult, deps: StepDeps): Promise<StatementResult> {
  const createdAt = new Date().toISOString();
  const id = await deps.warehouse.submit([loadErrorsStatement(deps.settings, new Date(load.createdAt))], LOOKUP_NAME);
  const message = `${EXPLAIN_LOAD_FAILURE}: the load errors since ${load.createdAt} looked up as statement ${id}`;
  deps.logger.info(message);
  return { step: EXPLAIN_LOAD_FAILURE, id, status: 'SUBMITTED', createdAt, attempt: 0, message };
}

/** The rows of the FINISHED lookup (its one statement, `<id>:1`). */
export function readLoadErrors(lookup: StatementResult, deps: StepDeps): Promise<Row[]> {
  return deps.warehouse.fetchRows(`${lookup.id}:1`);
}

/** Runs the lookup and waits for it briefly; returns rows, or the reason there are none. */
async function queryLoadErrors(load: StatementResult, deps: StepDeps): Promise<Row[] | string> {
  const lookup = await submitLoadErrorLookup(load, deps);
  for (let poll = 1; poll <= LOAD_ERRORS_POLLS; poll += 1) {
    const description = await deps.warehouse.describe(lookup.id);
    if (description.status === 'FINISHED') return readLoadErrors(lookup, deps);
    if (description.status === 'FAILED' || description.status === 'ABORTED') {
      return `the lookup ${description.status}: ${description.error ?? 'no error text'}`;
    }
    if (poll < LOAD_ERRORS_POLLS) await deps.sleep(LOAD_ERRORS_POLL_MS);
  }
  return `the lookup did not finish within ${(LOAD_ERRORS_POLLS * LOAD_ERRORS_POLL_MS) / 1000} s`;
}

/** For a load invoked alone: a sentence on the load errors recorded since the load was created, waiting for the
 * lookup. Never throws: a failed or slow lookup is reported in the sentence, so the load's own failure stays the
 * one that counts. */
export async function lookUpLoadErrors(load: StatementResult, deps: StepDeps): Promise<string> {
  try {
    const rows = await queryLoadErrors(load, deps);
    if (typeof rows === 'string') return `Load errors could not be read: ${rows}`;
    return loadErrorsSentence(rows, load.createdAt);
  } catch (error) {
    return `Load errors could not be read: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
}
