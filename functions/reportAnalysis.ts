// reportAnalysis: reads the named results of the finished analysis statement (sql/analyze.sql) and fails the run
// on a failed data quality check.
import { readAnalysisReport } from './lib/steps/analysis';
import type { StepDeps } from './lib/ports/stepDeps';
import { parseDescribeStatementEvent } from './lib/contracts/events';
import type { AnalysisResult, DescribeStatementEvent } from './lib/contracts/events';
import { lambdaHandler } from './lib/aws/lambdaHandler';

/** The ReportAnalysis step: `{statement}` (analyze's, FINISHED) -> the analysis; a failed check is a DataQualityError. */
export async function reportAnalysis(event: DescribeStatementEvent, deps: StepDeps): Promise<AnalysisResult> {
  const { statement } = parseDescribeStatementEvent(event, 'reportAnalysis');
  return readAnalysisReport(statement, deps);
}

export const handler = lambdaHandler(reportAnalysis);
