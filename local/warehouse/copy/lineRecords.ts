// The fast path for the common layout, one JSON object per line: the file is read whole and each line with
// JSON.parse. It gives exactly what the exact reader (jsonRecords.ts) gives: from the first line it cannot read as
// surely (another layout, a malformed line, a record over the size limit) the exact reader reads the rest of the
// file, and locates its faults. A number whose text JavaScript would not write back the same
// (1e400, 0.1000000000000000055, 1.0) keeps its text, as the exact reader keeps it: a field is judged on that text.
import { MAX_RECORD_BYTES, type JsonRecord } from './jsonRecords';
import { JsonNumber, parseJson, type JsonValue } from './jsonSyntax';

/** The whitespace the exact reader skips between records. */
const EDGE_SPACE = /^[ \t\r]+|[ \t\r]+$/g;
/** The strings and the numbers of a line (a number's text runs to the next delimiter). */
const TOKENS = /"[^"\\]*(?:\\.[^"\\]*)*"|-?\d[\d.eE+-]*/g;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** A number JavaScript would change is handed to JSON.parse as the string "\u0000#<its text>", then restored; a
 * line that holds the escape \u0000 itself is read by the exact parser instead. */
const KEPT = '\u0000#';
const NUL_ESCAPE = /\\u0000/i;
/** What `parseLine` returns for a line that is not valid JSON. */
const INVALID = Symbol('invalid');

/** Where the exact reader takes over: the rest of the file, from the start of the line it begins with. */
export interface RestOfFile {
  text: string;
  line: number;
}

/** Yields the records of a file's text (valid UTF-8, its BOM removed) one line at a time, while the lines are one
 * JSON object each; returns the rest of the file, from the first line that is not, for the exact reader. */
export function* lineRecords(text: string): Generator<JsonRecord, RestOfFile | undefined> {
  let start = 0;
  for (let index = 0; start < text.length; index += 1) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end).replace(EDGE_SPACE, '');
    if (line !== '') {
      const value = isObjectLine(line) ? parseLine(line) : INVALID;
      if (value === INVALID) return { text: text.slice(start), line: index + 1 };
      yield { kind: 'record', value, text: line, startLine: index + 1, endLine: index + 1 };
    }
    start = end + 1;
  }
  return undefined;
}

/** Whether a line (its edges trimmed) can be one record: `{ ... }`, within the size limit. */
function isObjectLine(line: string): boolean {
  if (line.charCodeAt(0) !== 0x7b || line.charCodeAt(line.length - 1) !== 0x7d) return false;
  return line.length * 3 <= MAX_RECORD_BYTES || Buffer.byteLength(line) <= MAX_RECORD_BYTES;
}

/** A line's value, its numbers' texts kept where JavaScript would change them. */
function parseLine(line: string): JsonValue | typeof INVALID {
  if (NUL_ESCAPE.test(line)) {
    const parsed = parseJson(line);
    return 'value' in parsed ? parsed.value : INVALID;
  }
  let kept = false;
  let invalid = false;
  const marked = line.replace(TOKENS, (token) => {
    if (token.charCodeAt(0) === 0x22 || String(Number(token)) === token) return token;
    if (!JSON_NUMBER.test(token)) invalid = true;
    kept = true;
    return `"\\u0000#${token}"`;
  });
  if (invalid) return INVALID;
  try {
    const value = JSON.parse(marked) as JsonValue;
    return kept ? restoreNumbers(value) : value;
  } catch {
    return INVALID;
  }
}

/** The value with its kept numbers restored as JsonNumbers; INVALID when a member name was one (`{1.0: 2}` is not
 * JSON). */
function restoreNumbers(value: JsonValue): JsonValue | typeof INVALID {
  if (typeof value === 'string') return value.startsWith(KEPT) ? new JsonNumber(value.slice(KEPT.length)) : value;
  if (value === null || typeof value !== 'object' || value instanceof JsonNumber) return value;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const restored = restoreNumbers(value[index]);
      if (restored === INVALID) return INVALID;
      value[index] = restored;
    }
    return value;
  }
  for (const key of Object.keys(value)) {
    if (key.startsWith(KEPT)) return INVALID;
    const restored = restoreNumbers(value[key]);
    if (restored === INVALID) return INVALID;
    if (restored === value[key]) continue;
    // "__proto__" is a member like any other (as JSON.parse made it): define it, do not assign it.
    if (key === '__proto__') Object.defineProperty(value, key, { value: restored, writable: true, enumerable: true, configurable: true });
    else value[key] = restored;
  }
  return value;
}
