// The run report (README, "The run report"): one self-contained HTML page on a run and the warehouse it left.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../functions/lib/contracts/settings';
import type { TableCounts } from '../tables';
import { renderCharts } from './charts';
import { renderPage, type ReportModel, type RunSummary } from './page';
import { readChartData, readLoadErrors, readQualityChecks, type Query } from './queries';
import { renderTimeline } from './timeline';

export type { ReportModel, RunSummary } from './page';

export interface ReportOptions {
  /** Runs one statement on the warehouse. */
  query: Query;
  /** The settings the SQL is rendered with (the start-time window of the checks, the load-error table of the kind of Redshift). */
  settings: Settings;
  /** Where the warehouse is, as the page names it. */
  warehouse: string;
  tables: TableCounts;
  /** The run; absent: a report on the warehouse as it stands. */
  run?: RunSummary;
  now?: Date;
}

/** Reads what the page shows and lays it out. */
export async function buildReport(options: ReportOptions): Promise<{ model: ReportModel; html: string }> {
  const { query, settings, run, tables } = options;
  const hasStar = tables.songplays !== null;
  const model: ReportModel = {
    generatedAt: options.now ?? new Date(),
    warehouse: options.warehouse,
    run: run ?? null,
    timelineSvg: run && run.states.length > 0 ? await renderTimeline(run.states) : null,
    loadErrors: run?.status === 'FAILED' ? await readLoadErrors(query, settings, new Date(run.startedAt)) : [],
    tables,
    checks: hasStar ? await readQualityChecks(query, settings) : null,
    charts: hasStar && tables.songplays !== 0 ? await renderCharts(await readChartData(query)) : null,
  };
  return { model, html: renderPage(model) };
}

/** Writes a run's report into `<dbDir>/reports/`, as `run-<start time>.html` and as `latest.html`; returns the first. */
export async function writeRunReport(dbDir: string, html: string, startedAt: number): Promise<string> {
  const folder = path.join(dbDir, 'reports');
  const file = path.join(folder, `run-${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}.html`);
  await mkdir(folder, { recursive: true });
  await writeFile(file, html);
  await copyFile(file, path.join(folder, 'latest.html'));
  return file;
}

/** Writes a report to `file`, creating its folder. */
export async function writeReport(file: string, html: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, html);
}
