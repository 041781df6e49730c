// Chunks of COPY data: every row's bytes, in order, cut at whole rows once a chunk reaches CHUNK_BYTES, each chunk in
// an ArrayBuffer of its own; in binary, each chunk a whole COPY of its own (header, rows, trailer).
import { CHUNK_BYTES, chunkBuilder } from '../../../../local/warehouse/copy/chunkBuilder';
import { BINARY_HEADER, BINARY_TRAILER } from '../../../../local/warehouse/copy/copyBinary';
import { TEXT_FORMAT } from '../../../../local/warehouse/copy/copyText';
import { rowFormat, type Row, type RowFormat } from '../../../../local/warehouse/copy/rowFormat';

/** Every chunk the rows make, the last one included. */
function chunksOf(rows: Row[], format: RowFormat = TEXT_FORMAT): Uint8Array[] {
  const builder = chunkBuilder(format);
  const chunks: Uint8Array[] = [];
  for (const row of rows) {
    const chunk = builder.add(row);
    if (chunk) chunks.push(chunk);
  }
  const rest = builder.rest();
  if (rest) chunks.push(rest);
  return chunks;
}

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('chunkBuilder', () => {
  it('cuts at the first whole line at or past CHUNK_BYTES, and gives the rest last', () => {
    const rows = Array.from({ length: Math.ceil(CHUNK_BYTES / 100) * 2 + 7 }, () => ['a'.repeat(99)]); // 100 bytes a line

    const chunks = chunksOf(rows);

    const perChunk = Math.ceil(CHUNK_BYTES / 100);
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([perChunk * 100, perChunk * 100, 700]);
    expect(text(chunks)).toBe(`${'a'.repeat(99)}\n`.repeat(rows.length));
  });

  it('writes characters beyond ASCII as UTF-8, a chunk cut only between lines', () => {
    const rows = Array.from({ length: 30_000 }, (_, index) => [String(index), `Sérénade 😀 ${'ü'.repeat(100)}`, null]);

    const chunks = chunksOf(rows);

    expect(chunks.length).toBeGreaterThan(1);
    expect(text(chunks)).toBe(rows.map(([index, song]) => `${index}\t${song}\t\\N\n`).join(''));
    for (const chunk of chunks) expect(Buffer.from(chunk).toString('utf8').endsWith('\n')).toBe(true);
  });

  it('ends the chunk before a line longer than its buffer, and grows the buffer for it', () => {
    const long = 'x'.repeat(3 * CHUNK_BYTES);

    const chunks = chunksOf([['first'], [long], ['last']]);

    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([6, long.length + 6]);
    expect(text(chunks)).toBe(`first\n${long}\nlast\n`);
  });

  it('gives each chunk an ArrayBuffer of its own, of exactly its bytes', () => {
    const chunks = chunksOf(Array.from({ length: 50_000 }, (_, index) => [String(index), 'y'.repeat(150)]));

    for (const chunk of chunks) expect(chunk.buffer.byteLength).toBe(chunk.byteLength);
    expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(chunks.length);
  });

  it('gives no chunk for no row, in text and in binary', () => {
    expect(chunksOf([])).toEqual([]);
    expect(chunksOf([], rowFormat([{ type: 'int4' }]))).toEqual([]);
  });

  it('in binary, starts every chunk with the header and ends it with the trailer, cut between rows', () => {
    const format = rowFormat([{ type: 'int4' }, { type: 'varchar' }]);
    const rows = Array.from({ length: 60_000 }, (_, index) => [String(index), 'z'.repeat(100)]);
    const rowBytes = 2 + (4 + 4) + (4 + 100);

    const chunks = chunksOf(rows, format);

    const perChunk = Math.ceil((CHUNK_BYTES - BINARY_HEADER.length) / rowBytes);
    const frame = BINARY_HEADER.length + BINARY_TRAILER.length;
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([perChunk * rowBytes + frame, (rows.length - perChunk) * rowBytes + frame]);
    for (const chunk of chunks) {
      expect(Buffer.from(chunk.subarray(0, BINARY_HEADER.length))).toEqual(Buffer.from(BINARY_HEADER));
      expect(Buffer.from(chunk.subarray(-BINARY_TRAILER.length))).toEqual(Buffer.from(BINARY_TRAILER));
    }
    // The second chunk's first row is the row after the first chunk's last.
    expect(Buffer.from(chunks[1]).readInt32BE(BINARY_HEADER.length + 2 + 4)).toBe(perChunk);
  });
});
