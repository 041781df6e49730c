// The fast path for the common layout, one JSON object per line: the file is read whole and each line with
// JSON.parse. It gives exactly what the exact reader (jsonRecords.ts) gives: from the first line it cannot read as
// surely (another layout, a malformed line, a record over the size limit) the exact reader reads the rest of the
// file, and locates its faults. A number whose text JavaScript would not write back the same
// (1e400, 0.1000000000000000055, 1.0) keeps its text, as the exact reader keeps it: a field is judged on that text.
import { isSpaceBetweenRecords, MAX_RECORD_BYTES, type JsonRecord } from './jsonRecords';
import { JsonNumber, parseJson, type JsonValue } from './jsonSyntax';

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** A number JavaScript would change is handed to JSON.parse as the string "\u0000#<its text>", then restored; a
 * line that holds the escape \u0000 itself is read by the exact parser instead. */
const KEPT = '\u0000#';
const NUL_ESCAPE = /\\u0000/i;
/** What `parseLine` returns for a line that is not valid JSON. */
const INVALID = Symbol('invalid');

/** Where the exact reader takes over: the rest of the text, from the start of the line it begins with. */
export interface RestOfFile {
  text: string;
  line: number;
}

/** Yields the records of a file's text (valid UTF-8, its BOM removed; whole lines, the first of them the file's line
 * `firstLine`) one line at a time, while the lines are one JSON object each; returns the rest of the text, from the
 * first line that is not, for the exact reader. */
export function* lineRecords(text: string, firstLine = 1): Generator<JsonRecord, RestOfFile | undefined> {
  let start = 0;
  for (let index = 0; start < text.length; index += 1) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = trimEdges(text, start, end);
    if (line !== '') {
      const value = isObjectLine(line) ? parseLine(line) : INVALID;
      if (value === INVALID) return { text: text.slice(start), line: firstLine + index };
      yield { kind: 'record', value, text: line, startLine: firstLine + index, endLine: firstLine + index };
    }
    start = end + 1;
  }
  return undefined;
}

/** text[start, end) without the whitespace the exact reader skips between records at its edges. A scan, not the
 * regular expression /^[ \t\r]+|[ \t\r]+$/: that tries its second half from every space of a run inside the
 * line, which took 43 s for a line of 200,000 spaces. */
function trimEdges(text: string, start: number, end: number): string {
  while (start < end && isSpaceBetweenRecords(text.charCodeAt(start))) start += 1;
  while (end > start && isSpaceBetweenRecords(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(start, end);
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
  const marked = markNumbers(line);
  if (marked === INVALID) return INVALID;
  try {
    const value = JSON.parse(marked) as JsonValue;
    return marked === line ? value : restoreNumbers(value);
  } catch {
    return INVALID;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;

/** The line with each number whose text JavaScript would change replaced by the string "\u0000#<its text>" (the
 * line itself when there is none), or INVALID when a number is not JSON. Strings are skipped whole; a number's text
 * runs to the next delimiter. A scanner, not a regular expression with a callback per token: this runs on every
 * line of every load. */
function markNumbers(line: string): string | typeof INVALID {
  let marked = '';
  let copied = 0;
  let index = 0;
  while (index < line.length) {
    const code = line.charCodeAt(index);
    if (code === QUOTE) {
      index = afterString(line, index + 1);
    } else if (isDigit(code) || (code === MINUS && isDigit(line.charCodeAt(index + 1)))) {
      const start = index;
      let plain = true; // digits only, after an optional minus
      index += code === MINUS ? 2 : 1;
      for (let next = line.charCodeAt(index); index < line.length; next = line.charCodeAt(++index)) {
        if (isDigit(next)) continue;
        if (!isNumberSign(next)) break;
        plain = false;
      }
      if (plain && isExactInteger(line, start, index)) continue;
      const token = line.slice(start, index);
      if (String(Number(token)) === token) continue;
      if (!JSON_NUMBER.test(token)) return INVALID;
      marked += `${line.slice(copied, start)}"\\u0000#${token}"`;
      copied = index;
    } else {
      index += 1;
    }
  }
  return copied === 0 ? line : marked + line.slice(copied);
}

/** The index after the closing quote of a string whose text starts at `from` (the line's end if it has none). */
function afterString(line: string, from: number): number {
  for (let quote = line.indexOf('"', from); quote !== -1; quote = line.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (line.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
  }
  return line.length;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** `.`, `e`, `E`, `+` or `-`: what else a number's text may hold. */
function isNumberSign(code: number): boolean {
  return code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === MINUS;
}

/** Whether the integer text line[start, end) is one JavaScript writes back the same: at most 15 digits, no leading
 * zero, not -0. */
function isExactInteger(line: string, start: number, end: number): boolean {
  const first = line.charCodeAt(start) === MINUS ? start + 1 : start;
  const digits = end - first;
  return digits <= 15 && (line.charCodeAt(first) !== ZERO || (digits === 1 && first === start));
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
