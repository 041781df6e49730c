// describeStatement: describes a submitted statement once per turn of a SQL step's poll loop.
import type { StepDeps } from './lib/ports/stepDeps';
import { parseDescribeStatementEvent } from './lib/contracts/events';
import type { DescribeStatementEvent, StatementResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';
import { describeStatementResult } from './lib/steps/describeStatementResult';

/** The DescribeStatement step: `{statement}` -> its new status, attempt + 1, and a message (on FAILED or
 * ABORTED, the database's error text and, for loadStaging, the first load errors). Never throws on FAILED. */
export async function describeStatement(event: DescribeStatementEvent, deps: StepDeps): Promise<StatementResult> {
  const { statement } = parseDescribeStatementEvent(event);
  const result = await describeStatementResult(statement, deps);
  deps.logger.info(result.message);
  return result;
}

export const handler = lambdaHandler(describeStatement);
