// The streaming JSON reader: the layouts Redshift accepts, the lines each record spans, chunk boundaries
// anywhere, and malformed records reported with their line while the rest of the file is still read.
import { MAX_RECORD_BYTES, readJsonRecords, type JsonRecord } from '../../../../local/warehouse/copy/jsonRecords';
import { jsonText } from '../../../../local/warehouse/copy/jsonSyntax';

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
}

async function readAll(text: string, chunkSize = 64 * 1024): Promise<JsonRecord[]> {
  const records: JsonRecord[] = [];
  for await (const record of readJsonRecords(chunksOf(text, chunkSize))) records.push(record);
  return records;
}

/** The records without their text, for compact expectations (numbers as JavaScript numbers). */
const summaries = (records: JsonRecord[]) =>
  records.map((record) =>
    record.kind === 'record'
      ? { value: JSON.parse(jsonText(record.value)) as unknown, startLine: record.startLine, endLine: record.endLine }
      : { reason: record.reason, line: record.line },
  );

describe('readJsonRecords', () => {
  it('reads one object per line', async () => {
    const records = await readAll('{"a": 1}\n{"a": 2}\n\n{"a": 3}');

    expect(summaries(records)).toEqual([
      { value: { a: 1 }, startLine: 1, endLine: 1 },
      { value: { a: 2 }, startLine: 2, endLine: 2 },
      { value: { a: 3 }, startLine: 4, endLine: 4 },
    ]);
    expect(records.map((record) => record.text)).toEqual(['{"a": 1}', '{"a": 2}', '{"a": 3}']);
  });

  it('reads pretty-printed objects spanning lines, and several on a line', async () => {
    const text = '{\n  "a": {"b": [1, 2]},\n  "c": "}{"\n}\n{\n  "a": null\n} {"a": "\\"x\\""}\n';

    expect(summaries(await readAll(text))).toEqual([
      { value: { a: { b: [1, 2] }, c: '}{' }, startLine: 1, endLine: 4 },
      { value: { a: null }, startLine: 5, endLine: 7 },
      { value: { a: '"x"' }, startLine: 7, endLine: 7 },
    ]);
  });

  it('reads arrays as records too', async () => {
    expect(summaries(await readAll('[1, "x"]\n'))).toEqual([{ value: [1, 'x'], startLine: 1, endLine: 1 }]);
  });

  it('reads the same records whatever the chunk boundaries', async () => {
    const text = '{"name": "Mötley Crüe", "text": "a\\nb {"}\r\n{\n "n": [1,\n 2]\n}\n';

    expect(await readAll(text, 1)).toEqual(await readAll(text));
    expect(await readAll(text, 3)).toEqual(await readAll(text));
  });

  it('skips a byte order mark at the start of the file', async () => {
    expect(summaries(await readAll('\ufeff{"a": 1}'))).toEqual([{ value: { a: 1 }, startLine: 1, endLine: 1 }]);
  });

  it.each([
    [
      'a missing comma',
      '{"a": 1}\n{"a": 2 "b": 3}\n{"a": 4}',
      [{ reason: `expected ',' or '}' after an object member, found '"'`, line: 2 }],
    ],
    [
      'a truncated line, read on from the next line',
      '{"a": 1}\n{"a": "tru\n{"a": 4}',
      [{ reason: 'unterminated string', line: 2 }],
    ],
    [
      'text outside any object',
      '{"a": 1}\nnot json\n{"a": 4}',
      [{ reason: "expected '{' to start a JSON object, found 'n'", line: 2 }],
    ],
    [
      'a bad value inside a pretty-printed object, on the line of the fault',
      '{"a": 1}\n{\n  "a": 2,\n  "b": tru\n}\n{"a": 4}',
      [{ reason: "expected a value, found 't'", line: 4 }],
    ],
  ])('reports %s and reads the other records', async (_case, text, malformed) => {
    const records = summaries(await readAll(text));

    expect(records.filter((record) => 'reason' in record)).toEqual(malformed);
    expect(records.filter((record) => 'value' in record).map((record) => (record as { value: unknown }).value)).toEqual([{ a: 1 }, { a: 4 }]);
  });

  it('reports an object left open at the end of the file', async () => {
    expect(summaries(await readAll('{"a": 1}\n{"a": 2,\n "b": [3'))).toEqual([
      { value: { a: 1 }, startLine: 1, endLine: 1 },
      { reason: "expected ',' or ']' after an array element, found the end of the record", line: 3 },
    ]);
  });

  it("rejects a record over Redshift's 4 MB limit and reads the next one", async () => {
    const big = `{"a": "${'x'.repeat(MAX_RECORD_BYTES)}"}`;

    expect(summaries(await readAll(`${big}\n{"a": 2}\n`))).toEqual([
      { reason: 'the JSON record exceeds the 4194304-byte limit', line: 1 },
      { value: { a: 2 }, startLine: 2, endLine: 2 },
    ]);
  });
});
