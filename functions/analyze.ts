// analyze: submits sql/analyze.sql, the analysis and the data quality checks; reportAnalysis reads its results.
import { readAnalysisReport } from './lib/steps/analysis';
import type { StepDeps } from './lib/ports/stepDeps';
import type { AnalysisResult, SqlStepEvent, StatementResult } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';
import { runSqlStep } from './lib/steps/sqlStep';

/** Analyze's statement; invoked alone, with the report on it once it has finished. */
export type AnalyzeResult = StatementResult & { analysis?: AnalysisResult };

/** The Analyze step: submits sql/analyze.sql; with `wait: false` (the state machine) returns at once. Invoked
 * alone it waits for its statement and reports on it as reportAnalysis does: the one exception to "no handler
 * waits" (functions/lib/steps/sqlStep.ts, waitForStatement). */
export async function analyze(event: SqlStepEvent, deps: StepDeps): Promise<AnalyzeResult> {
  const statement = await runSqlStep('analyze', event, deps);
  if (statement.status !== 'FINISHED') return statement;
  return { ...statement, analysis: await readAnalysisReport(statement, deps) };
}

export const handler = lambdaHandler(analyze);
