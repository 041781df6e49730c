// Loading a COPY's rows with PostgreSQL's own COPY: PGlite reads COPY text from a Blob (its '/dev/blob'), a chunk
// per statement. It runs in the caller's transaction: a failed COPY loads nothing.
import type { Queryable, TargetColumn } from './targetColumns';

/** Loads chunks of COPY text into the table's columns, counting rows and time. */
export function rowCopier(db: Queryable, table: string, columns: TargetColumn[]) {
  const names = columns.map((column) => `"${column.name.replace(/"/g, '""')}"`).join(', ');
  const statement = `copy ${table} (${names}) from '/dev/blob'`;
  let copied = 0;
  let copyMs = 0;
  return {
    /** Loads a chunk of COPY text (whole lines). */
    async load(text: string) {
      const started = performance.now();
      const result = await db.query(statement, [], { blob: new Blob([text]) });
      copyMs += performance.now() - started;
      copied += result.affectedRows ?? 0;
    },
    count: () => copied,
    /** Time spent in PostgreSQL's COPY so far. */
    copyMs: () => copyMs,
  };
}
