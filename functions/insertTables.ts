// insertTables: replaces the star tables' rows from staging (sql/insert_tables.sql), as one transaction.
import type { StepDeps } from './lib/ports/stepDeps';
import type { SqlStepEvent, StatementResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';
import { runSqlStep } from './lib/steps/sqlStep';

/** The InsertTables step: submits sql/insert_tables.sql; with `wait: false` returns at once, else waits for the statement. */
export async function insertTables(event: SqlStepEvent, deps: StepDeps): Promise<StatementResult> {
  return runSqlStep('insertTables', event, deps);
}

export const handler = lambdaHandler(insertTables);
