// A COPY's conversion on worker threads, so that it runs while PostgreSQL copies the previous chunk. Each thread is
// started from conversionWorker.js (which lets it load this project's TypeScript) and converts every THREADS-th
// file, a file at a time; the COPY takes the files' events in file order, as one thread would give them, so rows,
// rejections and progress come in the same order whatever the number of threads. A thread stays at most
// CHUNKS_AHEAD chunks ahead of the COPY, so memory stays flat. The COPY ends the threads when it is done or has
// failed: no thread outlives its COPY.
import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { CopyStatement } from './copyStatement';
import type { CatalogColumn } from './fieldConversion';
import { convertObjects, type ConversionEvent } from './conversion';
import { fieldExtractor } from './fieldExtractor';
import type { BucketMirrors, S3Object } from './s3Mirror';
import { withConverters } from './targetColumns';

/** What a thread is given: all it needs to rebuild the COPY's columns and mapping, and which files are its own. */
export interface ConversionInput {
  copy: CopyStatement;
  columns: CatalogColumn[];
  mirrors: BucketMirrors;
  objects: S3Object[];
  where: string;
}

interface ThreadInput extends ConversionInput {
  /** The thread converts the files first, first + every, first + 2 * every... */
  first: number;
  every: number;
}

type Message = ConversionEvent | { kind: 'fileEnd' } | { kind: 'failed'; message: string };

/** Two threads convert while the COPY's own thread loads: on two cores a million events load in 11.5 s rather than
 * 15 s with one thread (npm run benchmark). */
const THREADS = 2;
/** Chunks a thread may post before the COPY has loaded the first of them, so that a thread keeps converting while
 * the COPY takes the other thread's file. Two load a million events as fast as three did, at a peak about 30 MB
 * lower (npm run benchmark). */
const CHUNKS_AHEAD = 2;
/** A thread's young generation: V8's default is several times larger; this one keeps a million events' peak memory
 * about 50 MB lower, at no cost in time (npm run benchmark). */
const YOUNG_GENERATION_MB = 12;
const BOOTSTRAP = path.join(__dirname, 'conversionWorker.js');

/** The conversion's events, from worker threads, in file order; a thread's error is thrown as the COPY's own.
 * Ending the iteration early (the COPY failed) ends the threads. */
export async function* threadConversion(input: ConversionInput): AsyncGenerator<ConversionEvent> {
  const every = Math.min(THREADS, input.objects.length);
  const threads = Array.from({ length: every }, (_, first) => new ConversionThread({ ...input, first, every }));
  try {
    let rowsBefore = 0;
    for (const file of input.objects.keys()) {
      const thread = threads[file % every];
      let rows = 0;
      for (let message = await thread.next(); message.kind !== 'fileEnd'; message = await thread.next()) {
        if (message.kind === 'failed') throw new Error(message.message);
        if (message.kind === 'progress') {
          // The thread counts within the file: here, the COPY's files and records so far.
          rows = message.rows;
          yield { kind: 'progress', file, filesDone: file + message.filesDone, rows: rowsBefore + rows };
          continue;
        }
        yield message;
        if (message.kind === 'chunk') thread.loaded();
      }
      rowsBefore += rows;
    }
  } finally {
    await Promise.all(threads.map((thread) => thread.end()));
  }
}

/** One worker thread and the messages it has posted, taken one by one. */
class ConversionThread {
  private readonly worker: Worker;
  private readonly messages: Message[] = [];
  private failure: Error | undefined;
  private exited = false;
  private wake: (() => void) | undefined;
  private readonly where: string;

  constructor(input: ThreadInput) {
    this.where = input.where;
    this.worker = new Worker(BOOTSTRAP, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    this.worker.on('message', (message: Message) => this.arrived(() => this.messages.push(message)));
    this.worker.on('error', (error) => this.arrived(() => (this.failure = error)));
    this.worker.on('exit', () => this.arrived(() => (this.exited = true)));
  }

  async next(): Promise<Message> {
    while (true) {
      const message = this.messages.shift();
      if (message !== undefined) return message;
      if (this.failure) throw this.failure;
      if (this.exited) throw new Error(`${this.where}: the conversion thread stopped unexpectedly`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The COPY has loaded one of this thread's chunks: it may convert one more. */
  loaded(): void {
    this.worker.postMessage('loaded');
  }

  async end(): Promise<void> {
    await this.worker.terminate();
  }

  private arrived(record: () => void): void {
    record();
    this.wake?.();
  }
}

/** The thread's side: converts its files, a file at a time, posting each event and the end of each file. */
export async function runConversionThread(): Promise<void> {
  const port = parentPort!;
  const { copy, columns: catalog, mirrors, objects, where, first, every } = workerData as ThreadInput;
  let credits = CHUNKS_AHEAD;
  let loaded: (() => void) | undefined;
  port.on('message', () => {
    credits += 1;
    loaded?.();
  });
  try {
    const columns = withConverters(copy, catalog, where);
    const extract = await fieldExtractor(copy, columns, mirrors, where);
    for (let file = first; file < objects.length; file += every) {
      for await (const event of convertObjects([objects[file]], copy.gzip, columns, extract)) {
        if (event.kind === 'chunk') {
          while (credits === 0) await new Promise<void>((resolve) => (loaded = resolve));
          credits -= 1;
        }
        // A chunk's bytes move to the COPY's thread rather than being copied.
        port.postMessage(event, event.kind === 'chunk' ? [event.bytes.buffer as ArrayBuffer] : []);
      }
      port.postMessage({ kind: 'fileEnd' });
    }
  } catch (error) {
    port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}
