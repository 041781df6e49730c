// loadStaging: rebuilds both staging tables from S3 with COPY (sql/load_staging.sql), as one transaction.
import type { StepDeps } from './lib/ports/stepDeps';
import type { SqlStepEvent, StatementResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';
import { runSqlStep } from './lib/steps/sqlStep';

/** The LoadStaging step: submits sql/load_staging.sql; with `wait: false` returns at once, else waits for the statement. */
export async function loadStaging(event: SqlStepEvent, deps: StepDeps): Promise<StatementResult> {
  return runSqlStep('loadStaging', event, deps);
}

export const handler = lambdaHandler(loadStaging);
