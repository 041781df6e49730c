// Every row of every warehouse table in a warehouse folder, in a stable order: what "the warehouse as it was" means
// in the tests of reruns and failures.
import { WAREHOUSE_TABLES } from '../../local/tables';
import { openLocalWarehouse } from '../../local/warehouse';

export async function dumpWarehouse(dbDir: string): Promise<Record<string, unknown[]>> {
  const warehouse = await openLocalWarehouse({ dbDir, buckets: {} });
  try {
    const dump: Record<string, unknown[]> = {};
    for (const table of WAREHOUSE_TABLES) dump[table] = await warehouse.query(`select * from ${table} order by 1, 2, 3, 4, 5`);
    return dump;
  } finally {
    await warehouse.close();
  }
}
