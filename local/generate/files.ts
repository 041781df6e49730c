// Where the generated files go, in the source bucket's layout, and how they are written.
import { mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GenerateOptionsError } from './options';

/** song_data/A/B/C/TRABC....json: the folders are the 3rd, 4th and 5th characters of the track id. */
export function songFilePath(trackId: string): string {
  return join('song_data', trackId[2], trackId[3], trackId[4], `${trackId}.json`);
}

/** log_data/YYYY/MM/YYYY-MM-DD-events.json for the UTC day starting at `dayStartMs`. */
export function logFilePath(dayStartMs: number): string {
  const day = new Date(dayStartMs).toISOString().slice(0, 10);
  return join('log_data', day.slice(0, 4), day.slice(5, 7), `${day}-events.json`);
}

/** Makes `dir` if it is missing; refuses a file, or a folder that holds anything (no mix of two samples). */
export async function prepareOutDir(dir: string): Promise<void> {
  const found = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (found && !found.isDirectory()) throw new GenerateOptionsError(`Invalid generate options: outDir: ${dir} is not a folder`);
  if (found && (await readdir(dir)).length > 0) {
    throw new GenerateOptionsError(`Invalid generate options: outDir: ${dir} is not empty; choose a new or empty folder`);
  }
  await mkdir(dir, { recursive: true });
}

/** Writes `text` to `path` (making its folder) and returns the number of bytes written. */
export async function writeTextFile(path: string, text: string): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return Buffer.byteLength(text);
}

const FLUSH_AT = 1 << 20;

/** Writes lines to a file through a small buffer, with no line break after the last one. */
export class LineWriter {
  private buffer: string[] = [];
  private buffered = 0;
  private lines = 0;
  /** Bytes written so far. */
  bytes = 0;

  private constructor(private readonly handle: FileHandle) {}

  /** Opens `path` for writing (making its folder). */
  static async open(path: string): Promise<LineWriter> {
    await mkdir(dirname(path), { recursive: true });
    return new LineWriter(await open(path, 'w'));
  }

  async write(line: string): Promise<void> {
    const text = this.lines++ === 0 ? line : `\n${line}`;
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= FLUSH_AT) await this.flush();
  }

  /** Writes what is buffered and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    const chunk = Buffer.from(this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
    for (let offset = 0; offset < chunk.length; ) {
      offset += (await this.handle.write(chunk, offset)).bytesWritten;
    }
    this.bytes += chunk.length;
  }
}
