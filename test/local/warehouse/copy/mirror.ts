// Test helper: a local S3 mirror in a temporary folder, written from a map of keys to file contents.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Creates a temporary folder (the caller removes it). */
export function temporaryFolder(name: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `dwh-${name}-`));
}

/** Writes each object under `folder` at its key (a '/'-separated path). */
export async function writeObjects(folder: string, objects: Record<string, string | Buffer>): Promise<void> {
  for (const [key, content] of Object.entries(objects)) {
    const file = path.join(folder, ...key.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}
