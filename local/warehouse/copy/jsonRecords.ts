// A streaming reader of the JSON layouts Redshift's COPY accepts: JSON objects (or arrays) separated by
// whitespace, one per file (maybe pretty-printed across lines) or one per line. It holds one record at a
// time, never a whole file, and knows the lines each record spans. Bytes that are not UTF-8 are kept (see
// utf8.ts) for the column conversion to judge.
import { findJsonSyntaxError, parseJson, type JsonSyntaxError, type JsonValue } from './jsonSyntax';
import { Utf8Decoder } from './utf8';

/** Redshift's limit on one JSON object or array, braces included. */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

export type JsonRecord =
  | { kind: 'record'; value: JsonValue; text: string; startLine: number; endLine: number }
  | { kind: 'malformed'; reason: string; text: string; line: number };

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** Whether a character is whitespace the reader skips between records (a newline ends a line besides). */
export function isSpaceBetweenRecords(code: number): boolean {
  return code === SPACE || code === TAB || code === CR;
}
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const OPEN = [OPEN_BRACE, OPEN_BRACKET];
/** Characters of a string that change nothing for the scanner. */
const STRING_RUN = /[^"\\\n]*/y;
const BOM = '\ufeff';

/** Reads the records of one file from its chunks: bytes (decoded here) or text. `fromLine`: the chunks are the
 * file from the start of that line on (the rest of a file the fast path, lineRecords.ts, began). */
export async function* readJsonRecords(
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  fromLine = 1,
): AsyncGenerator<JsonRecord> {
  const scanner = new RecordScanner(fromLine);
  const decoder = new Utf8Decoder();
  let first = fromLine === 1;
  const feed = (text: string) => {
    const rest = first && text.startsWith(BOM) ? text.slice(1) : text;
    if (text !== '') first = false;
    return scanner.feed(rest);
  };
  for await (const chunk of chunks) yield* feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  yield* feed(decoder.end());
  yield* scanner.end();
}

type Mode = 'between' | 'value' | 'string' | 'escape' | 'stray';

/** Finds record boundaries by tracking brackets and strings, character by character across chunks. */
class RecordScanner {
  private mode: Mode = 'between';
  private line: number;
  private depth = 0;
  private startLine = 1;
  private parts: string[] = [];
  private bytes = 0;
  private oversize = false;

  constructor(firstLine: number) {
    this.line = firstLine;
  }

  feed(chunk: string): JsonRecord[] {
    const records: JsonRecord[] = [];
    // Where the current record's text starts in this chunk (0 when it began in an earlier chunk).
    let start = this.mode === 'between' ? -1 : 0;
    for (let i = 0; i < chunk.length; i += 1) {
      let c = chunk.charCodeAt(i);
      switch (this.mode) {
        case 'between':
          if (c === LF) {
            this.line += 1;
          } else if (!isSpaceBetweenRecords(c)) {
            start = i;
            this.startLine = this.line;
            this.depth = 1;
            this.mode = OPEN.includes(c) ? 'value' : 'stray';
          }
          break;
        case 'value':
          if (c === QUOTE) {
            this.mode = 'string';
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.depth += 1;
          } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            this.depth -= 1;
            if (this.depth === 0) {
              records.push(this.finish(chunk.slice(start, i + 1)));
              start = -1;
            }
          } else if (c === LF) {
            this.line += 1;
          }
          break;
        case 'string':
        case 'escape':
          if (this.mode === 'string' && c !== QUOTE && c !== BACKSLASH && c !== LF) {
            // Most of a record is string characters that need no attention: skip them natively.
            STRING_RUN.lastIndex = i;
            STRING_RUN.test(chunk);
            i = STRING_RUN.lastIndex;
            if (i === chunk.length) break;
            c = chunk.charCodeAt(i);
          }
          if (c === LF) {
            // A JSON string cannot hold a line break: the record is broken here; read on from the next line.
            records.push(this.finish(chunk.slice(start, i)));
            start = -1;
            this.line += 1;
          } else if (this.mode === 'escape') {
            this.mode = 'string';
          } else if (c === BACKSLASH) {
            this.mode = 'escape';
          } else if (c === QUOTE) {
            this.mode = 'value';
          }
          break;
        case 'stray':
          // Text outside any object: a malformed record up to the end of its line.
          if (c === LF) {
            records.push(this.finish(chunk.slice(start, i)));
            start = -1;
            this.line += 1;
          }
          break;
      }
    }
    if (start !== -1) this.keep(chunk.slice(start));
    return records;
  }

  /** At the end of the file: a record still open is malformed. */
  end(): JsonRecord[] {
    return this.mode === 'between' ? [] : [this.finish('')];
  }

  /** Keeps the text of the current record, up to the size limit (past it, only the scanning goes on). */
  private keep(piece: string): void {
    if (this.oversize) return;
    this.parts.push(piece);
    this.bytes += Buffer.byteLength(piece);
    this.oversize = this.bytes > MAX_RECORD_BYTES;
  }

  private finish(lastPiece: string): JsonRecord {
    this.keep(lastPiece);
    const text = this.parts.join('');
    const { startLine, oversize } = this;
    const complete = this.mode === 'value' && this.depth === 0;
    this.mode = 'between';
    this.parts = [];
    this.bytes = 0;
    this.oversize = false;
    if (oversize) return malformed(text, startLine, true);
    const parsed = complete ? parseJson(text) : undefined;
    if (parsed && 'value' in parsed) return { kind: 'record', value: parsed.value, text, startLine, endLine: this.line };
    return malformed(text, startLine, false, parsed?.error);
  }
}

/** A malformed record, with the reason and line of its first fault. `cut`: the text stops at the size limit,
 * so a fault at its end is the limit's doing. `fault`: the parser's, when it has read the text already. */
function malformed(text: string, startLine: number, cut: boolean, fault?: JsonSyntaxError): JsonRecord {
  const found = OPEN.includes(text.charCodeAt(0))
    ? (fault ?? findJsonSyntaxError(text))
    : { offset: 0, reason: `expected '{' to start a JSON object, found '${text[0]}'` };
  const limit = { offset: text.length, reason: `the JSON record exceeds the ${MAX_RECORD_BYTES}-byte limit` };
  const shown = cut && (!found || found.offset >= text.length) ? limit : found;
  const reason = shown?.reason ?? 'malformed JSON';
  return { kind: 'malformed', reason, text, line: startLine + countLines(text, shown?.offset ?? 0) };
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines += 1;
  return lines;
}
