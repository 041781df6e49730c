// reportLoadFailure: reads the rows of the finished load-error lookup and adds them to the failed load's message,
// which the StatementFailed state gives as the run's Cause.
import type { StepDeps } from './lib/ports/stepDeps';
import { parseDescribeStatementEvent } from './lib/contracts/events';
import type { StatementResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';
import { loadErrorsSentence, readLoadErrors, withLoadErrors } from './lib/steps/loadErrorLookup';

/** ReportLoadFailure's event: `{"statement.$": "$.statement", "explanation.$": "$.explanation"}`. */
export interface LoadFailureEvent {
  statement: StatementResult;
  explanation: StatementResult;
}

/** The ReportLoadFailure step: the failed load, its message followed by its first load errors (file, line, column, reason). */
export async function reportLoadFailure(event: LoadFailureEvent, deps: StepDeps): Promise<StatementResult> {
  const { statement } = parseDescribeStatementEvent(event, 'reportLoadFailure');
  const { statement: explanation } = parseDescribeStatementEvent({ statement: event?.explanation }, 'reportLoadFailure ($.explanation)');
  const rows = await readLoadErrors(explanation, deps);
  const message = withLoadErrors(statement.message, loadErrorsSentence(rows, statement.createdAt));
  deps.logger.info(message);
  return { ...statement, message };
}

export const handler = lambdaHandler(reportLoadFailure);
