// The fast path for one JSON object per line (lineRecords, through readObject): exactly the exact reader's records,
// the exact reader taking over from the first line the fast path cannot read as surely.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readJsonRecords, type JsonRecord } from '../../../../local/warehouse/copy/jsonRecords';
import { fieldText } from '../../../../local/warehouse/copy/fieldConversion';
import { lineRecords } from '../../../../local/warehouse/copy/lineRecords';
import { readObject } from '../../../../local/warehouse/copy/objectRecords';
import { temporaryFolder } from './mirror';

let folder: string;
beforeAll(async () => {
  folder = await temporaryFolder('lines');
});
afterAll(() => rm(folder, { recursive: true, force: true }));

async function collect(records: AsyncIterable<JsonRecord>): Promise<JsonRecord[]> {
  const all: JsonRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
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

/** The records readObject reads from a file of these bytes, and the exact reader's. */
async function bothReaders(bytes: Buffer, gzip = false) {
  const file = path.join(folder, 'object.json');
  await writeFile(file, gzip ? gzipSync(bytes) : bytes);
  const read = await collect(readObject({ uri: 's3://bucket/object.json', path: file }, gzip));
  return { read: asLoaded(read), exact: asLoaded(await collect(readJsonRecords([bytes]))) };
}

describe('lineRecords', () => {
  it('reads one object per line as the exact reader does: lines, texts, fields, blank lines and CRLF', async () => {
    const text = '{"a": 1, "b": "x\\ty", "c": {"d": [1.5, true, null]}}\r\n\n  {"a": -2, "__proto__": "p", "a": 3}\t\n{"e": "\\ud800", "f": 1e+21}';

    const fast = [...lineRecords(text)];

    expect(asLoaded(fast)).toEqual(asLoaded(await collect(readJsonRecords([text]))));
    expect(fast.map((record) => record.kind === 'record' && [record.startLine, record.endLine])).toEqual([[1, 1], [3, 3], [4, 4]]);
  });

  it('reads a line with a long run of whitespace inside it and at its edges, as the exact reader does', async () => {
    // 200,000 spaces once took 43 s: the edges were trimmed by a regular expression that rescanned the run inside
    const spaces = ' \t\r'.repeat(70_000);
    const text = `${spaces}{"a": 1,${spaces}"b": "x"}${spaces}\n{"c": 2}`;

    const fast = [...lineRecords(text)];

    expect(asLoaded(fast)).toEqual(asLoaded(await collect(readJsonRecords([text]))));
    expect(asLoaded(fast)).toEqual([
      { fields: [['a', '1'], ['b', 'x']], text: `{"a": 1,${spaces}"b": "x"}`, lines: [1, 1] },
      { fields: [['c', '2']], text: '{"c": 2}', lines: [2, 2] },
    ]);
  });

  it('keeps the text of the numbers JavaScript would change, at any depth, as the exact reader does', async () => {
    const text =
      '{"a": 1e400, "b": 0.1000000000000000055, "c": 1.0, "d": 9223372036854775807, "e": [1.50, {"f": -0}], "__proto__": 2.0}\n' +
      '{"g": "\\\\u0000#1.0", "h": "\\u0000", "i": 1.0}';

    const fast = asLoaded([...lineRecords(text)]);

    expect(fast).toEqual(asLoaded(await collect(readJsonRecords([text]))));
    expect(fast[0]).toMatchObject({
      fields: [['a', '1e400'], ['b', '0.1000000000000000055'], ['c', '1.0'], ['d', '9223372036854775807'], ['e', '[1.50,{"f":-0}]'], ['__proto__', '2.0']],
    });
  });

  it.each([
    ['a malformed line', '{"a": 1}\n{"a": }\n{"a": 3}', 2],
    ['a malformed number', '{"a": 1}\n{"a": 1.0.0}', 2],
    ['a number as a member name', '{1.0: 2}', 1],
    ['a pretty-printed object', '{"a": 1}\n{\n"a": 2\n}\n{"a": 3}', 2],
    ['two objects on a line', '{"a": 1} {"a": 2}', 1],
    ['an array', '{"a": 1}\n[1, 2]', 2],
  ])('hands %s to the exact reader, from its line on', (_, text, line) => {
    const records = lineRecords(text);
    let next = records.next();
    while (!next.done) next = records.next();

    expect(next.value).toEqual({ text: text.split('\n').slice(line - 1).join('\n'), line });
  });

  it.each([
    ['one object per line, with a BOM', '\ufeff{"a": 1.0}\n{"a": 2}\n'],
    ['a malformed line in the middle', '{"a": 1}\n{"a": 2 "b": 3}\n{"a": 3}\n'],
    ['a pretty-printed object after some lines', '{"a": 1}\n{\n  "a": 2\n}\n{"a": 3}'],
    ['two BOMs (the second is no BOM)', '\ufeff\ufeff{"a": 1}\n'],
    ['an unterminated object at the end', '{"a": 1}\n{"a": 2'],
  ])('gives through readObject exactly the records of the exact reader: %s', async (_, text) => {
    const { read, exact } = await bothReaders(Buffer.from(text));

    expect(read).toEqual(exact);
  });

  it('gives the exact reader bytes that are not UTF-8, gzipped too', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a": 1}\n{"a": "'), Buffer.from([0xff]), Buffer.from('"}\n')]);

    const plain = await bothReaders(bytes);
    const gzipped = await bothReaders(bytes, true);

    expect(plain.read).toEqual(plain.exact);
    expect(gzipped.read).toEqual(plain.exact);
  });

  it('names the object when its file is gone, or cannot be read', async () => {
    const gone = path.join(folder, 'gone.json');
    const unreadable = path.join(folder, 'a-folder.json');
    await mkdir(unreadable, { recursive: true });

    await expect(collect(readObject({ uri: 's3://bucket/gone.json', path: gone }, false))).rejects.toThrow(
      `Reading s3://bucket/gone.json failed: ENOENT: no such file or directory, stat '${gone}'`,
    );
    await expect(collect(readObject({ uri: 's3://bucket/a-folder.json', path: unreadable }, false))).rejects.toThrow(
      'Reading s3://bucket/a-folder.json failed: EISDIR: illegal operation on a directory, read',
    );
  });
});
