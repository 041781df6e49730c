// COPY from S3 over the local mirror: list the prefix, read each object's JSON records, map them to the columns
// ('auto', 'auto ignorecase' or JSONPaths), convert each field as Redshift does (conversion.ts: on a worker thread
// for large loads), and load the rows that pass with PostgreSQL's COPY, in chunks. Bad records are rejected into
// `rejections` (written to stl_load_errors by the caller, after the transaction); past MAXERROR of them the COPY
// fails, and the transaction with it.
import { stat } from 'node:fs/promises';
import { convertObjects } from './conversion';
import { threadConversion } from './conversionThread';
import { parseCopy } from './copyStatement';
import { fieldExtractor } from './fieldExtractor';
import type { CopyRejections, RejectedRecord } from './loadErrorRows';
import { manifestObjects } from './manifest';
import { rowCopier } from './rowCopier';
import { listObjects, type BucketMirrors } from './s3Mirror';
import { catalogOf, targetColumns, type Queryable } from './targetColumns';

export interface CopyProgress {
  table: string;
  /** The s3:// URI of the object being read. */
  file: string;
  filesDone: number;
  filesTotal: number;
  /** Records read so far in this COPY. */
  rows: number;
}

/** Where a COPY's time went, reported when it has loaded its rows. */
export interface CopyTimes {
  table: string;
  rows: number;
  /** The time the COPY waited for its records to be read, checked and converted (on a thread, the part of the
   * conversion that PostgreSQL's COPY did not cover). */
  convertMs: number;
  /** PostgreSQL's COPY of the converted rows. */
  copyMs: number;
}

export interface CopyContext {
  mirrors: BucketMirrors;
  onProgress?: (progress: CopyProgress) => void;
  onCopied?: (times: CopyTimes) => void;
  /** Where each COPY adds the records it rejects. */
  rejections: CopyRejections[];
}

/** Loads of this many bytes or more are converted on a worker thread (below it, starting one costs more). */
export const THREAD_FROM_BYTES = 8 * 1024 * 1024;

/** Runs a COPY statement in `db` (a transaction); returns the number of rows loaded. */
export async function runCopy(db: Queryable, sql: string, context: CopyContext): Promise<number> {
  const started = performance.now();
  const copy = parseCopy(sql);
  const where = `COPY ${copy.table}`;
  const { tableId, columns } = await targetColumns(db, copy, where);
  const extract = await fieldExtractor(copy, columns, context.mirrors, where);
  const objects = copy.manifest ? await manifestObjects(context.mirrors, copy.source) : await listObjects(context.mirrors, copy.source);

  const rejected: CopyRejections = { tableId, startTime: new Date(), records: [] };
  context.rejections.push(rejected);
  const reject = (record: RejectedRecord) => {
    rejected.records.push(record);
    if (rejected.records.length > copy.maxError) {
      throw new Error(`Load into table '${copy.tableName}' failed. Check 'stl_load_errors' system table for details.`);
    }
  };
  const sizes = await Promise.all(objects.map(async (object) => (await stat(object.path)).size));
  const events =
    sizes.reduce((sum, size) => sum + size, 0) >= THREAD_FROM_BYTES
      ? threadConversion({ copy, columns: catalogOf(columns), mirrors: context.mirrors, objects, where })
      : convertObjects(objects, copy.gzip, columns, extract);
  const copier = rowCopier(db, copy.table, columns);
  for await (const event of events) {
    if (event.kind === 'chunk') await copier.load(event.bytes);
    else if (event.kind === 'rejected') reject(event.record);
    else {
      const { file, filesDone, rows } = event;
      context.onProgress?.({ table: copy.tableName, file: objects[file].uri, filesDone, filesTotal: objects.length, rows });
    }
  }
  const rows = copier.count();
  const copyMs = copier.copyMs();
  context.onCopied?.({ table: copy.tableName, rows, convertMs: performance.now() - started - copyMs, copyMs });
  return rows;
}
