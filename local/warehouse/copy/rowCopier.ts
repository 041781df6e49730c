// Writing a COPY's rows with PostgreSQL's own COPY: PGlite reads COPY text from a Blob (its '/dev/blob'), sent
// in chunks so that memory stays flat. It runs in the caller's transaction: a failed COPY loads nothing.
import { copyLine } from './copyText';
import type { Queryable, TargetColumn } from './targetColumns';

/** About this many characters of COPY text per COPY statement. */
export const CHUNK_CHARS = 4 * 1024 * 1024;

/** Collects rows as COPY text and loads them a chunk at a time. */
export function rowCopier(db: Queryable, table: string, columns: TargetColumn[]) {
  const names = columns.map((column) => `"${column.name.replace(/"/g, '""')}"`).join(', ');
  const statement = `copy ${table} (${names}) from '/dev/blob'`;
  let lines: string[] = [];
  let chars = 0;
  let copied = 0;
  let copyMs = 0;
  /** Loads a chunk of COPY text (whole lines). */
  const load = async (text: string) => {
    if (text === '') return;
    const started = performance.now();
    const result = await db.query(statement, [], { blob: new Blob([text]) });
    copyMs += performance.now() - started;
    copied += result.affectedRows ?? 0;
  };
  const flush = async () => {
    const text = lines.join('');
    lines = [];
    chars = 0;
    await load(text);
  };
  return {
    async add(row: (string | null)[]) {
      const line = copyLine(row);
      lines.push(line);
      chars += line.length;
      if (chars >= CHUNK_CHARS) await flush();
    },
    load,
    flush,
    count: () => copied,
    /** Time spent in PostgreSQL's COPY so far. */
    copyMs: () => copyMs,
  };
}
