// describeStatement: describes a submitted statement once per turn of a SQL step's poll loop.
import type { StepDeps } from './lib/deps';
import { parseDescribeStatementEvent } from './lib/events';
import type { DescribeStatementEvent, StatementResult } from './lib/events';
import { lambdaHandler } from './lib/lambdaHandler';
import { describeStatementResult } from './lib/statementStatus';

/** The DescribeStatement step: `{statement}` -> its new status, attempt + 1, and a message (on FAILED or
 * ABORTED, the database's error text and, for loadStaging, the first load errors). Never throws on FAILED. */
export async function describeStatement(event: DescribeStatementEvent, deps: StepDeps): Promise<StatementResult> {
  const { statement } = parseDescribeStatementEvent(event);
  const result = await describeStatementResult(statement, deps);
  deps.logger.info(result.message);
  return result;
}

export const handler = lambdaHandler(describeStatement);
