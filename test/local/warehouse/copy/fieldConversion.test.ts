// Redshift's conversion of JSON fields into column types: what loads (and as what), what is NULL, and the
// load error code and reason of what cannot load.
import {
  fieldConverter,
  FieldError,
  fieldText,
  type CatalogColumn,
  type ConversionOptions,
} from '../../../../local/warehouse/copy/fieldConversion';
import { JsonNumber } from '../../../../local/warehouse/copy/jsonSyntax';

/** A JSON number as written in a file. */
const number = (text: string) => new JsonNumber(text);

const column = (type: string, typmod = -1): CatalogColumn => ({ name: 'c', type, typmod, notNull: false });
const varchar = (length: number) => column('varchar', length + 4);
const defaults: ConversionOptions = { truncateColumns: false, timeFormat: 'auto' };

/** The column's value for a JSON value: the stored text, or the FieldError's code, reason and position. */
function convert(target: CatalogColumn, value: unknown, options: Partial<ConversionOptions> = {}) {
  const text = fieldText(value);
  try {
    return { value: text === null ? null : fieldConverter(target, { ...defaults, ...options })(text) };
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    return { code: error.code, reason: error.message, position: error.position };
  }
}

describe('fieldConverter', () => {
  it.each([
    ['an integer from a JSON number', column('int4'), 42, { value: '42' }],
    ['an integer from a numeric string', column('int4'), ' -7 ', { value: '-7' }],
    ['an empty string into an integer as NULL', column('int4'), '', { value: null }],
    ['JSON null as NULL', column('int4'), null, { value: null }],
    ['a missing value as NULL', column('varchar', 14), undefined, { value: null }],
    ['a bigint beyond 2^53 from a string, exactly', column('int8'), '9007199254740993', { value: '9007199254740993' }],
    ['a float from a number', column('float8'), 231.47102, { value: '231.47102' }],
    ['a float from a numeric string', column('float8'), '1.5e3', { value: '1.5e3' }],
    ['a numeric from a string, exactly', column('numeric', ((10 << 16) | 2) + 4), '12345678.91', { value: '12345678.91' }],
    ['a boolean from true', column('bool'), true, { value: 'true' }],
    ['a boolean from "f"', column('bool'), 'f', { value: 'false' }],
    ['a string as it is', varchar(20), 'Logged In', { value: 'Logged In' }],
    ['an empty string into varchar as an empty string', varchar(20), '', { value: '' }],
    ['a number into varchar as its JSON text', varchar(20), 1540632417358.0, { value: '1540632417358' }],
    ['a boolean into varchar as its JSON text', varchar(20), false, { value: 'false' }],
    ['an object into varchar as JSON', varchar(20), { a: [1, 'x'] }, { value: '{"a":[1,"x"]}' }],
    ['a string of exactly the length in bytes', varchar(6), 'Crüe!', { value: 'Crüe!' }],
    ['a timestamp from a string', column('timestamp'), '2018-11-01 22:15:04.583', { value: '2018-11-01 22:15:04.583' }],
    ['a timestamp in ISO 8601 with a zone', column('timestamp'), '2018-11-01T22:15:04Z', { value: '2018-11-01T22:15:04Z' }],
    ['a date from a string', column('date'), '2018-11-30', { value: '2018-11-30' }],
  ])('loads %s', (_case, target, value, expected) => {
    expect(convert(target, value)).toEqual(expected);
  });

  it.each([
    ['"abc" into an integer', column('int4'), 'abc', { code: 1207, reason: "Invalid digit, Value 'a', Pos 0, Type: Integer", position: 0 }],
    ['a fraction into an integer', column('int4'), 1.5, { code: 1207, reason: "Invalid digit, Value '.', Pos 1, Type: Integer", position: 1 }],
    ['a boolean into a bigint', column('int8'), true, { code: 1207, reason: "Invalid digit, Value 't', Pos 0, Type: Long", position: 0 }],
    ['a sign alone into an integer', column('int4'), '-', { code: 1207, reason: "Invalid digit, Value '', Pos 1, Type: Integer", position: 1 }],
    ['an out-of-range smallint', column('int2'), 40000, { code: 1204, reason: 'Overflow (Short valid range -32768 to 32767)', position: 0 }],
    ['an out-of-range integer', column('int4'), '2147483648', { code: 1204, reason: 'Overflow (Integer valid range -2147483648 to 2147483647)', position: 0 }],
    ['words into a float', column('float8'), '12 ab', { code: 1208, reason: "Invalid digit, Value ' ', Pos 2, Type: Double", position: 2 }],
    ['an out-of-range real', column('float4'), 1e39, { code: 1204, reason: "Overflow, Value '1e+39', Type: Real", position: 0 }],
    ['too many integer digits into a numeric', column('numeric', ((4 << 16) | 2) + 4), '123.4', { code: 1204, reason: "Numeric data overflow (result precision), Value '123.4'", position: 0 }],
    ['"maybe" into a boolean', column('bool'), 'maybe', { code: 1210, reason: "Invalid boolean, Value 'maybe', Type: Boolean", position: 0 }],
    ['a string too long in bytes', varchar(4), 'Crüe', { code: 1204, reason: 'String length exceeds DDL length', position: 0 }],
    ['a NUL character into varchar', varchar(20), 'a\u0000b', { code: 1220, reason: 'String contains invalid or unsupported UTF-8 code points (U+0000)', position: 0 }],
    ['epoch milliseconds into a timestamp without TIMEFORMAT', column('timestamp'), 1541101357318, { code: 1206, reason: 'Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]', position: 0 }],
    ['a day that does not exist', column('timestamp'), '2018-02-30 10:00:00', { code: 1206, reason: 'Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]', position: 0 }],
    ['a time into a date', column('date'), '2018-11-30 10:00:00', { code: 1205, reason: 'Invalid date format or value [YYYY-MM-DD]', position: 0 }],
  ])('rejects %s', (_case, target, value, expected) => {
    expect(convert(target, value)).toEqual(expected);
  });

  it.each([
    ['BIGINT max into a bigint, exactly', column('int8'), number('9223372036854775807'), { value: '9223372036854775807' }],
    ['BIGINT min into a bigint, exactly', column('int8'), number('-9223372036854775808'), { value: '-9223372036854775808' }],
    ['a number into varchar as written', varchar(20), number('1540912345678.0'), { value: '1540912345678.0' }],
    ['a real rounding down to its largest value', column('float4'), number('3.4028235e38'), { value: '3.4028235e38' }],
    ['the largest double', column('float8'), number('1.7976931348623157e308'), { value: '1.7976931348623157e308' }],
    ['a zero with an exponent into a double', column('float8'), number('0e-400'), { value: '0e-400' }],
  ])('loads %s from the file text', (_case, target, value, expected) => {
    expect(convert(target, value)).toEqual(expected);
  });

  it.each([
    ['BIGINT max + 1 into a bigint', column('int8'), number('9223372036854775808'), { code: 1204, reason: 'Overflow (Long valid range -9223372036854775808 to 9223372036854775807)', position: 0 }],
    ['1.0 into an integer', column('int4'), number('1.0'), { code: 1207, reason: "Invalid digit, Value '.', Pos 1, Type: Integer", position: 1 }],
    ['1e400 into a double', column('float8'), number('1e400'), { code: 1204, reason: "Overflow, Value '1e400', Type: Double", position: 0 }],
    ['1e-400 into a double', column('float8'), number('1e-400'), { code: 1204, reason: "Overflow, Value '1e-400', Type: Double", position: 0 }],
    ['1e-46 into a real', column('float4'), number('1e-46'), { code: 1204, reason: "Overflow, Value '1e-46', Type: Real", position: 0 }],
    ['an object holding a byte that is not UTF-8 into varchar', varchar(20), { a: 'x\udcbc' }, { code: 1220, reason: 'String contains invalid or unsupported UTF-8 codepoints. Bad UTF-8 hex sequence: bc (error 3)', position: 7 }],
    ['a byte that is not UTF-8 into varchar', varchar(20), 'Cr\udcbce', { code: 1220, reason: 'String contains invalid or unsupported UTF-8 codepoints. Bad UTF-8 hex sequence: bc (error 3)', position: 2 }],
  ])('rejects %s, judged on the file text', (_case, target, value, expected) => {
    expect(convert(target, value)).toEqual(expected);
  });

  it.each([
    ['a varchar, with the replacement character', varchar(20), { acceptInvChars: '^' }, { value: 'Cr^e' }],
    ['no char column (ACCEPTINVCHARS is for VARCHAR only)', column('bpchar', 24), { acceptInvChars: '^' }, { code: 1220, reason: 'String contains invalid or unsupported UTF-8 codepoints. Bad UTF-8 hex sequence: bc (error 3)', position: 2 }],
  ])('with ACCEPTINVCHARS, replaces a byte that is not UTF-8 in %s', (_case, target, options, expected) => {
    expect(convert(target, 'Cr\udcbce', options)).toEqual(expected);
  });

  it.each([
    ['epochmillisecs', number('-210866803200000'), { value: '4714-11-24 00:00:00.000 BC' }],
    ['epochmillisecs', number('9224318015999999'), { value: '294276-12-31 23:59:59.999' }],
    ['epochmillisecs', number('9224318016000000'), { code: 1206, reason: 'Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]', position: 0 }],
    ['epochsecs', number('1541101357.1234567'), { value: '2018-11-01 19:42:37.123457' }],
  ] as const)('reads a timestamp with TIMEFORMAT %s from %j exactly, within the timestamp range', (timeFormat, value, expected) => {
    expect(convert(column('timestamp'), value, { timeFormat })).toEqual(expected);
  });

  it.each([
    ['ASCII', 'abcdefgh', 'abcde'],
    ['a multibyte character at the limit, whole or not at all', 'abcdü', 'abcd'],
  ])('cuts %s to the length in bytes with TRUNCATECOLUMNS', (_case, value, expected) => {
    expect(convert(varchar(5), value, { truncateColumns: true })).toEqual({ value: expected });
  });

  it.each([
    ['epochmillisecs', 1541101357318, { value: '2018-11-01 19:42:37.318' }],
    ['epochmillisecs', '1541101357318', { value: '2018-11-01 19:42:37.318' }],
    ['epochsecs', 1541101357, { value: '2018-11-01 19:42:37.000' }],
    ['epochsecs', 'soon', { code: 1206, reason: 'Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]', position: 0 }],
  ] as const)('reads a timestamp with TIMEFORMAT %s from %j', (timeFormat, value, expected) => {
    expect(convert(column('timestamp'), value, { timeFormat })).toEqual(expected);
  });

  it('writes a timestamptz from epoch time in UTC', () => {
    expect(convert(column('timestamptz'), 0, { timeFormat: 'epochsecs' })).toEqual({ value: '1970-01-01 00:00:00.000+00' });
  });

  it('refuses a column type COPY does not load', () => {
    expect(() => fieldConverter({ name: 'id', type: 'uuid', typmod: -1, notNull: false }, defaults)).toThrow(
      new Error(
        'column id has type uuid, which the local COPY does not load (it loads integer, float, numeric, boolean, character, date and timestamp columns)',
      ),
    );
  });
});
