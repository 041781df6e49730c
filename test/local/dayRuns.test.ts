// Day runs through the real state machine: loading any set of days, one run at a time, in any order, any number
// of times, gives row for row the star tables of one full run over the same days (issue 11's hard rule).
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSample } from '../../local/generate';
import { openLocalWarehouse } from '../../local/warehouse';
import { runPipeline, type LocalRunResult } from '../../local/runner';
import { dumpWarehouse, STAR_TABLES } from './dumpWarehouse';

const SAMPLE = path.join(__dirname, '..', '..', 'data', 'sample');
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-days-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const days = (from: string, to: string, more: Record<string, unknown> = {}) => ({ days: { from, to }, ...more });

async function run(dataDir: string, dbDir: string, input: Record<string, unknown> = {}): Promise<LocalRunResult> {
  const result = await runPipeline({ dataDir, dbDir, input });
  if (result.status !== 'SUCCEEDED') throw new Error(`run ${JSON.stringify(input)} ${result.status}: ${result.error}: ${result.cause}`);
  return result;
}

const starTables = (dbDir: string) => dumpWarehouse(dbDir, STAR_TABLES);

async function query(dbDir: string, sql: string): Promise<unknown[]> {
  const warehouse = await openLocalWarehouse({ dbDir, buckets: {} });
  try {
    return await warehouse.query(sql);
  } finally {
    await warehouse.close();
  }
}

/** Full run; every day alone in the order given (the first reloads the songs), then `again` once more; and the
 * two ranges: all three must give the same star tables. */
async function expectTheSameWarehouse(dataDir: string, name: string, order: string[], again: string, ranges: [string, string][]) {
  const full = path.join(root, `${name}-full`);
  await run(dataDir, full);
  const expected = await starTables(full);

  const oneByOne = path.join(root, `${name}-days`);
  for (const [k, day] of order.entries()) await run(dataDir, oneByOne, days(day, day, k === 0 ? { reloadSongs: true } : {}));
  await run(dataDir, oneByOne, days(again, again));

  const split = path.join(root, `${name}-ranges`);
  for (const [k, [from, to]] of ranges.entries()) await run(dataDir, split, days(from, to, k === 0 ? { reloadSongs: true } : {}));

  expect(expected.songplays.length).toBeGreaterThan(0);
  expect(await starTables(oneByOne)).toEqual(expected);
  expect(await starTables(split)).toEqual(expected);
  return full;
}

describe('day runs', () => {
  it('give the full run\'s star tables on the bundled sample: days one at a time shuffled, one again, or two ranges', async () => {
    await expectTheSameWarehouse(
      SAMPLE,
      'sample',
      ['2018-11-04', '2018-11-01', '2018-11-06', '2018-11-02', '2018-11-05', '2018-11-03'],
      '2018-11-02',
      [
        ['2018-11-04', '2018-11-06'],
        ['2018-11-01', '2018-11-03'],
      ],
    );
  }, 300_000);

  it('give the full run\'s star tables on a generated sample with late events and events sharing a ts', async () => {
    const dataDir = path.join(root, 'late-data');
    await generateSample({ outDir: dataDir, seed: 'late', songs: 40, events: 900, days: 4, lateEvents: 5 });
    // A second play at the same millisecond as another, in another session (this sample has none by itself).
    const file = path.join(dataDir, 'log_data', '2018', '11', '2018-11-03-events.json');
    const play = (await readFile(file, 'utf8')).split('\n').filter((line) => line.includes('"page":"NextSong"')).at(-1) as string;
    await appendFile(file, `${play.replace(/"sessionId":(\d+)/, (_, id: string) => `"sessionId":${Number(id) + 1000}`)}\n`);

    const full = await expectTheSameWarehouse(dataDir, 'late', ['2018-11-03', '2018-11-01', '2018-11-04', '2018-11-02'], '2018-11-03', [
      ['2018-11-03', '2018-11-04'],
      ['2018-11-01', '2018-11-02'],
    ]);

    // Late events: files holding plays whose start time falls on the day before.
    expect(await query(path.join(root, 'late-days'), "select count(*) as late from songplays join songplay_days using (songplay_id) where cast(start_time as date) <> log_day")).toEqual([{ late: 12 }]);
    // Plays sharing a start time, and songplay_id still tells every play apart.
    const [counts] = (await query(full, 'select count(*) as plays, count(distinct songplay_id) as ids, count(distinct start_time) as start_times from songplays')) as Record<string, number>[];
    expect(counts.ids).toBe(counts.plays);
    expect(counts.start_times).toBeLessThan(counts.plays);
  }, 300_000);

  it('replace the plays of a day\'s file, late events included, when the file changes', async () => {
    // 2018-11-02's file without its late events (the 5 lines from 2018-11-01 at its start).
    const changed = path.join(root, 'late-changed');
    await cp(path.join(root, 'late-data'), changed, { recursive: true });
    const dayFile = path.join(changed, 'log_data', '2018', '11', '2018-11-02-events.json');
    await writeFile(dayFile, (await readFile(dayFile, 'utf8')).split('\n').slice(5).join('\n'));
    const full = path.join(root, 'changed-full');
    await run(changed, full);

    const byDay = path.join(root, 'late-days');
    await run(changed, byDay, days('2018-11-02', '2018-11-02'));

    expect(await starTables(byDay)).toEqual(await starTables(full));
  }, 300_000);

  it('leave the warehouse as it was when a day has a bad record', async () => {
    const broken = path.join(root, 'late-broken');
    await cp(path.join(root, 'late-data'), broken, { recursive: true });
    await appendFile(path.join(broken, 'log_data', '2018', '11', '2018-11-03-events.json'), '{"ts": "1541221646822x", "page": "NextSong"}\n');
    const byDay = path.join(root, 'late-days');
    const before = await dumpWarehouse(byDay);

    const result = await runPipeline({ dataDir: broken, dbDir: byDay, input: days('2018-11-02', '2018-11-03') });

    expect(result.status).toBe('FAILED');
    expect(result.cause).toContain('2018-11-03-events.json, line');
    expect(await dumpWarehouse(byDay)).toEqual(before);
  }, 300_000);

  it('refuse a day without its log file, naming the key, and change nothing', async () => {
    const byDay = path.join(root, 'late-days');
    const before = await dumpWarehouse(byDay);

    const result = await runPipeline({ dataDir: path.join(root, 'late-data'), dbDir: byDay, input: days('2018-11-04', '2018-11-05') });

    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'MissingDayError',
      cause:
        'No log file for 2018-11-05 (s3://sparkify-local/log_data/2018/11/2018-11-05-events.json): the run changes nothing; ' +
        'give "allowMissing": true in $.days to load such a day as empty',
    });
    expect(await dumpWarehouse(byDay)).toEqual(before);
  }, 300_000);
});
