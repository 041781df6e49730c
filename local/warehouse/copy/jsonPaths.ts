// JSONPaths files for COPY: `{"jsonpaths": ["$['artist']", "$.auth", ...]}`, one expression per column,
// in the column order. Expressions name members (`$.a.b`, `$['a']['b']`) and array elements (`[0]`).
import { readFile } from 'node:fs/promises';
import { JsonNumber } from './jsonSyntax';

/** One step of a path: a member name or an array index. */
export type PathStep = string | number;

const DOT_NAME = /[^.[\]]+/y;
const INDEX = /\[(\d+)\]/y;
const QUOTED = /\[\s*(['"])((?:\\.|(?!\1).)*)\1\s*\]/y;

/** Parses one expression; throws the reason it is invalid. */
export function parseJsonPath(expression: string): PathStep[] {
  if (!expression.startsWith('$')) throw new Error(`'${expression}' does not start with '$'`);
  const steps: PathStep[] = [];
  let i = 1;
  const matchAt = (pattern: RegExp) => {
    pattern.lastIndex = i;
    const match = pattern.exec(expression);
    if (match) i = pattern.lastIndex;
    return match;
  };
  const invalid = () => new Error(`'${expression}' is not a JSONPath expression Redshift reads (at position ${i})`);
  while (i < expression.length) {
    if (expression[i] === '.') {
      i += 1;
      const name = matchAt(DOT_NAME);
      if (!name) throw invalid();
      steps.push(name[0]);
      continue;
    }
    const index = matchAt(INDEX);
    const quoted = index ? null : matchAt(QUOTED);
    if (index) steps.push(Number(index[1]));
    else if (quoted) steps.push(quoted[2].replace(/\\(.)/g, '$1'));
    else throw invalid();
  }
  if (steps.length === 0) throw new Error(`'${expression}' names no member`);
  return steps;
}

/** The value a path selects, or undefined when some step is missing. */
export function selectPath(value: unknown, steps: PathStep[]): unknown {
  let current = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || current instanceof JsonNumber) {
        return undefined;
      }
      if (!Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

/** Reads and parses a JSONPaths file (small: read whole); errors name the file's URI. */
export async function readJsonPaths(file: string, uri: string): Promise<PathStep[][]> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Invalid JSONPaths file ${uri}: ${(error as Error).message}`);
  }
  const expressions = (document as { jsonpaths?: unknown } | null)?.jsonpaths;
  if (!Array.isArray(expressions) || !expressions.every((expression) => typeof expression === 'string')) {
    throw new Error(`Invalid JSONPaths file ${uri}: expected {"jsonpaths": ["$.member", ...]}`);
  }
  return expressions.map((expression: string) => {
    try {
      return parseJsonPath(expression);
    } catch (error) {
      throw new Error(`Invalid JSONPaths file ${uri}: ${(error as Error).message}`);
    }
  });
}
