// The deterministic Sparkify sample generator: song_data and log_data in the source bucket's layout and
// format, from a seed. The same options give byte-identical files.
import { join } from 'node:path';
import { buildCatalog, buildPool } from './catalog';
import { writeDay, type World } from './days';
import { formatLogJsonPaths, formatSong } from './format';
import { logFilePath, prepareOutDir, songFilePath, writeTextFile } from './files';
import { moveLateEvents } from './lateEvents';
import { parseGenerateOptions } from './options';

export { GenerateOptionsError } from './options';
import { Random } from './random';
import { buildUsers, userCount } from './users';

export interface GenerateOptions {
  /** A new or empty folder. */
  outDir: string;
  /** Any string or integer; 7 and '7' are the same seed. */
  seed: string | number;
  songs: number;
  events: number;
  /** One log file a day; at most `events`. */
  days: number;
  /** The first day, 'YYYY-MM-DD' (UTC); default '2018-11-01'. */
  startDate?: string;
  /** Events moved from the end of each day's log file to the next day's (late events); default 0. */
  lateEvents?: number;
  /** Called after each file written, with the number written so far. */
  onProgress?: (filesWritten: number) => void;
}

export interface GenerateSummary {
  songFiles: number;
  logFiles: number;
  events: number;
  nextSongEvents: number;
  /** Distinct non-empty userIds in the events. */
  users: number;
  /** Bytes written, all files included. */
  bytes: number;
}

/** The options of the bundled sample in data/sample. */
export const SAMPLE_DEFAULTS = { seed: 'sparkify', songs: 70, events: 750, days: 6 } as const;

const DAY_MS = 86_400_000;

/** The size of the pool of songs played that the catalog lacks. */
function poolSize(songs: number): number {
  return Math.min(20_000, Math.max(50, songs * 3));
}

/**
 * Writes a sample to `outDir`: song_data/A/B/C/TR….json, log_data/YYYY/MM/YYYY-MM-DD-events.json (one file a
 * day, written as it is generated) and log_json_path.json. Throws GenerateOptionsError naming an invalid option.
 */
export async function generateSample(options: GenerateOptions): Promise<GenerateSummary> {
  const { outDir, seed, songs, events, days, startDate, lateEvents, onProgress } = parseGenerateOptions(options);
  await prepareOutDir(outDir);
  const startMs = Date.parse(`${startDate}T00:00:00Z`);
  const summary: GenerateSummary = { songFiles: 0, logFiles: 0, events: 0, nextSongEvents: 0, users: 0, bytes: 0 };
  let filesWritten = 0;
  const wrote = (bytes: number) => {
    summary.bytes += bytes;
    onProgress?.(++filesWritten);
  };

  const catalog = buildCatalog(new Random(`${seed}:catalog`), songs, new Date(startMs).getUTCFullYear());
  for (const song of catalog.songs) {
    wrote(await writeTextFile(join(outDir, songFilePath(song.trackId)), formatSong(song.record)));
    summary.songFiles++;
  }

  const rng = new Random(`${seed}:events`);
  const world: World = {
    rng,
    catalog,
    pool: buildPool(rng, poolSize(songs), catalog),
    users: buildUsers(new Random(`${seed}:users`), userCount(events), startMs),
    nextSessionId: 1,
  };
  const userIds = new Set<string>();
  const logFiles: string[] = [];
  for (let day = 0; day < days; day++) {
    const dayStartMs = startMs + day * DAY_MS;
    const count = Math.floor(events / days) + (day < events % days ? 1 : 0);
    logFiles.push(join(outDir, logFilePath(dayStartMs)));
    const counts = await writeDay(logFiles[day], dayStartMs, count, world);
    wrote(counts.bytes);
    summary.logFiles++;
    summary.events += counts.events;
    summary.nextSongEvents += counts.nextSongEvents;
    for (const id of counts.userIds) userIds.add(id);
  }
  summary.users = userIds.size;
  if (lateEvents) await moveLateEvents(logFiles, lateEvents);

  wrote(await writeTextFile(join(outDir, 'log_json_path.json'), formatLogJsonPaths()));
  return summary;
}
