// S3 over local folders: each bucket is mirrored by a folder, an object's key is its path below that folder
// with '/' separators. Listing follows S3's prefix semantics: every key starting with the prefix, at any
// depth, in key order.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseS3Uri } from '../../../functions/lib/contracts/s3Uri';

/** Local mirrors of S3 buckets: bucket name -> folder. */
export type BucketMirrors = Record<string, string>;

export interface S3Object {
  /** `s3://bucket/key`. */
  uri: string;
  /** The local file. */
  path: string;
}

/** The folder mirroring a bucket; throws naming the bucket when there is none. */
function mirrorFolder(mirrors: BucketMirrors, bucket: string): string {
  const folder = mirrors[bucket];
  if (folder === undefined) {
    const known = Object.keys(mirrors);
    throw new Error(
      `No local mirror for S3 bucket '${bucket}' (mirrored buckets: ${known.length ? known.join(', ') : 'none'})`,
    );
  }
  return folder;
}

/** Every object whose key starts with the URI's prefix, in key order; dot-files (.DS_Store) are skipped.
 * A prefix matching nothing is an error, as on Redshift. */
export async function listObjects(mirrors: BucketMirrors, uri: string): Promise<S3Object[]> {
  const { bucket, key: prefix } = parseS3Uri(uri, { loose: true });
  const folder = mirrorFolder(mirrors, bucket);
  const keys: string[] = [];
  await collectKeys(folder, '', prefix, keys);
  if (keys.length === 0) {
    throw new Error(`The specified S3 prefix '${prefix}' does not exist (s3://${bucket}/${prefix}, mirrored in ${folder})`);
  }
  // S3 lists keys in UTF-8 byte order, which is code point order: the same as this sort for the keys here.
  keys.sort();
  return keys.map((key) => ({ uri: `s3://${bucket}/${key}`, path: path.join(folder, ...key.split('/')) }));
}

/** Adds the keys under `dir` (relative to the bucket folder) that start with `prefix`; descends only into
 * folders that can hold such keys. */
async function collectKeys(folder: string, dir: string, prefix: string, keys: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(path.join(folder, ...(dir ? dir.split('/') : [])), { withFileTypes: true });
  } catch (error) {
    if (dir === '' && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`The local mirror folder ${folder} does not exist`);
    }
    throw error;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const key = dir ? `${dir}/${entry.name}` : entry.name;
    const stats = entry.isSymbolicLink() ? await fs.stat(path.join(folder, ...key.split('/'))) : entry;
    if (stats.isDirectory()) {
      const asFolder = `${key}/`;
      if (asFolder.startsWith(prefix) || prefix.startsWith(asFolder)) await collectKeys(folder, key, prefix, keys);
    } else if (stats.isFile() && key.startsWith(prefix)) {
      keys.push(key);
    }
  }
}

/** Where one object's local file is, or would be; throws naming the bucket when it has no mirror. */
export function mirrorPath(mirrors: BucketMirrors, uri: string): string {
  const { bucket, key } = parseS3Uri(uri, { loose: true });
  return path.join(mirrorFolder(mirrors, bucket), ...key.split('/'));
}

/** The local file of one object (for a JSONPaths file); throws naming the URI when it does not exist. */
export async function objectPath(mirrors: BucketMirrors, uri: string): Promise<string> {
  const file = mirrorPath(mirrors, uri);
  const stats = await fs.stat(file).catch(() => undefined);
  if (!stats?.isFile()) throw new Error(`The S3 object '${uri}' does not exist (looked for ${file})`);
  return file;
}
