// Loading a COPY's rows with PostgreSQL's own COPY: PGlite reads COPY data (text or binary: rowFormat.ts) from a
// Blob (its '/dev/blob'), a chunk per statement. It runs in the caller's transaction: a failed COPY loads nothing.
import { rowFormat } from './rowFormat';
import type { Queryable, TargetColumn } from './targetColumns';

/** Loads chunks of COPY data into the table's columns, counting rows and time. */
export function rowCopier(db: Queryable, table: string, columns: TargetColumn[]) {
  const names = columns.map((column) => `"${column.name.replace(/"/g, '""')}"`).join(', ');
  const { option } = rowFormat(columns);
  const statement = `copy ${table} (${names}) from '/dev/blob' ${option}`.trimEnd();
  let copied = 0;
  let copyMs = 0;
  return {
    /** Loads a chunk of COPY data (whole rows, in an ArrayBuffer of their own). */
    async load(bytes: Uint8Array) {
      const started = performance.now();
      const result = await db.query(statement, [], { blob: blobOf(bytes) });
      copyMs += performance.now() - started;
      copied += result.affectedRows ?? 0;
    },
    count: () => copied,
    /** Time spent in PostgreSQL's COPY so far. */
    copyMs: () => copyMs,
  };
}

/** What PGlite (0.5.14) reads of a query's blob: its bytes, once, with arrayBuffer() before the query runs. Handing
 * it the chunk's own ArrayBuffer (conversion.ts makes each chunk's bytes own one) spares two copies of every chunk (a
 * Blob's, then arrayBuffer()'s): at a million events they kept about 200 MB alive between collections. */
function blobOf(bytes: Uint8Array): Blob {
  return { arrayBuffer: async () => bytes.buffer } as unknown as Blob;
}
