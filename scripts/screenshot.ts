// The README's picture of a run report: runs the pipeline on data/sample into a temporary warehouse and takes a
// screenshot of its report with headless Chromium. `node bin/run-ts.js scripts/screenshot.ts [out.png]`
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeLocalRunReport } from '../local/htmlReport/localReport';
import { runPipeline } from '../local/runner';
import { launchChromium, openPage } from './chromium';

const ROOT = path.join(__dirname, '..');
const SAMPLE = path.join(ROOT, 'data', 'sample');

async function main(out = path.join(ROOT, 'docs', 'run-report.png')): Promise<void> {
  const dbDir = await mkdtemp(path.join(os.tmpdir(), 'dwh-screenshot-'));
  const browser = await launchChromium();
  try {
    const startedAt = Date.now();
    const result = await runPipeline({ dataDir: SAMPLE, dbDir });
    const report = await writeLocalRunReport({ dbDir, dataDir: SAMPLE, redshift: 'cluster', input: {}, result, startedAt, durationMs: Date.now() - startedAt });
    const { page, log } = await openPage(browser, pathToFileURL(report).href);
    if (log.consoleErrors.length > 0) throw new Error(`The report logged errors: ${log.consoleErrors.join('; ')}`);
    await writeFile(out, await page.screenshot({ fullPage: true, type: 'png' }));
    process.stdout.write(`Wrote ${path.relative(process.cwd(), out)} (the report of a ${result.status} run on data/sample)\n`);
  } finally {
    await browser.close();
    await rm(dbDir, { recursive: true, force: true });
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
