// `dwh`: the pipeline on a laptop. run (the real state machine, locally), sql, serve, generate.
// Exit codes: 0 success, 1 a failed run or query (a full disk included), 2 bad usage (a --db or --data folder
// that cannot work included).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { GenerateOptionsError, generateSample, SAMPLE_DEFAULTS } from './generate';
import { progressReporter } from './progress';
import { renderRun, rowsTable } from './report';
import { runPipeline, type LocalRunResult, type StateRecord } from './runner';
import { serveWarehouse } from './serve';
import { openLocalWarehouse } from './warehouse';
import { readableError } from './warehouse/folder/engineGuard';
import { inspectFolder, WarehouseFolderError } from './warehouse/folder/warehouseFolder';

export const BUNDLED_SAMPLE = path.join(__dirname, '..', 'data', 'sample');
export const DEFAULT_DB = '.dwh';
const DEFAULT_PORT = 5439;

/** Bad usage: a flag's value or a folder that cannot work. Exit code 2. */
class UsageError extends Error {
  override name = 'UsageError';
}

/** commander parser for a flag that takes a positive integer. */
export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('Not a positive integer.');
  return Number(value);
}

function port(value: string): number {
  const number = positiveInteger(value);
  if (number > 65535) throw new InvalidArgumentError('Not a TCP port (1-65535).');
  return number;
}

function jsonObject(value: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InvalidArgumentError('Not a JSON object.');
}

/** `--days 2018-11-05` or `--days 2018-11-01..2018-11-07`: the execution input's days (the first state
 * validates them, as on AWS). */
function dayRange(value: string): { from: string; to: string } {
  const [from, to, ...rest] = value.split('..');
  if (rest.length > 0 || !from || to === '') throw new InvalidArgumentError('Give one day (YYYY-MM-DD) or a range FROM..TO.');
  return { from, to: to ?? from };
}

/** Refuses a --data folder that is not a mirror of the source bucket. */
function checkDataDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--data ${dir}: no such folder`);
  for (const prefix of ['song_data', 'log_data']) {
    if (!existsSync(path.join(dir, prefix))) {
      throw new UsageError(`--data ${dir}: it has no ${prefix}/ folder (it must mirror the source bucket: song_data/, log_data/)`);
    }
  }
}

/** Refuses a --db folder that holds no warehouse (for commands that read one). */
async function checkDbDir(dir: string): Promise<void> {
  const content = await inspectFolder(dir);
  if (content !== 'warehouse') throw new UsageError(`--db ${dir}: no warehouse there; build one with \`dwh run --db ${dir}\``);
}

const out = (text: string) => process.stdout.write(`${text}\n`);

async function run(options: {
  data: string;
  db: string;
  redshift: 'cluster' | 'serverless';
  json?: boolean;
  input?: Record<string, unknown>;
  days?: { from: string; to: string };
}): Promise<void> {
  const reporter = progressReporter(process.stderr);
  const states: StateRecord[] = [];
  const started = Date.now();
  let result: LocalRunResult;
  try {
    checkDataDir(options.data);
    await inspectFolder(options.db); // a --db folder that cannot hold a warehouse is refused before anything runs
    process.stderr.write(`Running the pipeline on ${options.data} (redshift: ${options.redshift}, warehouse: ${options.db})\n`);
    result = await runPipeline({
      dataDir: options.data,
      dbDir: options.db,
      redshift: options.redshift,
      input: options.days ? { ...options.input, days: options.days } : options.input,
      onState: (state) => {
        states.push(state);
        reporter.onState(state);
      },
      onProgress: reporter.onProgress,
    });
  } catch (error) {
    // The run could not start or its warehouse failed under it: still one report, saying what happened.
    reporter.stop();
    if (!options.json) throw error;
    out(JSON.stringify(failedRun(error, states)));
    process.stderr.write(`error: ${readableError(error)}\n`);
    process.exitCode = exitCode(error);
    return;
  }
  reporter.stop();
  out(options.json ? JSON.stringify(result) : `\n${renderRun(result, Date.now() - started, Boolean(process.stdout.isTTY))}`);
  process.exitCode = result.status === 'SUCCEEDED' ? 0 : 1;
}

/** The report of a run that ended on an error thrown rather than a failed state: tables unknown (null). */
function failedRun(error: unknown, states: StateRecord[]): Omit<LocalRunResult, 'tables'> & { tables: null } {
  const name = error instanceof Error ? error.name : 'Error';
  return { status: 'FAILED', error: name, cause: readableError(error), states, tables: null, analysis: null };
}

async function sql(query: string, options: { db: string; json?: boolean }): Promise<void> {
  await checkDbDir(options.db);
  const warehouse = await openLocalWarehouse({ dbDir: options.db, buckets: {} });
  try {
    const rows = await warehouse.query(query);
    out(options.json ? JSON.stringify(rows) : rowsTable(rows, Boolean(process.stdout.isTTY)));
  } finally {
    await warehouse.close();
  }
}

async function serve(options: { db: string; port: number }): Promise<void> {
  await checkDbDir(options.db);
  const warehouse = await openLocalWarehouse({ dbDir: options.db, buckets: {} });
  const served = await serveWarehouse(warehouse, options.port);
  out(`Serving ${options.db} on ${served.address} (PostgreSQL protocol). Try: psql -h 127.0.0.1 -p ${options.port}`);
  out('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await served.stop();
  await warehouse.close();
}

async function generate(options: { out: string; songs: number; events: number; days: number; seed: string }): Promise<void> {
  const summary = await generateSample({ outDir: options.out, ...options }).catch((error: unknown) => {
    throw error instanceof GenerateOptionsError ? new UsageError(error.message) : error;
  });
  out(
    `Wrote ${summary.songFiles} song files and ${summary.logFiles} log files (${summary.events} events, ` +
      `${summary.nextSongEvents} plays, ${summary.users} users, ${summary.bytes} bytes) to ${options.out}`,
  );
}

/** The command-line program; parsing errors throw (exitOverride) so main() decides the exit code. */
export function buildProgram(): Command {
  const program = new Command('dwh')
    .description('The Sparkify warehouse pipeline on your laptop: the real state machine over an embedded warehouse.')
    .exitOverride()
    .showHelpAfterError();
  const dbOption = ['--db <dir>', 'folder of the local warehouse', DEFAULT_DB] as const;

  program
    .command('run')
    .description('run the pipeline (the state machine of statemachine/) locally and print the analysis')
    .option('--data <dir>', 'local mirror of the source bucket: song_data/, log_data/, optional log_json_path.json', BUNDLED_SAMPLE)
    .option(...dbOption)
    .addOption(
      new Option('--redshift <kind>', 'rehearse a provisioned cluster or a Redshift Serverless namespace and workgroup')
        .choices(['cluster', 'serverless'])
        .default('cluster'),
    )
    .option('--json', 'print one JSON document on stdout, nothing else')
    .option('--input <json>', 'execution input, e.g. \'{"sources":{"logData":"s3://sparkify-local/log_data/2018/11"}}\'', jsonObject)
    .option('--days <day|from..to>', 'replace only these days (the input\'s "days"), e.g. 2018-11-05 or 2018-11-01..2018-11-07', dayRange)
    .action(run);

  program
    .command('sql')
    .description("print a query's result from the local warehouse")
    .argument('<query>', 'one SQL statement')
    .option(...dbOption)
    .option('--json', 'print the rows as a JSON array')
    .action(sql);

  program
    .command('serve')
    .description('serve the local warehouse over the PostgreSQL wire protocol on 127.0.0.1')
    .option(...dbOption)
    .option('--port <n>', 'TCP port', port, DEFAULT_PORT)
    .action(serve);

  program
    .command('generate')
    .description('write a deterministic Sparkify-like sample in the source bucket layout')
    .requiredOption('--out <dir>', 'folder to write song_data/ and log_data/ into')
    .option('--songs <n>', 'number of songs', positiveInteger, SAMPLE_DEFAULTS.songs)
    .option('--events <n>', 'number of events', positiveInteger, SAMPLE_DEFAULTS.events)
    .option('--days <n>', 'number of days of logs', positiveInteger, SAMPLE_DEFAULTS.days)
    .option('--seed <s>', 'random seed', String(SAMPLE_DEFAULTS.seed))
    .action(generate);

  return program;
}

/** The exit code of an error: 2 for bad usage (a flag, a --data or --db folder that cannot work), else 1. */
function exitCode(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  return error instanceof UsageError || error instanceof WarehouseFolderError ? 2 : 1;
}

/** Runs the CLI; sets process.exitCode (0 success, 1 failure, 2 bad usage) instead of exiting. */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // commander has printed its own message (or the help)
    if (!(error instanceof CommanderError)) process.stderr.write(`error: ${readableError(error)}\n`);
    process.exitCode = exitCode(error);
  }
}

if (require.main === module) void main();
