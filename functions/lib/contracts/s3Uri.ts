// S3 URIs, read in one place. The settings take only strict ones: a bucket name as S3 allows it and a key
// prefix without quotes, backslashes or spaces (the URI goes into COPY's text). The local S3 mirror reads
// whatever COPY's FROM names, loosely: the mirror, like S3, then reports a bucket or prefix it does not have.

export interface S3Location {
  bucket: string;
  /** The key, or the key prefix; '' for the whole bucket. */
  key: string;
}

const STRICT_S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/([A-Za-z0-9!_.*()\/-]*)$/;
const LOOSE_S3_URI = /^s3:\/\/([^/]+)\/?(.*)$/;

/** Whether `uri` is a strict S3 URI, `s3://bucket/prefix`. */
export function isS3Uri(uri: string): boolean {
  return STRICT_S3_URI.test(uri);
}

/** Splits `s3://bucket/key` into bucket and key; `loose` takes any bucket text and key, and no slash after the
 * bucket. Anything else is refused, naming the URI. */
export function parseS3Uri(uri: string, options: { loose?: boolean } = {}): S3Location {
  const match = (options.loose ? LOOSE_S3_URI : STRICT_S3_URI).exec(uri);
  if (!match) throw new Error(`Not an S3 URI: ${uri}`);
  return { bucket: match[1], key: match[2] };
}
