// analyze: runs sql/analyze.sql, then reports its named results and fails the run on a failed quality check.
import { reportAnalysis } from './lib/analysis';
import type { StepDeps } from './lib/deps';
import { parseAnalyzeEvent } from './lib/events';
import type { AnalysisResult, AnalyzeEvent, StatementResult } from './lib/events';
import { lambdaHandler } from './lib/lambdaHandler';
import { submitStep, waitForStatement } from './lib/sqlStep';

/** The Analyze step. With `statement` (FINISHED): the report. Without: submits sql/analyze.sql; with
 * `wait: false` returns the statement, else waits for it and reports. */
export async function analyze(event: AnalyzeEvent, deps: StepDeps): Promise<StatementResult | AnalysisResult> {
  const request = parseAnalyzeEvent(event, deps.settings);
  if (request.statement) return reportAnalysis(request.statement, deps);
  const submitted = await submitStep('analyze', request.overrides, deps);
  if (!request.wait) return submitted;
  const statement = await waitForStatement(submitted, deps);
  return statement.status === 'FINISHED' ? reportAnalysis(statement, deps) : statement;
}

export const handler = lambdaHandler(analyze);
