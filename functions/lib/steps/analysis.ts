// The analysis report: the named results of sql/analyze.sql (each statement's `-- result:` name), read
// from a FINISHED analysis statement, and the data quality verdict.
import type { StepDeps } from '../ports/stepDeps';
import { DataQualityError, InvalidEventError, SqlContractError } from '../contracts/errors';
import type { AnalysisResult, QualityCheck, StatementResult } from '../contracts/events';
import { stepFile, stepStatements } from '../sql/sql';
import type { Row } from '../ports/warehouse';

/** Reads a count from a result row (the Data API returns bigints as numbers, a local warehouse may use strings). */
function countOf(row: Row | undefined, column: string, result: string): number {
  const value = Number(row?.[column]);
  if (row === undefined || !Number.isFinite(value)) {
    throw new SqlContractError(`${stepFile('analyze')}: result ${result} has no numeric ${column}`);
  }
  return value;
}

/** Builds the AnalysisResult from the named results; a result analyze.sql does not produce is an error naming it. */
export function analysisFromResults(results: ReadonlyMap<string, Row[]>): AnalysisResult {
  const result = (name: string): Row[] => {
    const rows = results.get(name);
    if (!rows) throw new SqlContractError(`${stepFile('analyze')} has no statement named by "-- result: ${name}"`);
    return rows;
  };
  const checks: QualityCheck[] = result('quality_checks').map((row) => {
    const failures = countOf(row, 'failures', 'quality_checks');
    return { name: String(row.check_name), failures, passed: failures === 0 };
  });
  return {
    usersByGender: result('users_by_gender'),
    usersByLevel: result('users_by_level'),
    duplicateUserIds: countOf(result('duplicate_user_ids')[0], 'duplicate_user_ids', 'duplicate_user_ids'),
    checks,
  };
}

/** Throws a DataQualityError naming each failed check and its count of offending rows. */
export function assertQualityChecks(analysis: AnalysisResult): void {
  const failed = analysis.checks.filter((check) => !check.passed);
  if (failed.length === 0) return;
  const list = failed.map((check) => `${check.name} (${check.failures} offending row${check.failures === 1 ? '' : 's'})`);
  throw new DataQualityError(`Data quality checks failed: ${list.join(', ')}`);
}

/** Reads every named result of the FINISHED analysis statement (sub-statement `<id>:<n>`, n counting from 1),
 * every page, and returns the report; a failed quality check is a DataQualityError. */
export async function readAnalysisReport(statement: StatementResult, deps: StepDeps): Promise<AnalysisResult> {
  if (statement.step !== 'analyze' || statement.status !== 'FINISHED') {
    throw new InvalidEventError(
      `Invalid event for reportAnalysis: $.statement must be the analyze statement once FINISHED; got ${statement.step} ${statement.status}`,
    );
  }
  const results = new Map<string, Row[]>();
  for (const [index, { name }] of stepStatements('analyze', deps.settings).entries()) {
    if (name) results.set(name, await deps.warehouse.fetchRows(`${statement.id}:${index + 1}`));
  }
  const analysis = analysisFromResults(results);
  deps.logger.info('Analysis read', { analysis });
  assertQualityChecks(analysis);
  return analysis;
}
