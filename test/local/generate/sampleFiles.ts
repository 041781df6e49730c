// Reads a generated sample back: every file's bytes by relative path, and the parsed songs and events.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventRecord, SongRecord } from '../../../local/generate/format';

/** Every file under `dir`, by path relative to it (with / separators), sorted. */
export async function readFiles(dir: string): Promise<Map<string, Buffer>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split('\\').join('/'))
    .sort();
  const files = new Map<string, Buffer>();
  for (const path of paths) files.set(path, await readFile(join(dir, path)));
  return files;
}

/** The text of each file whose path starts with `prefix`, in path order. */
export function textsUnder(files: Map<string, Buffer>, prefix: string): string[] {
  return [...files].filter(([path]) => path.startsWith(prefix)).map(([, content]) => content.toString());
}

export interface ParsedSample {
  songs: SongRecord[];
  /** In file order (files sorted by name, lines in order). */
  events: EventRecord[];
}

/** Parses the song files and the event lines of a sample read by readFiles. */
export function parseSample(files: Map<string, Buffer>): ParsedSample {
  const songs: SongRecord[] = [];
  const events: EventRecord[] = [];
  for (const text of textsUnder(files, 'song_data/')) songs.push(JSON.parse(text) as SongRecord);
  for (const text of textsUnder(files, 'log_data/')) {
    for (const line of text.split('\n')) events.push(JSON.parse(line) as EventRecord);
  }
  return { songs, events };
}
