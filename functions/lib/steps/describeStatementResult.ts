// What a described statement means for its step: the new status, the attempt count, and a sentence that
// carries the database's error text into a Fail state's Cause (a failed load's errors are added by
// reportLoadFailure, or by the load itself when invoked alone).
import type { StepDeps } from '../ports/stepDeps';
import type { StatementResult } from '../contracts/events';
import { IN_PROGRESS_STATUSES, type StatementDescription } from '../ports/warehouse';

/** The database's error text for a FAILED or ABORTED statement: its own, else its first failed sub-statement's. */
function errorText(description: StatementDescription): string {
  const text = description.error ?? description.subStatements.find((sub) => sub.error)?.error;
  return text ?? `the statement was ${description.status} without an error text`;
}

/** The sentence for a described statement. */
function statementMessage(statement: StatementResult, description: StatementDescription, attempt: number): string {
  const { step, id } = statement;
  if (IN_PROGRESS_STATUSES.includes(description.status)) {
    return `${step} is ${description.status} (statement ${id}, described ${attempt} time${attempt === 1 ? '' : 's'})`;
  }
  if (description.status === 'FINISHED') {
    const counts = description.subStatements.flatMap((sub) => (sub.rowsAffected === undefined ? [] : [sub.rowsAffected]));
    const rows = counts.length ? `, ${counts.reduce((sum, count) => sum + count, 0)} rows affected` : '';
    return `${step} finished (statement ${id}${rows})`;
  }
  return `${step} failed: ${errorText(description)}`;
}

/** Describes the statement once: its new status, attempt + 1, and the sentence. Does not throw on FAILED:
 * the state machine routes that status to a Fail state whose Cause is the message. */
export async function describeStatementResult(statement: StatementResult, deps: StepDeps): Promise<StatementResult> {
  const description = await deps.warehouse.describe(statement.id);
  const attempt = statement.attempt + 1;
  const message = statementMessage(statement, description, attempt);
  return { ...statement, status: description.status, attempt, message };
}
