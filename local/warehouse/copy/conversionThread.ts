// A COPY's conversion on a worker thread, so that it runs while PostgreSQL copies the previous chunk. The thread
// is started from conversionWorker.js (which lets it load this project's TypeScript); it posts the conversion's
// events in order, and stays at most CHUNKS_AHEAD chunks ahead of the COPY, so memory stays flat. The COPY ends the
// thread when it is done or has failed: no thread outlives its COPY.
import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { CopyStatement } from './copyStatement';
import type { CatalogColumn } from './fieldConversion';
import { convertObjects, type ConversionEvent } from './conversion';
import { fieldExtractor } from './fieldExtractor';
import type { BucketMirrors, S3Object } from './s3Mirror';
import { withConverters } from './targetColumns';

/** What the thread is given: all it needs to rebuild the COPY's columns and mapping. */
export interface ConversionInput {
  copy: CopyStatement;
  columns: CatalogColumn[];
  mirrors: BucketMirrors;
  objects: S3Object[];
  where: string;
}

type Message = ConversionEvent | { kind: 'end' } | { kind: 'failed'; message: string };

/** Chunks the thread may post before the COPY has loaded the first of them. */
const CHUNKS_AHEAD = 2;
const BOOTSTRAP = path.join(__dirname, 'conversionWorker.js');

/** The conversion's events, from a worker thread; the thread's error is thrown as the COPY's own. Ending the
 * iteration early (the COPY failed) ends the thread. */
export async function* threadConversion(input: ConversionInput): AsyncGenerator<ConversionEvent> {
  const worker = new Worker(BOOTSTRAP, { workerData: input });
  const messages: Message[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  worker.on('message', (message: Message) => {
    messages.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  try {
    while (true) {
      const message = messages.shift();
      if (message === undefined) {
        if (failure) throw failure;
        if (exited) throw new Error(`${input.where}: the conversion thread stopped unexpectedly`);
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.kind === 'end') return;
      if (message.kind === 'failed') throw new Error(message.message);
      yield message;
      if (message.kind === 'chunk') worker.postMessage('loaded');
    }
  } finally {
    await worker.terminate();
  }
}

/** The thread's side: converts, posting each event. */
export async function runConversionThread(): Promise<void> {
  const port = parentPort!;
  const { copy, columns: catalog, mirrors, objects, where } = workerData as ConversionInput;
  let credits = CHUNKS_AHEAD;
  let loaded: (() => void) | undefined;
  port.on('message', () => {
    credits += 1;
    loaded?.();
  });
  try {
    const columns = withConverters(copy, catalog, where);
    const extract = await fieldExtractor(copy, columns, mirrors, where);
    for await (const event of convertObjects(objects, copy.gzip, columns, extract)) {
      if (event.kind === 'chunk') {
        while (credits === 0) await new Promise<void>((resolve) => (loaded = resolve));
        credits -= 1;
      }
      port.postMessage(event);
    }
    port.postMessage({ kind: 'end' });
  } catch (error) {
    port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}
