// The song catalog written to song_data, and the wider pool of songs listeners also play that the catalog
// lacks (as with the real sources, where most plays match no song file).
import type { SongRecord } from './format';
import type { Random } from './random';
import * as words from './words';

/** Durations are whole units of 10 µs: five decimals, as in the sources, with no float drift. */
export const UNITS_PER_SECOND = 100_000;

/** What a NextSong event names: a title, an artist name and a length (in units). */
export interface Track {
  title: string;
  artist: string;
  units: number;
}

export interface CatalogSong {
  trackId: string;
  record: SongRecord;
  track: Track;
}

export interface Catalog {
  songs: CatalogSong[];
  /** The durations (units) of the catalog's songs by title and artist name, keyed by `trackKey`. */
  durations: Map<string, number[]>;
}

interface Artist {
  id: string;
  name: string;
  location: string;
  latitude: number | null;
  longitude: number | null;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ID_CHARS = `${LETTERS}0123456789`;
const MIN_DURATION = 60 * UNITS_PER_SECOND;
const MAX_DURATION = 540 * UNITS_PER_SECOND;
/** The catalog's first artist has this many songs, each complete in a different way (see buildCatalog). */
const PLANTED_ARTIST_SONGS = 3;

/** The key of a title and artist name, as songplays match them (case-sensitive). */
export function trackKey(title: string, artist: string): string {
  return `${artist}\u0000${title}`;
}

/** A random song title: plain words, with quotes, apostrophes, parentheses or non-ASCII letters at times. */
export function songTitle(rng: Random): string {
  const adjective = rng.pick(words.ADJECTIVES);
  const noun = rng.pick(words.NOUNS);
  if (rng.chance(0.15)) {
    const word = rng.pick(words.UNICODE_WORDS);
    return rng.pick([word, `${word} ${noun}`, `${adjective} ${word}`]);
  }
  switch (rng.weighted({ plain: 5, of: 2, the: 2, suffix: 2, apostrophe: 1, quoted: 1 })) {
    case 'plain':
      return `${adjective} ${noun}`;
    case 'of':
      return `${noun} of the ${rng.pick(words.NOUNS)}`;
    case 'the':
      return `The ${adjective} ${noun}`;
    case 'suffix':
      return `${adjective} ${noun} (${rng.pick(words.TITLE_SUFFIXES)})`;
    case 'apostrophe':
      return `Don't Wake the ${noun}`;
    case 'quoted':
      return `The "${noun}" Sessions`;
  }
}

/** A random artist name: a person, a band, a duo ("A & B"), a collaboration ("A / B") or a DJ. */
export function artistName(rng: Random): string {
  if (rng.chance(0.12)) return rng.pick(words.UNICODE_ARTIST_NAMES);
  const person = () => `${rng.pick(words.ARTIST_FIRST_NAMES)} ${rng.pick(words.ARTIST_LAST_NAMES)}`;
  switch (rng.weighted({ person: 4, band: 3, duo: 1, collaboration: 1, dj: 1 })) {
    case 'person':
      return person();
    case 'band':
      return `The ${rng.pick(words.ADJECTIVES)} ${rng.pick(words.NOUNS)}`;
    case 'duo':
      return `${rng.pick(words.ARTIST_FIRST_NAMES)} & ${rng.pick(words.ARTIST_FIRST_NAMES)}`;
    case 'collaboration':
      return `${person()} / ${person()}`;
    case 'dj':
      return `DJ ${rng.pick(words.NOUNS)}`;
  }
}

/** A duration in units, between one and nine minutes. */
export function songDuration(rng: Random): number {
  return rng.int(MIN_DURATION, MAX_DURATION);
}

/** A new id from `draw`, drawn again while `used` holds it. */
function uniqueId(used: Set<string>, draw: () => string): string {
  let id = draw();
  while (used.has(id)) id = draw();
  used.add(id);
  return id;
}

/** Coordinates near a place, in degrees with five decimals. */
function near(rng: Random, degrees: number): number {
  return Math.round(degrees * UNITS_PER_SECOND + rng.int(-20_000, 20_000)) / UNITS_PER_SECOND;
}

function newArtist(rng: Random, ids: Set<string>, complete: boolean): Artist {
  const [place, latitude, longitude] = rng.pick(words.ARTIST_PLACES);
  const located = complete || rng.chance(0.7);
  const placed = complete || rng.chance(0.55);
  return {
    id: uniqueId(ids, () => `AR${rng.chars(ID_CHARS, 16)}`),
    name: artistName(rng),
    location: located ? place : '',
    latitude: placed ? near(rng, latitude) : null,
    longitude: placed ? near(rng, longitude) : null,
  };
}

function songRecord(artist: Artist, songId: string, track: Track, year: number): SongRecord {
  return {
    num_songs: 1,
    artist_id: artist.id,
    artist_latitude: artist.latitude,
    artist_longitude: artist.longitude,
    artist_location: artist.location,
    artist_name: artist.name,
    song_id: songId,
    title: track.title,
    duration: track.units / UNITS_PER_SECOND,
    year,
  };
}

/**
 * Builds `count` songs. Planted where the count allows, so every catalog shows them: the first artist has
 * three songs, one complete, one with an empty location, one without coordinates; and the last song repeats
 * the first one's title, artist and duration under another song_id.
 */
export function buildCatalog(rng: Random, count: number, latestYear: number): Catalog {
  const ids = new Set<string>();
  const artists: Artist[] = [];
  const songs: CatalogSong[] = [];
  const newTrackId = () => uniqueId(ids, () => `TR${rng.chars('ABC', 1)}${rng.chars(LETTERS, 2)}${rng.chars(ID_CHARS, 13)}`);
  const newSongId = () => uniqueId(ids, () => `SO${rng.chars(ID_CHARS, 16)}`);
  const year = () => (rng.chance(0.4) ? 0 : rng.int(1958, latestYear));

  for (let i = 0; i < count; i++) {
    if (i === count - 1 && count > PLANTED_ARTIST_SONGS) {
      const original = songs[0];
      const record = { ...original.record, song_id: newSongId(), year: year() };
      songs.push({ trackId: newTrackId(), record, track: original.track });
      continue;
    }
    let artist: Artist;
    if (i === 0) {
      artist = newArtist(rng, ids, true);
      artists.push(artist);
    } else if (i < PLANTED_ARTIST_SONGS) {
      artist = { ...artists[0], ...(i === 1 ? { location: '' } : { latitude: null, longitude: null }) };
    } else if (rng.chance(0.2)) {
      // Another song of a known artist: its record may be less complete than the artist's others.
      const known = rng.pick(artists);
      artist = {
        ...known,
        ...(rng.chance(0.3) ? { location: '' } : {}),
        ...(rng.chance(0.3) ? { latitude: null, longitude: null } : {}),
      };
    } else {
      artist = newArtist(rng, ids, false);
      artists.push(artist);
    }
    const track = { title: songTitle(rng), artist: artist.name, units: songDuration(rng) };
    songs.push({ trackId: newTrackId(), record: songRecord(artist, newSongId(), track, year()), track });
  }

  const durations = new Map<string, number[]>();
  for (const { track } of songs) {
    const key = trackKey(track.title, track.artist);
    durations.set(key, [...(durations.get(key) ?? []), track.units]);
  }
  return { songs, durations };
}

/** Builds `size` tracks that no catalog song matches by title and artist name; some are by catalog artists. */
export function buildPool(rng: Random, size: number, catalog: Catalog): Track[] {
  const pool: Track[] = [];
  while (pool.length < size) {
    const artist = rng.chance(0.2) ? rng.pick(catalog.songs).track.artist : artistName(rng);
    const title = songTitle(rng);
    if (!catalog.durations.has(trackKey(title, artist))) pool.push({ title, artist, units: songDuration(rng) });
  }
  return pool;
}
