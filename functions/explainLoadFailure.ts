// explainLoadFailure: on a failed load, submits the lookup of its load errors (sql/load_errors.sql, or
// sql/load_errors_serverless.sql) and returns at once; the state machine polls it with describeStatement.
import type { StepDeps } from './lib/ports/stepDeps';
import { parseDescribeStatementEvent } from './lib/contracts/events';
import type { DescribeStatementEvent, StatementResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';
import { submitLoadErrorLookup } from './lib/steps/loadErrorLookup';

/** The ExplainLoadFailure step: `{statement}` (the failed load) -> the lookup, SUBMITTED (attempt 0). */
export async function explainLoadFailure(event: DescribeStatementEvent, deps: StepDeps): Promise<StatementResult> {
  const { statement } = parseDescribeStatementEvent(event, 'explainLoadFailure');
  return submitLoadErrorLookup(statement, deps);
}

export const handler = lambdaHandler(explainLoadFailure);
