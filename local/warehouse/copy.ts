// COPY from S3 over the local mirror: list the prefix, stream each object's JSON records, map them to the
// columns ('auto', 'auto ignorecase' or JSONPaths), convert each field as Redshift does, and insert in
// batches. Bad records are rejected into `rejections` (written to stl_load_errors by the caller, after the
// transaction); past MAXERROR of them the COPY fails, and the transaction with it.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Transaction } from '@electric-sql/pglite';
import { parseCopy, type CopyStatement } from './copyStatement';
import {
  columnLength,
  fieldConverter,
  FieldError,
  fieldText,
  type CatalogColumn,
  type FieldConverter,
} from './fieldConversion';
import { insertStatement, MAX_PARAMETERS } from './insertSql';
import { readJsonPaths, selectPath } from './jsonPaths';
import { readJsonRecords, type JsonRecord } from './jsonRecords';
import { fitToColumns, type CopyRejections, type RejectedRecord } from './loadErrors';
import { listObjects, objectPath, type BucketMirrors, type S3Object } from './s3Mirror';

export interface CopyProgress {
  table: string;
  /** The s3:// URI of the object being read. */
  file: string;
  filesDone: number;
  filesTotal: number;
  /** Records read so far in this COPY. */
  rows: number;
}

export interface CopyContext {
  mirrors: BucketMirrors;
  onProgress?: (progress: CopyProgress) => void;
  /** Where each COPY adds the records it rejects. */
  rejections: CopyRejections[];
}

type Queryable = Pick<Transaction, 'query'>;

interface TargetColumn extends CatalogColumn {
  convert: FieldConverter;
}

/** Reports progress every this many records within a file (and at the end of each file). */
const PROGRESS_EVERY = 5000;
/** Rows per INSERT, at most (fewer for wide tables, within MAX_PARAMETERS). */
const MAX_ROWS_PER_INSERT = 1000;
const MALFORMED_JSON = 1216;
const MISSING_NOT_NULL = 1213;

/** Runs a COPY statement in `db` (a transaction); returns the number of rows loaded. */
export async function runCopy(db: Queryable, sql: string, context: CopyContext): Promise<number> {
  const copy = parseCopy(sql);
  const where = `COPY ${copy.table}`;
  const { tableId, columns } = await targetColumns(db, copy, where);
  const extract = await fieldExtractor(copy, columns, context.mirrors, where);
  const objects = await listObjects(context.mirrors, copy.source);

  const rejected: CopyRejections = { tableId, startTime: new Date(), records: [] };
  context.rejections.push(rejected);
  const reject = (record: RejectedRecord) => {
    rejected.records.push(record);
    if (rejected.records.length > copy.maxError) {
      throw new Error(`Load into table '${copy.tableName}' failed. Check 'stl_load_errors' system table for details.`);
    }
  };
  const insert = batchInserter(db, copy.table, columns);
  let read = 0;
  for (const [index, object] of objects.entries()) {
    const progress = (filesDone: number) =>
      context.onProgress?.({ table: copy.tableName, file: object.uri, filesDone, filesTotal: objects.length, rows: read });
    for await (const record of readObject(object, copy.gzip)) {
      read += 1;
      if (record.kind === 'malformed') {
        const fault = { code: MALFORMED_JSON, reason: `Malformed JSON: ${record.reason}` };
        reject(rejection(object, record.line, record.text, fault));
      } else {
        // Redshift names the last line of a JSON object that fails (docs: STL_LOAD_ERRORS.line_number).
        const row = convertRecord(record, columns, extract);
        if (Array.isArray(row)) await insert.add(row);
        else reject(rejection(object, record.endLine, record.text, row));
      }
      if (read % PROGRESS_EVERY === 0) progress(index);
    }
    progress(index + 1);
  }
  await insert.flush();
  return insert.count();
}

/** The target table's id and the columns to load (the column list, or every column but identities). */
async function targetColumns(
  db: Queryable,
  copy: CopyStatement,
  where: string,
): Promise<{ tableId: number; columns: TargetColumn[] }> {
  const catalog = await db.query<CatalogColumn & { table_id: number; identity: boolean }>(
    `select
        a.attrelid::int as table_id,
        a.attname as name,
        t.typname as type,
        a.atttypmod as typmod,
        a.attnotnull as "notNull",
        a.attidentity <> '' as identity
    from pg_attribute as a
    join pg_type as t on t.oid = a.atttypid
    where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
    order by a.attnum`,
    [copy.table],
  );
  const all = catalog.rows;
  const chosen = copy.columns
    ? copy.columns.map((name) => {
        const column = all.find((candidate) => candidate.name === name);
        if (!column) throw new Error(`${where}: column "${name}" does not exist in table ${copy.tableName}`);
        return column;
      })
    : all.filter((column) => !column.identity);
  const options = { truncateColumns: copy.truncateColumns, timeFormat: copy.timeFormat, acceptInvChars: copy.acceptInvChars };
  const columns = chosen.map((column) => {
    try {
      return { ...column, convert: fieldConverter(column, options) };
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  });
  return { tableId: all[0]?.table_id ?? 0, columns };
}

/** Picks each column's JSON value out of a record; a string result means the record cannot be mapped. */
type Extractor = (record: unknown) => unknown[] | string;

/** The extractor of the COPY's mapping; a JSONPaths file is read, and checked against the columns, here. */
async function fieldExtractor(
  copy: CopyStatement,
  columns: TargetColumn[],
  mirrors: BucketMirrors,
  where: string,
): Promise<Extractor> {
  const { mapping } = copy;
  if (mapping.kind === 'jsonpaths') {
    const paths = await readJsonPaths(await objectPath(mirrors, mapping.uri), mapping.uri);
    if (paths.length !== columns.length) {
      // Redshift's text; it does not name the file, so the file is added after it.
      throw new Error(
        `${where}: Number of jsonpaths and the number of columns should match. ` +
          `JSONPath size: ${paths.length}, Number of columns in table or column list: ${columns.length} ` +
          `(JSONPaths file ${mapping.uri})`,
      );
    }
    return (record) => paths.map((steps) => selectPath(record, steps));
  }
  const names = columns.map((column) => column.name);
  const notAnObject = `with 'auto' a record must be a JSON object`;
  if (!mapping.ignoreCase) {
    return (record) =>
      isObject(record) ? names.map((name) => (Object.hasOwn(record, name) ? record[name] : undefined)) : notAnObject;
  }
  const lowerNames = names.map((name) => name.toLowerCase());
  return (record) => {
    if (!isObject(record)) return notAnObject;
    const byLowerKey = new Map<string, unknown>();
    for (const [key, value] of Object.entries(record)) {
      const lower = key.toLowerCase();
      if (!byLowerKey.has(lower)) byLowerKey.set(lower, value);
    }
    return lowerNames.map((name) => byLowerKey.get(name));
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Fault {
  code: number;
  reason: string;
  column?: TargetColumn;
  position?: number;
  rawFieldValue?: string;
}

/** A record's row (the fields' texts for PostgreSQL), or the fault that rejects it. */
function convertRecord(
  record: Extract<JsonRecord, { kind: 'record' }>,
  columns: TargetColumn[],
  extract: Extractor,
): (string | null)[] | Fault {
  const values = extract(record.value);
  if (typeof values === 'string') return { code: MALFORMED_JSON, reason: `Invalid JSON record: ${values}` };
  const row: (string | null)[] = [];
  for (const [index, column] of columns.entries()) {
    const text = fieldText(values[index]);
    try {
      const value = text === null ? null : column.convert(text);
      if (value === null && column.notNull) {
        return { code: MISSING_NOT_NULL, reason: 'Missing data for not-null field', column, rawFieldValue: text ?? '' };
      }
      row.push(value);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      return { code: error.code, reason: error.message, column, position: error.position, rawFieldValue: text ?? '' };
    }
  }
  return row;
}

/** The stl_load_errors record of a rejected record. */
function rejection(object: S3Object, line: number, rawLine: string, fault: Fault): RejectedRecord {
  return fitToColumns({
    filename: object.uri,
    lineNumber: line,
    colname: fault.column?.name ?? '',
    type: fault.column?.type ?? '',
    colLength: fault.column ? columnLength(fault.column) : '',
    position: fault.position ?? 0,
    rawLine,
    rawFieldValue: fault.rawFieldValue ?? '',
    errCode: fault.code,
    errReason: fault.reason,
  });
}

/** The object's records, decompressed when the COPY says GZIP; read errors name the object. The bytes go to
 * the reader undecoded, so what is not UTF-8 in them is kept for the columns to judge. */
async function* readObject(object: S3Object, gzip: boolean): AsyncGenerator<JsonRecord> {
  const file = createReadStream(object.path);
  let bytes: Readable = file;
  if (gzip) {
    const gunzip = createGunzip();
    file.on('error', (error) => gunzip.destroy(error));
    bytes = file.pipe(gunzip);
  }
  try {
    yield* readJsonRecords(bytes);
  } catch (error) {
    throw new Error(`Reading ${object.uri} failed: ${(error as Error).message}`);
  } finally {
    bytes.destroy();
    file.destroy();
  }
}

/** Collects rows and inserts them many per statement. */
function batchInserter(db: Queryable, table: string, columns: TargetColumn[]) {
  const names = columns.map((column) => column.name);
  const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / Math.max(names.length, 1))));
  const fullInsert = insertStatement(table, names, perInsert);
  let pending: (string | null)[][] = [];
  let inserted = 0;
  const write = async () => {
    if (pending.length === 0) return;
    const statement = pending.length === perInsert ? fullInsert : insertStatement(table, names, pending.length);
    await db.query(statement, pending.flat());
    inserted += pending.length;
    pending = [];
  };
  return {
    async add(row: (string | null)[]) {
      pending.push(row);
      if (pending.length === perInsert) await write();
    },
    flush: write,
    count: () => inserted,
  };
}
