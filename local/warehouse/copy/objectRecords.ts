// Reading one S3 object of the mirror as JSON records.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { readJsonRecords, type JsonRecord } from './jsonRecords';
import type { S3Object } from './s3Mirror';

/** The object's records, decompressed when the COPY says GZIP; read errors name the object. The bytes go to
 * the reader undecoded, so what is not UTF-8 in them is kept for the columns to judge. */
export async function* readObject(object: S3Object, gzip: boolean): AsyncGenerator<JsonRecord> {
  const file = createReadStream(object.path);
  let bytes: Readable = file;
  if (gzip) {
    const gunzip = createGunzip();
    file.on('error', (error) => gunzip.destroy(error));
    bytes = file.pipe(gunzip);
  }
  try {
    yield* readJsonRecords(bytes);
  } catch (error) {
    throw new Error(`Reading ${object.uri} failed: ${(error as Error).message}`);
  } finally {
    bytes.destroy();
    file.destroy();
  }
}

