// COPY from S3 over the local mirror: list the prefix, stream each object's JSON records, map them to the
// columns ('auto', 'auto ignorecase' or JSONPaths), convert each field as Redshift does, and insert in
// batches. Bad records are rejected into `rejections` (written to stl_load_errors by the caller, after the
// transaction); past MAXERROR of them the COPY fails, and the transaction with it.
import { parseCopy } from './copyStatement';
import { fieldExtractor } from './fieldExtractor';
import type { CopyRejections, RejectedRecord } from './loadErrorRows';
import { readObject } from './objectRecords';
import { convertRecord, MALFORMED_JSON, rejection } from './recordConversion';
import { batchInserter } from './rowInserter';
import { manifestObjects } from './manifest';
import { listObjects, type BucketMirrors } from './s3Mirror';
import { targetColumns, type Queryable } from './targetColumns';

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

/** Reports progress every this many records within a file (and at the end of each file). */
const PROGRESS_EVERY = 5000;

/** Runs a COPY statement in `db` (a transaction); returns the number of rows loaded. */
export async function runCopy(db: Queryable, sql: string, context: CopyContext): Promise<number> {
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
