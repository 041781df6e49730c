// The one SQL lexer: it knows quotes, quoted identifiers, dollar-quoted bodies and comments, so a keyword
// or a semicolon inside a literal is never taken for syntax. It reads SQL as Redshift writes it, whatever
// runs it: statement splitting (sql.ts), the local dialect translation and the local COPY parser build on it.

export type TokenKind = 'word' | 'identifier' | 'string' | 'number' | 'symbol' | 'space' | 'comment';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** Offsets in the statement: text === sql.slice(start, end). */
  start: number;
  end: number;
  /** Words: lower-cased. Quoted identifiers and string literals: the decoded content. Others: the text. */
  value: string;
}

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$]/u;
const DIGIT = /[0-9]/;
const NUMBER = /(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/y;
const DOLLAR_TAG = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;

/** The match of a sticky pattern at `index`, or undefined. */
function matchAt(pattern: RegExp, text: string, index: number): string | undefined {
  pattern.lastIndex = index;
  return pattern.exec(text)?.[0];
}

/** Splits SQL text into tokens, whitespace and comments included; an unterminated quote or comment runs to
 * the end of the text (the database reports it). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number, value?: string) => {
    const text = sql.slice(i, end);
    tokens.push({ kind, text, start: i, end, value: value ?? (kind === 'word' ? text.toLowerCase() : text) });
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i];
    const rest = sql.slice(i, i + 2);
    const dollarTag = ch === '$' ? matchAt(DOLLAR_TAG, sql, i) : undefined;
    if (/\s/.test(ch)) {
      let end = i + 1;
      while (end < sql.length && /\s/.test(sql[end])) end += 1;
      push('space', end);
    } else if (rest === '--') {
      const newline = sql.indexOf('\n', i);
      push('comment', newline === -1 ? sql.length : newline);
    } else if (rest === '/*') {
      const close = sql.indexOf('*/', i + 2);
      push('comment', close === -1 ? sql.length : close + 2);
    } else if (ch === "'") {
      const { end, value } = readQuoted(sql, i, "'");
      push('string', end, value);
    } else if (ch === '"') {
      const { end, value } = readQuoted(sql, i, '"');
      push('identifier', end, value);
    } else if (dollarTag) {
      const close = sql.indexOf(dollarTag, i + dollarTag.length);
      const end = close === -1 ? sql.length : close + dollarTag.length;
      push('string', end, sql.slice(i + dollarTag.length, close === -1 ? sql.length : close));
    } else if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      push('number', i + matchAt(NUMBER, sql, i)!.length);
    } else if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end])) end += 1;
      push('word', end);
    } else {
      push('symbol', i + 1);
    }
  }
  return tokens;
}

/** Reads a quoted run from `start`: a doubled quote stands for one; in literals a backslash escapes the
 * next character, as Redshift reads them. */
function readQuoted(sql: string, start: number, quote: string): { end: number; value: string } {
  let value = '';
  let j = start + 1;
  while (j < sql.length) {
    const ch = sql[j];
    if (quote === "'" && ch === '\\' && j + 1 < sql.length) {
      value += sql[j + 1];
      j += 2;
    } else if (ch === quote && sql[j + 1] === quote) {
      value += quote;
      j += 2;
    } else if (ch === quote) {
      return { end: j + 1, value };
    } else {
      value += ch;
      j += 1;
    }
  }
  return { end: sql.length, value };
}

/** The tokens that carry syntax: no whitespace, no comments. */
export function significantTokens(sql: string): Token[] {
  return tokenize(sql).filter((token) => token.kind !== 'space' && token.kind !== 'comment');
}

/** Whether `token` is the (case-insensitive) keyword `word`. */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.value);
}

/** Whether `token` is the symbol `symbol`. */
export function isSymbol(token: Token | undefined, symbol: string): boolean {
  return token?.kind === 'symbol' && token.text === symbol;
}

/** Index of the `)` closing the `(` at `open`, in significant tokens; -1 when it is not closed. */
export function closingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k += 1) {
    if (isSymbol(tokens[k], '(')) depth += 1;
    else if (isSymbol(tokens[k], ')')) {
      depth -= 1;
      if (depth === 0) return k;
    }
  }
  return -1;
}
