// A ready-made PostgreSQL data folder: PGlite's initdb runs once, into node_modules/.cache/sparkify-dwh/, and each
// new warehouse starts as a copy of it (opening a copy takes a fraction of initdb's time). The template is keyed
// by the PGlite version, so a new version builds a new one; it is built in a folder of its own and renamed into
// place, so processes building it at the same time cannot leave a half-built template where another finds it.
import { randomUUID } from 'node:crypto';
import { readFileSync, type Dirent } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const PGLITE_DIR = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..');

/** Where the template of this PGlite version is kept. */
export function templateDir(): string {
  const { version } = JSON.parse(readFileSync(path.join(PGLITE_DIR, 'package.json'), 'utf8')) as { version: string };
  const nodeModules = path.join(PGLITE_DIR, '..', '..');
  return path.join(nodeModules, '.cache', 'sparkify-dwh', `pglite-${version}`);
}

/** The template folder, built first if it is missing; undefined when it cannot be built (a read-only
 * node_modules): the caller then lets PGlite run initdb in the warehouse folder itself. */
export async function readyTemplate(dir = templateDir()): Promise<string | undefined> {
  if (await isDataFolder(dir)) return dir;
  const building = `${dir}.${randomUUID()}.tmp`;
  try {
    await mkdir(path.dirname(dir), { recursive: true });
    const db = await PGlite.create({ dataDir: building });
    await db.close();
    await rename(building, dir).catch(async (error: unknown) => {
      if (!(await isDataFolder(dir))) throw error; // another process renamed its template into place first: use it
    });
    return dir;
  } catch {
    return undefined;
  } finally {
    await rm(building, { recursive: true, force: true });
  }
}

/** Copies the template into an empty warehouse folder; false when there is no template. */
export async function copyTemplate(dir: string): Promise<boolean> {
  const template = await readyTemplate();
  if (!template) return false;
  // The folders first, then every file at once (fs.cp goes one file at a time: several times slower here).
  const entries = await readdir(template, { recursive: true, withFileTypes: true });
  const relative = (entry: Dirent) => path.relative(template, path.join(entry.parentPath, entry.name));
  for (const entry of entries) if (entry.isDirectory()) await mkdir(path.join(dir, relative(entry)), { recursive: true });
  await Promise.all(
    entries.filter((entry) => entry.isFile()).map((entry) => copyFile(path.join(template, relative(entry)), path.join(dir, relative(entry)))),
  );
  return true;
}

async function isDataFolder(dir: string): Promise<boolean> {
  return (await stat(path.join(dir, 'PG_VERSION')).catch(() => undefined))?.isFile() ?? false;
}
