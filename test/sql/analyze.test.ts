// sql/analyze.sql on the local warehouse: the analysis queries' exact rows, and each data quality check
// counting the rows that break it.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../functions/lib/contracts/settings';
import { stepStatements } from '../../functions/lib/sql/sql';
import { openLocalWarehouse, type LocalWarehouse } from '../../local/warehouse';
import { buildWarehouse, FIXTURE_BUCKET, loggedOut, pageView, play, runStep, song, writeSources } from './fixtures';

let root: string;
let warehouse: LocalWarehouse;
let settings: Settings;

/** Runs sql/analyze.sql and returns each named result's rows. */
async function analyze(): Promise<Record<string, unknown[]>> {
  const id = await runStep(warehouse, 'analyze', settings);
  const named = stepStatements('analyze', settings);
  const results: Record<string, unknown[]> = {};
  for (const [index, statement] of named.entries()) {
    results[statement.name ?? `#${index + 1}`] = await warehouse.fetchRows(`${id}:${index + 1}`);
  }
  return results;
}

const failedChecks = (results: Record<string, unknown[]>) =>
  (results.quality_checks as { check_name: string; failures: number }[]).filter((check) => check.failures > 0);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-analyze-'));
  warehouse = await openLocalWarehouse({ buckets: { [FIXTURE_BUCKET]: root } });
  settings = await writeSources(root, 'analysis', {
    songs: [song({ song_id: 'SO1' })],
    logFiles: [
      [
        play({ userId: '1', gender: 'F', level: 'paid', ts: 1541111130001 }),
        play({ userId: '2', gender: 'M', level: 'free', ts: 1541111130002 }),
        pageView({ userId: '3', gender: 'F', level: 'free', ts: 1541111130003 }),
        loggedOut({ ts: 1541111130004 }),
      ],
    ],
  });
  await buildWarehouse(warehouse, settings);
});

afterAll(async () => {
  await warehouse.close();
  await rm(root, { recursive: true, force: true });
});

describe('sql/analyze.sql', () => {
  it('names every statement', () => {
    expect(stepStatements('analyze', settings).map((statement) => statement.name)).toEqual([
      'users_by_gender',
      'users_by_level',
      'duplicate_user_ids',
      'quality_checks',
    ]);
  });

  it('counts users by gender and by level, finds no duplicated user id, and passes every check', async () => {
    const results = await analyze();

    expect(results.users_by_gender).toEqual([
      { gender: 'F', users: 2 },
      { gender: 'M', users: 1 },
    ]);
    expect(results.users_by_level).toEqual([
      { level: 'free', users: 2 },
      { level: 'paid', users: 1 },
    ]);
    expect(results.duplicate_user_ids).toEqual([{ duplicate_user_ids: 0 }]);
    expect(results.quality_checks).toEqual(
      [
        'artists_duplicate_keys',
        'artists_null_keys',
        'songplays_count_matches_next_song_events',
        'songplays_null_keys',
        'songplays_start_time_outside_window',
        'songplays_time_missing',
        'songplays_user_missing',
        'songs_duplicate_keys',
        'songs_null_keys',
        'time_duplicate_keys',
        'time_null_keys',
        'users_duplicate_keys',
        'users_null_keys',
      ].map((check_name) => ({ check_name, failures: 0 })),
    );
  });

  it.each([
    ['a duplicated user', "insert into users values (1, 'Dup', 'User', 'F', 'free')", [['users_duplicate_keys', 1]]],
    ['a songplay without its user', 'delete from users where user_id = 2', [['songplays_user_missing', 1]]],
    ['a songplay without its time', 'delete from time where start_time = (select min(start_time) from time)', [['songplays_time_missing', 1]]],
    ['a songplay missing', 'delete from songplays where user_id = 1', [['songplays_count_matches_next_song_events', 1]]],
    [
      'a songplay without start_time',
      'update songplays set start_time = null where user_id = 1',
      [['songplays_null_keys', 1], ['songplays_time_missing', 1]],
    ],
    ['a duplicated artist', "insert into artists values ('ARTIST1', 'Again', '', null, null)", [['artists_duplicate_keys', 1]]],
    ['a duplicated time', "insert into time select * from time", [['time_duplicate_keys', 2]]],
    [
      'a start time in 1970, as ts in seconds gives',
      "update songplays set start_time = timestamp '1970-01-18 20:05:11' where user_id = 1",
      [['songplays_start_time_outside_window', 1], ['songplays_time_missing', 1]],
    ],
    [
      'start times on the days just outside the window',
      "update songplays set start_time = case user_id when 1 then timestamp '1999-12-31 23:59:59.999' else timestamp '2100-01-01 00:00:00' end",
      [['songplays_start_time_outside_window', 2], ['songplays_time_missing', 2]],
    ],
  ])('fails the checks for %s', async (_, breakage, failures) => {
    await warehouse.query(breakage as string);

    const results = await analyze();

    expect(failedChecks(results)).toEqual((failures as [string, number][]).map(([check_name, count]) => ({ check_name, failures: count })));
    await runStep(warehouse, 'insertTables', settings);
  });

  it('reports a duplicated user id in the analysis too', async () => {
    await warehouse.query("insert into users values (2, 'Dup', 'User', 'M', 'free')");

    const results = await analyze();

    expect(results.duplicate_user_ids).toEqual([{ duplicate_user_ids: 1 }]);
    await runStep(warehouse, 'insertTables', settings);
  });
});
