// Every row of every warehouse table in a warehouse folder, in a stable order: what "the warehouse as it was" means
// in the tests of reruns and failures.
import { WAREHOUSE_TABLES } from '../../local/tables';
import { openLocalWarehouse } from '../../local/warehouse';

/** The star tables: what a full run and the same days loaded by day runs must agree on, row for row. */
export const STAR_TABLES = ['songplays', 'users', 'songs', 'artists', 'time'] as const;

export async function dumpWarehouse(dbDir: string, tables: readonly string[] = WAREHOUSE_TABLES): Promise<Record<string, unknown[]>> {
  const warehouse = await openLocalWarehouse({ dbDir, buckets: {} });
  try {
    const dump: Record<string, unknown[]> = {};
    for (const table of tables) dump[table] = await warehouse.query(`select * from ${table} order by 1, 2, 3, 4, 5`);
    return dump;
  } finally {
    await warehouse.close();
  }
}
