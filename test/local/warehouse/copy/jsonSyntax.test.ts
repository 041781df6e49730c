// The diagnosis of malformed JSON: the first fault, where it is and why, in stable words.
import { findJsonSyntaxError, JsonNumber, jsonText, parseJson } from '../../../../local/warehouse/copy/jsonSyntax';

describe('parseJson', () => {
  it('keeps each number as written in the file', () => {
    const text = '{"big": 9223372036854775807, "f": 1e400, "z": -0.0, "a": [1.50, {"x": 2E-3}], "s": "9", "t": true, "n": null}';

    expect(parseJson(text)).toEqual({
      value: {
        big: new JsonNumber('9223372036854775807'),
        f: new JsonNumber('1e400'),
        z: new JsonNumber('-0.0'),
        a: [new JsonNumber('1.50'), { x: new JsonNumber('2E-3') }],
        s: '9',
        t: true,
        n: null,
      },
    });
  });

  it('reads members as JSON.parse does: the last of a repeated name, "__proto__" as a member, escapes unescaped', () => {
    const text = '{"a": "first", "__proto__": "member", "b": "x\\u00e9\\n\\"", "a": "last"}';
    const parsed = parseJson(text);

    expect(parsed).toEqual({ value: JSON.parse(text) });
    expect(Object.keys((parsed as { value: object }).value)).toEqual(['a', '__proto__', 'b']);
  });

  it('writes a value back as compact JSON with its numbers as written', () => {
    const parsed = parseJson('{ "a": [ 1.0, 9223372036854775807 ], "b": { "c": "\\"q\\"" } }') as { value: never };

    expect(jsonText(parsed.value)).toBe('{"a":[1.0,9223372036854775807],"b":{"c":"\\"q\\""}}');
  });

  it('writes a byte that is not UTF-8 (a lone surrogate) as it is, not as a \\u escape', () => {
    expect(jsonText({ 'k\udca4': ['x\udcbc"', 'é'] })).toBe('{"k\udca4":["x\udcbc\\"","é"]}');
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": [1, {"b": null}], "c": "x\\u00e9\\n"}'],
    ['[true, false, -1.5e3, 0, "s"]'],
    ['  {}  '],
  ])('finds nothing wrong in %s', (text) => {
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  it.each([
    ['{"a": 1,}', 8, "expected a double-quoted member name, found '}'"],
    ["{'a': 1}", 1, "expected a double-quoted member name, found '''"],
    ['{"a" 1}', 5, "expected ':' after a member name, found '1'"],
    ['{"a": 1 "b": 2}', 8, "expected ',' or '}' after an object member, found '\"'"],
    ['[1 2]', 3, "expected ',' or ']' after an array element, found '2'"],
    ['{"a": undefined}', 6, "expected a value, found 'u'"],
    ['{"a": 01}', 7, "expected ',' or '}' after an object member, found '1'"],
    ['{"a": "x\\q"}', 8, "invalid escape '\\q' in a string"],
    ['{"a": "x\ny"}', 8, 'unterminated string: a line break inside it'],
    ['{"a": "x', 8, 'unterminated string'],
    ['{"a": 1', 7, "expected ',' or '}' after an object member, found the end of the record"],
    ['{"a": 1}}', 8, "unexpected '}' after the end of the JSON value"],
  ])('diagnoses %j', (text, offset, reason) => {
    expect(findJsonSyntaxError(text)).toEqual({ offset, reason });
  });

  it('diagnoses deep nesting without overflowing the stack', () => {
    const text = `${'['.repeat(200000)}x`;

    expect(findJsonSyntaxError(text)).toEqual({ offset: 200000, reason: "expected a value, found 'x'" });
  });
});
