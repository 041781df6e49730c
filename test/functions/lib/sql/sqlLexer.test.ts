import { closingParen, significantTokens, tokenize, type Token } from '../../../../functions/lib/sql/sqlLexer';

/** Each token as [kind, text, value]. */
function kinds(sql: string): [Token['kind'], string, string][] {
  return tokenize(sql).map((token) => [token.kind, token.text, token.value]);
}

describe('tokenize', () => {
  it('reads a dollar-quoted body with or without a tag, up to the same tag', () => {
    expect(kinds('$$a;$b$$ $fn_1$x $$ y$fn_1$')).toEqual([
      ['string', '$$a;$b$$', 'a;$b'],
      ['space', ' ', ' '],
      ['string', '$fn_1$x $$ y$fn_1$', 'x $$ y'],
    ]);
  });

  it('does not take a positional parameter or a $ inside a word for a dollar quote', () => {
    expect(kinds('$1 a$b$')).toEqual([
      ['symbol', '$', '$'],
      ['number', '1', '1'],
      ['space', ' ', ' '],
      ['word', 'a$b$', 'a$b$'],
    ]);
  });

  it('decodes backslash escapes and doubled quotes in a literal', () => {
    expect(kinds("'it''s \\'x\\' a\\\\b'")).toEqual([['string', "'it''s \\'x\\' a\\\\b'", "it's 'x' a\\b"]]);
  });

  it('decodes a doubled quote in a quoted identifier, where a backslash is an ordinary character', () => {
    expect(kinds('"a""b\\" x')).toEqual([
      ['identifier', '"a""b\\"', 'a"b\\'],
      ['space', ' ', ' '],
      ['word', 'x', 'x'],
    ]);
  });

  it('reads -- comments to the end of the line and /* */ comments to their close', () => {
    expect(kinds("-- a 'b\n/* c; 'd */x")).toEqual([
      ['comment', "-- a 'b", "-- a 'b"],
      ['space', '\n', '\n'],
      ['comment', "/* c; 'd */", "/* c; 'd */"],
      ['word', 'x', 'x'],
    ]);
  });

  it('runs an unterminated literal, comment or dollar quote to the end of the text', () => {
    expect(kinds("'abc")).toEqual([['string', "'abc", 'abc']]);
    expect(kinds('/* abc')).toEqual([['comment', '/* abc', '/* abc']]);
    expect(kinds('$q$ abc')).toEqual([['string', '$q$ abc', ' abc']]);
  });

  it('keeps a backslash at the end of the input inside the literal it ends', () => {
    expect(kinds("'abc\\")).toEqual([['string', "'abc\\", 'abc\\']]);
    expect(kinds("x '\\")).toEqual([
      ['word', 'x', 'x'],
      ['space', ' ', ' '],
      ['string', "'\\", '\\'],
    ]);
  });

  it('lower-cases words, keeps numbers and symbols as written, and covers the text with offsets', () => {
    const sql = 'Select 1.5e3, .5 FROM t;';
    const tokens = tokenize(sql);
    expect(tokens.map((token) => sql.slice(token.start, token.end))).toEqual(tokens.map((token) => token.text));
    expect(tokens.map((token) => token.text).join('')).toBe(sql);
    expect(significantTokens(sql).map((token) => token.value)).toEqual(['select', '1.5e3', ',', '.5', 'from', 't', ';']);
  });
});

describe('closingParen', () => {
  it('finds the parenthesis that closes the one at an index, skipping nested ones and quoted ones', () => {
    const tokens = significantTokens("f(a, (b), ')') x");
    expect(closingParen(tokens, 1)).toBe(9);
    expect(tokens[9].text).toBe(')');
    expect(closingParen(significantTokens('f(a'), 1)).toBe(-1);
  });
});
