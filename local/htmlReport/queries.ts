// What the run report reads from the warehouse: the charts' results (sql/report.sql), the data quality checks
// (sql/analyze.sql, as the Analyze step runs them) and a failed load's errors (sql/load_errors*.sql). Every
// query goes through `query`, one statement at a time, so any warehouse that runs Redshift SQL can serve it.
import reportSql from '../../sql/report.sql';
import { analysisFromResults } from '../../functions/lib/steps/analysis';
import { SqlContractError } from '../../functions/lib/contracts/errors';
import type { QualityCheck } from '../../functions/lib/contracts/events';
import type { Settings } from '../../functions/lib/contracts/settings';
import { loadErrorsStatement, namedStatements, stepStatements } from '../../functions/lib/sql/sql';
import type { Row } from '../../functions/lib/ports/warehouse';

export const REPORT_FILE = 'sql/report.sql';
export const CHART_RESULTS = [
  'plays_by_hour',
  'plays_by_weekday',
  'users_by_gender_and_level',
  'plays_by_day_and_level',
  'top_songs',
  'top_artists',
  'matched_plays',
] as const;
export type ChartResult = (typeof CHART_RESULTS)[number];
export type ChartData = Record<ChartResult, Row[]>;

/** Runs one SQL statement and returns its rows, typed as the Data API types them. */
export type Query = (sql: string) => Promise<Row[]>;

/** The named results of sql/report.sql; a result the charts need that the file does not name is an error naming it. */
export async function readChartData(query: Query): Promise<ChartData> {
  const results = new Map<string, Row[]>();
  for (const { name, sql } of namedStatements(reportSql)) if (name) results.set(name, await query(sql));
  const data = {} as ChartData;
  for (const name of CHART_RESULTS) {
    const rows = results.get(name);
    if (!rows) throw new SqlContractError(`${REPORT_FILE} has no statement named by "-- result: ${name}"`);
    data[name] = rows;
  }
  return data;
}

/** The data quality checks of the warehouse as it stands: the statements of sql/analyze.sql, run one by one. */
export async function readQualityChecks(query: Query, settings: Settings): Promise<QualityCheck[]> {
  const results = new Map<string, Row[]>();
  for (const { name, sql } of stepStatements('analyze', settings)) if (name) results.set(name, await query(sql));
  return analysisFromResults(results).checks;
}

/** The first load errors recorded since `since` (the start of a failed run), as the failed load's report reads them. */
export function readLoadErrors(query: Query, settings: Settings, since: Date): Promise<Row[]> {
  return query(loadErrorsStatement(settings, since));
}
