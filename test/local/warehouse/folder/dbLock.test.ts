// The warehouse folder lock: one holder among processes that start at once, a lock left by a process that is
// gone (or whose pid now names another process) taken over, a live holder named.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { openLocalWarehouse } from '../../../../local/warehouse';
import { lockFolder, lockHolder, processStart, WarehouseInUseError } from '../../../../local/warehouse/folder/dbLock';

const RUN_TS = path.join(__dirname, '..', '..', '..', '..', 'bin', 'run-ts.js');
const CONTENDER = path.join(__dirname, 'lockContender.ts');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dwh-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The pid of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

/** A lock file as a holder writes it. */
function lockContent(pid: number, started: string | undefined): string {
  return JSON.stringify({ holder: { pid, started, command: 'dwh run', since: '2026-01-01T00:00:00.000Z' } });
}

describe('the warehouse folder lock', () => {
  it('refuses a second open of a folder in use, naming the process, its command and since when, and allows it once closed', async () => {
    const first = await openLocalWarehouse({ dbDir: dir, buckets: {} });

    const refusal = openLocalWarehouse({ dbDir: dir, buckets: {} });

    await expect(refusal).rejects.toThrow(WarehouseInUseError);
    await expect(refusal).rejects.toThrow(
      new RegExp(`^The warehouse in ${dir} is in use by process ${process.pid} \\(.+, since \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\): stop it and try again$`),
    );
    await first.close();
    const second = await openLocalWarehouse({ dbDir: dir, buckets: {} });
    await second.close();
  }, 120_000);

  it('names the holder recorded in the lock: pid, command and since when', async () => {
    const { release } = await lockFolder(dir, 'dwh serve --db x');

    const holder = await lockHolder(dir);

    expect(holder).toEqual({ pid: process.pid, started: processStart(process.pid), command: 'dwh serve --db x', since: expect.stringMatching(ISO) });
    await release();
    expect(await lockHolder(dir)).toBeUndefined();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const gone = deadPid();
    await writeFile(path.join(dir, 'dwh.lock.7'), lockContent(gone, undefined));

    const { release, ended } = await lockFolder(dir, 'test');

    expect((await lockHolder(dir))?.command).toBe('test');
    expect(ended).toEqual({ pid: gone, command: 'dwh run', since: '2026-01-01T00:00:00.000Z' });
    expect((await readdir(dir)).sort()).toEqual(['dwh.lock.8']);
    await release();
  });

  it('takes over a lock whose pid now names another process, started at another time', async () => {
    await writeFile(path.join(dir, 'dwh.lock.3'), lockContent(process.pid, 'a start time of an earlier process'));

    const { release } = await lockFolder(dir, 'test');

    expect((await lockHolder(dir))?.command).toBe('test');
    await release();
  });

  it('tells the next holder that the previous one released the lock after its engine failed', async () => {
    const failing = await lockFolder(dir, 'dwh run');
    await failing.release(true);

    const next = await lockFolder(dir, 'next');

    expect(next.ended).toEqual({ pid: process.pid, started: processStart(process.pid), command: 'dwh run', since: expect.stringMatching(ISO) });
    await next.release();
  });

  it('leaves the folder as it found it, but for the released lock, once released', async () => {
    const first = await lockFolder(dir, 'test');
    await first.release();

    expect(await readdir(dir)).toEqual(['dwh.lock.2']);
    const again = await lockFolder(dir, 'again');
    expect(again.ended).toBeUndefined();
    await again.release();
  });

  it('gives the lock to exactly one of 2 to 4 processes starting at once, 20 times, on a free lock or a stale one', async () => {
    const contenders = Array.from({ length: 4 }, () => contender());
    try {
      const trials: { holders: number; refusals: string[] }[] = [];
      for (let trial = 0; trial < 20; trial += 1) {
        const trialDir = path.join(dir, String(trial));
        await mkdir(trialDir);
        if (trial % 2 === 1) await writeFile(path.join(trialDir, 'dwh.lock.41'), lockContent(deadPid(), undefined));
        const racing = contenders.slice(0, 2 + (trial % 3));
        const at = Date.now() + 300;
        const answers = await Promise.all(racing.map((one) => one.ask(`take ${trialDir} ${at}`)));
        trials.push({ holders: answers.filter((answer) => answer === 'held').length, refusals: answers.filter((answer) => answer !== 'held') });
        await Promise.all(racing.map((one, index) => (answers[index] === 'held' ? one.ask('release') : undefined)));
      }

      expect(trials.map((trial) => trial.holders)).toEqual(Array(20).fill(1));
      for (const refusal of trials.flatMap((trial) => trial.refusals)) {
        expect(refusal).toMatch(/^refused The warehouse in .+ is in use by process \d+ \(lock contender, since .+\): stop it and try again$/);
      }
    } finally {
      for (const one of contenders) one.process.kill();
    }
  }, 120_000);
});

/** A lock contender process (lockContender.ts) and a way to ask it something and read its answer. */
function contender(): { process: ChildProcessWithoutNullStreams; ask(line: string): Promise<string> } {
  const child = spawn(process.execPath, [RUN_TS, CONTENDER]);
  const answers = readline.createInterface({ input: child.stdout });
  const waiting: ((answer: string) => void)[] = [];
  answers.on('line', (line) => waiting.shift()?.(line));
  return {
    process: child,
    ask(line: string) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${line}\n`);
      });
    },
  };
}
