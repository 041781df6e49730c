// createTables: creates the five star tables if they do not exist (sql/create_tables.sql), as one transaction.
import type { StepDeps } from './lib/deps';
import type { SqlStepEvent, StatementResult } from './lib/events';
import { lambdaHandler } from './lib/lambdaHandler';
import { runSqlStep } from './lib/sqlStep';

/** The CreateTables step: submits sql/create_tables.sql; with `wait: false` returns at once, else waits for the statement. */
export async function createTables(event: SqlStepEvent, deps: StepDeps): Promise<StatementResult> {
  return runSqlStep('createTables', event, deps);
}

export const handler = lambdaHandler(createTables);
