// JSONPaths expressions and files: the notations Redshift reads, missing values, and invalid files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseJsonPath, readJsonPaths, selectPath } from '../../../../local/warehouse/copy/jsonPaths';

describe('parseJsonPath', () => {
  it.each([
    ["$['artist']", ['artist']],
    ['$.auth', ['auth']],
    ['$.a.b', ['a', 'b']],
    [`$['a']["b"]`, ['a', 'b']],
    ['$.tags[0]', ['tags', 0]],
    ["$['odd key.with dots'][12].x", ['odd key.with dots', 12, 'x']],
    ["$['it\\'s']", ["it's"]],
  ])('parses %s', (expression, steps) => {
    expect(parseJsonPath(expression)).toEqual(steps);
  });

  it.each([
    ['auth', "'auth' does not start with '$'"],
    ['$', "'$' names no member"],
    ['$.', "'$.' is not a JSONPath expression Redshift reads (at position 2)"],
    ['$[*]', "'$[*]' is not a JSONPath expression Redshift reads (at position 1)"],
    ["$['a'", `'$['a'' is not a JSONPath expression Redshift reads (at position 1)`],
  ])('refuses %s', (expression, message) => {
    expect(() => parseJsonPath(expression)).toThrow(new Error(message));
  });
});

describe('selectPath', () => {
  const record = { a: { b: [10, { c: 'deep' }] }, n: null };

  it.each([
    [['a', 'b', 0], 10],
    [['a', 'b', 1, 'c'], 'deep'],
    [['n'], null],
    [['missing'], undefined],
    [['a', 'b', 5], undefined],
    [['a', 'x', 'y'], undefined],
    [['a', 0], undefined],
    [['toString'], undefined],
  ])('selects %j', (steps, value) => {
    expect(selectPath(record, steps)).toEqual(value);
  });
});

describe('readJsonPaths', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dwh-jsonpaths-'));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the expressions in order', async () => {
    const file = path.join(dir, 'paths.json');
    await writeFile(file, '{\n  "jsonpaths": ["$[\'artist\']", "$.auth", "$.tags[1]"]\n}\n');

    expect(await readJsonPaths(file, 's3://b/paths.json')).toEqual([['artist'], ['auth'], ['tags', 1]]);
  });

  it.each([
    ['{"paths": ["$.a"]}', 'Invalid JSONPaths file s3://b/bad.json: expected {"jsonpaths": ["$.member", ...]}'],
    ['{"jsonpaths": ["$.a", 2]}', 'Invalid JSONPaths file s3://b/bad.json: expected {"jsonpaths": ["$.member", ...]}'],
    ['{"jsonpaths": ["a"]}', "Invalid JSONPaths file s3://b/bad.json: 'a' does not start with '$'"],
  ])('refuses the file %s', async (content, message) => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, content);

    await expect(readJsonPaths(file, 's3://b/bad.json')).rejects.toThrow(new Error(message));
  });
});
