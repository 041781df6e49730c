// Rows gathered into chunks of COPY data (text or binary: rowFormat.ts). Each row is written straight into one
// buffer as it comes, rather than joined into a text of 4 MB and encoded after: a million events' conversion takes
// about a second of CPU less, and makes no text of a chunk's size.
import type { Row, RowFormat } from './rowFormat';

/** About this many bytes of COPY data per chunk (one COPY statement each): memory stays flat. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export interface ChunkBuilder {
  /** Adds a row; returns the chunk it completes, if it completes one. */
  add(row: Row): Uint8Array | undefined;
  /** The last chunk: the rows added since the last one (undefined when there are none). */
  rest(): Uint8Array | undefined;
}

export function chunkBuilder(format: RowFormat): ChunkBuilder {
  const { header, trailer } = format;
  // A chunk ends at the first row that reaches CHUNK_BYTES: past it, room for a row of 350,000 characters.
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES + 1024 * 1024);
  buffer.set(header);
  let used = header.length;
  const empty = () => used === header.length;
  // A copy of the bytes written, in an ArrayBuffer of their own: it can move to another thread, and go to PGlite
  // whole.
  const take = () => {
    buffer.set(trailer, used);
    const bytes = new Uint8Array(buffer.subarray(0, used + trailer.length));
    used = header.length;
    return bytes;
  };
  return {
    add(row) {
      // The row surely fits, and the chunk's trailer after it, when this many bytes are free.
      const room = format.room(row) + trailer.length;
      let full: Uint8Array | undefined;
      if (used + room > buffer.length) {
        if (!empty()) full = take();
        if (header.length + room > buffer.length) {
          buffer = Buffer.allocUnsafe(header.length + room);
          buffer.set(header);
        }
      }
      used = format.write(row, buffer, used);
      if (!full && used >= CHUNK_BYTES) full = take();
      return full;
    },
    rest: () => (empty() ? undefined : take()),
  };
}
