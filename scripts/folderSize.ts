// How big the warehouse folder grows: a fresh build, then reruns, then runs killed (SIGKILL) part way, then one
// more run, each a `dwh run` process as `npm start` runs it. Prints the folder's size after each, and its ratio to
// the fresh build. `node bin/run-ts.js scripts/folderSize.ts [--data DIR] [--reruns N] [--kills N]`
import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const DWH = path.join(__dirname, '..', 'bin', 'dwh.js');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(__dirname, '..', 'data', 'sample') },
    reruns: { type: 'string', default: '10' },
    kills: { type: 'string', default: '10' },
  },
});

/** Bytes the folder takes on disk (allocated blocks, as `du` counts them). */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const stats = await lstat(path.join(entry.parentPath, entry.name));
    total += stats.blocks * 512;
  }
  return total;
}

/** Where the killed runs are killed: as soon as the run's progress on stderr shows this (a load, or a SQL step,
 * under way in its transaction), in turn. */
const KILL_POINTS = ['COPY staging_events', 'COPY staging_songs', 'WaitForLoadStaging', 'WaitForInsertTables', 'WaitForAnalyze'];

/** Runs `dwh run` on the data into the folder; with `killAt`, kills it (SIGKILL) once its progress shows that.
 * Resolves with how long it ran and its exit code (null when killed). */
function dwhRun(dbDir: string, killAt?: string): Promise<{ ms: number; code: number | null }> {
  const started = Date.now();
  const child = spawn(process.execPath, [DWH, 'run', '--data', values.data as string, '--db', dbDir, '--json'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let progress = '';
  child.stderr.on('data', (chunk: Buffer) => {
    progress += chunk.toString();
    if (killAt !== undefined && progress.includes(killAt)) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ ms: Date.now() - started, code })));
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'dwh-size-'));
  const dbDir = path.join(root, 'db');
  const rows: string[] = [];
  let fresh = 0;
  const record = async (stage: string, outcome: string) => {
    const bytes = await folderBytes(dbDir);
    fresh ||= bytes;
    const row = `${stage.padEnd(22)} ${outcome.padEnd(22)} ${(bytes / 2 ** 20).toFixed(1).padStart(7)} MiB  ${(bytes / fresh).toFixed(2)}x`;
    rows.push(row);
    process.stderr.write(`${row}\n`);
  };
  try {
    const first = await dwhRun(dbDir);
    await record('fresh build', `exit ${first.code}, ${first.ms} ms`);
    for (let rerun = 1; rerun <= Number(values.reruns); rerun += 1) {
      const outcome = await dwhRun(dbDir);
      await record(`rerun ${rerun}`, `exit ${outcome.code}, ${outcome.ms} ms`);
    }
    for (let kill = 1; kill <= Number(values.kills); kill += 1) {
      const point = KILL_POINTS[(kill - 1) % KILL_POINTS.length];
      const outcome = await dwhRun(dbDir, point);
      await record(`killed run ${kill}`, outcome.code === null ? `killed at ${point}` : `ended first, exit ${outcome.code}`);
    }
    const last = await dwhRun(dbDir);
    await record('run after the kills', `exit ${last.code}, ${last.ms} ms`);
    process.stdout.write(`Warehouse folder size (${values.data}):\n${rows.join('\n')}\n`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

void main();
