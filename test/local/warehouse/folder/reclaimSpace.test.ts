// The warehouse folder stays lean: the space of replaced rows is reused run after run, and the files a killed
// process's transaction left behind are removed when the folder is next taken over.
import { spawnSync } from 'node:child_process';
import { lstat, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openLocalWarehouse, type LocalWarehouse } from '../../../../local/warehouse';
import { finalDescription } from '../statements';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-reclaim-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Bytes the database's files take (allocated blocks, as `du` counts them). */
async function databaseBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path.join(dir, 'base'), { withFileTypes: true, recursive: true })) {
    total += (await lstat(path.join(entry.parentPath, entry.name))).blocks * 512;
  }
  return total;
}

/** One run's worth of writes: the table's 20,000 rows replaced in one batch, as InsertTables replaces the star tables. */
async function replaceRows(warehouse: LocalWarehouse): Promise<void> {
  const id = await warehouse.submit(
    [
      'create table if not exists plays (play_id integer, title varchar(200))',
      'delete from plays',
      "insert into plays select n, repeat('a song title ', 6) || n from generate_series(1, 20000) as n",
    ],
    'replace',
  );
  expect((await finalDescription(warehouse, id)).status).toBe('FINISHED');
}

describe('reclaiming the warehouse folder', () => {
  it('keeps the folder within one copy of the table of its size after the first run, over 4 runs that each replace every row', async () => {
    const dir = path.join(root, 'reruns');
    const sizes: number[] = [];
    let tableBytes = 0;
    for (let run = 0; run < 4; run += 1) {
      const warehouse = await openLocalWarehouse({ dbDir: dir, buckets: {} });
      await replaceRows(warehouse);
      if (run === 0) tableBytes = Number((await warehouse.query("select pg_total_relation_size('plays') as bytes"))[0].bytes);
      await warehouse.close();
      sizes.push(await databaseBytes(dir));
    }

    // Were the replaced rows' space not reused, each run would add the table's size again.
    expect(tableBytes).toBeGreaterThan(2_000_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(sizes[0] + tableBytes);
  }, 300_000);

  it('vacuums after each session that wrote, but the one that created the warehouse', async () => {
    const dir = path.join(root, 'first');
    // VACUUM records a table's pages and rows in pg_class: before any, there are none (reltuples -1).
    const vacuumed = async () => {
      const warehouse = await openLocalWarehouse({ dbDir: dir, buckets: {} });
      const [stats] = await warehouse.query("select relallvisible, reltuples from pg_class where relname = 'plays'");
      return { warehouse, stats };
    };
    const created = await openLocalWarehouse({ dbDir: dir, buckets: {} });
    await replaceRows(created);
    await created.close();

    const second = await vacuumed();
    expect(second.stats).toEqual({ relallvisible: 0, reltuples: -1 });
    await replaceRows(second.warehouse);
    await second.warehouse.close();

    const third = await vacuumed();
    expect(third.stats.reltuples).toBe(20000);
    expect(third.stats.relallvisible).toBeGreaterThan(0);
    await third.warehouse.close();
  }, 300_000);

  it('removes the files of relations a killed process was creating when it next takes the folder, and keeps the others', async () => {
    const dir = path.join(root, 'killed');
    const made = await openLocalWarehouse({ dbDir: dir, buckets: {} });
    await made.query('create table kept (n integer)');
    await made.query('insert into kept values (1)');
    const [{ folder, kept }] = await made.query(
      "select (select oid from pg_database where datname = current_database())::text as folder, pg_relation_filenode('kept')::text as kept",
    );
    await made.close();
    const base = path.join(dir, 'base', String(folder));
    // What a process killed during a COPY into a new staging table leaves: its files, unknown to pg_class.
    for (const name of ['987654', '987654_fsm', '987654.1', 't3_987655']) await writeFile(path.join(base, name), 'x'.repeat(8192));
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const lock = (await readdir(dir)).find((name) => /^dwh\.lock\.\d+$/.test(name)) as string;
    await writeFile(path.join(dir, `dwh.lock.${Number(lock.split('.')[2]) + 1}`), JSON.stringify({ holder: { pid: gone, command: 'dwh run', since: '2026-01-01T00:00:00.000Z' } }));

    const warehouse = await openLocalWarehouse({ dbDir: dir, buckets: {} });

    const files = await readdir(base);
    expect(files.filter((name) => name.includes('98765'))).toEqual([]);
    expect(files).toContain(String(kept));
    expect(await warehouse.query('select n from kept')).toEqual([{ n: 1 }]);
    await warehouse.close();
  }, 300_000);
});
