// reportAnalysis: reads the named results of the finished analysis statement (sql/analyze.sql) and fails the run
// on a failed data quality check.
import { readAnalysisReport } from './lib/analysis';
import type { StepDeps } from './lib/deps';
import { parseDescribeStatementEvent } from './lib/events';
import type { AnalysisResult, DescribeStatementEvent } from './lib/events';
import { lambdaHandler } from './lib/lambdaHandler';

/** The ReportAnalysis step: `{statement}` (analyze's, FINISHED) -> the analysis; a failed check is a DataQualityError. */
export async function reportAnalysis(event: DescribeStatementEvent, deps: StepDeps): Promise<AnalysisResult> {
  const { statement } = parseDescribeStatementEvent(event, 'reportAnalysis');
  return readAnalysisReport(statement, deps);
}

export const handler = lambdaHandler(reportAnalysis);
