// The report as one HTML file: styles inline, charts as inline SVG, no script and no external resource, so it
// opens anywhere with no network. Light and dark colour schemes follow the reader's setting; print is black on white.
import type { QualityCheck } from '../../functions/lib/contracts/events';
import type { Row } from '../../functions/lib/ports/warehouse';
import type { StateRecord } from '../runner';
import type { TableCounts } from '../tables';
import type { Chart } from './charts';

/** A run as the report tells it. */
export interface RunSummary {
  status: 'SUCCEEDED' | 'FAILED';
  error?: string;
  cause?: string;
  input: Record<string, unknown>;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  states: StateRecord[];
}

export interface ReportModel {
  generatedAt: Date;
  /** The warehouse's folder, or any name for where it is. */
  warehouse: string;
  /** The run the report is about; null for a report on the warehouse as it stands. */
  run: RunSummary | null;
  timelineSvg: string | null;
  /** A failed run's first load errors (file, line, column, reason). */
  loadErrors: Row[];
  tables: TableCounts;
  /** The checks on the star tables as they stand; null when there are none. */
  checks: QualityCheck[] | null;
  /** null when the star tables are missing or empty. */
  charts: Chart[] | null;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
  --ok: #1a7f37; --bad: #cf222e; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #3d444d; --ok: #3fb950; --bad: #f85149; }
}
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
.muted { color: var(--muted); } .ok { color: var(--ok); font-weight: 600; } .bad { color: var(--bad); font-weight: 600; }
.note { background: var(--panel); border-left: 4px solid var(--bad); padding: .5rem .75rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dt { color: var(--muted); } dd { margin: 0; }
pre { background: var(--panel); padding: .5rem; white-space: pre-wrap; word-break: break-word; margin: 0; }
table { border-collapse: collapse; margin: .25rem 0; } th, td { border: 1px solid var(--line); padding: .2rem .6rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } th { background: var(--panel); }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; } figure { margin: 0; }
svg { max-width: 100%; height: auto; } svg text { fill: var(--fg); }
svg .role-axis-domain line, svg .role-axis-tick line { stroke: var(--muted); } svg .role-axis-grid line { stroke: var(--line); }
details summary { cursor: pointer; color: var(--muted); }
@media print {
  :root { --fg: #000; --muted: #333; --bg: #fff; --panel: #f2f2f2; --line: #999; }
  body { max-width: none; padding: 0; } figure, table, .timeline { break-inside: avoid; } details summary { display: none; }
}
`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Rows as an HTML table, columns in the first row's key order; numbers right-aligned. */
export function htmlTable(rows: Row[]): string {
  if (rows.length === 0) return '<p class="muted">(no rows)</p>';
  const columns = Object.keys(rows[0]);
  const cell = (value: Row[string]) => `<td${typeof value === 'number' ? ' class="n"' : ''}>${value === null ? 'NULL' : escape(value)}</td>`;
  return (
    `<table><thead><tr>${columns.map((column) => `<th>${escape(column)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((row) => `<tr>${columns.map((column) => cell(row[column])).join('')}</tr>`).join('')}</tbody></table>`
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function runSection(model: ReportModel): string {
  const { run } = model;
  if (!run) {
    return `<section id="run"><h2>The warehouse</h2><p>No run: the warehouse in <code>${escape(model.warehouse)}</code> as it stands.</p></section>`;
  }
  const status = `<span class="${run.status === 'SUCCEEDED' ? 'ok' : 'bad'}">${run.status}</span>`;
  const failure = run.status === 'FAILED'
    ? `<dt>error</dt><dd><code>${escape(run.error)}</code></dd><dt>cause</dt><dd><pre id="cause">${escape(run.cause)}</pre></dd>`
    : '';
  const loadErrors = model.loadErrors.length === 0 ? '' : `<h3>Load errors</h3>${htmlTable(model.loadErrors.map(loadErrorRow))}`;
  return (
    `<section id="run"><h2>The run</h2><dl><dt>status</dt><dd id="status">${status}</dd>` +
    `<dt>started</dt><dd>${escape(new Date(run.startedAt).toISOString())}</dd><dt>duration</dt><dd>${seconds(run.durationMs)}</dd>` +
    `<dt>input</dt><dd><pre>${escape(JSON.stringify(run.input, null, 2))}</pre></dd>${failure}</dl>${loadErrors}</section>`
  );
}

/** A load error with the columns a reader needs first. */
function loadErrorRow(row: Row): Row {
  return {
    file: row.file_name ?? null,
    line: row.line_number ?? null,
    column: row.column_name ?? null,
    reason: row.error_reason ?? null,
    value: row.raw_field_value ?? null,
  };
}

function chartsSection(model: ReportModel): string {
  const failed = model.run?.status === 'FAILED';
  const note = failed
    ? '<p class="note" id="previous-warehouse">This run failed and changed no star table: these charts show the warehouse as the previous successful run left it.</p>'
    : '';
  if (!model.charts) {
    return `<section id="charts"><h2>The warehouse in charts</h2><p class="note">No charts: the star tables are ${model.tables.songplays === null ? 'missing' : 'empty'}${failed ? ' (no run has built them yet)' : ''}.</p></section>`;
  }
  const figures = model.charts.map(
    (chart) => `<figure id="${chart.id}">${chart.svg}<details><summary>${escape(chart.title)}: the numbers</summary>${htmlTable(chart.rows)}</details></figure>`,
  );
  return `<section id="charts"><h2>The warehouse in charts</h2>${note}<div class="charts">${figures.join('')}</div></section>`;
}

function checksSection(model: ReportModel): string {
  if (!model.checks) return '';
  const rows = model.checks.map((check) => `<tr><td>${escape(check.name)}</td><td class="n">${check.failures}</td><td class="${check.passed ? 'ok' : 'bad'}">${check.passed ? 'passed' : 'FAILED'}</td></tr>`);
  const previous = model.run?.status === 'FAILED' ? ' <span class="muted">(of the previous warehouse: this run changed no star table)</span>' : '';
  return (
    `<section id="checks"><h2>Data quality checks${previous}</h2>` +
    `<table><thead><tr><th>check</th><th>offending rows</th><th>result</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** The whole page. */
export function renderPage(model: ReportModel): string {
  const title = model.run ? `Sparkify pipeline run: ${model.run.status}` : 'Sparkify warehouse';
  const counts = Object.entries(model.tables).map(([table, rows]): Row => ({ table, rows: rows ?? 'missing' }));
  const timeline = model.timelineSvg
    ? `<section id="timeline" class="timeline"><h2>Timeline</h2><p class="muted">Hover a bar for its times.</p>${model.timelineSvg}</section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escape(title)}</h1><p class="muted">Warehouse <code>${escape(model.warehouse)}</code>, report made ${escape(model.generatedAt.toISOString())}</p></header>
${runSection(model)}
${timeline}
<section id="tables"><h2>Row counts</h2>${htmlTable(counts)}</section>
${checksSection(model)}
${chartsSection(model)}
</body>
</html>
`;
}
