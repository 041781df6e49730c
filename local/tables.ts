// Row counts of the warehouse's tables, as `dwh run` reports them at the end of a run.
import type { LocalWarehouse } from './warehouse';

export const WAREHOUSE_TABLES = ['staging_events', 'staging_songs', 'songplays', 'users', 'songs', 'artists', 'time'] as const;
export type TableCounts = Record<(typeof WAREHOUSE_TABLES)[number], number | null>;

/** Counts the rows of each warehouse table; null for a table that does not exist (yet). */
export async function countTables(warehouse: LocalWarehouse): Promise<TableCounts> {
  const existing = new Set(
    (await warehouse.query("select table_name from information_schema.tables where table_schema = 'public'")).map(
      (row) => row.table_name,
    ),
  );
  const counts = {} as TableCounts;
  for (const table of WAREHOUSE_TABLES) {
    counts[table] = existing.has(table)
      ? Number((await warehouse.query(`select count(*) as n from ${table}`))[0].n)
      : null;
  }
  return counts;
}
