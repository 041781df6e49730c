// A ready-made PostgreSQL data folder: PGlite's initdb runs once, into node_modules/.cache/sparkify-dwh/, and each
// new warehouse starts as a copy of it (opening a copy takes a fraction of initdb's time). The template is keyed
// by the PGlite version, initdb's options (engineOptions.ts) and what is done to it after initdb (TEMPLATE_LAYOUT),
// so a change of any builds a new one; it is built in a folder of its own and renamed into place, so processes
// building it at the same time cannot leave a half-built template where another finds it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CACHE_DIR } from '../../cacheDir';
import { engineOptions, INITDB_ARGS } from '../engineOptions';

const PGLITE_DIR = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..');

/** The warehouse is the database `postgres` alone. initdb also makes template0 and template1, which only CREATE
 * DATABASE uses: they are 600 of the template's 975 files, and creating files is most of a copy's time. */
const UNUSED_DATABASES = ['template0', 'template1'];
/** Names what is done to the template after initdb, in its folder's name. */
const TEMPLATE_LAYOUT = '-postgres-only';

/** Where the template of this PGlite version, these initdb options and this layout is kept. */
export function templateDir(): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(PGLITE_DIR, 'package.json'), 'utf8')) as { version: string };
  return path.join(CACHE_DIR, `pglite-${version}${INITDB_ARGS.join('')}${TEMPLATE_LAYOUT}`);
}

/** The template folder, built first if it is missing; undefined when it cannot be built (a read-only
 * node_modules): the caller then lets PGlite run initdb in the warehouse folder itself. */
export async function readyTemplate(dir = templateDir()): Promise<string | undefined> {
  if (await isDataFolder(dir)) return dir;
  const building = `${dir}.${randomUUID()}.tmp`;
  try {
    await mkdir(path.dirname(dir), { recursive: true });
    const db = await PGlite.create({ dataDir: building, ...engineOptions() });
    for (const name of UNUSED_DATABASES) {
      // DROP DATABASE refuses a template database, and a transaction block: a statement each
      await db.exec(`ALTER DATABASE ${name} IS_TEMPLATE false`);
      await db.exec(`DROP DATABASE ${name}`);
    }
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

/** Copies the template into an empty warehouse folder; false when there is no template. A write that fails is
 * reported to `onFailedWrite` (the file relative to the folder) before it is thrown. */
export async function copyTemplate(dir: string, onFailedWrite: (file: string, error: unknown) => void): Promise<boolean> {
  const template = await readyTemplate();
  if (!template) return false;
  copyFolder(template, dir, '', onFailedWrite);
  return true;
}

/** Copies a folder's content, writing with fs.writeSync as PGlite's own writes do (so a disk that fills up fails
 * the copy as it fails PGlite, with ENOSPC: test/local/fullDisk.js). */
function copyFolder(from: string, to: string, relative: string, onFailedWrite: (file: string, error: unknown) => void): void {
  for (const entry of fs.readdirSync(path.join(from, relative), { withFileTypes: true })) {
    const file = relative ? `${relative}/${entry.name}` : entry.name;
    try {
      if (entry.isDirectory()) {
        fs.mkdirSync(path.join(to, file), { recursive: true });
      } else if (entry.isFile()) {
        const bytes = fs.readFileSync(path.join(from, file));
        const fd = fs.openSync(path.join(to, file), 'w');
        try {
          for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written);
        } finally {
          fs.closeSync(fd);
        }
      }
    } catch (error) {
      onFailedWrite(file, error);
      throw error;
    }
    if (entry.isDirectory()) copyFolder(from, to, file, onFailedWrite);
  }
}

async function isDataFolder(dir: string): Promise<boolean> {
  return (await stat(path.join(dir, 'PG_VERSION')).catch(() => undefined))?.isFile() ?? false;
}
