// createTables: creates the five star tables if they do not exist (sql/create_tables.sql), as one transaction.
import type { StepDeps } from './lib/ports/stepDeps';
import type { SqlStepEvent, StatementResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';
import { runSqlStep } from './lib/steps/sqlStep';

/** The CreateTables step: submits sql/create_tables.sql; with `wait: false` returns at once, else waits for the statement. */
export async function createTables(event: SqlStepEvent, deps: StepDeps): Promise<StatementResult> {
  return runSqlStep('createTables', event, deps);
}

export const handler = lambdaHandler(createTables);
