// Loading the sql/ files: rendering their {{placeholders}} with validated, quoted values, and splitting
// them into statements. Both targets run exactly what comes out of here.
import analyzeSql from '../../../sql/analyze.sql';
import createTablesSql from '../../../sql/create_tables.sql';
import insertTablesSql from '../../../sql/insert_tables.sql';
import loadErrorsServerlessSql from '../../../sql/load_errors_serverless.sql';
import loadErrorsSql from '../../../sql/load_errors.sql';
import loadLogDataSql from '../../../sql/load_log_data.sql';
import loadLogDaySql from '../../../sql/load_log_day.sql';
import loadSongDataSql from '../../../sql/load_song_data.sql';
import loadStagingSql from '../../../sql/load_staging.sql';
import qualityChecksSql from '../../../sql/quality_checks.sql';
import { SqlContractError } from '../contracts/errors';
import type { Settings } from '../contracts/settings';
import { isSymbol, tokenize } from './sqlLexer';
import { utcTimestamp } from '../ports/warehouse';

export const SQL_STEPS = ['createTables', 'loadStaging', 'insertTables', 'analyze'] as const;
export type SqlStep = (typeof SQL_STEPS)[number];

const STEP_FILES: Record<SqlStep, { file: string; text: string }> = {
  createTables: { file: 'sql/create_tables.sql', text: createTablesSql },
  loadStaging: { file: 'sql/load_staging.sql', text: loadStagingSql },
  insertTables: { file: 'sql/insert_tables.sql', text: insertTablesSql },
  analyze: { file: 'sql/analyze.sql', text: analyzeSql },
};

export interface NamedStatement {
  /** From a `-- result: name` line inside the statement's leading comments, if any. */
  name?: string;
  sql: string;
}

/** Quotes a string as a Redshift literal: single quotes doubled, and backslashes too (Redshift reads
 * backslash escapes in literals). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Replaces each `{{name}}` with `values[name]`; a placeholder without a value is an error naming the file. */
export function renderTemplate(template: string, values: Record<string, string>, file: string): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new SqlContractError(`${file}: no value for placeholder {{${name}}}`);
    return values[name];
  });
}

/**
 * Splits SQL text into statements at semicolons outside quotes, quoted identifiers, comments and
 * dollar-quoted bodies (sqlLexer.ts). Comments stay with the statement they precede; a statement of only
 * comments and whitespace is dropped.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let hasSyntax = false;
  const push = (end: number) => {
    if (hasSyntax) statements.push(text.slice(start, end).trim());
    hasSyntax = false;
  };
  for (const token of tokenize(text)) {
    if (isSymbol(token, ';')) {
      push(token.start);
      start = token.end;
    } else if (token.kind !== 'space' && token.kind !== 'comment') {
      hasSyntax = true;
    }
  }
  push(text.length);
  return statements;
}

/** Splits and names statements: the name comes from a `-- result: name` comment line in the statement. */
export function namedStatements(text: string): NamedStatement[] {
  return splitStatements(text).map((sql) => ({ sql, name: /^\s*--\s*result:\s*([a-z_]+)\s*$/m.exec(sql)?.[1] }));
}

/** The values the sql/ files may use, each validated by the settings schema and quoted here; and
 * `{{quality_checks}}`, the checks' one definition (sql/quality_checks.sql), rendered with those values. */
function templateValues(settings: Settings): Record<string, string> {
  const { sources, startTimeWindow } = settings;
  const values = {
    log_data: quoteLiteral(sources.logData),
    song_data: quoteLiteral(sources.songData),
    log_json_format: sources.logJsonPath ? quoteLiteral(sources.logJsonPath) : quoteLiteral('auto ignorecase'),
    role_arn: quoteLiteral(settings.roleArn),
    region: quoteLiteral(settings.sourceRegion),
    start_time_min: `date ${quoteLiteral(startTimeWindow.min)}`,
    start_time_max: `date ${quoteLiteral(startTimeWindow.max)}`,
  };
  return {
    ...values,
    ...runValues(settings, values),
    quality_checks: renderTemplate(qualityChecksSql.trim(), values, QUALITY_CHECKS_FILE),
  };
}

/** A play's id from its event alone: the first 52 bits (13 hex digits: exact as a JavaScript number, which is
 * how the Data API's longValue reaches a client) of an md5 of the fields that identify an event (docs:
 * "STRTOL function", "MD5 function"), a positive bigint whatever else is loaded. */
const SONGPLAY_ID =
  "strtol(substring(md5(coalesce(cast(ts as varchar), '') || '|' || coalesce(userid, '') || '|' || " +
  "coalesce(cast(sessionid as varchar), '') || '|' || coalesce(cast(iteminsession as varchar), '')), 1, 13), 16)";
/** A staging event's ts (epoch milliseconds) as the timestamp a play starts at. */
export const START_TIME = "timestamp 'epoch' + ts / 1000.0 * interval '1 second'";
/** The day of the log file a staging event came from: its file's in a day run, its own UTC date in a full run. */
const LOG_DAY = `coalesce(log_day, cast(${START_TIME} as date))`;

/** What a full run or a run of days loads and replaces (sql/load_staging.sql, sql/insert_tables.sql). */
function runValues(settings: Settings, values: Record<string, string>): Record<string, string> {
  const { run } = settings;
  const reloadSongs = !run || run.reloadSongs;
  const include = (file: string, text: string, extra: Record<string, string> = {}) => renderTemplate(text.trim(), { ...values, ...extra }, file);
  const copyLogs = (from: string, manifest: boolean) =>
    include('sql/load_log_data.sql', loadLogDataSql, { log_from: quoteLiteral(from), log_manifest: manifest ? '\nmanifest' : '' });
  const logDays = (run?.manifests ?? []).map(({ day, manifest }) =>
    [copyLogs(manifest, true), include('sql/load_log_day.sql', loadLogDaySql, { log_day: `date ${quoteLiteral(day)}` })].join('\n\n'),
  );
  return {
    songplay_id: SONGPLAY_ID,
    start_time: START_TIME,
    log_day: LOG_DAY,
    full_run: run ? 'false' : 'true',
    replaced_days: run ? `log_day between date ${quoteLiteral(run.days.from)} and date ${quoteLiteral(run.days.to)}` : 'true',
    load_log_data: run ? logDays.join('\n\n') : copyLogs(settings.sources.logData, false),
    drop_staging_songs: reloadSongs ? 'drop table if exists staging_songs;' : '',
    load_song_data: reloadSongs ? include('sql/load_song_data.sql', loadSongDataSql) : '',
    songs_reused: reloadSongs ? 'false' : 'true',
  };
}

const QUALITY_CHECKS_FILE = 'sql/quality_checks.sql';

/** The sql/ file a step runs, as named in error messages. */
export function stepFile(step: SqlStep): string {
  return STEP_FILES[step].file;
}

/** The statements of a SQL step, rendered for these settings. */
export function stepStatements(step: SqlStep, settings: Settings): NamedStatement[] {
  const { file, text } = STEP_FILES[step];
  return namedStatements(renderTemplate(text, templateValues(settings), file));
}

/** The query for the load errors recorded since `since` (a Date), on the settings' kind of Redshift. */
export function loadErrorsStatement(settings: Settings, since: Date): string {
  const serverless = settings.redshift === 'serverless';
  const file = serverless ? 'sql/load_errors_serverless.sql' : 'sql/load_errors.sql';
  const text = serverless ? loadErrorsServerlessSql : loadErrorsSql;
  const [statement] = splitStatements(renderTemplate(text, { since: quoteLiteral(utcTimestamp(since)) }, file));
  return statement;
}
