// analyze: submits sql/analyze.sql, the analysis and the data quality checks; reportAnalysis reads its results.
import { readAnalysisReport } from './lib/analysis';
import type { StepDeps } from './lib/deps';
import type { AnalysisResult, SqlStepEvent, StatementResult } from './lib/events';
import { lambdaHandler } from './lib/lambdaHandler';
import { runSqlStep } from './lib/sqlStep';

/** Analyze's statement; invoked alone, with the report on it once it has finished. */
export type AnalyzeResult = StatementResult & { analysis?: AnalysisResult };

/** The Analyze step: submits sql/analyze.sql; with `wait: false` (the state machine) returns at once. Invoked
 * alone it waits for its statement and reports on it as reportAnalysis does: the one exception to "no handler
 * waits" (functions/lib/sqlStep.ts, waitForStatement). */
export async function analyze(event: SqlStepEvent, deps: StepDeps): Promise<AnalyzeResult> {
  const statement = await runSqlStep('analyze', event, deps);
  if (statement.status !== 'FINISHED') return statement;
  return { ...statement, analysis: await readAnalysisReport(statement, deps) };
}

export const handler = lambdaHandler(analyze);
