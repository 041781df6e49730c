// Reading one S3 object of the mirror as JSON records.
import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { readJsonRecords, type JsonRecord } from './jsonRecords';
import { lineRecords } from './lineRecords';
import type { S3Object } from './s3Mirror';

/** Files up to this size are read by the fast path for one object per line (when they are UTF-8): a gzipped one
 * whole, another in blocks; larger ones are streamed. */
const WHOLE_FILE_BYTES = 64 * 1024 * 1024;
/** Bytes read at a time from a file that is not gzipped: whole lines of them are decoded and read, so a conversion
 * thread holds neither a whole file's bytes nor its text. */
export const BLOCK_BYTES = 4 * 1024 * 1024;
/** Files up to this size are opened, read and closed with synchronous calls: a song's file is a few hundred bytes,
 * and each asynchronous call's round trip through libuv's thread pool cost more than reading it (2,000 song files:
 * 0.3 s, against 0.04 s). */
const SYNC_READ_BYTES = 1024 * 1024;
const BOM = '\ufeff';
const NEWLINE = 0x0a;

/** The object's records, decompressed when the COPY says GZIP; read errors name the object. The bytes go to
 * the reader undecoded, so what is not UTF-8 in them is kept for the columns to judge. */
export async function* readObject(object: S3Object, gzip: boolean): AsyncGenerator<JsonRecord> {
  let whole: Buffer | undefined;
  let size: number;
  try {
    size = statSync(object.path).size;
    if (size <= WHOLE_FILE_BYTES && gzip) whole = await promisify(gunzip)(await readFile(object.path));
  } catch (error) {
    throw readFailure(object, error);
  }
  if (size <= WHOLE_FILE_BYTES && !gzip) return yield* blockRecords(object, size);
  if (whole && isUtf8(whole)) {
    const text = decode(whole);
    whole = undefined;
    const rest = yield* lineRecords(text.startsWith(BOM) ? text.slice(1) : text);
    // From its first line, the exact reader reads the file as it is (its BOM too).
    if (rest) yield* exactRecords(object, [rest.line === 1 ? text : rest.text], rest.line);
    return;
  }
  yield* streamObject(object, gzip, whole);
}

/** The records of a file that is not gzipped, of `size` bytes when it was opened, read in blocks of whole lines by the
 * fast path; from the first block that is not UTF-8, or the first line the fast path cannot read, the exact reader
 * reads the rest of the file. */
async function* blockRecords(object: S3Object, size: number): AsyncGenerator<JsonRecord> {
  const failed = (error: unknown) => {
    throw readFailure(object, error);
  };
  const handle: BlockFile = size <= SYNC_READ_BYTES ? syncFile(object.path, failed) : await open(object.path).catch(failed);
  try {
    let position = 0;
    let line = 1;
    let carry = Buffer.alloc(0);
    for (let ended = false; !ended; ) {
      // A block no larger than the rest of the file and a byte: a song's file is a few hundred bytes, and 4 MB for
      // each of thousands of them was gigabytes for the garbage collector. A short read is the end of the file.
      const wanted = position < size ? Math.min(BLOCK_BYTES, size - position + 1) : BLOCK_BYTES;
      // The last block's unfinished line first, then the file's next bytes read after it (not copied after them).
      const block = Buffer.allocUnsafe(carry.length + wanted);
      carry.copy(block);
      const { bytesRead } = await handle.read(block, carry.length, wanted, position).catch(failed);
      position += bytesRead;
      ended = bytesRead < wanted;
      const bytes = block.subarray(0, carry.length + bytesRead);
      // Whole lines (a newline byte is never part of a longer UTF-8 sequence), and at the end all that is left.
      const end = ended ? bytes.length : bytes.lastIndexOf(NEWLINE) + 1;
      const segment = bytes.subarray(0, end);
      carry = bytes.subarray(end);
      if (segment.length === 0) continue;
      if (!isUtf8(segment)) return yield* exactRecords(object, restOfFile(object, [segment, carry], position), line);
      const text = decode(segment);
      const rest = yield* lineRecords(line === 1 && text.startsWith(BOM) ? text.slice(1) : text, line);
      // From its first line, the exact reader reads the file as it is (its BOM too).
      if (rest) return yield* exactRecords(object, restOfFile(object, [rest.line === 1 ? text : rest.text, carry], position), rest.line);
      line += newlines(segment);
    }
  } finally {
    await handle.close();
  }
}

/** What blockRecords reads a file with: a FileHandle, or synchronous calls behind the same methods. */
interface BlockFile {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

function syncFile(file: string, failed: (error: unknown) => never): BlockFile {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    failed(error);
  }
  return {
    read: async (buffer, offset, length, position) => ({ bytesRead: readSync(fd, buffer, offset, length, position) }),
    close: async () => closeSync(fd),
  };
}

/** What is left of the file for the exact reader: what was read of it already, then the file from `position`. */
async function* restOfFile(object: S3Object, read: (string | Buffer)[], position: number): AsyncGenerator<string | Buffer> {
  yield* read;
  yield* createReadStream(object.path, { start: position }) as AsyncIterable<Buffer>;
}

/** UTF-8 bytes as text. ASCII (JSON writers escape the rest: "S\u00e9r\u00e9nade") decodes ten times faster as
 * ASCII, to the same text. */
function decode(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'ascii' : 'utf8');
}

function newlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count += 1;
  return count;
}

/** The records the exact reader finds in some text or bytes of the object. */
async function* exactRecords(
  object: S3Object,
  chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
  fromLine = 1,
): AsyncGenerator<JsonRecord> {
  try {
    yield* readJsonRecords(chunks, fromLine);
  } catch (error) {
    throw readFailure(object, error);
  }
}

/** The records by the exact reader, from the bytes already read or from the file. */
async function* streamObject(object: S3Object, gzip: boolean, whole: Buffer | undefined): AsyncGenerator<JsonRecord> {
  if (whole) return yield* exactRecords(object, [whole]);
  const file = createReadStream(object.path);
  let bytes: Readable = file;
  if (gzip) {
    const gunzipStream = createGunzip();
    file.on('error', (error) => gunzipStream.destroy(error));
    bytes = file.pipe(gunzipStream);
  }
  try {
    yield* readJsonRecords(bytes);
  } catch (error) {
    throw readFailure(object, error);
  } finally {
    bytes.destroy();
    file.destroy();
  }
}

function readFailure(object: S3Object, error: unknown): Error {
  return new Error(`Reading ${object.uri} failed: ${(error as Error).message}`);
}
