import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample, type GenerateOptions, type GenerateSummary } from '../../../local/generate';
import { parseSample, type ParsedSample, readFiles, textsUnder } from './sampleFiles';

const options = { seed: 'layout', songs: 30, events: 400, days: 4, startDate: '2019-12-30' };
const DAY_MS = 86_400_000;

const STRING = '"(?:[^"\\\\]|\\\\.)*"';
const OPTIONAL_STRING = `(?:null|${STRING})`;
const FLOAT = '-?\\d+\\.\\d+';
/** A song file as json.dumps writes it: keys in order, ", " and ": " separators, the real types. */
const SONG_FILE = new RegExp(
  `^\\{"num_songs": 1, "artist_id": "AR[A-Z0-9]{16}", "artist_latitude": (?:null|${FLOAT}), ` +
    `"artist_longitude": (?:null|${FLOAT}), "artist_location": ${STRING}, "artist_name": ${STRING}, ` +
    `"song_id": "SO[A-Z0-9]{16}", "title": ${STRING}, "duration": ${FLOAT}, "year": \\d+\\}$`,
);
/** An event line: keys in order, compact, the real types (userId a string, registration a float). */
const EVENT_LINE = new RegExp(
  `^\\{"artist":${OPTIONAL_STRING},"auth":"Logged (?:In|Out)","firstName":${OPTIONAL_STRING},` +
    `"gender":(?:null|"[FM]"),"itemInSession":\\d+,"lastName":${OPTIONAL_STRING},"length":(?:null|${FLOAT}),` +
    `"level":"(?:free|paid)","location":${OPTIONAL_STRING},"method":"(?:GET|PUT)","page":${STRING},` +
    `"registration":(?:null|\\d{13}\\.0),"sessionId":\\d+,"song":${OPTIONAL_STRING},"status":(?:200|307|404),` +
    `"ts":\\d{13},"userAgent":(?:null|"\\\\"Mozilla\\\\/5\\.0 [^"\\\\]*(?:\\\\/[^"\\\\]*)*\\\\""),"userId":"\\d*"\\}$`,
);

describe('generateSample', () => {
  let root: string;
  let files: Map<string, Buffer>;
  let sample: ParsedSample;
  let summary: GenerateSummary;
  const progress: number[] = [];

  /** Generates into a new folder under root and reads the files back. */
  const generate = async (name: string, extra: Partial<GenerateOptions> = {}) => {
    const outDir = join(root, name);
    const result = await generateSample({ outDir, ...options, ...extra });
    return { result, files: await readFiles(outDir) };
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'generate-'));
    ({ result: summary, files } = await generate('first', { onProgress: (count) => progress.push(count) }));
    sample = parseSample(files);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const logLines = () => textsUnder(files, 'log_data/').flatMap((text) => text.split('\n'));

  describe('layout', () => {
    it('writes one file per song, one log file per day across month and year ends, and the JSONPaths file', () => {
      const paths = [...files.keys()];

      expect(paths.filter((path) => path.startsWith('song_data/'))).toHaveLength(30);
      expect(paths.filter((path) => !path.startsWith('song_data/'))).toEqual([
        'log_data/2019/12/2019-12-30-events.json',
        'log_data/2019/12/2019-12-31-events.json',
        'log_data/2020/01/2020-01-01-events.json',
        'log_data/2020/01/2020-01-02-events.json',
        'log_json_path.json',
      ]);
    });

    it('names each song file after its track id, in the folders of its 3rd, 4th and 5th characters', () => {
      const songPaths = [...files.keys()].filter((path) => path.startsWith('song_data/'));

      for (const path of songPaths) expect(path).toMatch(/^song_data\/([A-Z])\/([A-Z])\/([A-Z])\/TR\1\2\3[A-Z0-9]{13}\.json$/);
    });

    it('starts on 2018-11-01 when no startDate is given', async () => {
      const { files: defaulted } = await generate('defaulted', { startDate: undefined, days: 2 });

      expect([...defaulted.keys()].filter((path) => path.startsWith('log_data/'))).toEqual([
        'log_data/2018/11/2018-11-01-events.json',
        'log_data/2018/11/2018-11-02-events.json',
      ]);
    });
  });

  describe('counts', () => {
    it('writes as many events as asked, split evenly over the days', () => {
      const perFile = textsUnder(files, 'log_data/').map((text) => text.split('\n').length);

      expect(perFile).toEqual([100, 100, 100, 100]);
    });

    it('writes each event into the file of its day, in ts order', () => {
      for (const [path, content] of files) {
        if (!path.startsWith('log_data/')) continue;
        const dayStart = Date.parse(`${path.slice(-22, -12)}T00:00:00Z`);
        const ts = content.toString().split('\n').map((line) => (JSON.parse(line) as { ts: number }).ts);

        expect(ts).toEqual([...ts].sort((a, b) => a - b));
        expect(Math.min(...ts)).toBeGreaterThanOrEqual(dayStart);
        expect(Math.max(...ts)).toBeLessThan(dayStart + DAY_MS);
      }
    });

    it('reports what it wrote', () => {
      const userIds = new Set(sample.events.map((event) => event.userId).filter((id) => id !== ''));
      const bytes = [...files.values()].reduce((sum, content) => sum + content.length, 0);

      expect(summary).toEqual({
        songFiles: 30,
        logFiles: 4,
        events: 400,
        nextSongEvents: sample.events.filter((event) => event.page === 'NextSong').length,
        users: userIds.size,
        bytes,
      });
    });

    it('reports progress after each file written', () => {
      expect(progress).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    });
  });

  describe('determinism', () => {
    it('writes the same bytes for the same options', async () => {
      const { files: again } = await generate('again');

      expect([...again.keys()]).toEqual([...files.keys()]);
      for (const [path, content] of files) expect(again.get(path)?.equals(content)).toBe(true);
    });

    it('writes other songs and other events for another seed', async () => {
      const { files: other } = await generate('other', { seed: 'another' });
      const otherSongs = new Set(textsUnder(other, 'song_data/'));

      expect(textsUnder(files, 'song_data/').filter((song) => otherSongs.has(song))).toEqual([]);
      for (const [path, content] of files) {
        if (path.startsWith('log_data/')) expect(other.get(path)?.equals(content)).toBe(false);
      }
    });
  });

  describe('format', () => {
    it('writes every file in ASCII, song and log files without a trailing newline', () => {
      for (const [path, content] of files) {
        expect([path, content.every((byte) => byte < 0x80)]).toEqual([path, true]);
        if (path !== 'log_json_path.json') expect([path, content.at(-1)]).toEqual([path, '}'.charCodeAt(0)]);
      }
    });

    it('writes song files as json.dumps does, keys in the real order', () => {
      for (const [path, content] of files) if (path.startsWith('song_data/')) expect(content.toString()).toMatch(SONG_FILE);
    });

    it('writes event lines compact, keys in the real order, with the real types', () => {
      for (const line of logLines()) expect(line).toMatch(EVENT_LINE);
    });

    it('escapes every "/" as "\\/" in the logs', () => {
      expect(logLines().filter((line) => /(?<!\\)\//.test(line))).toEqual([]);
      expect(logLines().some((line) => line.includes('\\/'))).toBe(true);
    });

    it('gives logged-out events an empty userId and a null profile, and logged-in ones a user', () => {
      for (const event of sample.events) {
        const { auth, userId, firstName, lastName, gender, location, registration, userAgent } = event;
        const profile = [firstName, lastName, gender, location, registration, userAgent];
        if (auth === 'Logged Out') expect({ userId, profile }).toEqual({ userId: '', profile: profile.map(() => null) });
        else expect(userId !== '' && profile.every((value) => value !== null)).toBe(true);
      }
    });

    it('gives artist, song and length only to NextSong events, which are logged in', () => {
      for (const { page, auth, artist, song, length } of sample.events) {
        if (page === 'NextSong') {
          expect([auth, typeof artist, typeof song, typeof length]).toEqual(['Logged In', 'string', 'string', 'number']);
        } else {
          expect([artist, song, length]).toEqual([null, null, null]);
        }
      }
    });
  });
});
