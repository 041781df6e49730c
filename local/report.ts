// How `dwh` prints results for people: terminal tables (cli-table3), plain when the output is not a terminal.
import Table from 'cli-table3';
import type { Row } from '../functions/lib/ports/warehouse';
import type { AnalysisResult } from '../functions/lib/contracts/events';
import type { LocalRunResult } from './runner';

/** A table of rows, columns in the order of the first row's keys. */
export function rowsTable(rows: Row[], colors: boolean): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]);
  const table = new Table({ head: columns, style: colors ? {} : { head: [], border: [] } });
  for (const row of rows) table.push(columns.map((column) => (row[column] === null ? 'NULL' : String(row[column]))));
  return table.toString();
}

/** The end-of-run report: outcome, table row counts, and the analysis (or the failure's cause). */
export function renderRun(result: LocalRunResult, elapsedMs: number, colors: boolean): string {
  const lines = [`Pipeline ${result.status} in ${(elapsedMs / 1000).toFixed(1)} s`];
  if (result.status === 'FAILED') lines.push(`${result.error}: ${result.cause}`);
  lines.push('', 'Tables', rowsTable(Object.entries(result.tables).map(([table, rows]) => ({ table, rows })), colors));
  if (result.analysis) lines.push('', ...analysisReport(result.analysis, colors));
  return lines.join('\n');
}

/** The analysis as tables: users by gender and by level, duplicated user ids, the data quality checks. */
export function analysisReport(analysis: AnalysisResult, colors: boolean): string[] {
  return [
    'Users by gender',
    rowsTable(analysis.usersByGender, colors),
    '',
    'Users by level',
    rowsTable(analysis.usersByLevel, colors),
    '',
    `Duplicated user ids: ${analysis.duplicateUserIds}`,
    '',
    'Data quality checks',
    rowsTable(
      analysis.checks.map((check) => ({ check: check.name, failures: check.failures, result: check.passed ? 'passed' : 'FAILED' })),
      colors,
    ),
  ];
}
