// Late events: events that arrive in the next day's log file, as a late-delivered log would have them. Moves the
// last `count` lines of each day's file (but the last day's) to the start of the next day's file, so those
// files hold events whose ts falls on the day before. Off by default: the outputs without it are unchanged.
import { readFile, writeFile } from 'node:fs/promises';

/** Moves `count` lines from the end of each file to the start of the next, in the order given. */
export async function moveLateEvents(files: string[], count: number): Promise<void> {
  const lines = await Promise.all(files.map(async (file) => (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '')));
  for (let day = files.length - 1; day > 0; day--) {
    const late = lines[day - 1].splice(Math.max(0, lines[day - 1].length - count));
    lines[day].unshift(...late);
  }
  await Promise.all(files.map((file, day) => writeFile(file, lines[day].map((line) => `${line}\n`).join(''))));
}
