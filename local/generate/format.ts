// How the Sparkify sources are written, byte for byte: song files as Python's json.dumps writes them
// (", " and ": " separators, non-ASCII as \uXXXX), event lines compact with "/" escaped as "\/" and non-ASCII
// as \uXXXX, floats always with a fractional part ("1540912345678.0"). Keys come in the sources' order.

export interface SongRecord {
  num_songs: number;
  artist_id: string;
  artist_latitude: number | null;
  artist_longitude: number | null;
  artist_location: string;
  artist_name: string;
  song_id: string;
  title: string;
  duration: number;
  year: number;
}

export interface EventRecord {
  artist: string | null;
  auth: 'Logged In' | 'Logged Out';
  firstName: string | null;
  gender: string | null;
  itemInSession: number;
  lastName: string | null;
  length: number | null;
  level: 'free' | 'paid';
  location: string | null;
  method: 'GET' | 'PUT';
  page: string;
  registration: number | null;
  sessionId: number;
  song: string | null;
  status: number;
  ts: number;
  userAgent: string | null;
  userId: string;
}

type Kind = 'string' | 'int' | 'float';

const SONG_FIELDS: readonly (readonly [keyof SongRecord, Kind])[] = [
  ['num_songs', 'int'],
  ['artist_id', 'string'],
  ['artist_latitude', 'float'],
  ['artist_longitude', 'float'],
  ['artist_location', 'string'],
  ['artist_name', 'string'],
  ['song_id', 'string'],
  ['title', 'string'],
  ['duration', 'float'],
  ['year', 'int'],
];

const EVENT_FIELDS: readonly (readonly [keyof EventRecord, Kind])[] = [
  ['artist', 'string'],
  ['auth', 'string'],
  ['firstName', 'string'],
  ['gender', 'string'],
  ['itemInSession', 'int'],
  ['lastName', 'string'],
  ['length', 'float'],
  ['level', 'string'],
  ['location', 'string'],
  ['method', 'string'],
  ['page', 'string'],
  ['registration', 'float'],
  ['sessionId', 'int'],
  ['song', 'string'],
  ['status', 'int'],
  ['ts', 'int'],
  ['userAgent', 'string'],
  ['userId', 'string'],
];

/** The keys of a song record, in the sources' order. */
export const SONG_KEYS: readonly (keyof SongRecord)[] = SONG_FIELDS.map(([key]) => key);

/** The keys of an event line, in the sources' order. */
export const EVENT_KEYS: readonly (keyof EventRecord)[] = EVENT_FIELDS.map(([key]) => key);

/** Writes a float as Python's repr does in the range the sources use: shortest digits, always a fraction. */
export function pyFloat(value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e16 || (value !== 0 && Math.abs(value) < 1e-4)) {
    throw new RangeError(`pyFloat: ${value} is outside the range written without an exponent`);
  }
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  return text.includes('.') ? text : `${text}.0`;
}

/** A JSON string literal in ASCII: every non-ASCII UTF-16 unit (and DEL) as a lower-case \uXXXX escape. */
function asciiString(value: string, escapeSlash: boolean): string {
  const ascii = JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escapeSlash ? ascii.replace(/\//g, '\\/') : ascii;
}

function formatValue(value: string | number | null, kind: Kind, escapeSlash: boolean): string {
  if (value === null) return 'null';
  if (kind === 'string') return asciiString(String(value), escapeSlash);
  if (kind === 'float') return pyFloat(Number(value));
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an integer`);
  return String(value);
}

/** A song file's content, as json.dumps writes it (no trailing newline). */
export function formatSong(song: SongRecord): string {
  const members = SONG_FIELDS.map(([key, kind]) => `"${key}": ${formatValue(song[key], kind, false)}`);
  return `{${members.join(', ')}}`;
}

/** One line of an event log, compact, without its line break. */
export function formatEvent(event: EventRecord): string {
  const members = EVENT_FIELDS.map(([key, kind]) => `"${key}":${formatValue(event[key], kind, true)}`);
  return `{${members.join(',')}}`;
}

/** The JSONPaths file for the event logs: one path per key, in the sources' order. */
export function formatLogJsonPaths(): string {
  return `${JSON.stringify({ jsonpaths: EVENT_KEYS.map((key) => `$['${key}']`) }, null, 2)}\n`;
}
