// Chunks of COPY text: every line's UTF-8 bytes, in order, cut at whole lines once a chunk reaches CHUNK_BYTES, each
// chunk in an ArrayBuffer of its own.
import { CHUNK_BYTES, chunkBuilder } from '../../../../local/warehouse/copy/chunkBuilder';

/** Every chunk the lines make, the last one included. */
function chunksOf(lines: string[]): Uint8Array[] {
  const builder = chunkBuilder();
  const chunks: Uint8Array[] = [];
  for (const line of lines) {
    const chunk = builder.add(line);
    if (chunk) chunks.push(chunk);
  }
  const rest = builder.rest();
  if (rest) chunks.push(rest);
  return chunks;
}

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('chunkBuilder', () => {
  it('cuts at the first whole line at or past CHUNK_BYTES, and gives the rest last', () => {
    const line = `${'a'.repeat(99)}\n`; // 100 bytes
    const lines = Array.from({ length: Math.ceil(CHUNK_BYTES / 100) * 2 + 7 }, () => line);

    const chunks = chunksOf(lines);

    const perChunk = Math.ceil(CHUNK_BYTES / 100);
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([perChunk * 100, perChunk * 100, 700]);
    expect(text(chunks)).toBe(lines.join(''));
  });

  it('writes characters beyond ASCII as UTF-8, a chunk cut only between lines', () => {
    const lines = Array.from({ length: 30_000 }, (_, index) => `${index}\tSérénade 😀 ${'ü'.repeat(100)}\n`);

    const chunks = chunksOf(lines);

    expect(chunks.length).toBeGreaterThan(1);
    expect(text(chunks)).toBe(lines.join(''));
    for (const chunk of chunks) expect(Buffer.from(chunk).toString('utf8').endsWith('\n')).toBe(true);
  });

  it('ends the chunk before a line longer than its buffer, and grows the buffer for it', () => {
    const long = `${'x'.repeat(3 * CHUNK_BYTES)}\n`;

    const chunks = chunksOf(['first\n', long, 'last\n']);

    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([6, long.length + 5]);
    expect(text(chunks)).toBe(`first\n${long}last\n`);
  });

  it('gives each chunk an ArrayBuffer of its own, of exactly its bytes', () => {
    const chunks = chunksOf(Array.from({ length: 50_000 }, (_, index) => `${index}\t${'y'.repeat(150)}\n`));

    for (const chunk of chunks) expect(chunk.buffer.byteLength).toBe(chunk.byteLength);
    expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(chunks.length);
  });

  it('gives no chunk for no line', () => {
    expect(chunksOf([])).toEqual([]);
  });
});
