// The bytes of a source file that are not UTF-8, kept through decoding and judged as Redshift's COPY judges
// them (docs: "Multibyte character load errors", ACCEPTINVCHARS in "Data conversion parameters").
//
// Decoding keeps each byte that is not part of a well-formed UTF-8 sequence as one lone low surrogate,
// U+DC80 + (byte - 0x80) (well-formed UTF-8 never decodes to a surrogate), so the JSON reader can carry
// them into the fields, where a character column rejects them with the byte sequence in hex, or
// ACCEPTINVCHARS replaces them.
import { isUtf8 } from 'node:buffer';

/** A sequence a character column cannot hold: Redshift's UTF-8 error number (1 to 9), its bytes, and where
 * it starts in the field (a byte offset). */
export interface Utf8Fault {
  error: number;
  bytes: number[];
  offset: number;
}

const ESCAPE_BASE = 0xdc00;
/** Lone surrogates only: with the u flag, a surrogate pair is one code point and does not match. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const NON_ASCII = /[^\x00-\x7f]/;

/** Decodes a file's bytes chunk by chunk, a sequence cut by a chunk boundary included. */
export class Utf8Decoder {
  private pending: Buffer | undefined;

  write(chunk: Buffer): string {
    const bytes = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const cut = bytes.length - incompleteTail(bytes);
    this.pending = cut < bytes.length ? bytes.subarray(cut) : undefined;
    return decode(bytes.subarray(0, cut));
  }

  /** The bytes left at the end of the file (an incomplete sequence, kept byte by byte). */
  end(): string {
    const rest = this.pending;
    this.pending = undefined;
    return rest ? decode(rest) : '';
  }
}

/** The number of bytes at the end that start a sequence the chunk does not finish. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    return sequenceLength(byte) > back ? back : 0;
  }
  return 0;
}

/** The length a lead byte announces (1 for ASCII and for bytes that cannot lead). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  return 1;
}

function decode(bytes: Buffer): string {
  // The common case: valid UTF-8, decoded natively.
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = wellFormedLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += bytes.toString('utf8', start, i) + String.fromCharCode(ESCAPE_BASE + bytes[i]);
    i += 1;
    start = i;
  }
  return text + bytes.toString('utf8', start, i);
}

/** The length of the well-formed UTF-8 sequence at `i` (Unicode's Table 3-7), or 0. */
function wellFormedLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i];
  if (lead < 0x80) return 1;
  const length = sequenceLength(lead);
  if (length === 1 || i + length > bytes.length) return 0;
  const second = bytes[i + 1];
  const [low, high] =
    lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k += 1) if ((bytes[i + k] & 0xc0) !== 0x80) return 0;
  return length;
}

/** Whether a field holds something that is not UTF-8: a kept byte, or a lone surrogate from a \u escape. */
export function hasInvalidUtf8(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** The field's bytes as they were in the file: kept bytes as themselves, lone surrogates from \u escapes in the
 * three bytes that would encode them. */
function fieldBytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= ESCAPE_BASE + 0x80 && code <= ESCAPE_BASE + 0xff) bytes.push(code - ESCAPE_BASE);
    else bytes.push(...Buffer.from(code >= 0xd800 && code <= 0xdfff ? surrogateBytes(code) : char));
  }
  return bytes;
}

function surrogateBytes(code: number): Buffer {
  return Buffer.from([0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]);
}

/** Each sequence of the field that is not a UTF-8 character, in order, with Redshift's error number:
 * 1 a lead byte of a 5- or 6-byte sequence, 2 a sequence cut by the end of the field, 3 a byte that cannot
 * start a character, 4 a lead byte not followed by enough continuation bytes, 5 a surrogate, 8 beyond U+10FFFF,
 * 9 an overlong encoding (the docs' "no matching code point"; they do not name overlong encodings). */
export function utf8Faults(text: string): Utf8Fault[] {
  const bytes = fieldBytes(text);
  const faults: Utf8Fault[] = [];
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    if (lead < 0xc0 || lead >= 0xfe) {
      faults.push({ error: 3, bytes: [lead], offset: i });
      i += 1;
      continue;
    }
    const length = lead >= 0xfc ? 6 : lead >= 0xf8 ? 5 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    let end = i + 1;
    while (end < i + length && end < bytes.length && (bytes[end] & 0xc0) === 0x80) end += 1;
    if (length > 4) {
      faults.push({ error: 1, bytes: bytes.slice(i, end), offset: i });
    } else if (end < i + length) {
      // Error 4 shows the byte that is not a continuation byte; that byte is read again as what it is.
      const cutByEnd = end >= bytes.length;
      faults.push({ error: cutByEnd ? 2 : 4, bytes: bytes.slice(i, cutByEnd ? end : end + 1), offset: i });
    } else {
      const error = codePointError(bytes.slice(i, end));
      if (error === 0) {
        i = end;
        continue;
      }
      faults.push({ error, bytes: bytes.slice(i, end), offset: i });
    }
    i = end;
  }
  return faults;
}

/** Redshift's error number for a complete 2- to 4-byte sequence, or 0 when it is a character. */
function codePointError(sequence: number[]): number {
  const payload = [0, 0, 0x1f, 0x0f, 0x07][sequence.length];
  let code = sequence[0] & payload;
  for (const byte of sequence.slice(1)) code = (code << 6) | (byte & 0x3f);
  const smallest = [0, 0, 0x80, 0x800, 0x10000][sequence.length];
  if (code < smallest) return 9;
  if (code >= 0xd800 && code <= 0xdfff) return 5;
  if (code > 0x10ffff) return 8;
  return 0;
}

/** Redshift's err_reason for a field that is not UTF-8 (docs: "Multibyte character load errors"). */
export function invalidUtf8Reason(fault: Utf8Fault): string {
  const hex = fault.bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `String contains invalid or unsupported UTF-8 codepoints. Bad UTF-8 hex sequence: ${hex} (error ${fault.error})`;
}

/** ACCEPTINVCHARS: each invalid sequence, and each noncharacter (U+FDD0 to U+FDEF, U+nFFFE, U+nFFFF), replaced
 * by as many replacement characters as it has bytes. */
export function replaceInvalidUtf8(text: string, replacement: string): string {
  if (!NON_ASCII.test(text)) return text;
  let result = '';
  for (const char of replaceInvalidSequences(text, replacement)) {
    const code = char.codePointAt(0)!;
    const noncharacter = (code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe;
    result += noncharacter ? replacement.repeat(Buffer.byteLength(char)) : char;
  }
  return result;
}

function replaceInvalidSequences(text: string, replacement: string): string {
  if (!hasInvalidUtf8(text)) return text;
  const bytes = Buffer.from(fieldBytes(text));
  let result = '';
  let start = 0;
  for (const fault of utf8Faults(text)) {
    // An error 4's last byte is not part of the invalid sequence: it is read again.
    const length = fault.error === 4 ? fault.bytes.length - 1 : fault.bytes.length;
    result += bytes.toString('utf8', start, fault.offset) + replacement.repeat(length);
    start = fault.offset + length;
  }
  return result + bytes.toString('utf8', start);
}
