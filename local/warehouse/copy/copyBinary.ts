// Rows as PostgreSQL's binary COPY format (docs: PostgreSQL, "COPY", "Binary Format"): a signature and header, then
// per row its field count and each field as its length and bytes (-1 for NULL), then a trailer of -1. PostgreSQL
// reads each value with its type's binary receive function rather than parsing its text. A double's text costs most:
// PGlite's C library (strtod, in WebAssembly) takes about 1 µs a value. A million events' staging rows took
// 6.8 s to COPY as text, 4.7 s with both doubles as varchar, 4.5 s in binary (same PGlite, one process, warm).
import type { CatalogColumn } from './fieldConversion';
import type { Row, RowFormat } from './rowFormat';

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // PGCOPY\n\377\r\n\0
/** The signature, the flags (no OIDs) and the header extension's length (none). */
export const BINARY_HEADER = new Uint8Array([...SIGNATURE, 0, 0, 0, 0, 0, 0, 0, 0]);
/** A field count of -1 ends the data. */
export const BINARY_TRAILER = new Uint8Array([0xff, 0xff]);

/** Writes a field's value (the converted text, as COPY text would hold it) at `at`, its length first; returns where
 * it ends. Numbers go through a DataView, characters byte by byte while they are ASCII: both cost less than Buffer's
 * methods, whose calls dominated the conversion's writing. */
type FieldWriter = (text: string, bytes: Out, at: number) => number;

/** The chunk's buffer, and a DataView of it. */
interface Out {
  buffer: Buffer;
  view: DataView;
}

const TWO_32 = 2 ** 32;

/** The types whose values the conversion writes in binary, each exactly as PostgreSQL's text input would read the
 * converted text: integers from their normalised digits, a double from the file's text (both correctly rounded:
 * ECMAScript's Number() and strtod), characters as their UTF-8. Not float4 (a decimal rounded to a double, then to a
 * float, can differ from strtof's), nor numeric, boolean, date and timestamp: their binary forms are not worth it
 * for the loads this project runs. */
const WRITERS: Record<string, FieldWriter> = {
  int2: (text, { view }, at) => {
    view.setInt32(at, 2);
    view.setInt16(at + 4, Number(text));
    return at + 6;
  },
  int4: (text, { view }, at) => {
    view.setInt32(at, 4);
    view.setInt32(at + 4, Number(text));
    return at + 8;
  },
  int8: (text, { view }, at) => {
    const value = Number(text);
    view.setInt32(at, 8);
    if (!Number.isSafeInteger(value)) {
      view.setBigInt64(at + 4, BigInt(text));
    } else {
      const high = Math.floor(value / TWO_32);
      view.setInt32(at + 4, high);
      view.setUint32(at + 8, value - high * TWO_32);
    }
    return at + 12;
  },
  float8: (text, { view }, at) => {
    view.setInt32(at, 8);
    view.setFloat64(at + 4, Number(text));
    return at + 12;
  },
  varchar: characters,
  bpchar: characters,
  text: characters,
};

function characters(text: string, { buffer, view }: Out, at: number): number {
  const start = at + 4;
  let length = 0;
  while (length < text.length) {
    const code = text.charCodeAt(length);
    if (code >= 0x80) {
      length = buffer.write(text, start);
      break;
    }
    buffer[start + length] = code;
    length += 1;
  }
  view.setInt32(at, length);
  return start + length;
}

/** The binary format of a COPY into these columns, or undefined when a column's type has no writer. */
export function binaryFormat(columns: Pick<CatalogColumn, 'type'>[]): RowFormat | undefined {
  if (!columns.every((column) => column.type in WRITERS)) return undefined;
  const write = rowWriter(columns);
  return { option: 'with (format binary)', header: BINARY_HEADER, trailer: BINARY_TRAILER, room: rowRoom, write };
}

/** Most bytes a row takes: its count, and each field's length and at most 3 bytes of UTF-8 per UTF-16 unit (or 8). */
function rowRoom(row: Row): number {
  let room = 2;
  for (const field of row) room += field === null ? 4 : 12 + field.length * 3;
  return room;
}

/** A writer of rows for the columns' types: writes a row at `at`, returns where it ends. */
function rowWriter(columns: Pick<CatalogColumn, 'type'>[]): RowFormat['write'] {
  const writers = columns.map((column) => WRITERS[column.type]);
  let out: Out | undefined;
  return (row, buffer, at) => {
    if (out?.buffer !== buffer) out = { buffer, view: new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength) };
    out.view.setInt16(at, row.length);
    at += 2;
    for (let index = 0; index < row.length; index += 1) {
      const field = row[index];
      if (field === null) {
        out.view.setInt32(at, -1);
        at += 4;
      } else {
        at = writers[index](field, out, at);
      }
    }
    return at;
  };
}
