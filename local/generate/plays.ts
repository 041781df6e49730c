// What a NextSong event plays. A share of plays match a catalog song (same title and artist name, length
// within 1 s of its duration, sometimes off by a fraction of a second); a few are near misses (title in another
// case, or length more than 1 s off); the rest are songs the catalog lacks.
import { type Catalog, type Track, trackKey, UNITS_PER_SECOND } from './catalog';
import type { Random } from './random';

const PLAY_WEIGHTS = { exact: 18, close: 12, caseMiss: 4, lengthMiss: 4, unknown: 62 } as const;
/** A close play is 0.01 to 0.95 s off the song's duration; a length miss 1.2 to 10 s (in units). */
const CLOSE_MIN = 1_000;
const CLOSE_MAX = 95_000;
const MISS_MIN = 120_000;
const MISS_MAX = 1_000_000;

/** True when a catalog song has this title and artist name and a duration within 1 s of `units`. */
export function matchesCatalog(catalog: Catalog, track: Track): boolean {
  const durations = catalog.durations.get(trackKey(track.title, track.artist)) ?? [];
  return durations.some((units) => Math.abs(units - track.units) <= UNITS_PER_SECOND);
}

/** A signed offset whose size is in [min, max] units. */
function offset(rng: Random, min: number, max: number): number {
  return rng.int(min, max) * (rng.chance(0.5) ? -1 : 1);
}

/** The track a NextSong event plays. Popular catalog songs are played most. */
export function choosePlay(rng: Random, catalog: Catalog, pool: readonly Track[]): Track {
  const song = catalog.songs[rng.skewed(catalog.songs.length)].track;
  const kind = rng.weighted(PLAY_WEIGHTS);
  if (kind === 'exact') return song;
  if (kind === 'close') {
    return { ...song, units: song.units + offset(rng, CLOSE_MIN, CLOSE_MAX) };
  }
  if (kind === 'caseMiss') {
    const title = song.title.toLowerCase();
    const track = { ...song, title };
    // A title without letters of two cases (Japanese, say) has no other case: no near miss of this kind.
    if (title !== song.title && !matchesCatalog(catalog, track)) return track;
  }
  if (kind === 'caseMiss' || kind === 'lengthMiss') {
    const track = { ...song, units: song.units + offset(rng, MISS_MIN, MISS_MAX) };
    if (!matchesCatalog(catalog, track)) return track;
  }
  return rng.pick(pool);
}
