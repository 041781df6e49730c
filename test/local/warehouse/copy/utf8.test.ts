// Bytes that are not UTF-8: kept through decoding whatever the chunk boundaries, judged with Redshift's UTF-8
// error numbers, and replaced as ACCEPTINVCHARS replaces them.
import {
  hasInvalidUtf8,
  invalidUtf8Reason,
  replaceInvalidUtf8,
  Utf8Decoder,
  utf8Faults,
} from '../../../../local/warehouse/copy/utf8';

/** Decodes `bytes` in chunks of `size`. */
function decode(bytes: Buffer, size: number): string {
  const decoder = new Utf8Decoder();
  let text = '';
  for (let start = 0; start < bytes.length; start += size) text += decoder.write(bytes.subarray(start, start + size));
  return text + decoder.end();
}

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

describe('Utf8Decoder', () => {
  it.each([1, 2, 3, 64])('decodes valid UTF-8 cut into chunks of %i bytes as it is', (size) => {
    const text = 'Mötley Crüe — 日本 🎸';

    expect(decode(Buffer.from(text), size)).toBe(text);
  });

  it.each([1, 2, 5, 64])('keeps each byte that is not UTF-8, in chunks of %i bytes', (size) => {
    const text = decode(bytes('a', [0xa4], 'ü', [0xe0, 0xa1], '"', [0xff]), size);

    expect(text).toBe('a\udca4ü\udce0\udca1"\udcff');
    expect(hasInvalidUtf8(text)).toBe(true);
  });

  it('keeps an incomplete sequence at the end of the file', () => {
    expect(decode(bytes('ab', [0xf0, 0x9f, 0x8e]), 2)).toBe('ab\udcf0\udc9f\udc8e');
  });
});

describe('utf8Faults', () => {
  it.each([
    ['a continuation byte alone (error 3)', [0xa4], { error: 3, bytes: [0xa4], offset: 1 }, 'a4 (error 3)'],
    ['a byte that never starts a character (error 3)', [0xff], { error: 3, bytes: [0xff], offset: 1 }, 'ff (error 3)'],
    ['a lead byte of a 5-byte sequence (error 1)', [0xf8, 0x88, 0x80, 0x80, 0x80], { error: 1, bytes: [0xf8, 0x88, 0x80, 0x80, 0x80], offset: 1 }, 'f888808080 (error 1)'],
    ['a sequence cut by the end of the field (error 2)', [0xe0, 0xa1], { error: 2, bytes: [0xe0, 0xa1], offset: 1 }, 'e0a1 (error 2)'],
    ['a lead byte followed by ASCII (error 4)', [0xe0, 0x41], { error: 4, bytes: [0xe0, 0x41], offset: 1 }, 'e041 (error 4)'],
    ['an encoded surrogate (error 5)', [0xed, 0xa0, 0x80], { error: 5, bytes: [0xed, 0xa0, 0x80], offset: 1 }, 'eda080 (error 5)'],
    ['a code point beyond U+10FFFF (error 8)', [0xf4, 0x90, 0x80, 0x80], { error: 8, bytes: [0xf4, 0x90, 0x80, 0x80], offset: 1 }, 'f4908080 (error 8)'],
    ['an overlong encoding (error 9)', [0xc0, 0xaf], { error: 9, bytes: [0xc0, 0xaf], offset: 1 }, 'c0af (error 9)'],
  ])('finds %s', (_case, invalid, fault, hex) => {
    const text = decode(bytes('x', invalid), 64);

    expect(utf8Faults(text)).toEqual([fault]);
    expect(invalidUtf8Reason(fault)).toBe(`String contains invalid or unsupported UTF-8 codepoints. Bad UTF-8 hex sequence: ${hex}`);
  });

  it('finds a lone surrogate written as a JSON escape (error 5), at its byte offset', () => {
    expect(utf8Faults('é\ud800')).toEqual([{ error: 5, bytes: [0xed, 0xa0, 0x80], offset: 2 }]);
  });

  it('finds nothing in UTF-8, surrogate pairs included', () => {
    expect(hasInvalidUtf8('Mötley 🎸')).toBe(false);
    expect(utf8Faults('Mötley 🎸')).toEqual([]);
  });
});

describe('replaceInvalidUtf8', () => {
  it.each([
    ['a byte that is not UTF-8', bytes('ab', [0xa4], 'c'), '?', 'ab?c'],
    ['each byte of an invalid sequence', bytes('ab', [0xed, 0xa0, 0x80]), '^', 'ab^^^'],
    ['an incomplete sequence, keeping the ASCII after it', bytes([0xe0, 0xa1], 'A'), '?', '??A'],
    ['a noncharacter (valid UTF-8, not a character)', bytes('a\ufffeb\u{10ffff}'), '?', 'a???b????'],
    ['a noncharacter of U+FDD0 to U+FDEF', bytes('\ufdd0'), '*', '***'],
  ])('replaces %s with as many replacement characters as it has bytes', (_case, input, replacement, expected) => {
    expect(replaceInvalidUtf8(decode(input, 64), replacement)).toBe(expected);
  });

  it('keeps valid characters as they are', () => {
    expect(replaceInvalidUtf8('Mötley Crüe 🎸', '?')).toBe('Mötley Crüe 🎸');
  });
});
