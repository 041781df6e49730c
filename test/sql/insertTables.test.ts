import { createHash } from 'node:crypto';
// The data rules of ARCHITECTURE.md, each held to exact rows on a small hand-written source set, running
// sql/create_tables.sql, sql/load_staging.sql and sql/insert_tables.sql on the local warehouse.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openLocalWarehouse, type LocalWarehouse } from '../../local/warehouse';
import { buildWarehouse, FIXTURE_BUCKET, loggedOut, pageView, play, runStep, song, writeSources, type Sources } from './fixtures';

let root: string;
let warehouse: LocalWarehouse;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-rules-'));
  warehouse = await openLocalWarehouse({ buckets: { [FIXTURE_BUCKET]: root } });
});

afterAll(async () => {
  await warehouse.close();
  await rm(root, { recursive: true, force: true });
});

/** Builds the warehouse from `sources`, written under a folder of their own; returns the settings used. */
async function build(name: string, sources: Sources) {
  const settings = await writeSources(root, name, sources);
  await buildWarehouse(warehouse, settings);
  return settings;
}

/** The rule of songplay_id, written out: the first 13 hex digits of the md5 of `ts|userId|sessionId|itemInSession`. */
function songplayId(ts: number, userId: string, sessionId: number, itemInSession: number): number {
  return parseInt(createHash('md5').update(`${ts}|${userId}|${sessionId}|${itemInSession}`).digest('hex').slice(0, 13), 16);
}
const bySongplayId = (a: { songplay_id: number }, b: { songplay_id: number }) => a.songplay_id - b.songplay_id;

const songplays = () =>
  warehouse.query('select songplay_id, start_time, user_id, level, song_id, artist_id, session_id from songplays order by songplay_id');

describe('songplays', () => {
  it('has exactly one row per NextSong event, and none for other pages', async () => {
    await build('one-per-play', {
      songs: [song({ song_id: 'SO1' })],
      logFiles: [[play({ ts: 1541111130796 }), pageView({ ts: 1541111130797 }), play({ ts: 1541111130798, itemInSession: 1 })]],
    });

    expect(await warehouse.query('select count(*) as n from staging_events')).toEqual([{ n: 3 }]);
    expect(await warehouse.query('select songplay_id, start_time from songplays order by songplay_id')).toEqual([
      { songplay_id: songplayId(1541111130796, '10', 1, 0), start_time: '2018-11-01 22:25:30.796' },
      { songplay_id: songplayId(1541111130798, '10', 1, 1), start_time: '2018-11-01 22:25:30.798' },
    ].sort(bySongplayId));
  });

  it('takes the lowest song_id when several songs match a play', async () => {
    await build('lowest-song-id', {
      songs: [
        song({ song_id: 'SOB', artist_id: 'ARB' }),
        song({ song_id: 'SOA', artist_id: 'ARA' }),
        song({ song_id: 'SOC', artist_id: 'ARC' }),
      ],
      logFiles: [[play()]],
    });

    expect(await warehouse.query('select song_id, artist_id from songplays')).toEqual([{ song_id: 'SOA', artist_id: 'ARA' }]);
  });

  it.each([
    ['exactly 1 second longer', 201, 'SO1'],
    ['exactly 1 second shorter', 199, 'SO1'],
    ['half a second off', 200.5, 'SO1'],
    ['1.5 seconds longer', 201.5, null],
    ['1.25 seconds shorter', 198.75, null],
  ])('matches a play whose length is %s than the song only within 1 second', async (_, length, songId) => {
    await build(`tolerance-${length}`, { songs: [song({ song_id: 'SO1', duration: 200 })], logFiles: [[play({ length })]] });

    expect(await warehouse.query('select song_id from songplays')).toEqual([{ song_id: songId }]);
  });

  it.each([
    ['the title differs in case', { song: 'the title' }],
    ['the artist differs in case', { artist: 'THE ARTIST' }],
  ])('does not match when %s', async (_, differences) => {
    await build(`case-${Object.keys(differences)[0]}`, { songs: [song({ song_id: 'SO1' })], logFiles: [[play(differences)]] });

    expect(await warehouse.query('select song_id, artist_id from songplays')).toEqual([{ song_id: null, artist_id: null }]);
  });

  it('keeps a play that matches no song, with NULL song_id and artist_id', async () => {
    await build('no-match', {
      songs: [song({ song_id: 'SO1' })],
      logFiles: [[play({ song: 'Unknown Song', ts: 1541111130796 }), play({ ts: 1541111130800, itemInSession: 1 })]],
    });

    expect(await songplays()).toEqual(
      [
        { songplay_id: songplayId(1541111130796, '10', 1, 0), start_time: '2018-11-01 22:25:30.796', user_id: 10, level: 'free', song_id: null, artist_id: null, session_id: 1 },
        { songplay_id: songplayId(1541111130800, '10', 1, 1), start_time: '2018-11-01 22:25:30.8', user_id: 10, level: 'free', song_id: 'SO1', artist_id: 'ARTIST1', session_id: 1 },
      ].sort(bySongplayId),
    );
  });

  it('keeps the milliseconds of ts in start_time, in UTC', async () => {
    await build('milliseconds', { songs: [song({ song_id: 'SO1' })], logFiles: [[play({ ts: 1541203199999 })]] });

    expect(await warehouse.query('select start_time from songplays')).toEqual([{ start_time: '2018-11-02 23:59:59.999' }]);
  });

  it('gives each play an id from its event alone, the same when the steps run again', async () => {
    const settings = await build('rerun', {
      songs: [song({ song_id: 'SO1' })],
      logFiles: [[play({ ts: 1541111130900, userId: '11' }), play({ ts: 1541111130796 }), play({ ts: 1541111130796, userId: '12' })]],
    });
    const first = await warehouse.query('select * from songplays order by songplay_id');

    await runStep(warehouse, 'loadStaging', settings);
    await runStep(warehouse, 'insertTables', settings);

    expect(await warehouse.query('select * from songplays order by songplay_id')).toEqual(first);
    expect(first.map((row) => [row.songplay_id, row.user_id])).toEqual(
      [
        [songplayId(1541111130900, '11', 1, 0), 11],
        [songplayId(1541111130796, '10', 1, 0), 10],
        [songplayId(1541111130796, '12', 1, 0), 12],
      ].sort((a, b) => a[0] - b[0]),
    );
  });
});

describe('users', () => {
  it('takes name, gender and level from the most recent event by ts, not the last line', async () => {
    await build('most-recent', {
      songs: [song({ song_id: 'SO1', title: 'Unplayed' })],
      logFiles: [
        [play({ ts: 1541111130000, level: 'paid', lastName: 'Byron' }), play({ ts: 1541111120000, level: 'free' })],
        [pageView({ ts: 1541111110000, level: 'free', firstName: 'Augusta' })],
      ],
    });

    expect(await warehouse.query('select * from users')).toEqual([
      { user_id: 10, first_name: 'Ada', last_name: 'Byron', gender: 'F', level: 'paid' },
    ]);
  });

  it('has one row per non-empty userId of any page, and none for logged-out events', async () => {
    await build('logged-out', {
      songs: [song({ song_id: 'SO1', title: 'Unplayed' })],
      logFiles: [
        [
          loggedOut({ ts: 1541111130000 }),
          pageView({ userId: '7', firstName: 'Grace', ts: 1541111130001 }),
          play({ userId: '10', ts: 1541111130002 }),
          loggedOut({ ts: 1541111130003, page: 'Login' }),
        ],
      ],
    });

    expect(await warehouse.query('select user_id, first_name from users order by user_id')).toEqual([
      { user_id: 7, first_name: 'Grace' },
      { user_id: 10, first_name: 'Ada' },
    ]);
    expect(await warehouse.query("select count(*) as n from staging_events where userid = ''")).toEqual([{ n: 2 }]);
  });
});

describe('songs and artists', () => {
  it('has one song row per song_id', async () => {
    await build('songs', {
      songs: [song({ song_id: 'SO2', title: 'Two', year: 0 }), song({ song_id: 'SO1', title: 'Ünïcødé 歌' })],
      logFiles: [[pageView()]],
    });

    expect(await warehouse.query('select * from songs order by song_id')).toEqual([
      { song_id: 'SO1', title: 'Ünïcødé 歌', artist_id: 'ARTIST1', year: 2000, duration: 200 },
      { song_id: 'SO2', title: 'Two', artist_id: 'ARTIST1', year: 0, duration: 200 },
    ]);
  });

  it("takes each artist from its most complete record: location first, then coordinates, then the lowest song_id", async () => {
    await build('artists', {
      songs: [
        // AR1: only SO12 has a location, though SO13 has coordinates
        song({ song_id: 'SO11', artist_id: 'AR1', artist_name: 'One' }),
        song({ song_id: 'SO12', artist_id: 'AR1', artist_name: 'One', artist_location: 'Paris' }),
        song({ song_id: 'SO13', artist_id: 'AR1', artist_name: 'One', artist_latitude: 1, artist_longitude: 2 }),
        // AR2: no location anywhere: coordinates decide
        song({ song_id: 'SO21', artist_id: 'AR2', artist_name: 'Two' }),
        song({ song_id: 'SO22', artist_id: 'AR2', artist_name: 'Two', artist_latitude: 3, artist_longitude: 4 }),
        // AR3: equally complete: the lowest song_id wins
        song({ song_id: 'SO32', artist_id: 'AR3', artist_name: 'Three b', artist_location: 'Oslo', artist_latitude: 5, artist_longitude: 6 }),
        song({ song_id: 'SO31', artist_id: 'AR3', artist_name: 'Three a', artist_location: 'Rome', artist_latitude: 7, artist_longitude: 8 }),
      ],
      logFiles: [[pageView()]],
    });

    expect(await warehouse.query('select * from artists order by artist_id')).toEqual([
      { artist_id: 'AR1', name: 'One', location: 'Paris', latitude: null, longitude: null },
      { artist_id: 'AR2', name: 'Two', location: '', latitude: 3, longitude: 4 },
      { artist_id: 'AR3', name: 'Three a', location: 'Rome', latitude: 7, longitude: 8 },
    ]);
  });
});

describe('time', () => {
  it('has one row per distinct start_time, with weekday 0 on Sunday', async () => {
    await build('time', {
      songs: [song({ song_id: 'SO1', title: 'Unplayed' })],
      logFiles: [
        [
          play({ ts: 1541289600000 }), // Sunday 2018-11-04 00:00:00 UTC
          play({ ts: 1541289600000, userId: '11' }),
          play({ ts: 1541203199999 }), // Friday 2018-11-02 23:59:59.999 UTC
        ],
      ],
    });

    expect(await warehouse.query('select * from time order by start_time')).toEqual([
      { start_time: '2018-11-02 23:59:59.999', hour: 23, day: 2, week: 44, month: 11, year: 2018, weekday: 5 },
      { start_time: '2018-11-04 00:00:00', hour: 0, day: 4, week: 44, month: 11, year: 2018, weekday: 0 },
    ]);
  });
});
