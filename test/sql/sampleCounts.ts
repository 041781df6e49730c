// What the warehouse built from a source folder must hold, computed here in plain TypeScript from the raw
// files, independently of the SQL: the tests compare the two.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ExpectedWarehouse {
  tables: Record<'staging_events' | 'staging_songs' | 'songplays' | 'users' | 'songs' | 'artists' | 'time', number>;
  /** NextSong events that match a song (title and artist name equal, duration within 1 s). */
  matchedPlays: number;
  /** user_id -> level of the user's most recent event by ts. */
  levels: Map<number, string>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

interface RawEvent {
  page: string;
  userId: string;
  level: string;
  ts: number;
  song: string | null;
  artist: string | null;
  length: number | null;
}

interface RawSong {
  song_id: string;
  artist_id: string;
  title: string;
  artist_name: string;
  duration: number;
}

/** Reads `<dir>/log_data` and `<dir>/song_data` and computes the expected warehouse. */
export function expectedWarehouse(dir: string): ExpectedWarehouse {
  const events: RawEvent[] = filesUnder(path.join(dir, 'log_data')).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as RawEvent),
  );
  const songs: RawSong[] = filesUnder(path.join(dir, 'song_data')).map((file) => JSON.parse(readFileSync(file, 'utf8')) as RawSong);

  const plays = events.filter((event) => event.page === 'NextSong');
  const matches = (event: RawEvent) =>
    songs.some((s) => s.title === event.song && s.artist_name === event.artist && Math.abs(s.duration - (event.length ?? NaN)) <= 1);

  const latest = new Map<number, RawEvent>();
  for (const event of events.filter((e) => e.userId !== '')) {
    const userId = Number(event.userId);
    const current = latest.get(userId);
    if (!current || event.ts > current.ts) latest.set(userId, event);
  }

  return {
    tables: {
      staging_events: events.length,
      staging_songs: songs.length,
      songplays: plays.length,
      users: latest.size,
      songs: new Set(songs.map((s) => s.song_id)).size,
      artists: new Set(songs.map((s) => s.artist_id)).size,
      time: new Set(plays.map((event) => event.ts)).size,
    },
    matchedPlays: plays.filter(matches).length,
    levels: new Map([...latest].map(([userId, event]) => [userId, event.level])),
  };
}
