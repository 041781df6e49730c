// The --db folder's rules: a folder of other files refused (naming them) and left untouched, a file refused, file
// system errors said in words with the right kind (bad usage, or a resource that ran out), a creation cut short
// started again, a warehouse made before the marker recognised.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openLocalWarehouse } from '../../../../local/warehouse';
import { readableError } from '../../../../local/warehouse/folder/engineGuard';
import {
  folderError,
  inspectFolder,
  MARKER_FILE,
  WarehouseFolderError,
  WarehouseResourceError,
} from '../../../../local/warehouse/folder/warehouseFolder';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-folder-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('the --db folder', () => {
  it('refuses a folder that holds other files and no warehouse, naming the first five, and writes nothing into it', async () => {
    const dir = path.join(root, 'mine');
    await mkdir(dir);
    for (const name of ['notes.txt', 'b.csv', 'a.csv', 'photos', 'z.md', 'c.json', 'd.json']) await writeFile(path.join(dir, name), 'x');

    const opening = openLocalWarehouse({ dbDir: dir, buckets: {} });

    await expect(opening).rejects.toThrow(WarehouseFolderError);
    await expect(opening).rejects.toThrow(
      `--db ${dir} holds other files and no warehouse (a.csv, b.csv, c.json, d.json, notes.txt and 2 more): ` +
        "choose a new or empty folder, or a warehouse's folder",
    );
    expect((await readdir(dir)).sort()).toEqual(['a.csv', 'b.csv', 'c.json', 'd.json', 'notes.txt', 'photos', 'z.md']);
  });

  it('refuses a --db that is a file, and one under a file', async () => {
    const file = path.join(root, 'file');
    await writeFile(file, 'x');

    await expect(openLocalWarehouse({ dbDir: file, buckets: {} })).rejects.toThrow(
      new WarehouseFolderError(`--db ${file} is a file, not a folder: choose a folder for the warehouse`),
    );
    await expect(openLocalWarehouse({ dbDir: path.join(file, 'db'), buckets: {} })).rejects.toThrow(
      new WarehouseFolderError(`--db ${path.join(file, 'db')}: a part of this path is a file, not a folder: choose a folder for the warehouse`),
    );
  });

  it.each([
    ['EROFS', WarehouseFolderError, '--db /w: the file system is read-only (EROFS): choose a --db folder on a writable file system'],
    ['EACCES', WarehouseFolderError, '--db /w: permission denied (EACCES): choose a --db folder you may write to'],
    ['EPERM', WarehouseFolderError, '--db /w: operation not permitted (EPERM): choose a --db folder you may write to'],
    ['ENOTDIR', WarehouseFolderError, '--db /w: a part of this path is a file, not a folder: choose a folder for the warehouse'],
    ['EEXIST', WarehouseFolderError, '--db /w: a part of this path is a file, not a folder: choose a folder for the warehouse'],
    ['ENOSPC', WarehouseResourceError, '--db /w: no space left on the device (ENOSPC): free some space and run again'],
  ])('says %s on the folder in words', (code, kind, message) => {
    const error = folderError('/w', Object.assign(new Error(`${code}: raw`), { code }));

    expect(error).toBeInstanceOf(kind);
    expect(error.message).toBe(message);
  });

  it('marks a warehouse it creates, and recognises it', async () => {
    const dir = path.join(root, 'new', 'db');

    const warehouse = await openLocalWarehouse({ dbDir: dir, buckets: {} });
    await warehouse.close();

    expect(JSON.parse(await readFile(path.join(dir, MARKER_FILE), 'utf8')).state).toBe('ready');
    expect(await inspectFolder(dir)).toBe('warehouse');
  }, 60_000);

  it.each([
    ['in a folder', true],
    ['in memory', false],
  ])('runs PostgreSQL %s without data checksums and with minimal WAL (engineOptions.ts)', async (_where, inFolder) => {
    const warehouse = await openLocalWarehouse({ dbDir: inFolder ? path.join(root, 'db') : undefined, buckets: {} });
    try {
      expect(await warehouse.query("select current_setting('data_checksums') as checksums, current_setting('wal_level') as wal")).toEqual([
        { checksums: 'off', wal: 'minimal' },
      ]);
    } finally {
      await warehouse.close();
    }
  }, 60_000);

  it('creates a warehouse in a folder as a copy of the template: the database postgres alone', async () => {
    const warehouse = await openLocalWarehouse({ dbDir: path.join(root, 'copied'), buckets: {} });
    try {
      expect(await warehouse.query('select datname from pg_database')).toEqual([{ datname: 'postgres' }]);
    } finally {
      await warehouse.close();
    }
  }, 60_000);

  it('starts again a creation that was cut short, from an empty folder', async () => {
    const dir = path.join(root, 'cut');
    await mkdir(path.join(dir, 'base'), { recursive: true });
    await writeFile(path.join(dir, MARKER_FILE), JSON.stringify({ state: 'creating' }));
    await writeFile(path.join(dir, 'base', 'half-written'), 'x');
    await writeFile(path.join(dir, 'PG_VERSION'), '17\n');

    expect(await inspectFolder(dir)).toBe('unfinished');
    const warehouse = await openLocalWarehouse({ dbDir: dir, buckets: {} });

    expect(await warehouse.query('select 1 as one')).toEqual([{ one: 1 }]);
    await warehouse.close();
    expect(await readdir(path.join(dir, 'base'))).not.toContain('half-written');
    expect(await inspectFolder(dir)).toBe('warehouse');
  }, 60_000);

  it('recognises a warehouse made before the marker by its PG_VERSION, and marks it', async () => {
    const dir = path.join(root, 'older');
    const made = await openLocalWarehouse({ dbDir: dir, buckets: {} });
    await made.query('create table kept (n integer)');
    await made.close();
    await rm(path.join(dir, MARKER_FILE));

    const warehouse = await openLocalWarehouse({ dbDir: dir, buckets: {} });

    expect(await warehouse.query("select count(*) as n from information_schema.tables where table_name = 'kept'")).toEqual([{ n: 1 }]);
    await warehouse.close();
    expect(await inspectFolder(dir)).toBe('warehouse');
  }, 60_000);
});

describe('readableError', () => {
  it.each([
    ['an Emscripten file error', { name: 'ErrnoError', errno: 51 }, 'no space left on the device (ENOSPC)'],
    ['an Emscripten error of another code', { name: 'ErrnoError', errno: 69 }, 'the file system is read-only (EROFS)'],
    ['a Node file error', Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' }), 'EROFS: read-only file system, open'],
    ['an Error', new Error('cannot drop active portal ""'), 'cannot drop active portal ""'],
    ['an object with a message', { message: 'relation "x" does not exist' }, 'relation "x" does not exist'],
    ['another object', { severity: 'PANIC' }, '{"severity":"PANIC"}'],
    ['a string', 'broken', 'broken'],
  ])('says %s in words, never [object Object]', (_, error, text) => {
    expect(readableError(error)).toBe(text);
  });
});
