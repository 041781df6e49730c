// Reading one S3 object of the mirror as JSON records.
import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { readJsonRecords, type JsonRecord } from './jsonRecords';
import { lineRecords } from './lineRecords';
import type { S3Object } from './s3Mirror';

/** Files up to this size are read whole, for the fast path of one object per line (when they are UTF-8); larger
 * ones are streamed. */
const WHOLE_FILE_BYTES = 64 * 1024 * 1024;
const BOM = '\ufeff';

/** The object's records, decompressed when the COPY says GZIP; read errors name the object. The bytes go to
 * the reader undecoded, so what is not UTF-8 in them is kept for the columns to judge. */
export async function* readObject(object: S3Object, gzip: boolean): AsyncGenerator<JsonRecord> {
  let whole: Buffer | undefined;
  try {
    if ((await stat(object.path)).size <= WHOLE_FILE_BYTES) {
      const bytes = await readFile(object.path);
      whole = gzip ? await promisify(gunzip)(bytes) : bytes;
    }
  } catch (error) {
    throw readFailure(object, error);
  }
  // ASCII (JSON writers escape the rest: "S\u00e9r\u00e9nade") decodes ten times faster than UTF-8, to the same text.
  const ascii = whole !== undefined && isAscii(whole);
  if (whole && (ascii || isUtf8(whole))) {
    const text = whole.toString(ascii ? 'ascii' : 'utf8');
    whole = undefined;
    const rest = yield* lineRecords(text.startsWith(BOM) ? text.slice(1) : text);
    // From its first line, the exact reader reads the file as it is (its BOM too).
    if (rest) yield* exactRecords(object, [rest.line === 1 ? text : rest.text], rest.line);
    return;
  }
  yield* streamObject(object, gzip, whole);
}

/** The records the exact reader finds in some text or bytes of the object. */
async function* exactRecords(object: S3Object, chunks: (string | Buffer)[], fromLine = 1): AsyncGenerator<JsonRecord> {
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
