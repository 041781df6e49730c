// The form of a COPY's rows: binary for the types that have a binary writer, text for the rest; and PostgreSQL stores
// the same values from either form.
import { PGlite } from '@electric-sql/pglite';
import { chunkBuilder } from '../../../../local/warehouse/copy/chunkBuilder';
import { TEXT_FORMAT } from '../../../../local/warehouse/copy/copyText';
import { rowFormat, type Row, type RowFormat } from '../../../../local/warehouse/copy/rowFormat';

const COLUMNS = [
  { name: 's', type: 'int2', sql: 'smallint' },
  { name: 'i', type: 'int4', sql: 'integer' },
  { name: 'b', type: 'int8', sql: 'bigint' },
  { name: 'd', type: 'float8', sql: 'double precision' },
  { name: 'v', type: 'varchar', sql: 'varchar(32)' },
  { name: 'c', type: 'bpchar', sql: 'char(4)' },
  { name: 't', type: 'text', sql: 'text' },
];

/** Rows as the conversion gives them (fieldConversion.ts): integers' normalised digits, a double's text as the
 * file wrote it, characters as they are. */
const ROWS: Row[] = [
  ['-32768', '-2147483648', '-9223372036854775808', '1.54E12', 'Sérénade 😀', 'ab', 'tab\there'],
  ['32767', '2147483647', '9223372036854775807', '-0', '', 'abcd', 'back\\slash\nnew line'],
  ['0', '-1', '-1', '5e-324', 'ü', '', ''],
  ['1', '1', '9007199254740993', '1.7976931348623157e308', 'x', 'x', 'x'],
  ['-1', '0', '-9007199254740993', '0.1', null, null, null],
  ['7', '42', '1541030425929', '233.32526', 'Piper', 'F', '"Mozilla/5.0"'],
  ['2', '3', '-4294967296', '-1.5e-10', 'a', 'b', 'c'],
  [null, null, null, null, null, null, null],
];

let db: PGlite;

beforeAll(async () => {
  db = await PGlite.create();
  const table = (name: string) => `create table ${name} (${COLUMNS.map((column) => `${column.name} ${column.sql}`).join(', ')})`;
  await db.exec(`${table('from_text')}; ${table('from_binary')};`);
});

afterAll(() => db.close());

async function load(table: string, format: RowFormat): Promise<number> {
  const builder = chunkBuilder(format);
  for (const row of ROWS) expect(builder.add(row)).toBeUndefined();
  const bytes = builder.rest()!;
  const result = await db.query(`copy ${table} from '/dev/blob' ${format.option}`, [], { blob: new Blob([bytes]) });
  return result.affectedRows ?? 0;
}

const rowsOf = async (table: string) =>
  (await db.query<{ row: string }>(`select r::text as row from ${table} as r order by i nulls last, s`)).rows.map(({ row }) => row);

describe('rowFormat', () => {
  it('loads in binary only when every column has a binary writer', () => {
    expect(rowFormat(COLUMNS).option).toBe('with (format binary)');
    for (const type of ['float4', 'numeric', 'bool', 'date', 'timestamp', 'timestamptz']) {
      expect(rowFormat([...COLUMNS, { type }])).toBe(TEXT_FORMAT);
    }
    expect(TEXT_FORMAT.option).toBe('');
  });

  it('stores from binary exactly what it stores from COPY text', async () => {
    expect(await load('from_text', TEXT_FORMAT)).toBe(ROWS.length);
    expect(await load('from_binary', rowFormat(COLUMNS))).toBe(ROWS.length);

    const fromText = await rowsOf('from_text');
    expect(await rowsOf('from_binary')).toEqual(fromText);
    expect(fromText).toEqual([
      '(-32768,-2147483648,-9223372036854775808,1540000000000,"Sérénade 😀","ab  ","tab\there")',
      '(0,-1,-1,5e-324,ü,"    ","")',
      '(-1,0,-9007199254740993,0.1,,,)',
      '(1,1,9007199254740993,1.7976931348623157e+308,x,"x   ",x)',
      '(2,3,-4294967296,-1.5e-10,a,"b   ",c)',
      '(7,42,1541030425929,233.32526,Piper,"F   ","""Mozilla/5.0""")',
      '(32767,2147483647,9223372036854775807,-0,"",abcd,"back\\\\slash\nnew line")',
      '(,,,,,,)',
    ]);
  });
});
