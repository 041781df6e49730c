// The --db folder: what it holds, and the rules for using it. A warehouse folder is recognised by the marker file
// this project writes (`dwh-warehouse.json`), or by PGlite's PG_VERSION (a warehouse made before the marker).
// A folder that holds anything else is refused, naming what it holds: the warehouse never writes among a
// user's files. A new warehouse is marked `creating` until PGlite has created it, then `ready`: a creation cut short
// (a full disk, a killed process) is recognised, and started again from an empty folder.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isLockEntry } from './dbLock';
import { codeAdvice, codeInWords, errorCode, readableError } from './engineGuard';

export const MARKER_FILE = 'dwh-warehouse.json';
/** How many of a foreign folder's entries the refusal names. */
const ENTRIES_NAMED = 5;

/** The --db folder cannot hold a warehouse: a file, a folder of other things, a folder one may not write to.
 * Bad usage (exit code 2); the message says what is wrong and what to do. */
export class WarehouseFolderError extends Error {
  override name = 'WarehouseFolderError';
}

/** A resource ran out while preparing the folder (a full disk): the run failed (exit code 1). */
export class WarehouseResourceError extends Error {
  override name = 'WarehouseResourceError';
}

/** What a --db folder holds: nothing yet, a warehouse, or a warehouse whose creation was cut short. */
export type FolderContent = 'absent' | 'empty' | 'warehouse' | 'unfinished';

/** What the folder holds, without writing to it; throws WarehouseFolderError for a folder that is no warehouse. */
export async function inspectFolder(dir: string): Promise<FolderContent> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new WarehouseFolderError(`--db ${dir} is a file, not a folder: choose a folder for the warehouse`);
    entries = (await readdir(dir)).filter((name) => !isLockEntry(name));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'absent';
    throw folderError(dir, error);
  }
  if (entries.length === 0) return 'empty';
  if (entries.includes(MARKER_FILE)) return (await readMarker(dir)) === 'creating' ? 'unfinished' : 'warehouse';
  if (entries.includes('PG_VERSION')) return 'warehouse';
  const named = entries.sort().slice(0, ENTRIES_NAMED).join(', ');
  const more = entries.length > ENTRIES_NAMED ? ` and ${entries.length - ENTRIES_NAMED} more` : '';
  throw new WarehouseFolderError(
    `--db ${dir} holds other files and no warehouse (${named}${more}): choose a new or empty folder, or a warehouse's folder`,
  );
}

/** Creates the folder (and its parents) if it is missing. */
export async function createFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw folderError(dir, error);
  });
}

/** Marks the folder's warehouse as being created, or as ready; written whole (a temporary file, then renamed). */
export async function writeMarker(dir: string, state: 'creating' | 'ready'): Promise<void> {
  const temporary = path.join(dir, `${MARKER_FILE}.${process.pid}.tmp`);
  const content = { warehouse: 'Sparkify local warehouse (PGlite); see README.md, "The local warehouse"', state };
  try {
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`);
    await rename(temporary, path.join(dir, MARKER_FILE));
  } catch (error) {
    await rm(temporary, { force: true });
    throw folderError(dir, error);
  }
}

/** Empties a folder of an unfinished creation (everything but the lock), so that it can be created again. */
export async function clearUnfinished(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!isLockEntry(name)) await rm(path.join(dir, name), { recursive: true, force: true });
  }
}

async function readMarker(dir: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(path.join(dir, MARKER_FILE), 'utf8')) as { state?: string }).state;
  } catch {
    return undefined; // a marker cut short while written is not possible (it is renamed into place); edited by hand
  }
}

/** A file system error on the folder as a WarehouseFolderError (a path that cannot work: exit 2) or a
 * WarehouseResourceError (a resource ran out: exit 1), saying what happened. Other errors pass through. */
export function folderError(dir: string, error: unknown): Error {
  if (error instanceof WarehouseFolderError || error instanceof WarehouseResourceError) return error;
  const code = errorCode(error);
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return new WarehouseFolderError(`--db ${dir}: a part of this path is a file, not a folder: choose a folder for the warehouse`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new WarehouseFolderError(`--db ${dir}: ${codeInWords(code)}: ${codeAdvice(code)}`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new WarehouseResourceError(`--db ${dir}: ${codeInWords(code)}: ${codeAdvice(code)}`);
    default:
      return error instanceof Error ? error : new Error(readableError(error));
  }
}
