// The fast path for one JSON object per line: the same records as the exact reader, or none (the exact reader's turn).
import { readJsonRecords, type JsonRecord } from '../../../../local/warehouse/copy/jsonRecords';
import { fieldText } from '../../../../local/warehouse/copy/fieldConversion';
import { lineRecords } from '../../../../local/warehouse/copy/lineRecords';

async function exactRecords(bytes: Buffer): Promise<JsonRecord[]> {
  const records: JsonRecord[] = [];
  for await (const record of readJsonRecords([bytes])) records.push(record);
  return records;
}

/** What a COPY takes from a record: each member's field text, the record's text and lines. */
const asLoaded = (records: JsonRecord[]) =>
  records.map((record) =>
    record.kind === 'record'
      ? {
          fields: Object.entries(record.value as Record<string, unknown>).map(([key, value]) => [key, fieldText(value)]),
          text: record.text,
          lines: [record.startLine, record.endLine],
        }
      : record,
  );

describe('lineRecords', () => {
  it('reads one object per line as the exact reader does: lines, texts, fields, blank lines and CRLF', async () => {
    const bytes = Buffer.from(
      '\ufeff{"a": 1, "b": "x\\ty", "c": {"d": [1.5, true, null]}}\r\n\n  {"a": -2, "__proto__": "p", "a": 3}\t\n{"e": "\\ud800", "f": 1e+21}',
    );

    const fast = lineRecords(bytes);

    expect(fast).toBeDefined();
    expect(asLoaded(fast!)).toEqual(asLoaded(await exactRecords(bytes)));
    expect(asLoaded(fast!).map((record) => 'lines' in record && record.lines)).toEqual([[1, 1], [3, 3], [4, 4]]);
  });

  it('keeps the text of the numbers JavaScript would change, at any depth, as the exact reader does', async () => {
    const bytes = Buffer.from(
      '{"a": 1e400, "b": 0.1000000000000000055, "c": 1.0, "d": 9223372036854775807, "e": [1.50, {"f": -0}], "__proto__": 2.0}\n' +
        '{"g": "\\\\u0000#1.0", "h": "\\u0000", "i": 1.0}',
    );

    const fast = lineRecords(bytes);

    expect(fast).toBeDefined();
    expect(asLoaded(fast!)).toEqual(asLoaded(await exactRecords(bytes)));
    expect(asLoaded(fast!)[0]).toMatchObject({
      fields: [['a', '1e400'], ['b', '0.1000000000000000055'], ['c', '1.0'], ['d', '9223372036854775807'], ['e', '[1.50,{"f":-0}]'], ['__proto__', '2.0']],
    });
  });

  it.each([
    ['a malformed line', '{"a": 1}\n{"a": }'],
    ['a malformed number', '{"a": 1.0.0}'],
    ['a number as a member name', '{1.0: 2}'],
    ['a pretty-printed object', '{\n"a": 1\n}'],
    ['two objects on a line', '{"a": 1} {"a": 2}'],
    ['an array', '[1, 2]'],
  ])('leaves %s to the exact reader', (_, text) => {
    expect(lineRecords(Buffer.from(text))).toBeUndefined();
  });

  it('leaves bytes that are not UTF-8 to the exact reader', () => {
    expect(lineRecords(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toBeUndefined();
  });
});
