// Redshift's load-error system table, stl_load_errors (and Serverless's sys_load_error_detail view of it),
// in a schema of their own on the search path. Rows are written after the COPY's transaction has ended,
// committed or rolled back, so a failed load still explains itself, as on Redshift.
import type { Transaction } from '@electric-sql/pglite';
import { utcTimestamp } from '../../../functions/lib/ports/warehouse';
import { insertStatement, MAX_PARAMETERS } from './insertSql';

export const SCHEMA = 'redshift_system';

/** Creates the system table and view; run on every open (the database may be new or persisted). */
export const SYSTEM_TABLES_SQL = `
create schema if not exists ${SCHEMA};
create table if not exists ${SCHEMA}.stl_load_errors (
    tbl integer,
    starttime timestamp,
    query integer,
    filename char(256),
    line_number bigint,
    colname char(127),
    type char(10),
    col_length char(10),
    position integer,
    raw_line char(1024),
    raw_field_value char(1024),
    err_code integer,
    err_reason char(100)
);
create or replace view ${SCHEMA}.sys_load_error_detail as
select
    query as query_id,
    tbl as table_id,
    starttime as start_time,
    filename as file_name,
    line_number,
    colname as column_name,
    type as column_type,
    col_length as column_length,
    position,
    raw_line,
    raw_field_value,
    err_code as error_code,
    err_reason as error_message
from ${SCHEMA}.stl_load_errors;
`;

/** The session's search path: user tables first, then the system tables by their Redshift names. */
export const SEARCH_PATH_SQL = `set search_path to "$user", public, ${SCHEMA}`;

/** A rejected record, as stl_load_errors describes it. */
export interface RejectedRecord {
  /** The object's s3:// URI. */
  filename: string;
  lineNumber: number;
  colname: string;
  type: string;
  colLength: string;
  position: number;
  rawLine: string;
  rawFieldValue: string;
  errCode: number;
  errReason: string;
}

/** The records one COPY rejected. */
export interface CopyRejections {
  tableId: number;
  startTime: Date;
  records: RejectedRecord[];
}

type Queryable = Pick<Transaction, 'query'>;

const COLUMNS = [
  'tbl',
  'starttime',
  'query',
  'filename',
  'line_number',
  'colname',
  'type',
  'col_length',
  'position',
  'raw_line',
  'raw_field_value',
  'err_code',
  'err_reason',
];
const ROWS_PER_INSERT = Math.floor(MAX_PARAMETERS / COLUMNS.length);

/** Writes the rejected records of these COPYs, each COPY under a new query id. */
export async function writeLoadErrors(db: Queryable, copies: CopyRejections[]): Promise<void> {
  const withRecords = copies.filter((copy) => copy.records.length > 0);
  if (withRecords.length === 0) return;
  const last = await db.query<{ query: number }>(`select coalesce(max(query), 0) as query from ${SCHEMA}.stl_load_errors`);
  let queryId = last.rows[0].query;
  for (const copy of withRecords) {
    queryId += 1;
    const rows = copy.records.map((record) => rowValues(copy, queryId, record));
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      await db.query(insertStatement(`${SCHEMA}.stl_load_errors`, COLUMNS, chunk.length), chunk.flat());
    }
  }
}

/** One row of stl_load_errors, in the order of COLUMNS. */
function rowValues(copy: CopyRejections, queryId: number, record: RejectedRecord): (string | number)[] {
  return [
    copy.tableId,
    utcTimestamp(copy.startTime),
    queryId,
    record.filename,
    record.lineNumber,
    record.colname,
    record.type,
    record.colLength,
    record.position,
    record.rawLine,
    record.rawFieldValue,
    record.errCode,
    record.errReason,
  ];
}

/** The record cut to the widths of Redshift's columns (so a rejected 4 MB line is not kept whole). As on
 * Redshift, multibyte characters of the raw line read as periods; so do NULs, which PostgreSQL text cannot
 * hold, and bytes that are not UTF-8 (kept as lone surrogates, see utf8.ts) wherever they appear. */
export function fitToColumns(record: RejectedRecord): RejectedRecord {
  return {
    ...record,
    filename: record.filename.slice(0, 256),
    colname: record.colname.slice(0, 127),
    type: record.type.slice(0, 10),
    colLength: record.colLength.slice(0, 10),
    rawLine: record.rawLine.slice(0, 1024).replace(/[^\x01-\x7f]/gu, '.'),
    rawFieldValue: record.rawFieldValue.slice(0, 1024).replace(/\0|[\ud800-\udfff]/gu, '.'),
    errReason: record.errReason.slice(0, 100).replace(/[\ud800-\udfff]/gu, '.'),
  };
}
