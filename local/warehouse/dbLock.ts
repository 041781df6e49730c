// One process at a time on a warehouse folder: PGlite has no lock of its own, and two processes writing the
// same folder (say `dwh serve` and `dwh run`) would corrupt it. The lock is a file holding the owner's pid;
// a lock whose process is gone is stale and taken over.
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

const LOCK_FILE = 'dwh.lock';

/** Whether a process with this pid is running. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock; throws, naming the owner, while another live process (or this one) holds it.
 * Returns the function that releases it. */
export async function lockFolder(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new Error(`The warehouse in ${dir} is in use by process ${owner} (a running dwh command?): stop it and try again`);
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`Could not lock the warehouse in ${dir}: remove ${file} if no dwh command is running`);
}
