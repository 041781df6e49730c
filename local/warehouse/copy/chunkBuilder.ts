// Lines of COPY text gathered into chunks of UTF-8 bytes. Each line is written as UTF-8 into one buffer as it comes,
// rather than joined into a text of 4 MB and encoded after: a million events' conversion takes about a second of
// CPU less, and makes no text of a chunk's size.

/** About this many bytes of COPY text per chunk (one COPY statement each): memory stays flat. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export interface ChunkBuilder {
  /** Adds a line (its newline included); returns the chunk it completes, if it completes one. */
  add(line: string): Uint8Array | undefined;
  /** The last chunk: the lines added since the last one (undefined when there are none). */
  rest(): Uint8Array | undefined;
}

export function chunkBuilder(): ChunkBuilder {
  // A chunk ends at the first line that reaches CHUNK_BYTES: past it, room for a line of 350,000 characters.
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES + 1024 * 1024);
  let used = 0;
  // A copy of the bytes written, in an ArrayBuffer of their own: it can move to another thread, and go to PGlite
  // whole.
  const take = () => {
    const bytes = new Uint8Array(buffer.subarray(0, used));
    used = 0;
    return bytes;
  };
  return {
    add(line) {
      // A UTF-16 code unit is at most 3 bytes of UTF-8: the line surely fits when that many bytes are free.
      const room = line.length * 3;
      let full: Uint8Array | undefined;
      if (used + room > buffer.length) {
        if (used > 0) full = take();
        if (room > buffer.length) buffer = Buffer.allocUnsafe(room);
      }
      used += buffer.write(line, used);
      if (!full && used >= CHUNK_BYTES) full = take();
      return full;
    },
    rest: () => (used > 0 ? take() : undefined),
  };
}
