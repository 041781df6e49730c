// Redshift DDL -> PostgreSQL: the table and column attributes that only steer Redshift's storage
// (distribution, sort keys, compression, backup) are dropped, IDENTITY and VARCHAR(MAX) are rewritten.
// A CREATE TABLE attribute this module does not know is refused, never dropped; any other statement
// passes through unchanged and PostgreSQL judges it, but for one expression PostgreSQL computes slowly, which is
// given in a form it computes fast, to the same value (LOCAL_START_TIME).
import { START_TIME } from '../../../functions/lib/sql/sql';
import { closingParen, isSymbol, isWord, significantTokens, type Token } from '../../../functions/lib/sql/sqlLexer';

/** Redshift's longest VARCHAR, what VARCHAR(MAX) stands for. */
const VARCHAR_MAX = 65535;
const DISTSTYLES = ['all', 'even', 'key', 'auto'];
const TABLE_ATTRIBUTES = ['diststyle', 'distkey', 'sortkey', 'compound', 'interleaved', 'encode', 'backup'];
const TABLE_CONSTRAINTS = ['constraint', 'primary', 'unique', 'foreign', 'check', 'like', 'exclude'];

interface Edit {
  start: number;
  end: number;
  replacement: string;
}

/** Whether a statement is a COPY (which never reaches PostgreSQL: see copy.ts). */
export function isCopyStatement(sql: string): boolean {
  return isWord(significantTokens(sql)[0], 'copy');
}

/** START_TIME (functions/lib/sql/sql.ts) as PostgreSQL computes it fast, to the same timestamp. `ts / 1000.0` is a
 * numeric, which PostgreSQL turns into a double through its text to multiply the interval: about 3 µs a value in
 * PGlite, 5 s of a million events' build. ts is a BIGINT, exact as a double below 2^53 (year 287396), and a double
 * division is correctly rounded, as the text's reading is: the same double, then the same interval. */
export const LOCAL_START_TIME = "timestamp 'epoch' + cast(ts as double precision) / 1000 * interval '1 second'";

/** Translates one Redshift statement to PostgreSQL; throws naming the statement and the word it refuses. */
export function translateStatement(sql: string): string {
  const tokens = significantTokens(sql);
  const edits = isCreateTable(tokens) ? createTableEdits(tokens) : [];
  return applyEdits(sql, edits).split(START_TIME).join(LOCAL_START_TIME);
}

/** `CREATE [LOCAL] [TEMP|TEMPORARY] TABLE`. */
function isCreateTable(tokens: Token[]): boolean {
  if (!isWord(tokens[0], 'create')) return false;
  let k = 1;
  while (isWord(tokens[k], 'local', 'temp', 'temporary')) k += 1;
  return isWord(tokens[k], 'table');
}

/** The edits of a CREATE TABLE: in its column list, then after it. */
function createTableEdits(tokens: Token[]): Edit[] {
  let k = tokens.findIndex((token) => isWord(token, 'table')) + 1;
  if (isWord(tokens[k], 'if') && isWord(tokens[k + 1], 'not') && isWord(tokens[k + 2], 'exists')) k += 3;
  const nameStart = k;
  k += 1;
  while (isSymbol(tokens[k], '.') && tokens[k + 1]) k += 2;
  const statement = `CREATE TABLE ${tokens
    .slice(nameStart, k)
    .map((token) => token.text)
    .join('')}`;
  const edits: Edit[] = [];
  if (isSymbol(tokens[k], '(')) {
    const close = closingParen(tokens, k);
    if (close === -1) return edits; // unbalanced: PostgreSQL reports the syntax error
    edits.push(...columnListEdits(tokens.slice(k + 1, close)));
    k = close + 1;
  }
  edits.push(...tableAttributeEdits(tokens, k, statement));
  return edits;
}

/** Edits of the table attributes after the column list, up to the end or the `AS` of a CREATE TABLE AS. */
function tableAttributeEdits(tokens: Token[], from: number, statement: string): Edit[] {
  const edits: Edit[] = [];
  let k = from;
  while (k < tokens.length && !isWord(tokens[k], 'as') && !isSymbol(tokens[k], ';')) {
    const end = tableAttributeEnd(tokens, k);
    if (end === undefined) {
      // A known attribute with a value it cannot take is named with that value.
      const [word, next] = [tokens[k], tokens[k + 1]];
      const shown = isWord(word, ...TABLE_ATTRIBUTES) && next ? `${word.text} ${next.text}` : word.text;
      throw new Error(
        `${statement}: unsupported table attribute '${shown}' ` +
          '(the local warehouse knows DISTSTYLE, DISTKEY, SORTKEY, ENCODE AUTO and BACKUP)',
      );
    }
    edits.push(remove(tokens[k], tokens[end - 1]));
    k = end;
  }
  return edits;
}

/** Index just past the table attribute starting at `k`, or undefined when it is not one Redshift has. */
function tableAttributeEnd(tokens: Token[], k: number): number | undefined {
  const [word, next] = [tokens[k], tokens[k + 1]];
  if (isWord(word, 'diststyle') && isWord(next, ...DISTSTYLES)) return k + 2;
  if (isWord(word, 'distkey') && isSymbol(next, '(')) return parenthesizedEnd(tokens, k + 1);
  if (isWord(word, 'compound', 'interleaved') && isWord(next, 'sortkey') && isSymbol(tokens[k + 2], '(')) {
    return parenthesizedEnd(tokens, k + 2);
  }
  if (isWord(word, 'sortkey') && isSymbol(next, '(')) return parenthesizedEnd(tokens, k + 1);
  if (isWord(word, 'sortkey') && isWord(next, 'auto')) return k + 2;
  if (isWord(word, 'encode') && isWord(next, 'auto')) return k + 2;
  if (isWord(word, 'backup') && isWord(next, 'yes', 'no')) return k + 2;
  return undefined;
}

function parenthesizedEnd(tokens: Token[], open: number): number | undefined {
  const close = closingParen(tokens, open);
  return close === -1 ? undefined : close + 1;
}

/** Edits inside the column list: per column definition, its Redshift-only attributes. */
function columnListEdits(tokens: Token[]): Edit[] {
  const edits: Edit[] = [];
  let depth = 0;
  let elementStart = 0;
  tokens.forEach((token, k) => {
    if (isSymbol(token, '(')) depth += 1;
    if (isSymbol(token, ')')) depth -= 1;
    const last = k === tokens.length - 1;
    if ((depth === 0 && isSymbol(token, ',')) || last) {
      const element = tokens.slice(elementStart, last && !isSymbol(token, ',') ? k + 1 : k);
      if (!isWord(element[0], ...TABLE_CONSTRAINTS)) edits.push(...columnEdits(element));
      elementStart = k + 1;
    }
  });
  return edits;
}

/** Edits of one column definition: `name type [attributes]`. */
function columnEdits(column: Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let k = 1; k < column.length; k += 1) {
    const [token, next] = [column[k], column[k + 1]];
    if (isWord(token, 'varchar', 'varying') && isSymbol(next, '(') && isWord(column[k + 2], 'max')) {
      edits.push(replace(column[k + 2], column[k + 2], String(VARCHAR_MAX)));
    } else if (isWord(token, 'encode') && next) {
      edits.push(remove(token, next));
      k += 1;
    } else if (isWord(token, 'distkey', 'sortkey')) {
      edits.push(remove(token, token));
    } else if (isWord(token, 'identity') && isSymbol(next, '(')) {
      const identity = identityEdit(column, k);
      if (identity) edits.push(identity);
    }
  }
  return edits;
}

/** `IDENTITY(seed, step)`, alone or after Redshift's `GENERATED BY DEFAULT AS`, as a PostgreSQL identity. */
function identityEdit(column: Token[], k: number): Edit | undefined {
  const [open, seed, comma, step, close] = column.slice(k + 1, k + 6);
  if (!isSymbol(open, '(') || !isSymbol(comma, ',') || !isSymbol(close, ')')) return undefined;
  const options = `(start with ${seed.text} increment by ${step.text})`;
  const generated = k >= 4 && isWord(column[k - 4], 'generated') && isWord(column[k - 1], 'as');
  return generated
    ? replace(open, close, options)
    : replace(column[k], close, `generated by default as identity ${options}`);
}

function remove(first: Token, last: Token): Edit {
  return replace(first, last, '');
}

function replace(first: Token, last: Token, replacement: string): Edit {
  return { start: first.start, end: last.end, replacement };
}

/** Applies the edits; a removal takes the whitespace before it along. */
function applyEdits(sql: string, edits: Edit[]): string {
  let result = '';
  let position = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    let start = edit.start;
    if (edit.replacement === '') while (start > position && /\s/.test(sql[start - 1])) start -= 1;
    result += sql.slice(position, start) + edit.replacement;
    position = edit.end;
  }
  return result + sql.slice(position);
}

/** Redshift functions PostgreSQL lacks, defined in `schema` (on the search path): STRTOL(string, base) for base
 * 16, the one sql/ uses (docs: "STRTOL function": a BIGINT; a digit the base does not have is an error, here
 * PostgreSQL's "not a valid hexadecimal digit"). STRTOL is plain SQL so that PostgreSQL inlines it: every play's
 * id calls it, and as a PL/pgSQL function with a regular expression it cost 2 s a million plays. Inlining needs
 * `digits` used once, so more than 16 digits are not refused: lpad keeps the first 16. */
export function redshiftFunctionsSql(schema: string): string {
  return `
create or replace function ${schema}.strtol_unknown_base(base integer) returns text
language plpgsql stable as $$
begin
  raise exception 'STRTOL: the local warehouse knows base 16 only, got %', base;
end;
$$;
create or replace function ${schema}.strtol(digits text, base integer) returns bigint
language sql stable as $$
  select ((case when base = 16 then 'x' else ${schema}.strtol_unknown_base(base) end) || lpad(digits, 16, '0'))::bit(64)::bigint
$$;
`;
}
