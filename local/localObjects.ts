// The ObjectStore port over the local S3 mirrors (the same folders COPY reads: local/warehouse/copy/s3Mirror.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ObjectStore } from '../functions/lib/ports/objectStore';
import { mirrorPath, type BucketMirrors } from './warehouse/copy/s3Mirror';

export function localObjectStore(mirrors: BucketMirrors): ObjectStore {
  return {
    async size(uri) {
      const stats = await fs.stat(mirrorPath(mirrors, uri)).catch(() => undefined);
      return stats?.isFile() ? stats.size : undefined;
    },
    async put(uri, body) {
      const file = mirrorPath(mirrors, uri);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, body);
    },
  };
}
