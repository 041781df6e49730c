// The realistic shape of the generated data: every case the warehouse's rules must handle really occurs,
// in the bundled sample and in a set generated with another seed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventRecord, SongRecord } from '../../../local/generate/format';
import { generateSample } from '../../../local/generate';
import { parseSample, readFiles } from './sampleFiles';

const SAMPLE_DIR = join(__dirname, '../../../data/sample');
const NON_ASCII = /[^\x00-\x7f]/;

/** The songs a play matches by the warehouse's rule: same title and artist name, duration within 1 s. */
function matchesOf(play: EventRecord, songs: SongRecord[]): SongRecord[] {
  return songs.filter(
    (song) => song.title === play.song && song.artist_name === play.artist && Math.abs(song.duration - play.length!) <= 1,
  );
}

/** The values of `items` grouped by key, in their order. */
function groupBy<T>(items: T[], key: (item: T) => string | number): Map<string | number, T[]> {
  const groups = new Map<string | number, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

describe.each([
  ['the bundled sample in data/sample', async () => SAMPLE_DIR],
  [
    'a set generated with another seed',
    async (root: string) => {
      const outDir = join(root, 'shapes');
      await generateSample({ outDir, seed: 'shapes', songs: 40, events: 1500, days: 3 });
      return outDir;
    },
  ],
])('the shape of %s', (_, prepare) => {
  let root: string;
  let songs: SongRecord[];
  let events: EventRecord[];
  let plays: EventRecord[];
  let raw: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'generate-shapes-'));
    const files = await readFiles(await prepare(root));
    ({ songs, events } = parseSample(files));
    plays = events.filter((event) => event.page === 'NextSong');
    raw = [...files.values()].map((content) => content.toString()).join('\n');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('holds sessions of consecutive events, numbered from 0 in ts order', () => {
    const sessions = [...groupBy(events, (event) => event.sessionId).values()];

    for (const session of sessions) {
      expect(session.map((event) => event.itemInSession)).toEqual(session.map((_, i) => i));
      expect(session.map((event) => event.ts)).toEqual(session.map((event) => event.ts).sort((a, b) => a - b));
    }
    expect(sessions.filter((session) => session.length >= 5).length).toBeGreaterThan(5);
  });

  it('has users who go from free to paid, so that their most recent event decides their level', () => {
    const byUser = groupBy(
      events.filter((event) => event.userId !== ''),
      (event) => event.userId,
    );
    const upgraded = [...byUser.values()].filter((userEvents) => {
      const levels = [...userEvents].sort((a, b) => a.ts - b.ts).map((event) => event.level);
      return levels[0] === 'free' && levels.at(-1) === 'paid';
    });

    expect(upgraded.length).toBeGreaterThan(0);
    expect(events.some((event) => event.page === 'Submit Upgrade')).toBe(true);
  });

  it('has logged-out events, which keep a level', () => {
    const loggedOut = events.filter((event) => event.auth === 'Logged Out');

    expect(loggedOut.length).toBeGreaterThan(10);
    expect(new Set(loggedOut.map((event) => event.level))).toEqual(new Set(['free', 'paid']));
  });

  it('has plays that match a song exactly and plays off by a fraction of a second', () => {
    const offsets = plays.flatMap((play) => matchesOf(play, songs).map((song) => Math.abs(song.duration - play.length!)));

    expect(offsets.filter((offset) => offset === 0).length).toBeGreaterThan(10);
    expect(offsets.filter((offset) => offset > 0 && offset < 1).length).toBeGreaterThan(10);
  });

  it('has more plays that match no song than plays that match one', () => {
    const unmatched = plays.filter((play) => matchesOf(play, songs).length === 0);

    expect(unmatched.length).toBeGreaterThan(plays.length / 2);
  });

  it('has near misses: a title in another case, or a length more than 1 s off', () => {
    const misses = plays.filter((play) => matchesOf(play, songs).length === 0);
    const byArtist = (play: EventRecord) => songs.filter((song) => song.artist_name === play.artist);
    const caseMisses = misses.filter((play) =>
      byArtist(play).some((song) => song.title !== play.song && song.title.toLowerCase() === play.song!.toLowerCase()),
    );
    const lengthMisses = misses.filter((play) => byArtist(play).some((song) => song.title === play.song));

    expect(caseMisses.length).toBeGreaterThan(3);
    expect(lengthMisses.length).toBeGreaterThan(3);
  });

  it('has non-ASCII titles and artist names, in songs and plays, written as \\u escapes', () => {
    expect(songs.some((song) => NON_ASCII.test(song.title))).toBe(true);
    expect(songs.some((song) => NON_ASCII.test(song.artist_name))).toBe(true);
    expect(plays.some((play) => NON_ASCII.test(play.song!) && matchesOf(play, songs).length > 0)).toBe(true);
    expect(plays.some((play) => NON_ASCII.test(play.artist!) && matchesOf(play, songs).length > 0)).toBe(true);
    expect(raw).toMatch(/\\u00[c-f][0-9a-f]/);
  });

  it('has songs of year 0, songs without coordinates and songs with an empty location, and complete ones', () => {
    expect(songs.some((song) => song.year === 0)).toBe(true);
    expect(songs.some((song) => song.artist_latitude === null && song.artist_longitude === null)).toBe(true);
    expect(songs.some((song) => song.artist_location === '')).toBe(true);
    expect(songs.some((song) => song.year > 0 && song.artist_latitude !== null && song.artist_location !== '')).toBe(true);
  });

  it('has one song identity (title, artist, duration) under two song_ids, with plays matching both', () => {
    const identities = groupBy(songs, (song) => `${song.title}|${song.artist_name}|${song.duration}`);
    const duplicated = [...identities.values()].filter((group) => new Set(group.map((song) => song.song_id)).size > 1);

    expect(duplicated.length).toBeGreaterThan(0);
    expect(plays.some((play) => matchesOf(play, songs).length > 1)).toBe(true);
  });

  it('has an artist with several songs of different completeness: empty location in one, no coordinates in another', () => {
    const byArtist = [...groupBy(songs, (song) => song.artist_id).values()];
    const mixed = byArtist.filter(
      (records) =>
        records.some((song) => song.artist_location === '' && song.artist_latitude !== null) &&
        records.some((song) => song.artist_location !== '' && song.artist_latitude === null),
    );

    expect(mixed.length).toBeGreaterThan(0);
  });

  it('has several events sharing one ts', () => {
    const shared = [...groupBy(events, (event) => event.ts).values()].filter((group) => group.length > 1);

    expect(shared.length).toBeGreaterThan(5);
  });

  it('has pages other than NextSong', () => {
    const pages = new Set(events.map((event) => event.page));

    expect([...pages]).toEqual(
      expect.arrayContaining(['About', 'Help', 'Home', 'Login', 'Logout', 'NextSong', 'Settings', 'Submit Upgrade', 'Upgrade']),
    );
  });
});
