// Speed and memory of the local pipeline on generated data: prints figures, asserts nothing.
// npm run benchmark -- [--songs N] [--events N] [--days N]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { positiveInteger } from '../local/cli';
import { generateSample } from '../local/generate';
import { runPipeline, type StateRecord } from '../local/runner';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function benchmark(options: { songs: number; events: number; days: number }): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dwh-bench-'));
  try {
    const dataDir = path.join(dir, 'data');
    let started = Date.now();
    const summary = await generateSample({ outDir: dataDir, seed: 'benchmark', ...options });
    console.log(
      `generated ${summary.events} events in ${summary.logFiles} files and ${summary.songFiles} songs ` +
        `(${mib(summary.bytes)}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    started = Date.now();
    const result = await runPipeline({ dataDir, dbDir: path.join(dir, 'db') });
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);

    const byState = new Map<string, number>();
    for (const state of result.states as StateRecord[]) byState.set(state.name, (byState.get(state.name) ?? 0) + state.ms);
    console.log(`pipeline ${result.status} in ${seconds.toFixed(1)} s, peak RSS ${mib(peakRss)}`);
    if (result.status === 'FAILED') console.log(`${result.error}: ${result.cause}`);
    for (const [name, ms] of [...byState].filter(([, ms]) => ms >= 100)) console.log(`  ${name.padEnd(28)} ${(ms / 1000).toFixed(1)} s`);
    console.log(`  events/s through the whole run: ${Math.round(summary.events / seconds)}`);
    console.log('rows:', JSON.stringify(result.tables));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

new Command('benchmark')
  .option('--songs <n>', 'songs to generate', positiveInteger, 2000)
  .option('--events <n>', 'events to generate', positiveInteger, 200000)
  .option('--days <n>', 'days of logs', positiveInteger, 30)
  .action(benchmark)
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
