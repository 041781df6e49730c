// The report on the local warehouse: after `dwh run` (on that run) and for `dwh report` (on the warehouse as it stands).
import path from 'node:path';
import type { Settings } from '../../functions/lib/contracts/settings';
import { localSettings } from '../deps';
import type { LocalRunResult } from '../runner';
import { countTables } from '../tables';
import { openLocalWarehouse, type LocalWarehouse } from '../warehouse';
import { buildReport, writeReport, writeRunReport, type ReportOptions } from './index';

async function withWarehouse<T>(dbDir: string, work: (warehouse: LocalWarehouse) => Promise<T>): Promise<T> {
  const warehouse = await openLocalWarehouse({ dbDir, buckets: {} });
  try {
    return await work(warehouse);
  } finally {
    await warehouse.close();
  }
}

/** The report's options for a warehouse opened by this module. */
function localOptions(dbDir: string, warehouse: LocalWarehouse, settings: Settings): Omit<ReportOptions, 'tables'> {
  return { query: (sql) => warehouse.query(sql), settings, warehouse: dbDir };
}

export interface RunReportOptions {
  dbDir: string;
  dataDir: string;
  redshift: Settings['redshift'];
  input: Record<string, unknown>;
  result: LocalRunResult;
  startedAt: number;
  durationMs: number;
}

/** Writes the report of a run that has ended into `<dbDir>/reports/`; returns its path. */
export async function writeLocalRunReport(options: RunReportOptions): Promise<string> {
  const { result } = options;
  const html = await withWarehouse(options.dbDir, async (warehouse) => {
    const report = await buildReport({
      ...localOptions(options.dbDir, warehouse, localSettings(options.dataDir, options.redshift)),
      tables: result.tables,
      run: {
        status: result.status,
        error: result.error,
        cause: result.cause,
        input: options.input,
        startedAt: options.startedAt,
        durationMs: options.durationMs,
        states: result.states,
      },
    });
    return report.html;
  });
  return writeRunReport(options.dbDir, html, options.startedAt);
}

/** Writes a report on the warehouse as it stands to `out` (default `<dbDir>/reports/warehouse.html`); returns its path. */
export async function writeLocalWarehouseReport(dbDir: string, out?: string): Promise<string> {
  const file = out ?? path.join(dbDir, 'reports', 'warehouse.html');
  // Of the settings only the start-time window (from the environment, as for a run) reaches the checks' SQL.
  const settings = localSettings(dbDir);
  const html = await withWarehouse(dbDir, async (warehouse) => {
    const report = await buildReport({ ...localOptions(dbDir, warehouse, settings), tables: await countTables(warehouse) });
    return report.html;
  });
  await writeReport(file, html);
  return file;
}
