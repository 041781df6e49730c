// A process that contends for warehouse folder locks, for the lock race test. Lines on stdin:
// `take <dir> <epoch ms>` tries to take the lock of <dir> at that moment and answers `held` or `refused <message>`;
// `release` releases the lock it holds and answers `released`.
import readline from 'node:readline';
import { lockFolder } from '../../../../local/warehouse/folder/dbLock';

let release: (() => Promise<void>) | undefined;

async function take(dir: string, at: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
  try {
    release = (await lockFolder(dir, 'lock contender')).release;
    return 'held';
  } catch (error) {
    return `refused ${(error as Error).message}`;
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, dir, at] = line.split(' ');
  const answer = command === 'take' ? take(dir, Number(at)) : (release?.() ?? Promise.resolve()).then(() => 'released');
  void answer.then((text) => process.stdout.write(`${text}\n`));
});
