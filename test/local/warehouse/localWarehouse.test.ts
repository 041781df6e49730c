// The Warehouse port on PGlite, shaped like the Data API: batches as one transaction, describe() and its
// sub-statements, fetchRows() typing, the queue that keeps query() out of a running batch, persistence.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BatchTooLargeError } from '../../../functions/lib/contracts/errors';
import { openLocalWarehouse, type LocalWarehouse } from '../../../local/warehouse';
import { temporaryFolder, writeObjects } from './copy/mirror';
import { finalDescription } from './statements';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('a local warehouse in memory', () => {
  let warehouse: LocalWarehouse;
  let bucket: string;

  beforeAll(async () => {
    bucket = await temporaryFolder('warehouse');
    await writeObjects(bucket, { 'numbers/n.json': '{"n": 1}\n{"n": 2}\n' });
    warehouse = await openLocalWarehouse({ buckets: { 'test-bucket': bucket }, describeWaitMs: 60000 });
  });

  afterAll(async () => {
    await warehouse.close();
    await rm(bucket, { recursive: true, force: true });
  });

  it('runs a batch and describes each sub-statement', async () => {
    const id = await warehouse.submit(
      ['create table counted (n integer)', 'insert into counted values (1), (2), (3)', 'select n from counted order by n'],
      'counting',
    );
    const description = await finalDescription(warehouse, id);

    expect(id).toMatch(UUID);
    expect(description).toEqual({
      id,
      status: 'FINISHED',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      subStatements: [
        { id: `${id}:1`, status: 'FINISHED', hasResultSet: false, rowsAffected: 0 },
        { id: `${id}:2`, status: 'FINISHED', hasResultSet: false, rowsAffected: 3 },
        { id: `${id}:3`, status: 'FINISHED', hasResultSet: true, rowsAffected: 3 },
      ],
    });
    expect(await warehouse.fetchRows(`${id}:3`)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('answers describe() of a running batch once it ends, within describeWaitMs', async () => {
    const id = await warehouse.submit(
      ['create table waited (n integer)', "copy waited from 's3://test-bucket/numbers/' iam_role default json 'auto'"],
      'waiting',
    );

    expect((await warehouse.describe(id)).status).toBe('FINISHED');
  });

  it('rolls the whole batch back when its third statement fails', async () => {
    const id = await warehouse.submit(
      ['create table rolled (n integer)', 'insert into rolled values (1)', 'insert into rolled values (1 / 0)', 'select 1'],
      'failing',
    );
    const description = await finalDescription(warehouse, id);

    expect(description).toEqual({
      id,
      status: 'FAILED',
      error: 'ERROR: division by zero',
      createdAt: expect.any(String),
      subStatements: [
        { id: `${id}:1`, status: 'FINISHED', hasResultSet: false, rowsAffected: 0 },
        { id: `${id}:2`, status: 'FINISHED', hasResultSet: false, rowsAffected: 1 },
        { id: `${id}:3`, status: 'FAILED', hasResultSet: false, error: 'ERROR: division by zero' },
        { id: `${id}:4`, status: 'ABORTED', hasResultSet: false },
      ],
    });
    expect(await warehouse.query("select count(*) as n from information_schema.tables where table_name = 'rolled'")).toEqual([{ n: 0 }]);
  });

  it('fails a batch on a Redshift attribute it does not know, naming it', async () => {
    const description = await finalDescription(warehouse, await warehouse.submit(['create table t (a int) distribute by hash (a)'], 'ddl'));

    expect(description.error).toBe(
      "ERROR: CREATE TABLE t: unsupported table attribute 'distribute' (the local warehouse knows DISTSTYLE, DISTKEY, SORTKEY, ENCODE AUTO and BACKUP)",
    );
  });

  it('types rows as the Data API does', async () => {
    const id = await warehouse.submit(
      [
        `select
            1::smallint as small, 2 as int, 9007199254740991::bigint as safe_big, 9007199254740993::bigint as big,
            1.5::float8 as double, 12.50::numeric(10, 2) as exact, true as flag, 'x'::varchar(4) as text,
            timestamp 'epoch' + 1541110504583 / 1000.0 * interval '1 second' as at,
            date '2018-11-01' as day, null::integer as nothing`,
      ],
      'typing',
    );
    await finalDescription(warehouse, id);

    expect(await warehouse.fetchRows(id)).toEqual([
      {
        small: 1,
        int: 2,
        safe_big: 9007199254740991,
        big: '9007199254740993',
        double: 1.5,
        exact: '12.50',
        flag: true,
        text: 'x',
        at: '2018-11-01 22:15:04.583',
        day: '2018-11-01',
        nothing: null,
      },
    ]);
  });

  it('reads backslash escapes in string literals, as Redshift does', async () => {
    expect(await warehouse.query("select 'it\\'s a\\\\b' as text")).toEqual([{ text: "it's a\\b" }]);
  });

  /** The Data API's answer to a statement the caller may not see. */
  const notFound = (id: string, caller = 'local-user') =>
    Object.assign(
      new Error(`Statement ${id} was not found for ${caller}: the Data API shows a statement only to the IAM identity that submitted it`),
      { name: 'ResourceNotFoundException' },
    );

  it.each([
    ['an unknown id', 'no-such-id', notFound('no-such-id').message],
    ['an unknown sub-statement', ':9', notFound('<id>:9').message],
    ['the plain id of a batch of several statements', '', 'Statement <id> is a batch of 2 statements: fetch the rows of <id>:<n>'],
    ['a statement without a result set', ':1', 'Statement <id>:1 has no result set'],
  ])('refuses to fetch the rows of %s', async (_case, suffix, message) => {
    const id = await warehouse.submit(['create temp table scratch (n integer)', 'select 1 as one'], 'fetching');
    await finalDescription(warehouse, id);
    const target = suffix === 'no-such-id' ? suffix : `${id}${suffix}`;

    await expect(warehouse.fetchRows(target)).rejects.toThrow(new Error(message.replaceAll('<id>', id)));
    await warehouse.query('drop table scratch');
  });

  it('refuses to fetch the rows of a statement the batch aborted', async () => {
    const id = await warehouse.submit(['select 1 / 0', 'select 1 as one'], 'aborting');
    await finalDescription(warehouse, id);

    await expect(warehouse.fetchRows(`${id}:2`)).rejects.toThrow(new Error(`Statement ${id}:2 is ABORTED: it has no result to fetch`));
  });

  it('refuses to describe an unknown id, as the Data API does', async () => {
    await expect(warehouse.describe('no-such-id')).rejects.toMatchObject(notFound('no-such-id'));
  });

  it('lets only the identity that submitted a statement describe it or read its rows', async () => {
    const owner = warehouse.as('DataApiRole');
    const id = await owner.submit(['select 7 as seven'], 'owned');

    const described = await owner.describe(id);
    const rows = await owner.fetchRows(`${id}:1`);

    expect(described.status).toBe('FINISHED');
    expect(rows).toEqual([{ seven: 7 }]);
    await expect(warehouse.as('OtherRole').describe(id)).rejects.toMatchObject(notFound(id, 'OtherRole'));
    await expect(warehouse.as('OtherRole').fetchRows(`${id}:1`)).rejects.toMatchObject(notFound(`${id}:1`, 'OtherRole'));
    await expect(warehouse.describe(id)).rejects.toMatchObject(notFound(id));
  });

  it.each([
    ['no statement', [], new Error('Batch big: no statement to run')],
    ['41 statements', Array.from({ length: 41 }, () => 'select 1'), new BatchTooLargeError('Batch big has 41 statements; one BatchExecuteStatement takes at most 40')],
    [
      'a statement over 100 KB',
      [`select '${'x'.repeat(102400)}'`],
      new BatchTooLargeError('Batch big: statement 1 is 102409 bytes; the Data API takes statements of at most 102400 bytes (100 KB)'),
    ],
  ])('refuses a batch with %s, as BatchExecuteStatement does', async (_case, statements, error) => {
    await expect(warehouse.submit(statements, 'big')).rejects.toMatchObject({ name: error.name, message: error.message });
  });
});

describe('a local warehouse kept in a folder', () => {
  let root: string;

  beforeAll(async () => {
    root = await temporaryFolder('persist');
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('creates the folder and finds its tables and load errors again after a reopen', async () => {
    const dbDir = path.join(root, 'nested', 'db');
    const first = await openLocalWarehouse({ dbDir, buckets: {} });
    await finalDescription(first, await first.submit(['create table kept (n integer)', 'insert into kept values (1), (2)'], 'write'));
    await first.close();

    const second = await openLocalWarehouse({ dbDir, buckets: {} });
    const rows = await second.query('select n from kept order by n');
    const errors = await second.query('select count(*) as n from stl_load_errors');
    await second.close();

    expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect(errors).toEqual([{ n: 0 }]);
  });

  it('refuses work once closed', async () => {
    const warehouse = await openLocalWarehouse({ dbDir: path.join(root, 'closing'), buckets: {} });
    await warehouse.close();

    await expect(warehouse.submit(['select 1'], 'late')).rejects.toThrow(new Error('The local warehouse is closed'));
  });
});
