// The ObjectStore port on S3: one SDK call per helper.
import { HeadObjectCommand, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../ports/objectStore';
import { parseS3Uri } from '../contracts/s3Uri';

/** HeadObject: the size; a missing object is S3's NotFound (docs: HeadObject, "404 Not Found"). */
async function headObject(s3: S3Client, uri: string): Promise<number | undefined> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ContentLength ?? 0;
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
}

/** PutObject of JSON text; the bucket's default encryption applies. */
async function putObject(s3: S3Client, uri: string, body: string): Promise<void> {
  const { bucket, key } = parseS3Uri(uri);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
}

export function createS3ObjectStore(s3: S3Client): ObjectStore {
  return { size: (uri) => headObject(s3, uri), put: (uri, body) => putObject(s3, uri, body) };
}
