// The SQL steps' core (createTables, loadStaging, insertTables, analyze): render the step's sql/ file for the
// execution's settings, submit it as one batch (one transaction), and either return at once (the state
// machine polls with describeStatement) or, invoked alone, poll within the Lambda's time.
import type { StepDeps } from '../ports/stepDeps';
import { BatchTooLargeError, StatementFailedError } from '../contracts/errors';
import { parseSqlStepEvent } from '../contracts/events';
import type { StatementResult } from '../contracts/events';
import { lookUpLoadErrors, withLoadErrors } from './loadErrorLookup';
import { applyOverrides, type Overrides } from '../contracts/settings';
import { stepFile, stepStatements, type SqlStep } from '../sql/sql';
import { describeStatementResult } from './describeStatementResult';
import { batchLimitBreach, describeBatchLimitBreach } from '../ports/warehouse';

/** A standalone step describes its statement this often, and stops this long before the Lambda times out. */
export const POLL_INTERVAL_MS = 3000;
export const SAFETY_MARGIN_MS = 10_000;

/** Refuses a batch the Data API would reject. It is not split: the step must stay one transaction. */
export function checkBatchLimits(step: SqlStep, statements: string[]): void {
  const file = stepFile(step);
  const breach = batchLimitBreach(statements);
  if (!breach) return;
  const message = describeBatchLimitBreach(breach, file);
  throw new BatchTooLargeError(breach.kind === 'statements' ? `${message} (the step runs as one transaction, so it is not split)` : message);
}

/** The Data API StatementName of a step's batch. */
export function statementName(step: SqlStep): string {
  return `sparkify-dwh-${step}`;
}

/** Renders and submits a step's statements as one batch; returns the statement as SUBMITTED (attempt 0). */
export async function submitStep(step: SqlStep, overrides: Overrides, deps: StepDeps): Promise<StatementResult> {
  const settings = applyOverrides(deps.settings, overrides);
  const statements = stepStatements(step, settings).map((statement) => statement.sql);
  checkBatchLimits(step, statements);
  const createdAt = new Date().toISOString();
  const id = await deps.warehouse.submit(statements, statementName(step));
  const message = `${step}: ${stepFile(step)} submitted as statement ${id} (${statements.length} statements, one transaction)`;
  deps.logger.info(message);
  return { step, id, status: 'SUBMITTED', createdAt, attempt: 0, message };
}

/** Polls the statement until it ends or the Lambda's time runs short. FINISHED: returns it; FAILED or ABORTED:
 * a StatementFailedError with describeStatement's message (a failed load's with its load errors); out of time:
 * the statement as it stands, with a message telling how to keep polling.
 * The one place a handler waits: a SQL step invoked alone (`wait` not false). Under the state machine the steps
 * return at once and the Wait -> Describe -> Choice loops do the waiting. */
export async function waitForStatement(submitted: StatementResult, deps: StepDeps): Promise<StatementResult> {
  let statement = submitted;
  while (deps.remainingMs() - POLL_INTERVAL_MS >= SAFETY_MARGIN_MS) {
    await deps.sleep(POLL_INTERVAL_MS);
    statement = await describeStatementResult(statement, deps);
    if (statement.status === 'FINISHED') return statement;
    if (statement.status === 'FAILED' || statement.status === 'ABORTED') {
      if (statement.step !== 'loadStaging') throw new StatementFailedError(statement.message);
      throw new StatementFailedError(withLoadErrors(statement.message, await lookUpLoadErrors(statement, deps)));
    }
  }
  const next = statement.step === 'analyze' ? ', then reportAnalysis with the FINISHED result as "statement"' : '';
  const message =
    `${statement.message}; the Lambda's time is nearly up: keep polling by invoking describeStatement ` +
    `with this result as "statement"${next}`;
  deps.logger.info(message);
  return { ...statement, message };
}

/** A SQL step: validates the event, submits the step's batch, and waits for it unless `wait` is false. */
export async function runSqlStep(step: SqlStep, event: unknown, deps: StepDeps): Promise<StatementResult> {
  const request = parseSqlStepEvent(event, step, deps.settings);
  const submitted = await submitStep(step, request.overrides, deps);
  return request.wait ? waitForStatement(submitted, deps) : submitted;
}
