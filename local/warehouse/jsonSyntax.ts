// Why a JSON text is malformed, in words that do not depend on the Node.js version (JSON.parse's messages
// do), with the offset of the fault so the reader can name its line. Runs only when JSON.parse has failed.

export interface JsonSyntaxError {
  /** Offset of the fault in the text (UTF-16 code units). */
  offset: number;
  reason: string;
}

type Expecting = 'value' | 'firstMember' | 'member' | 'firstElement' | 'afterValue';

const JSON_NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];
const ESCAPES = '"\\/bfnrt';

/** The first syntax fault of one JSON value, or undefined when the text is valid JSON. Iterative, so deep
 * nesting cannot overflow the stack. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const open: string[] = [];
  let expecting: Expecting = 'value';
  let i = skipSpace(text, 0);
  const fault = (reason: string) => ({ offset: i, reason });
  while (true) {
    const ch = text[i];
    if (expecting === 'afterValue') {
      const container = open[open.length - 1];
      if (container === undefined) {
        return i < text.length ? fault(`unexpected ${show(ch)} after the end of the JSON value`) : undefined;
      }
      const close = container === '{' ? '}' : ']';
      if (ch === ',') {
        expecting = container === '{' ? 'member' : 'value';
      } else if (ch === close) {
        open.pop();
      } else {
        const after = container === '{' ? 'an object member' : 'an array element';
        return fault(`expected ',' or '${close}' after ${after}, found ${show(ch)}`);
      }
      i = skipSpace(text, i + 1);
    } else if ((expecting === 'firstMember' && ch === '}') || (expecting === 'firstElement' && ch === ']')) {
      open.pop();
      expecting = 'afterValue';
      i = skipSpace(text, i + 1);
    } else if (expecting === 'firstMember' || expecting === 'member') {
      if (ch !== '"') return fault(`expected a double-quoted member name, found ${show(ch)}`);
      const end = stringEnd(text, i);
      if (typeof end !== 'number') return end;
      i = skipSpace(text, end);
      if (text[i] !== ':') return fault(`expected ':' after a member name, found ${show(text[i])}`);
      expecting = 'value';
      i = skipSpace(text, i + 1);
    } else if (ch === '{' || ch === '[') {
      open.push(ch);
      expecting = ch === '{' ? 'firstMember' : 'firstElement';
      i = skipSpace(text, i + 1);
    } else {
      const end = valueEnd(text, i);
      if (typeof end !== 'number') return end;
      expecting = 'afterValue';
      i = skipSpace(text, end);
    }
  }
}

/** End of the string, number or literal at `i`, or the fault. */
function valueEnd(text: string, i: number): number | JsonSyntaxError {
  const ch = text[i];
  if (ch === '"') return stringEnd(text, i);
  JSON_NUMBER.lastIndex = i;
  const number = JSON_NUMBER.exec(text);
  if (number) return i + number[0].length;
  const literal = LITERALS.find((word) => text.startsWith(word, i));
  if (literal) return i + literal.length;
  return { offset: i, reason: `expected a value, found ${show(ch)}` };
}

/** End of the string starting at `i` (a double quote), or the fault. */
function stringEnd(text: string, i: number): number | JsonSyntaxError {
  let j = i + 1;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '"') return j + 1;
    if (ch === '\\') {
      const escaped = text[j + 1];
      if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
        j += 6;
        continue;
      }
      if (escaped === undefined || !ESCAPES.includes(escaped)) {
        return { offset: j, reason: `invalid escape '\\${escaped ?? ''}' in a string` };
      }
      j += 2;
    } else if (ch < ' ') {
      const name = ch === '\n' ? 'a line break' : `control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
      return { offset: j, reason: `unterminated string: ${name} inside it` };
    } else {
      j += 1;
    }
  }
  return { offset: j, reason: 'unterminated string' };
}

function skipSpace(text: string, i: number): number {
  let j = i;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r')) j += 1;
  return j;
}

function show(ch: string | undefined): string {
  return ch === undefined ? 'the end of the record' : `'${ch}'`;
}
