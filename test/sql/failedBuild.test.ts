// sql/insert_tables.sql refuses a build before it commits: a value the star tables cannot hold, or a build that
// fails a data quality check (sql/quality_checks.sql), fails the step with an error naming it, and the star
// tables stay exactly as the previous build left them.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../functions/lib/contracts/settings';
import { stepStatements } from '../../functions/lib/sql/sql';
import type { EventRecord } from '../../local/generate/format';
import { openLocalWarehouse, type LocalWarehouse } from '../../local/warehouse';
import { finalDescription } from '../local/warehouse/statements';
import { buildWarehouse, FIXTURE_BUCKET, loggedOut, play, runStep, song, writeSources } from './fixtures';

const STAR_TABLES = ['songplays', 'users', 'songs', 'artists', 'time'];
const UNCHANGED = 'the star tables are unchanged';
const ROLLED_BACK = 'the new build is rolled back and the previous warehouse is unchanged';

/** A ts of null, which the records' type does not allow but a log line can hold. */
const NULL_TS = { ts: null } as unknown as Partial<EventRecord>;

let root: string;
let warehouse: LocalWarehouse;
let previousSettings: Settings;
let previous: Record<string, unknown[]>;

/** Every row of the star tables. */
async function starTables(): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of STAR_TABLES) dump[table] = await warehouse.query(`select * from ${table} order by 1, 2, 3`);
  return dump;
}

/** Builds the previous warehouse again, after a test whose build succeeded. */
async function rebuildPrevious(): Promise<void> {
  await runStep(warehouse, 'loadStaging', previousSettings);
  await runStep(warehouse, 'insertTables', previousSettings);
}

/** Loads `events` into staging, runs InsertTables, and returns how its batch ended. */
async function insertOver(name: string, events: EventRecord[], window?: Settings['startTimeWindow']) {
  const written = await writeSources(root, name, { songs: [song({ song_id: 'SO1' })], logFiles: [events] });
  const settings = window ? { ...written, startTimeWindow: window } : written;
  await runStep(warehouse, 'loadStaging', settings);
  const statements = stepStatements('insertTables', settings).map((statement) => statement.sql);
  return finalDescription(warehouse, await warehouse.submit(statements, 'insertTables'));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-failed-build-'));
  warehouse = await openLocalWarehouse({ buckets: { [FIXTURE_BUCKET]: root } });
  previousSettings = await writeSources(root, 'previous', {
    songs: [song({ song_id: 'SO1' })],
    logFiles: [[play({ ts: 1541111130796 }), play({ ts: 1541111130900, userId: '11', itemInSession: 1 })]],
  });
  await buildWarehouse(warehouse, previousSettings);
  previous = await starTables();
});

afterAll(async () => {
  await warehouse.close();
  await rm(root, { recursive: true, force: true });
});

describe('a build that fails a data quality check', () => {
  it.each([
    [
      'a NextSong event with a null ts',
      [play(NULL_TS), play({ itemInSession: 1 })],
      'songplays_null_keys (1 offending row), songplays_time_missing (1 offending row)',
    ],
    [
      'ts in seconds instead of milliseconds',
      [play({ ts: 1541111130 }), play({ ts: 1541111131, itemInSession: 1 }), loggedOut({ ts: 1541111132 })],
      'songplays_start_time_outside_window (2 offending rows)',
    ],
    [
      'the first millisecond of the year 1 and the last of the year 9999, far outside the window',
      [play({ ts: -62135596800000 }), play({ ts: 253402300799999, itemInSession: 1 })],
      'songplays_start_time_outside_window (2 offending rows)',
    ],
  ])('is rolled back, naming each failed check, for %s', async (name, events, failed) => {
    const description = await insertOver(name.replace(/\W+/g, '-'), events);

    expect(description.status).toBe('FAILED');
    expect(description.error).toBe(`ERROR: Data quality checks failed: ${failed}; ${ROLLED_BACK}`);
    expect(description.subStatements.map((sub) => sub.status)).toEqual([...Array(description.subStatements.length - 1).fill('FINISHED'), 'FAILED']);
    expect(await starTables()).toEqual(previous);
  });

  it.each([
    ['before the first day', { min: '2018-11-02', max: '2018-11-30' }, 'FAILED'],
    ['after the last day', { min: '2018-10-01', max: '2018-10-31' }, 'FAILED'],
    ['on both days of a one-day window (the last day counts whole)', { min: '2018-11-01', max: '2018-11-01' }, 'FINISHED'],
  ])('checks start times against the configured window: a play %s', async (_, window, status) => {
    // 2018-11-01 22:25:30.796 UTC
    const description = await insertOver(`window-${window.min}-${window.max}`, [play({ ts: 1541111130796 })], window);

    expect(description.status).toBe(status);
    expect(description.error).toBe(
      status === 'FAILED' ? `ERROR: Data quality checks failed: songplays_start_time_outside_window (1 offending row); ${ROLLED_BACK}` : undefined,
    );
    if (status === 'FINISHED') await rebuildPrevious();
  });
});

describe('an event value the star tables cannot hold', () => {
  it.each([
    [
      'a userId that is not a number',
      [play({ ts: 1541111130796, userId: '10' }), play({ ts: 1541111130900, sessionId: 7, itemInSession: 3, userId: 'abc' }), loggedOut({ ts: 1541111131000, userId: 'x1' })],
      'Invalid userId in log_data: "abc" is neither "" nor an integer, in the event with ts 1541111130900, sessionId 7, ' +
        'itemInSession 3 (events with an invalid userId: 2)',
    ],
    [
      'a userId beyond the integer range',
      [play({ userId: '2147483648' })],
      'Invalid userId in log_data: "2147483648" is neither "" nor an integer, in the event with ts 1541111130796, sessionId 1, ' +
        'itemInSession 0 (events with an invalid userId: 1)',
    ],
    [
      'a ts after the year 9999',
      [play({ ts: 253402300800000, sessionId: 4, itemInSession: 2 })],
      'Invalid ts in log_data: 253402300800000 is not epoch milliseconds from the year 1 to 9999, in the NextSong event of ' +
        'userId "10" with sessionId 4, itemInSession 2 (NextSong events with an invalid ts: 1)',
    ],
    [
      'a ts before the year 1',
      [play({ ts: -62135596800001 })],
      'Invalid ts in log_data: -62135596800001 is not epoch milliseconds from the year 1 to 9999, in the NextSong event of ' +
        'userId "10" with sessionId 1, itemInSession 0 (NextSong events with an invalid ts: 1)',
    ],
    [
      'a ts beyond the timestamp range (after the year 294276)',
      [play({ ts: 9300000000000000 }), play({ ts: 9300000000000002, itemInSession: 1 })],
      'Invalid ts in log_data: 9300000000000000 is not epoch milliseconds from the year 1 to 9999, in the NextSong event of ' +
        'userId "10" with sessionId 1, itemInSession 0 (NextSong events with an invalid ts: 2)',
    ],
  ])('stops the step before any star table changes, naming the value and the event, for %s', async (name, events, reason) => {
    const description = await insertOver(name.replace(/\W+/g, '-'), events);

    expect(description.status).toBe('FAILED');
    expect(description.error).toBe(`ERROR: ${reason}; ${UNCHANGED}`);
    expect(description.subStatements.map((sub) => sub.status)).toEqual(['FINISHED', 'FAILED', ...Array(description.subStatements.length - 2).fill('ABORTED')]);
    expect(await starTables()).toEqual(previous);
  });

  it('accepts an empty userId, integers at both ends of the range, and any ts on a page other than NextSong', async () => {
    const description = await insertOver('accepted', [
      loggedOut({ ts: 9300000000000000 }),
      play({ userId: '-2147483648' }),
      play({ userId: '2147483647', itemInSession: 1 }),
    ]);

    expect(description.status).toBe('FINISHED');
    expect(await warehouse.query('select user_id from users order by user_id')).toEqual([{ user_id: -2147483648 }, { user_id: 2147483647 }]);
    await rebuildPrevious();
    expect(await starTables()).toEqual(previous);
  });
});
