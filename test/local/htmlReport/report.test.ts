// The run report: its numbers against the warehouse (queried here independently), the page in headless Chromium,
// and a failed run's report. One pipeline run on data/sample, then one failed run on top of it.
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import type { Browser } from 'puppeteer-core';
import { localSettings } from '../../../local/deps';
import { buildReport, type ReportModel, type RunSummary, writeRunReport } from '../../../local/htmlReport';
import { htmlTable } from '../../../local/htmlReport/page';
import { runPipeline, type LocalRunResult, type LocalStep } from '../../../local/runner';
import { openLocalWarehouse, type LocalWarehouse } from '../../../local/warehouse';
import type { Row } from '../../../functions/lib/ports/warehouse';
import { launchChromium, openPage } from '../../../scripts/chromium';
import { expectedWarehouse } from '../../sql/sampleCounts';

const SAMPLE = path.join(__dirname, '..', '..', '..', 'data', 'sample');
const BAD_FILE = path.join('log_data', '2018', '11', '2018-11-03-events.json');
let root: string;
let dbDir: string;
let good: { result: LocalRunResult; model: ReportModel; html: string; file: string };
let browser: Browser;

/** Opens the warehouse for the duration of `work`. */
async function inWarehouse<T>(work: (warehouse: LocalWarehouse) => Promise<T>): Promise<T> {
  const warehouse = await openLocalWarehouse({ dbDir, buckets: {} });
  try {
    return await work(warehouse);
  } finally {
    await warehouse.close();
  }
}

/** Runs the pipeline on `dataDir` into the test's warehouse and builds the run's report, as `dwh run` does. */
async function runAndReport(dataDir: string, wrapStep?: (state: string, step: LocalStep) => LocalStep) {
  const startedAt = Date.now();
  const result = await runPipeline({ dataDir, dbDir, wrapStep });
  const run: RunSummary = { ...result, input: {}, startedAt, durationMs: Date.now() - startedAt };
  const { model, html } = await inWarehouse((warehouse) =>
    buildReport({ query: (sql) => warehouse.query(sql), settings: localSettings(dataDir), warehouse: dbDir, tables: result.tables, run }),
  );
  return { result, model, html, file: await writeRunReport(dbDir, html, startedAt) };
}

/** Compares texts as Redshift's (and the local warehouse's) ORDER BY does: by code point. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Counts rows by a key, as [key, count] sorted by count descending, then key. */
function countBy(rows: Row[], key: (row: Row) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]));
}

/** A chart's rows by its id. */
function chartRows(model: ReportModel, id: string): Row[] {
  const chart = model.charts?.find((candidate) => candidate.id === id);
  if (!chart) throw new Error(`no chart ${id}`);
  return chart.rows;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-report-'));
  dbDir = path.join(root, 'db');
  [good, browser] = await Promise.all([runAndReport(SAMPLE), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the run report', () => {
  it('counts every table as the raw files call for', () => {
    expect(good.result.status).toBe('SUCCEEDED');
    expect(good.model.tables).toEqual(expectedWarehouse(SAMPLE).tables);
    expect(good.html).toContain(htmlTable(Object.entries(expectedWarehouse(SAMPLE).tables).map(([table, rows]) => ({ table, rows }))));
  });

  it('shows every data quality check with the result the run reported', () => {
    expect(good.model.checks).toEqual(good.result.analysis?.checks);
    expect(good.model.checks).toHaveLength(13);
    for (const check of good.model.checks ?? []) expect(good.html).toContain(`<td>${check.name}</td><td class="n">0</td><td class="ok">passed</td>`);
  });

  it("draws the warehouse's numbers, each chart with its numbers in a table", async () => {
    const plays = await inWarehouse((warehouse) =>
      warehouse.query(
        `select extract(hour from p.start_time)::int as hour, extract(dow from p.start_time)::int as weekday,
                to_char(p.start_time, 'YYYY-MM-DD') as day, p.level, p.song_id, p.artist_id, s.title, a.name as artist_name
         from songplays p left join songs s on s.song_id = p.song_id left join artists a on a.artist_id = p.artist_id`,
      ),
    );
    const users = await inWarehouse((warehouse) => warehouse.query('select gender, level from users'));
    const matched = plays.filter((play) => play.song_id !== null);
    const byKey = (rows: Row[], key: string) => rows.map((row) => [String(row[key]), Number(row.plays)]).sort();

    expect(byKey(chartRows(good.model, 'plays-by-hour'), 'hour')).toEqual(countBy(plays, (play) => String(play.hour)).sort());
    expect(byKey(chartRows(good.model, 'plays-by-weekday'), 'weekday')).toEqual(countBy(plays, (play) => String(play.weekday)).sort());
    expect(chartRows(good.model, 'free-vs-paid').map((row) => [`${row.play_date} ${row.level}`, row.plays]).sort()).toEqual(
      countBy(plays, (play) => `${play.day} ${play.level}`).sort(),
    );
    expect(chartRows(good.model, 'users-by-gender').map((row) => [`${row.gender} ${row.level}`, row.users]).sort()).toEqual(
      countBy(users, (user) => `${user.gender} ${user.level}`).sort(),
    );
    expect(chartRows(good.model, 'top-songs').map((row) => row.plays)).toEqual(
      countBy(matched, (play) => String(play.song_id)).slice(0, 10).map(([, count]) => count),
    );
    expect(chartRows(good.model, 'top-songs')[0]).toMatchObject({ title: 'Highway of the Satellite', artist_name: 'Cass Holloway', plays: 18 });
    const names = new Map(matched.map((play) => [String(play.artist_id), play.artist_name]));
    expect(chartRows(good.model, 'top-artists').map((row) => [row.artist_name, row.plays])).toEqual(
      countBy(matched, (play) => String(play.artist_id))
        .map(([artist, count]) => [names.get(artist), count])
        .sort((a, b) => Number(b[1]) - Number(a[1]) || byCodePoint(String(a[0]), String(b[0])))
        .slice(0, 10),
    );
    expect(chartRows(good.model, 'matched-share')).toEqual([
      { outcome: 'matched', plays: matched.length },
      { outcome: 'not matched', plays: plays.length - matched.length },
    ]);
    for (const chart of good.model.charts ?? []) expect(good.html).toContain(htmlTable(chart.rows));
  });

  it('draws a bar per state visit on the timeline, its time on hover', () => {
    const describeLoad = good.result.states.find((state) => state.name === 'DescribeLoadStaging');
    const start = (describeLoad?.startedAt ?? 0) - good.result.states[0].startedAt;

    expect(good.model.timelineSvg).toContain(
      `<title>DescribeLoadStaging (visit 1): SUCCEEDED in ${describeLoad?.ms} ms, from ${start} ms to ${start + (describeLoad?.ms ?? 0)} ms</title>`,
    );
    expect(good.model.timelineSvg).toContain('<title>DescribeCluster (visit 2)');
  });

  it('writes one file per run and the same page as latest.html', async () => {
    expect(path.dirname(good.file)).toBe(path.join(dbDir, 'reports'));
    expect(path.basename(good.file)).toMatch(/^run-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.html$/);
    expect(await readFile(good.file, 'utf8')).toBe(good.html);
    expect(await readFile(path.join(dbDir, 'reports', 'latest.html'), 'utf8')).toBe(good.html);
  });
});

describe('the page in headless Chromium', () => {
  it('opens with no console error and no request but the file, and draws the charts', async () => {
    const url = pathToFileURL(good.file).href;
    const { page, log } = await openPage(browser, url);
    const shot = PNG.sync.read(Buffer.from(await page.screenshot({ fullPage: true, type: 'png' })));
    const colours = new Set<number>();
    for (let i = 0; i < shot.data.length; i += 4) colours.add(shot.data.readUInt32BE(i));
    const svgs = await page.$$eval('svg', (elements) => elements.map((svg) => svg.getBoundingClientRect().width));

    expect(log.consoleErrors).toEqual([]);
    expect(log.requests).toEqual([url]);
    expect(colours.size).toBeGreaterThan(50);
    expect(svgs).toHaveLength(9); // the timeline and 8 charts
    expect(svgs.every((width) => width > 100)).toBe(true);
    await page.close();
  });

  it('follows a dark colour scheme, and prints black on white', async () => {
    const { page } = await openPage(browser, pathToFileURL(good.file).href);
    const colours = () => page.evaluate('[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]');

    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    expect(await colours()).toEqual(['rgb(230, 237, 243)', 'rgb(13, 17, 23)']);
    await page.emulateMediaType('print');
    expect(await colours()).toEqual(['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);
    await page.close();
  });
});

describe('the report of a failed run', () => {
  let failed: Awaited<ReturnType<typeof runAndReport>>;
  let badLine: number;

  beforeAll(async () => {
    const dataDir = path.join(root, 'bad');
    await cp(SAMPLE, dataDir, { recursive: true });
    badLine = (await readFile(path.join(dataDir, BAD_FILE), 'utf8')).split('\n').length + 1;
    await appendFile(path.join(dataDir, BAD_FILE), '\n{"ts": "soon"}');
    let throttled = false;
    // CreateTables is throttled once, to show a retry on the timeline
    failed = await runAndReport(dataDir, (state, step) => async (event, deps) => {
      if (state !== 'CreateTables' || throttled) return step(event, deps);
      throttled = true;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
  }, 120_000);

  it('shows the error, its cause and the load errors as a table, in the browser', async () => {
    const { page, log } = await openPage(browser, pathToFileURL(failed.file).href);
    const text = (selector: string) => page.$eval(selector, (element) => element.textContent);

    expect(failed.result.status).toBe('FAILED');
    expect(log.consoleErrors).toEqual([]);
    expect(await text('#status')).toBe('FAILED');
    expect(await text('#cause')).toBe(failed.result.cause);
    expect(failed.result.cause).toContain(`line ${badLine}`);
    expect(failed.model.loadErrors[0]).toMatchObject({ file_name: `s3://sparkify-local/${BAD_FILE}`, line_number: badLine, column_name: 'ts' });
    expect(await page.$$eval('#run table tbody tr', (rows) => rows.map((row) => [...row.children].slice(0, 3).map((cell) => cell.textContent)))).toEqual([
      [`s3://sparkify-local/${BAD_FILE}`, String(badLine), 'ts'],
    ]);
    await page.close();
  });

  it('shows the previous warehouse in its charts, and says so', () => {
    expect(failed.model.tables).toEqual(good.model.tables);
    expect(failed.model.charts?.map((chart) => chart.rows)).toEqual(good.model.charts?.map((chart) => chart.rows));
    expect(failed.html).toContain('<p class="note" id="previous-warehouse">This run failed and changed no star table');
  });

  it('marks the retry on the timeline', () => {
    const createTables = failed.result.states.find((state) => state.name === 'CreateTables');

    expect(createTables?.retriedAt).toHaveLength(1);
    expect(failed.model.timelineSvg).toContain(`<title>CreateTables: retry 1 at ${(createTables?.retriedAt[0] ?? 0) - failed.result.states[0].startedAt} ms</title>`);
  });
});
