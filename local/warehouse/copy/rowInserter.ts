// Writing a COPY's rows: many per INSERT statement.
import { insertStatement, MAX_PARAMETERS } from './insertSql';
import type { Queryable, TargetColumn } from './targetColumns';

/** Rows per INSERT, at most (fewer for wide tables, within MAX_PARAMETERS). */
const MAX_ROWS_PER_INSERT = 1000;

/** Collects rows and inserts them many per statement. */
export function batchInserter(db: Queryable, table: string, columns: TargetColumn[]) {
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
