// The S3 objects the pipeline itself reads and writes (besides what COPY reads): the day files it checks and the
// COPY manifests it writes. Adapters: S3 (functions/lib/aws/s3ObjectStore.ts) and the local mirror (local/deps.ts).

export interface ObjectStore {
  /** The object's size in bytes; undefined when there is no such object. */
  size(uri: string): Promise<number | undefined>;
  /** Writes the object (JSON text). */
  put(uri: string, body: string): Promise<void>;
}
