// One process at a time on a warehouse folder: PGlite has no lock of its own, and two processes writing the
// same folder (say `dwh serve` and `dwh run`) would corrupt it.
//
// The lock is a numbered file, `dwh.lock.<n>`; the highest number says who holds it. Each file is created whole:
// written under a temporary name, then hard-linked to its number, which fails if that number exists. To take the
// lock a process creates the number after the highest one it read, so of all who read the same state only one
// succeeds; it holds the lock if, once its file exists, no higher number does (else it read an old state and
// backs off). The highest file is free when it marks a release, or when its holder is gone: its pid has ended,
// or now names a process started at another time (a reused pid). Nothing is removed on the evidence of an
// earlier read: only the holder removes the numbers below its own.
// (proper-lockfile was not used: its stale takeover removes and recreates the lock, so two processes can both
// take a stale lock, and its mtime heartbeat cannot beat while PGlite runs a long statement synchronously.)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const LOCK_FILE = /^dwh\.lock\.(\d+)$/;
const TEMPORARY_FILE = /^dwh\.lock\.(\d+)\.[0-9a-f]+\.tmp$/;
/** Takes that lose a race retry; a take cannot lose more times than there are contenders. */
const MAX_ATTEMPTS = 100;

/** Who holds a lock, as its file records it. */
export interface LockHolder {
  pid: number;
  /** When the process started, as the system reports it: tells a reused pid apart. Absent where unknown. */
  started?: string;
  command: string;
  since: string;
}

/** A lock file: held, or released (by a holder whose engine failed, `failed` names it: its work ended as a kill's). */
type LockContent = { holder: LockHolder } | { released: string; failed?: LockHolder };

/** The warehouse folder is held by another live process (or by this one). */
export class WarehouseInUseError extends Error {
  override name = 'WarehouseInUseError';
}

/** The names a lock may leave in a folder (a warehouse folder holds these besides the database). */
export function isLockEntry(name: string): boolean {
  return LOCK_FILE.test(name) || TEMPORARY_FILE.test(name) || name === 'dwh.lock'; // dwh.lock: the lock of earlier versions
}

/** A lock taken. */
export interface FolderLock {
  /** Releases the lock; `failed`: this process's work ended as a killed process's would (its engine failed). */
  release(failed?: boolean): Promise<void>;
  /** The holder before this one, when its work ended without finishing (killed, crashed, or its engine failed). */
  ended?: LockHolder;
}

/** Takes the folder's lock; throws WarehouseInUseError, naming the holder, while a live process holds it. */
export async function lockFolder(dir: string, command = currentCommand()): Promise<FolderLock> {
  const self: LockHolder = { pid: process.pid, started: processStart(process.pid), command, since: new Date().toISOString() };
  let ended: LockHolder | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const top = await highestLock(dir);
    ended = undefined;
    if (top > 0) {
      const content = await readLock(dir, top);
      if (content === undefined) continue; // removed since: the lock moved on
      if ('holder' in content && isAlive(content.holder)) throw new WarehouseInUseError(inUseMessage(dir, content.holder));
      ended = 'holder' in content ? content.holder : content.failed;
    }
    const mine = top + 1;
    if (!(await createWhole(dir, mine, { holder: self }))) continue; // another process took that number first
    if ((await highestLock(dir)) !== mine) {
      await rm(lockPath(dir, mine), { force: true }); // it was behind: the lock had moved on
      continue;
    }
    await removeBelow(dir, mine);
    return { release: (failed) => release(dir, mine, failed ? self : undefined), ...(ended && { ended }) };
  }
  throw new Error(`Could not take the lock of the warehouse in ${dir} after ${MAX_ATTEMPTS} attempts: is something else writing dwh.lock.* files there?`);
}

/** Who holds the folder's lock now, if a live process does. */
export async function lockHolder(dir: string): Promise<LockHolder | undefined> {
  const top = await highestLock(dir);
  const content = top > 0 ? await readLock(dir, top) : undefined;
  return content && 'holder' in content && isAlive(content.holder) ? content.holder : undefined;
}

/** Marks the lock released with the next number, then removes the older ones. If that cannot be written (a full
 * disk), the lock stays with this process's pid, and is free once the process ends. */
async function release(dir: string, held: number, failed?: LockHolder): Promise<void> {
  const content = { released: new Date().toISOString(), ...(failed && { failed }) };
  if (await createWhole(dir, held + 1, content).catch(() => false)) {
    await removeBelow(dir, held + 1).catch(() => undefined);
  }
}

function inUseMessage(dir: string, holder: LockHolder): string {
  return `The warehouse in ${dir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}): stop it and try again`;
}

function lockPath(dir: string, number: number): string {
  return path.join(dir, `dwh.lock.${number}`);
}

/** The highest lock number in the folder; 0 when there is none. */
async function highestLock(dir: string): Promise<number> {
  let top = 0;
  for (const name of await readdir(dir)) {
    const match = LOCK_FILE.exec(name);
    if (match) top = Math.max(top, Number(match[1]));
  }
  return top;
}

/** A lock file's content; undefined if it is gone. Content no process wrote (edited by hand) counts as released. */
async function readLock(dir: string, number: number): Promise<LockContent | undefined> {
  let text: string;
  try {
    text = await readFile(lockPath(dir, number), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const content = JSON.parse(text) as LockContent;
    if ('holder' in content ? Number.isInteger(content.holder?.pid) : typeof content.released === 'string') return content;
  } catch {
    // not written by a lock: below
  }
  return { released: 'unreadable' };
}

/** Creates lock file `number` with its content in one step; false if that number exists. */
async function createWhole(dir: string, number: number, content: LockContent): Promise<boolean> {
  const temporary = `${lockPath(dir, number)}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(content), { flag: 'wx' });
  try {
    await link(temporary, lockPath(dir, number));
    return true;
  } catch (error) {
    // EEXIST: that number is taken. ENOENT: the holder of a higher number removed this late temporary file.
    if (['EEXIST', 'ENOENT'].includes((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Removes the lock files below `number`, and temporary files left by a process that died while writing one. */
async function removeBelow(dir: string, number: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const lock = LOCK_FILE.exec(name);
    const temporary = TEMPORARY_FILE.exec(name);
    if ((lock && Number(lock[1]) < number) || (temporary && Number(temporary[1]) < number)) {
      await rm(path.join(dir, name), { force: true });
    }
  }
}

/** Whether the recorded holder is still running: its pid is alive and, where the system says when a process
 * started, it is the same process. */
function isAlive(holder: LockHolder): boolean {
  if (!isRunning(holder.pid)) return false;
  if (holder.started === undefined) return true;
  const started = processStart(holder.pid);
  return started === undefined || started === holder.started;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When process `pid` started: on Linux its start time in clock ticks since boot (/proc/<pid>/stat, field 22);
 * elsewhere `ps -o lstart=`; undefined where neither answers. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    // not Linux, or the process is gone
  }
  try {
    return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The command line of this process, as a person would type it (`dwh serve --db .dwh`). */
function currentCommand(): string {
  const [, script, ...args] = process.argv;
  const name = script && path.basename(script) === 'dwh.js' ? 'dwh' : path.basename(script ?? process.argv0);
  return [name, ...args].join(' ');
}
