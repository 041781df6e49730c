// The Warehouse port: what the SQL steps need of a database, shaped like the Redshift Data API.
// Adapters: dataApiWarehouse.ts (AWS) and local/warehouse (PGlite).

/** Statuses of a Data API statement (DescribeStatement's Status), the one list: the event schema and the
 * Data API adapter check against it. */
export const STATEMENT_STATUSES = ['SUBMITTED', 'PICKED', 'STARTED', 'FINISHED', 'FAILED', 'ABORTED'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/** Statuses a poll loop keeps waiting on; anything else is final. */
export const IN_PROGRESS_STATUSES: readonly StatementStatus[] = ['SUBMITTED', 'PICKED', 'STARTED'];

export interface SubStatementDescription {
  /** `<batch id>:<n>`, n counting from 1, as the Data API names them. */
  id: string;
  status: StatementStatus;
  error?: string;
  hasResultSet: boolean;
  rowsAffected?: number;
}

export interface StatementDescription {
  id: string;
  status: StatementStatus;
  /** The database's error text when FAILED or ABORTED. */
  error?: string;
  /** When the statement was created (ISO 8601, UTC). */
  createdAt: string;
  subStatements: SubStatementDescription[];
}

/** BatchExecuteStatement's limits: statements per batch, and UTF-8 bytes per statement. */
export const MAX_BATCH_STATEMENTS = 40;
export const MAX_STATEMENT_BYTES = 100 * 1024;

/** What breaks BatchExecuteStatement's limits in a batch, if anything (callers word the error). */
export type BatchLimitBreach =
  | { kind: 'statements'; count: number }
  | { kind: 'bytes'; statement: number /* 1-based */; bytes: number };

/** The first limit a batch breaks: too many statements, or a statement over the size limit. */
export function batchLimitBreach(statements: string[]): BatchLimitBreach | undefined {
  if (statements.length > MAX_BATCH_STATEMENTS) return { kind: 'statements', count: statements.length };
  for (const [index, sql] of statements.entries()) {
    const bytes = Buffer.byteLength(sql, 'utf8');
    if (bytes > MAX_STATEMENT_BYTES) return { kind: 'bytes', statement: index + 1, bytes };
  }
  return undefined;
}

/** The one wording of a breach, for the batch named `batch` (a sql/ file, or `Batch <name>`). */
export function describeBatchLimitBreach(breach: BatchLimitBreach, batch: string): string {
  return breach.kind === 'statements'
    ? `${batch} has ${breach.count} statements; one BatchExecuteStatement takes at most ${MAX_BATCH_STATEMENTS}`
    : `${batch}: statement ${breach.statement} is ${breach.bytes} bytes; the Data API takes statements of at most ${MAX_STATEMENT_BYTES} bytes (100 KB)`;
}

/** A time as Redshift and PostgreSQL print a UTC timestamp, the text a Row holds: `2018-11-01 21:01:46.796`. */
export function utcTimestamp(time: Date): string {
  return time.toISOString().replace('T', ' ').replace('Z', '');
}

/** A result row, typed as the Data API types fields: numbers for integer and float columns, strings for
 * text, numeric and timestamps (`YYYY-MM-DD HH:MM:SS[.ffffff]`), booleans, and null. */
export type Row = Record<string, string | number | boolean | null>;

export interface Warehouse {
  /** Submits statements to run in order as one transaction (BatchExecuteStatement); returns the statement id. */
  submit(statements: string[], name: string): Promise<string>;
  /** Describes a submitted statement (DescribeStatement). */
  describe(id: string): Promise<StatementDescription>;
  /** Every row of a (sub-)statement's result set, all pages read (GetStatementResult). */
  fetchRows(id: string): Promise<Row[]>;
}
