// A COPY's conversion, from its objects to COPY data: each record read, mapped to the columns and converted as
// Redshift converts it, then written as a row of COPY data (rowFormat.ts). What it yields, in order: chunks of rows
// to load, the records it rejects, and progress. The same generator runs in the COPY's thread or in a worker thread
// (conversionThread.ts); either way the COPY handles its events one by one, in order.
import { chunkBuilder } from './chunkBuilder';
import type { Extractor } from './fieldExtractor';
import type { RejectedRecord } from './loadErrorRows';
import { readObject } from './objectRecords';
import { convertRecord, MALFORMED_JSON, rejection } from './recordConversion';
import { rowFormat } from './rowFormat';
import type { S3Object } from './s3Mirror';
import type { TargetColumn } from './targetColumns';

/** Reports progress every this many records within a file (and at the end of each file). */
const PROGRESS_EVERY = 5000;

export type ConversionEvent =
  /** Whole rows of COPY data, in an ArrayBuffer of their own: it can move to another thread, and go to PGlite
   * whole. */
  | { kind: 'chunk'; bytes: Uint8Array }
  | { kind: 'rejected'; record: RejectedRecord }
  /** `file`: the index of the object being read; `rows`: the records read so far in this COPY. */
  | { kind: 'progress'; file: number; filesDone: number; rows: number };

/** Converts the objects' records, in order. */
export async function* convertObjects(
  objects: S3Object[],
  gzip: boolean,
  columns: TargetColumn[],
  extract: Extractor,
): AsyncGenerator<ConversionEvent> {
  const chunks = chunkBuilder(rowFormat(columns));
  let read = 0;
  for (const [index, object] of objects.entries()) {
    for await (const record of readObject(object, gzip)) {
      read += 1;
      if (record.kind === 'malformed') {
        const fault = { code: MALFORMED_JSON, reason: `Malformed JSON: ${record.reason}` };
        yield { kind: 'rejected', record: rejection(object, record.line, record.text, fault) };
      } else {
        // Redshift names the last line of a JSON object that fails (docs: STL_LOAD_ERRORS.line_number).
        const row = convertRecord(record, columns, extract);
        if (Array.isArray(row)) {
          const bytes = chunks.add(row);
          if (bytes) yield { kind: 'chunk', bytes };
        } else {
          yield { kind: 'rejected', record: rejection(object, record.endLine, record.text, row) };
        }
      }
      if (read % PROGRESS_EVERY === 0) yield { kind: 'progress', file: index, filesDone: index, rows: read };
    }
    yield { kind: 'progress', file: index, filesDone: index + 1, rows: read };
  }
  const bytes = chunks.rest();
  if (bytes) yield { kind: 'chunk', bytes };
}
