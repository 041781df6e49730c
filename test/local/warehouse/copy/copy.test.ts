// COPY from S3 over the local mirror, on PGlite: the JSON layouts, prefix semantics, field mapping,
// Redshift's conversions and load errors, MAXERROR, and the all-or-nothing load.
import { rm } from 'node:fs/promises';
import workerThreads from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { loadSettings } from '../../../../functions/lib/contracts/settings';
import { loadErrorsStatement } from '../../../../functions/lib/sql/sql';
import type { StatementDescription } from '../../../../functions/lib/ports/warehouse';
import { openLocalWarehouse, type CopyProgress, type LocalWarehouse } from '../../../../local/warehouse';
import { CHUNK_BYTES } from '../../../../local/warehouse/copy/chunkBuilder';
import { THREAD_FROM_BYTES } from '../../../../local/warehouse/copy/copy';
import { BLOCK_BYTES } from '../../../../local/warehouse/copy/objectRecords';
import { temporaryFolder, writeObjects } from './mirror';
import { finalDescription } from '../statements';

const LOAD_FAILED = (table: string) => `Load into table '${table}' failed. Check 'stl_load_errors' system table for details.`;

let bucket: string;
let warehouse: LocalWarehouse;
let progress: CopyProgress[];

/** The load errors of the latest COPY that had some, trimmed as sql/load_errors.sql reads them. */
const latestLoadErrors = () =>
  warehouse.query(`
    select trim(filename) as filename, line_number, trim(colname) as colname, trim(type) as type,
        trim(col_length) as col_length, position, trim(raw_line) as raw_line,
        trim(raw_field_value) as raw_field_value, err_code, trim(err_reason) as err_reason
    from stl_load_errors
    where query = (select max(query) from stl_load_errors)
    order by line_number`);

/** Submits a batch and waits for its end. */
async function runBatch(statements: string[]): Promise<StatementDescription> {
  const id = await warehouse.submit(statements, 'test');
  return finalDescription(warehouse, id);
}

const copy = (table: string, prefix: string, options = "format as json 'auto'") =>
  `copy ${table} from 's3://test-bucket/${prefix}' iam_role 'arn:aws:iam::000000000000:role/test' ${options}`;

beforeAll(async () => {
  bucket = await temporaryFolder('copy');
  warehouse = await openLocalWarehouse({ buckets: { 'test-bucket': bucket }, onProgress: (event) => progress.push(event) });
});

beforeEach(() => {
  progress = [];
});

afterAll(async () => {
  await warehouse.close();
  await rm(bucket, { recursive: true, force: true });
});

describe('COPY layouts and prefixes', () => {
  beforeAll(() => warehouse.query('create table plays (artist varchar(64), n integer, ts bigint)'));
  beforeEach(() => warehouse.query('delete from plays'));

  it('loads objects one per file, one per line and pretty-printed', async () => {
    await writeObjects(bucket, {
      'layouts/one.json': '{"artist": "Nell O\'Marra", "n": 1, "ts": 1541110504583}',
      'layouts/lines.json': '{"artist": "A", "n": 2, "ts": 1}\n{"artist": "B", "n": 3, "ts": 2}\n',
      'layouts/pretty.json': '{\n  "artist": "C",\n  "n": 4\n}\n{\n  "artist": "D",\n  "n": 5\n}\n',
    });

    await warehouse.query(copy('plays', 'layouts/'));

    expect(await warehouse.query('select * from plays order by n')).toEqual([
      { artist: "Nell O'Marra", n: 1, ts: 1541110504583 },
      { artist: 'A', n: 2, ts: 1 },
      { artist: 'B', n: 3, ts: 2 },
      { artist: 'C', n: 4, ts: null },
      { artist: 'D', n: 5, ts: null },
    ]);
  });

  it('loads every object under a partial key prefix, at any depth, skipping dot-files', async () => {
    await writeObjects(bucket, {
      'prefix/log_data/2018/11/2018-11-01-events.json': '{"artist": "A", "n": 1}',
      'prefix/log_data/2018/11/2018-11-02-events.json': '{"artist": "B", "n": 2}',
      'prefix/log_data/.DS_Store': 'not json at all',
      'prefix/song_data/song.json': '{"artist": "not a log", "n": 3}',
    });

    await warehouse.query(copy('plays', 'prefix/log'));

    expect(await warehouse.query('select artist, n from plays order by n')).toEqual([
      { artist: 'A', n: 1 },
      { artist: 'B', n: 2 },
    ]);
  });

  it('reports progress per file, with the rows read so far', async () => {
    await writeObjects(bucket, {
      'progress/a.json': '{"n": 1}\n{"n": 2}\n',
      'progress/b.json': Array.from({ length: 5000 }, (_, index) => `{"n": ${index}}`).join('\n'),
    });

    await warehouse.query(copy('plays', 'progress/'));

    const file = (name: string) => `s3://test-bucket/progress/${name}`;
    expect(progress).toEqual([
      { table: 'plays', file: file('a.json'), filesDone: 1, filesTotal: 2, rows: 2 },
      { table: 'plays', file: file('b.json'), filesDone: 1, filesTotal: 2, rows: 5000 },
      { table: 'plays', file: file('b.json'), filesDone: 2, filesTotal: 2, rows: 5002 },
    ]);
  });

  it('reads gzip-compressed objects with GZIP', async () => {
    await writeObjects(bucket, { 'gzip/events.json.gz': gzipSync('{"artist": "Z", "n": 9}\n') });

    await warehouse.query(copy('plays', 'gzip/', "format as json 'auto' gzip"));

    expect(await warehouse.query('select artist, n from plays')).toEqual([{ artist: 'Z', n: 9 }]);
  });

  it.each([
    ['a prefix that matches nothing', copy('plays', 'nothing/here'), `The specified S3 prefix 'nothing/here' does not exist (s3://test-bucket/nothing/here, mirrored in `],
    ['a bucket without a mirror', "copy plays from 's3://udacity-dend/log_data' iam_role default json 'auto'", "No local mirror for S3 bucket 'udacity-dend' (mirrored buckets: test-bucket)"],
    ['a table that does not exist', copy('missing_table', 'layouts/'), 'relation "missing_table" does not exist'],
  ])('fails on %s', async (_case, statement, message) => {
    await expect(warehouse.query(statement)).rejects.toThrow(message);
  });
});

describe('COPY field mapping', () => {
  beforeAll(async () => {
    await warehouse.query('create table people (firstname varchar(32), userid varchar(8))');
    await warehouse.query('create table tracks (artist varchar(32), title varchar(32), tag varchar(8))');
    await writeObjects(bucket, {
      // Records of one list of keys, then of another, of the first again, then two of the same keys in another
      // order: each maps by its own keys.
      'people/events.json':
        '{"firstName": "Mireille", "userId": "12"}\n{"firstname": "Rowan", "FIRSTNAME": "Other"}\n' +
        '{"firstName": "Ada", "userId": "13"}\n{"FIRSTNAME": "First", "firstname": "Second", "userId": "7"}\n' +
        '{"FIRSTNAME": "Third", "firstname": "Fourth", "userId": "8"}\n',
      'tracks/data.json': '{"artist": "A", "song": {"title": "T"}, "tags": ["x", "y"]}\n{"artist": "B"}\n',
      'paths/three.json': '{"jsonpaths": ["$[\'artist\']", "$.song.title", "$.tags[1]"]}',
      'paths/two.json': '{"jsonpaths": ["$.artist", "$[\'song\'][\'title\']"]}',
    });
  });
  beforeEach(async () => {
    await warehouse.query('delete from people');
    await warehouse.query('delete from tracks');
  });

  it.each([
    [
      "'auto' (exact key names: camelCase keys load NULL)",
      "format as json 'auto'",
      [
        { firstname: null, userid: null },
        { firstname: null, userid: null },
        { firstname: 'Fourth', userid: null },
        { firstname: 'Rowan', userid: null },
        { firstname: 'Second', userid: null },
      ],
    ],
    [
      "'auto ignorecase' (the first key matching the column whatever its case)",
      "format as json 'auto ignorecase'",
      [
        { firstname: 'Ada', userid: '13' },
        { firstname: 'First', userid: '7' },
        { firstname: 'Mireille', userid: '12' },
        { firstname: 'Rowan', userid: null },
        { firstname: 'Third', userid: '8' },
      ],
    ],
  ])('maps keys to columns with %s', async (_case, options, rows) => {
    await warehouse.query(copy('people', 'people/', options));

    expect(await warehouse.query('select * from people order by firstname nulls first')).toEqual(rows);
  });

  it('maps fields to columns with a JSONPaths file, a missing value as NULL', async () => {
    await warehouse.query(copy('tracks', 'tracks/', "format as json 's3://test-bucket/paths/three.json'"));

    expect(await warehouse.query('select * from tracks order by artist')).toEqual([
      { artist: 'A', title: 'T', tag: 'y' },
      { artist: 'B', title: null, tag: null },
    ]);
  });

  it('maps JSONPaths to the columns of a column list', async () => {
    await warehouse.query(
      `copy tracks (artist, title) from 's3://test-bucket/tracks/' iam_role default json 's3://test-bucket/paths/two.json'`,
    );

    expect(await warehouse.query('select * from tracks order by artist')).toEqual([
      { artist: 'A', title: 'T', tag: null },
      { artist: 'B', title: null, tag: null },
    ]);
  });

  it("refuses a JSONPaths file whose count differs from the columns, with Redshift's text and the file", async () => {
    await expect(warehouse.query(copy('tracks', 'tracks/', "json 's3://test-bucket/paths/two.json'"))).rejects.toThrow(
      new Error(
        'COPY tracks: Number of jsonpaths and the number of columns should match. JSONPath size: 2, Number of columns in table or column list: 3 (JSONPaths file s3://test-bucket/paths/two.json)',
      ),
    );
  });
});

describe('COPY conversions and load errors', () => {
  beforeAll(() => warehouse.query('create table typed (i integer, s varchar(5), ts timestamp)'));
  beforeEach(() => warehouse.query('delete from typed'));

  it.each([
    ['an empty string into an integer as NULL', '{"i": "", "s": "x"}', '', { i: null, s: 'x', ts: null }],
    ['a numeric string into an integer', '{"i": "42"}', '', { i: 42, s: null, ts: null }],
    ['epoch milliseconds into a timestamp with TIMEFORMAT', '{"ts": 1541101357318}', "timeformat 'epochmillisecs'", { i: null, s: null, ts: '2018-11-01 19:42:37.318' }],
    ['a too long string cut with TRUNCATECOLUMNS', '{"s": "Sparkify"}', 'truncatecolumns', { i: null, s: 'Spark', ts: null }],
  ])('loads %s', async (_case, record, options, row) => {
    await writeObjects(bucket, { 'typed/ok.json': record });

    await warehouse.query(copy('typed', 'typed/ok.json', `format as json 'auto' ${options}`));

    expect(await warehouse.query('select * from typed')).toEqual([row]);
  });

  it.each([
    ['"abc" into an integer', '{"i": "abc"}', { colname: 'i', type: 'int4', col_length: '', position: 0, raw_field_value: 'abc', err_code: 1207, err_reason: "Invalid digit, Value 'a', Pos 0, Type: Integer" }],
    ['a fraction into an integer', '{"i": 1.5}', { colname: 'i', type: 'int4', col_length: '', position: 1, raw_field_value: '1.5', err_code: 1207, err_reason: "Invalid digit, Value '.', Pos 1, Type: Integer" }],
    ['a too long string', '{"s": "Sparkify"}', { colname: 's', type: 'varchar', col_length: '5', position: 0, raw_field_value: 'Sparkify', err_code: 1204, err_reason: 'String length exceeds DDL length' }],
  ])('rejects %s, naming file, line, column and reason in stl_load_errors', async (_case, record, error) => {
    await writeObjects(bucket, { 'typed/bad.json': `{"i": 1}\n${record}\n` });

    await expect(warehouse.query(copy('typed', 'typed/bad.json'))).rejects.toThrow(new Error(LOAD_FAILED('typed')));

    expect(await latestLoadErrors()).toEqual([
      { filename: 's3://test-bucket/typed/bad.json', line_number: 2, raw_line: record, ...error },
    ]);
    expect(await warehouse.query('select * from typed')).toEqual([]);
  });

  it('records the raw line with its multibyte characters read as periods, as Redshift does', async () => {
    await writeObjects(bucket, { 'typed/multibyte.json': '{"i": "x", "s": "Mötley Crüe"}' });

    await expect(warehouse.query(copy('typed', 'typed/multibyte.json'))).rejects.toThrow(new Error(LOAD_FAILED('typed')));

    expect((await latestLoadErrors()).map((error) => error.raw_line)).toEqual(['{"i": "x", "s": "M.tley Cr.e"}']);
  });

  it('rejects NULL into a NOT NULL column', async () => {
    await warehouse.query('create table required (id integer not null, note varchar(8))');
    await writeObjects(bucket, { 'required/data.json': '{"note": "no id"}' });

    await expect(warehouse.query(copy('required', 'required/'))).rejects.toThrow(new Error(LOAD_FAILED('required')));

    expect(await latestLoadErrors()).toEqual([
      {
        filename: 's3://test-bucket/required/data.json',
        line_number: 1,
        colname: 'id',
        type: 'int4',
        col_length: '',
        position: 0,
        raw_line: '{"note": "no id"}',
        raw_field_value: '',
        err_code: 1213,
        err_reason: 'Missing data for not-null field',
      },
    ]);
  });

  it('refuses a column type it cannot load, naming the column', async () => {
    await warehouse.query('create table odd (id uuid)');

    await expect(warehouse.query(copy('odd', 'typed/'))).rejects.toThrow(
      new Error(
        'COPY odd: column id has type uuid, which the local COPY does not load (it loads integer, float, numeric, boolean, character, date and timestamp columns)',
      ),
    );
  });
});

describe('COPY numbers, judged on their text in the file', () => {
  beforeAll(() =>
    warehouse.query(
      'create table numbers (big bigint, i integer, small smallint, d double precision, r real, t varchar(32), at timestamp)',
    ),
  );
  beforeEach(() => warehouse.query('delete from numbers'));

  it('loads BIGINT max and integers beyond 2^53 exactly, and a number into varchar as written', async () => {
    await writeObjects(bucket, {
      'numbers/ok.json':
        '{"big": 9223372036854775807, "t": 1540912345678.0}\n{"big": -9223372036854775808, "d": 1.7976931348623157e308, "r": 3.4028235e38}\n{"big": 9007199254740993}\n',
    });

    await warehouse.query(copy('numbers', 'numbers/ok.json'));

    expect(await warehouse.query('select big::text as big, d, r::float8 as r, t from numbers order by big')).toEqual([
      { big: '-9223372036854775808', d: 1.7976931348623157e308, r: 3.4028234663852886e38, t: null },
      { big: '9007199254740993', d: null, r: null, t: null },
      { big: '9223372036854775807', d: null, r: null, t: '1540912345678.0' },
    ]);
  });

  it.each([
    ['BIGINT max + 1 into a bigint', '{"big": 9223372036854775808}', { colname: 'big', type: 'int8', raw_field_value: '9223372036854775808', err_code: 1204, err_reason: 'Overflow (Long valid range -9223372036854775808 to 9223372036854775807)' }],
    ['2^31 into an integer', '{"i": 2147483648}', { colname: 'i', type: 'int4', raw_field_value: '2147483648', err_code: 1204, err_reason: 'Overflow (Integer valid range -2147483648 to 2147483647)' }],
    ['32768 into a smallint', '{"small": 32768}', { colname: 'small', type: 'int2', raw_field_value: '32768', err_code: 1204, err_reason: 'Overflow (Short valid range -32768 to 32767)' }],
    ['1.0 into an integer', '{"i": 1.0}', { colname: 'i', type: 'int4', position: 1, raw_field_value: '1.0', err_code: 1207, err_reason: "Invalid digit, Value '.', Pos 1, Type: Integer" }],
    ['1e3 into a bigint', '{"big": 1e3}', { colname: 'big', type: 'int8', position: 1, raw_field_value: '1e3', err_code: 1207, err_reason: "Invalid digit, Value 'e', Pos 1, Type: Long" }],
    ['1e400 into a double precision', '{"d": 1e400}', { colname: 'd', type: 'float8', raw_field_value: '1e400', err_code: 1204, err_reason: "Overflow, Value '1e400', Type: Double" }],
    ['-1e400 into a double precision', '{"d": -1e400}', { colname: 'd', type: 'float8', raw_field_value: '-1e400', err_code: 1204, err_reason: "Overflow, Value '-1e400', Type: Double" }],
    ['1e-400 into a double precision (too small for it)', '{"d": 1e-400}', { colname: 'd', type: 'float8', raw_field_value: '1e-400', err_code: 1204, err_reason: "Overflow, Value '1e-400', Type: Double" }],
    ['3.5e38 into a real', '{"r": 3.5e38}', { colname: 'r', type: 'float4', raw_field_value: '3.5e38', err_code: 1204, err_reason: "Overflow, Value '3.5e38', Type: Real" }],
  ])('rejects %s, quoting the text in the file, and loads nothing', async (_case, record, error) => {
    await writeObjects(bucket, { 'numbers/bad.json': `{"i": 1}\n${record}\n` });

    await expect(warehouse.query(copy('numbers', 'numbers/bad.json'))).rejects.toThrow(new Error(LOAD_FAILED('numbers')));

    expect(await latestLoadErrors()).toEqual([
      { filename: 's3://test-bucket/numbers/bad.json', line_number: 2, col_length: '', position: 0, raw_line: record, ...error },
    ]);
    expect(await warehouse.query('select * from numbers')).toEqual([]);
  });

  it.each([
    ['after the end of the timestamp range', '9224318016000000'],
    ['before its start', '-210866803200001'],
    ['BIGINT max', '9223372036854775807'],
  ])('rejects epoch milliseconds %s as an invalid timestamp, and loads nothing', async (_case, ts) => {
    await writeObjects(bucket, { 'numbers/time.json': `{"at": 0}\n{"at": ${ts}}\n` });

    await expect(warehouse.query(copy('numbers', 'numbers/time.json', "format as json 'auto' timeformat 'epochmillisecs'"))).rejects.toThrow(
      new Error(LOAD_FAILED('numbers')),
    );

    expect(await latestLoadErrors()).toEqual([
      {
        filename: 's3://test-bucket/numbers/time.json',
        line_number: 2,
        colname: 'at',
        type: 'timestamp',
        col_length: '',
        position: 0,
        raw_line: `{"at": ${ts}}`,
        raw_field_value: ts,
        err_code: 1206,
        err_reason: 'Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]',
      },
    ]);
    expect(await warehouse.query('select * from numbers')).toEqual([]);
  });

  it('loads epoch milliseconds at both ends of the timestamp range', async () => {
    await writeObjects(bucket, { 'numbers/ends.json': '{"at": -210866803200000}\n{"at": 9224318015999999}\n' });

    await warehouse.query(copy('numbers', 'numbers/ends.json', "format as json 'auto' timeformat 'epochmillisecs'"));

    expect(await warehouse.query('select at::text as loaded from numbers order by at')).toEqual([
      { loaded: '4714-11-24 00:00:00 BC' },
      { loaded: '294276-12-31 23:59:59.999' },
    ]);
  });
});

describe('COPY bytes that are not UTF-8', () => {
  beforeAll(() => warehouse.query('create table texts (name varchar(16), n integer)'));
  beforeEach(() => warehouse.query('delete from texts'));

  const line = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => Buffer.from(part as string)));

  it.each([
    ['a lone continuation byte', [0xa4], 'ab.', 'a4 (error 3)'],
    ['a sequence cut short', [0xe0, 0xa1], 'ab..', 'e0a1 (error 2)'],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 'ab...', 'eda080 (error 5)'],
  ])('rejects %s in a varchar, naming file, line, column, position and the bytes, and loads nothing', async (_case, invalid, shown, hex) => {
    await writeObjects(bucket, { 'utf8/bad.json': line('{"name": "ok"}\n{"name": "ab', invalid, '"}\n') });

    await expect(warehouse.query(copy('texts', 'utf8/bad.json'))).rejects.toThrow(new Error(LOAD_FAILED('texts')));

    expect(await latestLoadErrors()).toEqual([
      {
        filename: 's3://test-bucket/utf8/bad.json',
        line_number: 2,
        colname: 'name',
        type: 'varchar',
        col_length: '16',
        position: 2,
        raw_line: `{"name": "${shown}"}`,
        raw_field_value: shown,
        err_code: 1220,
        err_reason: `String contains invalid or unsupported UTF-8 codepoints. Bad UTF-8 hex sequence: ${hex}`,
      },
    ]);
    expect(await warehouse.query('select * from texts')).toEqual([]);
  });

  it.each([
    ['ACCEPTINVCHARS', 'acceptinvchars', 'ab?c??'],
    ["ACCEPTINVCHARS AS '^'", "acceptinvchars as '^'", 'ab^c^^'],
  ])('replaces each invalid byte with %s, keeping the length in bytes', async (_case, option, loaded) => {
    await writeObjects(bucket, { 'utf8/replace.json': line('{"name": "ab', [0xa4], 'c', [0xe0, 0xa1], '", "n": 1}') });

    await warehouse.query(copy('texts', 'utf8/replace.json', `format as json 'auto' ${option}`));

    expect(await warehouse.query('select * from texts')).toEqual([{ name: loaded, n: 1 }]);
  });

  it('still rejects bytes that are not UTF-8 outside a varchar with ACCEPTINVCHARS', async () => {
    await writeObjects(bucket, { 'utf8/number.json': line('{"n": "1', [0xff], '"}') });

    await expect(warehouse.query(copy('texts', 'utf8/number.json', "format as json 'auto' acceptinvchars"))).rejects.toThrow(
      new Error(LOAD_FAILED('texts')),
    );

    expect(await latestLoadErrors()).toEqual([
      {
        filename: 's3://test-bucket/utf8/number.json',
        line_number: 1,
        colname: 'n',
        type: 'int4',
        col_length: '',
        position: 1,
        raw_line: '{"n": "1."}',
        raw_field_value: '1.',
        err_code: 1207,
        err_reason: "Invalid digit, Value '.', Pos 1, Type: Integer",
      },
    ]);
  });
});

describe('COPY failures in a batch', () => {
  beforeAll(async () => {
    await warehouse.query('create table events (a integer, b integer)');
    await writeObjects(bucket, {
      'bad/events.json': '{"a": 1, "b": 1}\n{"a": 2 "b": 3}\n{"a": 3, "b": 3}\n',
      'twice/events.json': '{"a": "x"}\n{"a": 2}\n{"a": "y"}\n',
    });
  });
  beforeEach(async () => {
    await warehouse.query('delete from events');
    await warehouse.query('insert into events values (0, 0)');
  });

  it('fails on a malformed line, keeps the previous rows, and records file, line and reason', async () => {
    const description = await runBatch(['delete from events', copy('events', 'bad/')]);

    expect(description.status).toBe('FAILED');
    expect(description.error).toBe(`ERROR: ${LOAD_FAILED('events')}`);
    expect(await warehouse.query('select * from events')).toEqual([{ a: 0, b: 0 }]);
    expect(await latestLoadErrors()).toEqual([
      {
        filename: 's3://test-bucket/bad/events.json',
        line_number: 2,
        colname: '',
        type: '',
        col_length: '',
        position: 0,
        raw_line: '{"a": 2 "b": 3}',
        raw_field_value: '',
        err_code: 1216,
        err_reason: `Malformed JSON: expected ',' or '}' after an object member, found '"'`,
      },
    ]);
  });

  it('skips one bad record with MAXERROR 1 and records it', async () => {
    const description = await runBatch(['delete from events', copy('events', 'bad/', "format as json 'auto' maxerror 1")]);

    expect(description.status).toBe('FINISHED');
    expect(description.subStatements.map((sub) => sub.rowsAffected)).toEqual([1, 2]);
    expect(await warehouse.query('select * from events order by a')).toEqual([
      { a: 1, b: 1 },
      { a: 3, b: 3 },
    ]);
    expect((await latestLoadErrors()).map((error) => [error.filename, error.line_number])).toEqual([['s3://test-bucket/bad/events.json', 2]]);
  });

  it('fails past MAXERROR, loading nothing and recording each bad record', async () => {
    const description = await runBatch([copy('events', 'twice/', "format as json 'auto' maxerror 1")]);

    expect(description.error).toBe(`ERROR: ${LOAD_FAILED('events')}`);
    expect(await warehouse.query('select * from events')).toEqual([{ a: 0, b: 0 }]);
    expect((await latestLoadErrors()).map((error) => [error.line_number, error.raw_field_value])).toEqual([
      [1, 'x'],
      [3, 'y'],
    ]);
  });

  it('fails on a bad record in the middle of a large file, after chunks were copied, loading nothing', async () => {
    await warehouse.query('create table wide (n integer, s varchar(200))');
    const text = 'x'.repeat(190);
    // Twice as many rows as one chunk of COPY text holds: the bad record comes after a chunk was copied.
    const lines = Math.ceil((2 * CHUNK_BYTES) / `${0}\t${text}\n`.length) + 1000;
    const bad = Math.floor(lines * 0.6);
    const records = Array.from({ length: lines }, (_, index) =>
      index + 1 === bad ? `{"n": "1O", "s": "${text}"}` : `{"n": ${index + 1}, "s": "${text}"}`,
    );
    await writeObjects(bucket, { 'large/events.json': `${records.join('\n')}\n` });

    const description = await runBatch([copy('wide', 'large/')]);

    expect(description.error).toBe(`ERROR: ${LOAD_FAILED('wide')}`);
    expect(await warehouse.query('select count(*)::int as rows from wide')).toEqual([{ rows: 0 }]);
    expect(await latestLoadErrors()).toEqual([
      {
        filename: 's3://test-bucket/large/events.json',
        line_number: bad,
        colname: 'n',
        type: 'int4',
        col_length: '',
        position: 1,
        raw_line: `{"n": "1O", "s": "${text}"}`,
        raw_field_value: '1O',
        err_code: 1207,
        err_reason: "Invalid digit, Value 'O', Pos 1, Type: Integer",
      },
    ]);
  });

  describe('a file read in blocks', () => {
    const text = 'x'.repeat(190);
    const record = (n: number) => `{"n": ${n}, "s": "${text}"}`;
    /** A file of three blocks' worth of records, `bad` in place of the record on line `at` (in the second block). */
    const file = (bad: Buffer) => {
      const lines = Math.ceil((3 * BLOCK_BYTES) / record(0).length);
      const at = Math.floor(lines * 0.5);
      const before = Array.from({ length: at - 1 }, (_, index) => record(index + 1)).join('\n');
      const after = Array.from({ length: lines - at }, (_, index) => record(at + index + 1)).join('\n');
      return { lines, at, content: Buffer.concat([Buffer.from(`${before}\n`), bad, Buffer.from(`\n${after}\n`)]) };
    };

    beforeAll(() => warehouse.query('create table blocks (n integer, s varchar(200))'));
    beforeEach(() => warehouse.query('delete from blocks'));

    it.each([
      ['a malformed line', Buffer.from(`{"n": 0 "s": "${text}"}`), 1216],
      ['bytes that are not UTF-8', Buffer.concat([Buffer.from('{"n": 0, "s": "x'), Buffer.from([0xff]), Buffer.from('"}')]), 1220],
    ])('rejects %s in a later block at its own line and loads every other line', async (_case, bad, code) => {
      const { lines, at, content } = file(bad);
      await writeObjects(bucket, { 'blocks/events.json': content });

      await warehouse.query(copy('blocks', 'blocks/', "format as json 'auto' maxerror 1"));

      expect(await warehouse.query('select count(*)::int as rows, min(n) as first, max(n) as last, sum(n)::bigint as total from blocks')).toEqual([
        { rows: lines - 1, first: 1, last: lines, total: (lines * (lines + 1)) / 2 - at },
      ]);
      expect((await latestLoadErrors()).map((error) => [error.filename, error.line_number, error.err_code])).toEqual([
        ['s3://test-bucket/blocks/events.json', at, code],
      ]);
    });

    // A block is as long as the rest of the file and a byte, at most BLOCK_BYTES: the ends of a block and of the file
    // meet, or just miss, at these sizes.
    it.each([BLOCK_BYTES - 1, BLOCK_BYTES, BLOCK_BYTES + 1])(
      'loads every line of a file of %i bytes, which has no final newline',
      async (size) => {
        const records: string[] = [];
        for (let length = 0; length + 2 * record(records.length + 1).length < size; length += records.at(-1)!.length + 1) {
          records.push(record(records.length + 1));
        }
        const lines = records.length + 1;
        const body = records.join('\n');
        const last = record(lines);
        const padding = ' '.repeat(size - body.length - 1 - last.length); // JSON's whitespace, inside the last record
        const content = `${body}\n${last.replace('"s"', `${padding}"s"`)}`;
        expect(content.length).toBe(size);
        await writeObjects(bucket, { 'blocks/events.json': content });

        await warehouse.query(copy('blocks', 'blocks/', "format as json 'auto' maxerror 0"));

        expect(await warehouse.query('select count(*)::int as rows, min(n) as first, max(n) as last, sum(n)::bigint as total from blocks')).toEqual([
          { rows: lines, first: 1, last: lines, total: (lines * (lines + 1)) / 2 },
        ]);
      },
    );
  });

  describe('a load large enough for conversion threads', () => {
    const text = 'x'.repeat(190);
    const record = (n: number | string) => `{"n": ${typeof n === 'number' ? n : `"${n}"`}, "s": "${text}"}`;
    /** Files of records numbered on from file to file, together past the size that starts the threads. */
    const files = (count: number, bad?: { file: number; record: number }) => {
      const perFile = Math.ceil(THREAD_FROM_BYTES / count / record(0).length) + 100;
      return Object.fromEntries(
        Array.from({ length: count }, (_, file) => [
          `threads/events-${file}.json`,
          Array.from({ length: perFile }, (_, index) =>
            bad?.file === file && bad.record === index ? record('1O') : record(file * perFile + index + 1),
          ).join('\n'),
        ]),
      );
    };
    let workers: workerThreads.Worker[];
    const RealWorker = workerThreads.Worker;

    beforeAll(() => warehouse.query('create table numbered (n integer, s varchar(200))'));
    beforeEach(async () => {
      await warehouse.query('delete from numbered');
      await rm(`${bucket}/threads`, { recursive: true, force: true });
      workers = [];
      jest.spyOn(workerThreads, 'Worker').mockImplementation((...args) => {
        const worker = new RealWorker(...args);
        workers.push(worker);
        return worker;
      });
    });
    afterEach(() => jest.restoreAllMocks());

    it('loads the files in their order, with progress in order, on two threads', async () => {
      await writeObjects(bucket, files(5));

      const description = await runBatch([copy('numbered', 'threads/')]);

      const rows = await warehouse.query('select n from numbered order by ctid');
      expect(description.status).toBe('FINISHED');
      expect(workers).toHaveLength(2);
      expect(rows.map((row) => row.n)).toEqual(Array.from({ length: rows.length }, (_, index) => index + 1));
      const ends = progress.filter((event, index) => event.filesDone > (progress[index - 1]?.filesDone ?? 0));
      expect(ends.map((event) => [event.file, event.filesDone])).toEqual(
        [0, 1, 2, 3, 4].map((file) => [`s3://test-bucket/threads/events-${file}.json`, file + 1]),
      );
      expect(progress.map((event) => event.rows)).toEqual([...progress.map((event) => event.rows)].sort((a, b) => a - b));
      expect(progress.at(-1)!.rows).toBe(rows.length);
    });

    it('ends every thread when the COPY fails, naming the file and line of the bad record', async () => {
      await writeObjects(bucket, files(4, { file: 1, record: 2 }));

      const description = await runBatch([copy('numbered', 'threads/')]);

      expect(description.error).toBe(`ERROR: ${LOAD_FAILED('numbered')}`);
      expect(workers).toHaveLength(2);
      expect(workers.map((worker) => worker.threadId)).toEqual([-1, -1]);
      expect(await warehouse.query('select count(*)::int as rows from numbered')).toEqual([{ rows: 0 }]);
      expect((await latestLoadErrors()).map((error) => [error.filename, error.line_number, error.err_reason])).toEqual([
        ['s3://test-bucket/threads/events-1.json', 3, "Invalid digit, Value 'O', Pos 1, Type: Integer"],
      ]);
    });
  });

  it('runs a query() sent during a batch after the batch, its load errors written', async () => {
    await writeObjects(bucket, { 'queued/events.json': '{"a": "not a number"}' });

    await warehouse.submit([copy('events', 'queued/')], 'queued');
    const errors = await warehouse.query(
      "select count(*) as errors from stl_load_errors where trim(filename) = 's3://test-bucket/queued/events.json'",
    );

    expect(errors).toEqual([{ errors: 1 }]);
  });

  it('answers sql/load_errors.sql and sql/load_errors_serverless.sql as written', async () => {
    const since = new Date();
    await runBatch([copy('events', 'bad/')]);

    for (const target of ['cluster', 'serverless']) {
      const settings = loadSettings({ DWH_ROLE_ARN: 'arn:aws:iam::000000000000:role/test', DWH_TARGET: target, DWH_WORKGROUP_NAME: 'dwh' });
      expect(await warehouse.query(loadErrorsStatement(settings, since))).toEqual([
        {
          file_name: 's3://test-bucket/bad/events.json',
          line_number: 2,
          column_name: '',
          error_code: 1216,
          error_reason: `Malformed JSON: expected ',' or '}' after an object member, found '"'`,
          raw_field_value: '',
        },
      ]);
    }
  });
});
