// One JSON value read as Redshift's COPY reads it: numbers keep the text they have in the file (a field is
// judged on that text, so 9223372036854775807 stays exact and 1e400 is not Infinity), and a malformed text
// gets the reason and offset of its first fault, in words that do not depend on the Node.js version.
// Iterative, so deep nesting cannot overflow the stack.

/** A JSON number, as written in the file. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A value; a number is a JsonNumber, or a JavaScript number when its text is JavaScript's own (lineRecords.ts). */
export type JsonValue = string | boolean | null | JsonNumber | number | JsonValue[] | { [key: string]: JsonValue };

export interface JsonSyntaxError {
  /** Offset of the fault in the text (UTF-16 code units). */
  offset: number;
  reason: string;
}

type Expecting = 'value' | 'firstMember' | 'member' | 'firstElement' | 'afterValue';

type JsonObject = { [key: string]: JsonValue };

interface Container {
  value: JsonValue[] | JsonObject;
  isObject: boolean;
  /** The member whose value comes next (objects). */
  key: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const ESCAPES = '"\\/bfnrt';
const LITERALS: [string, JsonValue][] = [
  ['true', true],
  ['false', false],
  ['null', null],
];
const HEX4 = /^[0-9a-fA-F]{4}$/;
const CONTROL = /[\u0000-\u001f]/;
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const LONE_SURROGATES = /([\ud800-\udfff])/u;
/** What a failed read returns; the fault is in `Reader.fault`. */
const FAILED = Symbol('failed');

/** The value of a JSON text, or its first syntax fault. */
export function parseJson(text: string): { value: JsonValue } | { error: JsonSyntaxError } {
  const reader = new Reader(text);
  const value = reader.document();
  return value === FAILED ? { error: reader.fault! } : { value };
}

/** Reads one JSON text left to right; `at` is the offset of the next character to read. */
class Reader {
  at = 0;
  fault: JsonSyntaxError | undefined;
  /** Offset of the next backslash at or after the current string (2^32 - 1 when there is none). */
  private nextBackslash = -1;

  constructor(private readonly text: string) {}

  document(): JsonValue | typeof FAILED {
    const { text } = this;
    const open: Container[] = [];
    let root: JsonValue = null;
    let expecting: Expecting = 'value';
    this.skipSpace();
    while (true) {
      const code = text.charCodeAt(this.at);
      const container = open[open.length - 1];
      if (expecting === 'afterValue') {
        if (container === undefined) {
          return this.at < text.length ? this.fail(`unexpected ${this.shown()} after the end of the JSON value`) : root;
        }
        if (code === COMMA) {
          expecting = container.isObject ? 'member' : 'value';
        } else if (code === (container.isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
          open.pop();
        } else {
          const [close, after] = container.isObject ? ['}', 'an object member'] : [']', 'an array element'];
          return this.fail(`expected ',' or '${close}' after ${after}, found ${this.shown()}`);
        }
        this.at += 1;
        this.skipSpace();
        continue;
      }
      if ((expecting === 'firstMember' && code === CLOSE_BRACE) || (expecting === 'firstElement' && code === CLOSE_BRACKET)) {
        open.pop();
        expecting = 'afterValue';
        this.at += 1;
        this.skipSpace();
        continue;
      }
      if (expecting === 'firstMember' || expecting === 'member') {
        if (code !== QUOTE) return this.fail(`expected a double-quoted member name, found ${this.shown()}`);
        const key = this.string();
        if (key === FAILED) return FAILED;
        this.skipSpace();
        if (text.charCodeAt(this.at) !== COLON) return this.fail(`expected ':' after a member name, found ${this.shown()}`);
        container.key = key;
        expecting = 'value';
        this.at += 1;
        this.skipSpace();
        continue;
      }
      let value: JsonValue | typeof FAILED;
      if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        const isObject = code === OPEN_BRACE;
        value = isObject ? {} : [];
        open.push({ value, isObject, key: '' });
        expecting = isObject ? 'firstMember' : 'firstElement';
        this.at += 1;
      } else {
        value = code === QUOTE ? this.string() : this.numberOrLiteral();
        if (value === FAILED) return FAILED;
        expecting = 'afterValue';
      }
      if (container === undefined) root = value;
      else if (container.isObject) addMember(container.value as JsonObject, container.key, value);
      else (container.value as JsonValue[]).push(value);
      this.skipSpace();
    }
  }

  /** The string at `at` (a double quote), unescaped. */
  private string(): string | typeof FAILED {
    const { text } = this;
    const start = this.at;
    // The common case, found natively: no backslash before the closing quote, no control character.
    const quote = text.indexOf('"', start + 1);
    if (this.nextBackslash < start) this.nextBackslash = text.indexOf('\\', start + 1) >>> 0;
    if (quote !== -1 && quote < this.nextBackslash) {
      const value = text.slice(start + 1, quote);
      if (!CONTROL.test(value)) {
        this.at = quote + 1;
        return value;
      }
    }
    let j = start + 1;
    let escaped = false;
    while (j < text.length) {
      const code = text.charCodeAt(j);
      if (code === QUOTE) {
        this.at = j + 1;
        // Those strings are unescaped natively (the text is valid by now).
        return escaped ? (JSON.parse(text.slice(start, j + 1)) as string) : text.slice(start + 1, j);
      }
      if (code === BACKSLASH) {
        const next = text[j + 1];
        escaped = true;
        if (next === 'u' && HEX4.test(text.slice(j + 2, j + 6))) {
          j += 6;
          continue;
        }
        this.at = j;
        if (next === undefined || !ESCAPES.includes(next)) return this.fail(`invalid escape '\\${next ?? ''}' in a string`);
        j += 2;
      } else if (code < 0x20) {
        this.at = j;
        const name = code === 0x0a ? 'a line break' : `control character U+${code.toString(16).padStart(4, '0')}`;
        return this.fail(`unterminated string: ${name} inside it`);
      } else {
        j += 1;
      }
    }
    this.at = j;
    return this.fail('unterminated string');
  }

  /** The number (-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?, its text kept) or literal at `at`. */
  private numberOrLiteral(): JsonValue | typeof FAILED {
    const { text } = this;
    const start = this.at;
    let j = start;
    if (text.charCodeAt(j) === 0x2d) j += 1; // -
    if (text.charCodeAt(j) === 0x30) j += 1; // 0
    else if (isDigit(text, j)) j = digitsEnd(text, j);
    else j = start;
    if (j > start) {
      if (text.charCodeAt(j) === 0x2e && isDigit(text, j + 1)) j = digitsEnd(text, j + 1); // .
      const e = text.charCodeAt(j);
      if (e === 0x65 || e === 0x45) {
        const sign = text.charCodeAt(j + 1) === 0x2b || text.charCodeAt(j + 1) === 0x2d ? 1 : 0;
        if (isDigit(text, j + 1 + sign)) j = digitsEnd(text, j + 1 + sign);
      }
      this.at = j;
      return new JsonNumber(text.slice(start, j));
    }
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, start)) {
        this.at = start + word.length;
        return value;
      }
    }
    return this.fail(`expected a value, found ${this.shown()}`);
  }

  private skipSpace(): void {
    const { text } = this;
    let j = this.at;
    let code = text.charCodeAt(j);
    while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) code = text.charCodeAt(++j);
    this.at = j;
  }

  private fail(reason: string): typeof FAILED {
    this.fault = { offset: this.at, reason };
    return FAILED;
  }

  /** The character at `at`, as error messages show it. */
  private shown(): string {
    const ch = this.text[this.at];
    return ch === undefined ? 'the end of the record' : `'${ch}'`;
  }
}

/** The first syntax fault of a JSON text, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const parsed = parseJson(text);
  return 'error' in parsed ? parsed.error : undefined;
}

/** A value as compact JSON (JSON.stringify's layout), numbers as written in the file. */
export function jsonText(value: JsonValue): string {
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, member]) => `${quoted(key)}:${jsonText(member)}`)
      .join(',')}}`;
  }
  return typeof value === 'string' ? quoted(value) : JSON.stringify(value);
}

/** A string as JSON. JSON.stringify writes a lone surrogate as a \u escape; here it stays as it is, so a byte
 * that is not UTF-8 (see utf8.ts) still reaches the column, which refuses it. */
function quoted(text: string): string {
  if (!LONE_SURROGATE.test(text)) return JSON.stringify(text);
  const parts = text.split(LONE_SURROGATES);
  return `"${parts.map((part, index) => (index % 2 === 1 ? part : JSON.stringify(part).slice(1, -1))).join('')}"`;
}

/** Sets a member as JSON.parse does: a repeated name keeps its place and takes the last value, and
 * "__proto__" is a member like any other. */
function addMember(object: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

function isDigit(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code >= 0x30 && code <= 0x39;
}

function digitsEnd(text: string, i: number): number {
  let j = i;
  while (isDigit(text, j)) j += 1;
  return j;
}
