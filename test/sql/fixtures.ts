// Small hand-written sources for the SQL tests: song records and events in the source bucket's layout, the
// SQL steps run over them on the local warehouse, and the settings that point the steps at them.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSettings, type Settings } from '../../functions/lib/contracts/settings';
import type { EventRecord, SongRecord } from '../../local/generate/format';
import { stepStatements, type SqlStep } from '../../functions/lib/sql/sql';
import type { Warehouse } from '../../functions/lib/ports/warehouse';
import { finalDescription } from '../local/warehouse/statements';

export const FIXTURE_BUCKET = 'fixture-bucket';

/** A song record; the overrides decide what the test is about. */
export function song(overrides: Partial<SongRecord> & Pick<SongRecord, 'song_id'>): SongRecord {
  return {
    num_songs: 1,
    artist_id: 'ARTIST1',
    artist_latitude: null,
    artist_longitude: null,
    artist_location: '',
    artist_name: 'The Artist',
    title: 'The Title',
    duration: 200,
    year: 2000,
    ...overrides,
  };
}

/** A NextSong event of user 10 at 2018-11-01 22:25:30.796 UTC; the overrides decide what the test is about. */
export function play(overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    artist: 'The Artist',
    auth: 'Logged In',
    firstName: 'Ada',
    gender: 'F',
    itemInSession: 0,
    lastName: 'Lovelace',
    length: 200,
    level: 'free',
    location: 'London',
    method: 'PUT',
    page: 'NextSong',
    registration: 1540912345678,
    sessionId: 1,
    song: 'The Title',
    status: 200,
    ts: 1541111130796,
    userAgent: '"Mozilla/5.0"',
    userId: '10',
    ...overrides,
  };
}

/** A non-NextSong event (Home page by default): no artist, song or length. */
export function pageView(overrides: Partial<EventRecord> = {}): EventRecord {
  return play({ artist: null, song: null, length: null, method: 'GET', page: 'Home', ...overrides });
}

/** A logged-out event: empty userId and no user fields, as in the real logs. */
export function loggedOut(overrides: Partial<EventRecord> = {}): EventRecord {
  return pageView({
    auth: 'Logged Out',
    firstName: null,
    gender: null,
    lastName: null,
    location: null,
    registration: null,
    userAgent: null,
    userId: '',
    ...overrides,
  });
}

export interface Sources {
  songs: SongRecord[];
  /** One entry per log file: the file's events, one per line, in this order. */
  logFiles: EventRecord[][];
}

/**
 * Writes the sources under `<root>/<name>/` in the bucket's layout (one song per file; newline-delimited
 * events, one file per day) and returns settings whose sources point there.
 */
export async function writeSources(root: string, name: string, sources: Sources): Promise<Settings> {
  const base = path.join(root, name);
  for (const record of sources.songs) {
    const dir = path.join(base, 'song_data', 'A', 'B', 'C');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${record.song_id}.json`), JSON.stringify(record));
  }
  for (const [index, events] of sources.logFiles.entries()) {
    const dir = path.join(base, 'log_data', '2018', '11');
    await mkdir(dir, { recursive: true });
    const day = String(index + 1).padStart(2, '0');
    await writeFile(path.join(dir, `2018-11-${day}-events.json`), events.map((event) => JSON.stringify(event)).join('\n'));
  }
  return loadSettings({
    DWH_ROLE_ARN: 'arn:aws:iam::000000000000:role/sparkify-test',
    DWH_LOG_DATA: `s3://${FIXTURE_BUCKET}/${name}/log_data`,
    DWH_SONG_DATA: `s3://${FIXTURE_BUCKET}/${name}/song_data`,
  });
}

/** Runs one SQL step as the pipeline does (one batch), waits for it, and fails with the error text. */
export async function runStep(warehouse: Warehouse, step: SqlStep, settings: Settings): Promise<string> {
  const statements = stepStatements(step, settings).map((statement) => statement.sql);
  const id = await warehouse.submit(statements, step);
  const description = await finalDescription(warehouse, id);
  if (description.status !== 'FINISHED') throw new Error(`${step} ${description.status}: ${description.error}`);
  return id;
}

/** Builds the warehouse from the sources: create tables, load staging, insert the star tables. */
export async function buildWarehouse(warehouse: Warehouse, settings: Settings): Promise<void> {
  for (const step of ['createTables', 'loadStaging', 'insertTables'] as const) await runStep(warehouse, step, settings);
}
