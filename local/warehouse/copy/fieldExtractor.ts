// How a COPY maps a JSON record to its columns: 'auto', 'auto ignorecase' or a JSONPaths file.
import type { CopyStatement } from './copyStatement';
import { readJsonPaths, selectPath } from './jsonPaths';
import { objectPath, type BucketMirrors } from './s3Mirror';
import type { TargetColumn } from './targetColumns';

/** Lists of keys remembered per COPY: records of more shapes than this are mapped one by one. */
const MAX_SHAPES = 1000;

/** Picks each column's JSON value out of a record; a string result means the record cannot be mapped. */
export type Extractor = (record: unknown) => unknown[] | string;

/** The extractor of the COPY's mapping; a JSONPaths file is read, and checked against the columns, here. */
export async function fieldExtractor(
  copy: CopyStatement,
  columns: TargetColumn[],
  mirrors: BucketMirrors,
  where: string,
): Promise<Extractor> {
  const { mapping } = copy;
  if (mapping.kind === 'jsonpaths') {
    const paths = await readJsonPaths(await objectPath(mirrors, mapping.uri), mapping.uri);
    if (paths.length !== columns.length) {
      // Redshift's text; it does not name the file, so the file is added after it.
      throw new Error(
        `${where}: Number of jsonpaths and the number of columns should match. ` +
          `JSONPath size: ${paths.length}, Number of columns in table or column list: ${columns.length} ` +
          `(JSONPaths file ${mapping.uri})`,
      );
    }
    return (record) => paths.map((steps) => selectPath(record, steps));
  }
  const names = columns.map((column) => column.name);
  const notAnObject = `with 'auto' a record must be a JSON object`;
  if (!mapping.ignoreCase) {
    return (record) =>
      isObject(record) ? names.map((name) => (Object.hasOwn(record, name) ? record[name] : undefined)) : notAnObject;
  }
  const lowerNames = names.map((name) => name.toLowerCase());
  // Which key feeds each column depends only on the record's keys: it is worked out once per list of keys (the
  // first key whose lower case is the column's, in the record's order), not once per record. A record with the
  // same keys as the one before, as most are, reuses its mapping without making the list's text.
  const keysByShape = new Map<string, (string | undefined)[]>();
  let lastKeys: string[] = [];
  let lastColumnKeys: (string | undefined)[] = [];
  return (record) => {
    if (!isObject(record)) return notAnObject;
    const keys = Object.keys(record);
    if (!sameKeys(keys, lastKeys)) {
      const shape = JSON.stringify(keys);
      let columnKeys = keysByShape.get(shape);
      if (!columnKeys) {
        const lowerKeys = keys.map((key) => key.toLowerCase());
        columnKeys = lowerNames.map((name) => keys[lowerKeys.indexOf(name)]);
        if (keysByShape.size < MAX_SHAPES) keysByShape.set(shape, columnKeys);
      }
      lastKeys = keys;
      lastColumnKeys = columnKeys;
    }
    return lastColumnKeys.map((key) => (key === undefined ? undefined : record[key]));
  };
}

function sameKeys(keys: string[], others: string[]): boolean {
  if (keys.length !== others.length) return false;
  for (let index = 0; index < keys.length; index += 1) if (keys[index] !== others[index]) return false;
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

