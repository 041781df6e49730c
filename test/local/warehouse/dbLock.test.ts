import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openLocalWarehouse } from '../../../local/warehouse';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dwh-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the warehouse folder lock', () => {
  it('refuses a second open of a folder in use, naming the process, and allows it once closed', async () => {
    const first = await openLocalWarehouse({ dbDir: dir, buckets: {} });

    await expect(openLocalWarehouse({ dbDir: dir, buckets: {} })).rejects.toThrow(
      `The warehouse in ${dir} is in use by process ${process.pid} (a running dwh command?): stop it and try again`,
    );
    await first.close();
    const second = await openLocalWarehouse({ dbDir: dir, buckets: {} });
    await second.close();
  });

  it('takes over a lock left by a process that is gone', async () => {
    await writeFile(path.join(dir, 'dwh.lock'), '2147483646');

    const warehouse = await openLocalWarehouse({ dbDir: dir, buckets: {} });

    expect(await warehouse.query('select 1 as one')).toEqual([{ one: 1 }]);
    await warehouse.close();
  });
});
