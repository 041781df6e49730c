// Parsing Redshift's COPY from S3 for JSON data: keywords in any case, options in any order. An option
// the local warehouse does not implement is refused by name, never ignored.
import { isSymbol, isWord, significantTokens, type Token } from '../../../functions/lib/sql/sqlLexer';

/** How JSON fields map to columns. */
export type JsonMapping = { kind: 'auto'; ignoreCase: boolean } | { kind: 'jsonpaths'; uri: string };

/** How timestamps are read: strings (Redshift's default and 'auto'), or epoch numbers. */
export type TimeFormat = 'auto' | 'epochsecs' | 'epochmillisecs';

export interface CopyStatement {
  /** The table as written (maybe schema-qualified or quoted), for the catalog lookup. */
  table: string;
  /** The table's own name, unquoted, for messages. */
  tableName: string;
  /** The column list, if any: the columns to load, in order. */
  columns?: string[];
  /** `s3://bucket/prefix`, or with MANIFEST the manifest's `s3://bucket/key`. */
  source: string;
  /** MANIFEST: `source` is a manifest listing the files to load (manifest.ts). */
  manifest: boolean;
  mapping: JsonMapping;
  maxError: number;
  truncateColumns: boolean;
  timeFormat: TimeFormat;
  gzip: boolean;
  /** ACCEPTINVCHARS's replacement character ('?' when none is given); undefined without ACCEPTINVCHARS. */
  acceptInvChars?: string;
}

const OPTIONS_ACCEPTED =
  'IAM_ROLE, REGION, FORMAT JSON, MAXERROR, COMPUPDATE, STATUPDATE, TRUNCATECOLUMNS, TIMEFORMAT, ACCEPTINVCHARS, MANIFEST and GZIP';
const ON_OFF = ['on', 'off', 'true', 'false'];
const TIME_FORMATS: TimeFormat[] = ['auto', 'epochsecs', 'epochmillisecs'];

/** Parses a COPY statement; throws an error naming the statement and what it refuses. */
export function parseCopy(sql: string): CopyStatement {
  const cursor = new Cursor(significantTokens(sql));
  cursor.expectWord('copy', 'COPY');
  const tableTokens = [cursor.name('a table name after COPY')];
  while (cursor.acceptSymbol('.')) tableTokens.push(cursor.name('a name after "."'));
  const table = tableTokens.map((token) => token.text).join('.');
  const tableName = tableTokens[tableTokens.length - 1].value;
  const context = `COPY ${table}`;
  cursor.context = context;

  const columns = cursor.peekSymbol('(') ? cursor.columnList() : undefined;
  cursor.expectWord('from', 'FROM');
  const source = cursor.string('the S3 URI after FROM');
  if (!source.startsWith('s3://')) {
    throw new Error(`${context}: FROM '${source}' is not supported: the local warehouse reads only s3:// URIs`);
  }
  cursor.acceptWord('with');

  const seen = new Set<string>();
  const copy: CopyStatement = {
    table,
    tableName,
    columns,
    source,
    manifest: false,
    mapping: { kind: 'auto', ignoreCase: false },
    maxError: 0,
    truncateColumns: false,
    timeFormat: 'auto',
    gzip: false,
  };
  while (!cursor.done()) {
    const option = cursor.next();
    // `JSON 'auto'` and `FORMAT [AS] JSON 'auto'` are one option.
    const name = isWord(option, 'format') ? 'json' : option.value;
    if (seen.has(name)) throw new Error(`${context}: option ${option.text.toUpperCase()} is given twice`);
    seen.add(name);
    if (isWord(option, 'iam_role')) {
      if (!cursor.acceptWord('default')) cursor.string('a role ARN or DEFAULT after IAM_ROLE');
    } else if (isWord(option, 'region')) {
      cursor.acceptWord('as');
      cursor.string('a region after REGION');
    } else if (isWord(option, 'format', 'json')) {
      if (isWord(option, 'format')) {
        cursor.acceptWord('as');
        const format = cursor.next();
        if (!isWord(format, 'json')) {
          throw new Error(`${context}: FORMAT ${format.text} is not supported: the local warehouse reads JSON only`);
        }
      }
      copy.mapping = cursor.jsonMapping();
    } else if (isWord(option, 'maxerror')) {
      cursor.acceptWord('as');
      copy.maxError = cursor.count('a number after MAXERROR');
    } else if (isWord(option, 'compupdate', 'statupdate')) {
      // Compression and statistics are Redshift storage concerns: nothing to do locally.
      if (isWord(cursor.peek(), ...ON_OFF)) cursor.next();
    } else if (isWord(option, 'truncatecolumns')) {
      copy.truncateColumns = true;
    } else if (isWord(option, 'timeformat')) {
      cursor.acceptWord('as');
      const format = cursor.string('a format after TIMEFORMAT');
      const timeFormat = TIME_FORMATS.find((known) => known === format.toLowerCase());
      if (!timeFormat) {
        throw new Error(
          `${context}: TIMEFORMAT '${format}' is not supported ` +
            "(the local warehouse knows 'auto', 'epochsecs' and 'epochmillisecs')",
        );
      }
      copy.timeFormat = timeFormat;
    } else if (isWord(option, 'manifest')) {
      copy.manifest = true;
    } else if (isWord(option, 'gzip')) {
      copy.gzip = true;
    } else if (isWord(option, 'acceptinvchars')) {
      copy.acceptInvChars = cursor.replacementChar();
    } else if (isWord(option, 'credentials')) {
      throw new Error(`${context}: CREDENTIALS is not supported: authorize with IAM_ROLE`);
    } else {
      throw new Error(`${context}: unsupported option '${option.text}' (the local warehouse knows ${OPTIONS_ACCEPTED})`);
    }
  }
  if (!seen.has('json')) {
    throw new Error(`${context}: no FORMAT JSON: the local warehouse reads JSON only`);
  }
  return copy;
}

/** Reads significant tokens in order, with errors that name the statement. */
class Cursor {
  context = 'COPY';
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.index >= this.tokens.length || isSymbol(this.tokens[this.index], ';');
  }

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  peekSymbol(symbol: string): boolean {
    return isSymbol(this.peek(), symbol);
  }

  next(): Token {
    const token = this.tokens[this.index];
    if (!token) throw new Error(`${this.context}: the statement ends too early`);
    this.index += 1;
    return token;
  }

  acceptWord(word: string): boolean {
    if (!isWord(this.peek(), word)) return false;
    this.index += 1;
    return true;
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.peekSymbol(symbol)) return false;
    this.index += 1;
    return true;
  }

  expectWord(word: string, shown: string): void {
    const token = this.peek();
    if (!this.acceptWord(word)) throw new Error(`${this.context}: expected ${shown}, found ${describe(token)}`);
  }

  name(what: string): Token {
    const token = this.peek();
    if (token?.kind !== 'word' && token?.kind !== 'identifier') {
      throw new Error(`${this.context}: expected ${what}, found ${describe(token)}`);
    }
    this.index += 1;
    return token;
  }

  string(what: string): string {
    const token = this.peek();
    if (token?.kind !== 'string') throw new Error(`${this.context}: expected ${what}, found ${describe(token)}`);
    this.index += 1;
    return token.value;
  }

  count(what: string): number {
    const token = this.peek();
    if (token?.kind !== 'number' || !/^\d+$/.test(token.text)) {
      throw new Error(`${this.context}: expected ${what}, found ${describe(token)}`);
    }
    this.index += 1;
    return Number(token.text);
  }

  /** ACCEPTINVCHARS [AS] ['c']: any one ASCII character but NUL, '?' by default (docs: "Data conversion
   * parameters"). */
  replacementChar(): string {
    const hasAs = this.acceptWord('as');
    if (!hasAs && this.peek()?.kind !== 'string') return '?';
    const char = this.string('a replacement character after ACCEPTINVCHARS AS');
    if (!/^[\x01-\x7f]$/.test(char)) {
      throw new Error(
        `${this.context}: ACCEPTINVCHARS '${char}' is not valid: the replacement must be one ASCII character other than NUL`,
      );
    }
    return char;
  }

  /** `(a, b, ...)`: the names of the columns to load. */
  columnList(): string[] {
    this.next();
    const columns = [this.name('a column name').value];
    while (this.acceptSymbol(',')) columns.push(this.name('a column name').value);
    if (!this.acceptSymbol(')')) {
      throw new Error(`${this.context}: expected ')' after the column list, found ${describe(this.peek())}`);
    }
    return columns;
  }

  /** The argument of JSON: 'auto', 'auto ignorecase' or the S3 URI of a JSONPaths file; none means 'auto'. */
  jsonMapping(): JsonMapping {
    this.acceptWord('as');
    if (this.peek()?.kind !== 'string') return { kind: 'auto', ignoreCase: false };
    const argument = this.string('a JSON argument');
    const normalized = argument.trim().toLowerCase().replace(/\s+/g, ' ');
    if (normalized === 'auto') return { kind: 'auto', ignoreCase: false };
    if (normalized === 'auto ignorecase') return { kind: 'auto', ignoreCase: true };
    if (argument.startsWith('s3://')) return { kind: 'jsonpaths', uri: argument };
    throw new Error(
      `${this.context}: JSON '${argument}' is not supported ` +
        "(the local warehouse knows 'auto', 'auto ignorecase' and the s3:// URI of a JSONPaths file)",
    );
  }
}

function describe(token: Token | undefined): string {
  return token ? `'${token.text}'` : 'the end of the statement';
}
