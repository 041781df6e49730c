// `dwh`: the pipeline on a laptop. run (the real state machine, locally), report, sql, serve, generate, teardown;
// `dwh aws` drives the deployed pipeline.
// Exit codes: 0 success, 1 a failed run or query (a full disk included), 2 bad usage (a --db or --data folder
// that cannot work included).
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { GenerateOptionsError, generateSample, SAMPLE_DEFAULTS } from './generate';
import { progressReporter } from './progress';
import { renderRun, rowsTable } from './report';
import { runPipeline, runTeardown, type LocalRunResult, type StateRecord } from './runner';
import { loadLocalCluster, saveLocalCluster } from './clusterFile';
import type * as AwsCommands from './aws/commands';
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

/** The HTML report's module, loaded only when a report is written: its charting library (Vega) takes a moment
 * to load that the other commands need not pay. */
function htmlReport(): typeof import('./htmlReport/localReport') {
  return require('./htmlReport/localReport') as typeof import('./htmlReport/localReport');
}

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
    // The local cluster outlives the run, as on AWS: kept with the warehouse for the next run and `dwh teardown`.
    const { cluster } = await loadLocalCluster(options.db);
    result = await runPipeline({
      dataDir: options.data,
      dbDir: options.db,
      redshift: options.redshift,
      cluster,
      input: options.days ? { ...options.input, days: options.days } : options.input,
      onState: (state) => {
        states.push(state);
        reporter.onState(state);
      },
      onProgress: reporter.onProgress,
    });
    await saveLocalCluster(options.db, cluster, options.redshift);
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
  const durationMs = Date.now() - started;
  out(options.json ? JSON.stringify(result) : `\n${renderRun(result, durationMs, Boolean(process.stdout.isTTY))}`);
  process.exitCode = result.status === 'SUCCEEDED' ? 0 : 1;
  const report = await htmlReport().writeLocalRunReport({
    dbDir: options.db,
    dataDir: options.data,
    redshift: options.redshift,
    input: options.input ?? {},
    result,
    startedAt: started,
    durationMs,
  });
  // with --json, stdout holds the JSON document alone
  (options.json ? process.stderr : process.stdout).write(`${options.json ? '' : '\n'}Report: ${report}\n`);
}

async function report(options: { db: string; out?: string }): Promise<void> {
  await checkDbDir(options.db);
  out(`Report: ${await htmlReport().writeLocalWarehouseReport(options.db, options.out)}`);
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

/** Asks a yes/no question on the terminal; anything but y or yes is no. */
async function confirm(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

async function teardown(options: { db: string; yes?: boolean; finalSnapshot?: string }): Promise<void> {
  const content = await inspectFolder(options.db); // a folder that is no warehouse is refused, never removed
  if (content === 'absent') throw new UsageError(`--db ${options.db}: no such folder: nothing to tear down`);
  if (!options.yes) {
    if (!process.stdin.isTTY) throw new UsageError(`dwh teardown removes ${options.db}: confirm with --yes when not on a terminal`);
    if (!(await confirm(`Tear down the local cluster and remove the warehouse in ${options.db}? [y/N] `))) {
      process.stderr.write('Nothing removed.\n');
      return;
    }
  }
  const { cluster, redshift } = await loadLocalCluster(options.db);
  const reporter = progressReporter(process.stderr);
  process.stderr.write(`Tearing down the local ${redshift ?? 'cluster'} of ${options.db}\n`);
  const result = await runTeardown({
    cluster,
    redshift,
    input: options.finalSnapshot ? { finalSnapshot: options.finalSnapshot } : {},
    onState: reporter.onState,
  });
  reporter.stop();
  if (result.status !== 'SUCCEEDED') {
    await saveLocalCluster(options.db, cluster, redshift ?? 'cluster'); // what was removed stays removed
    process.stderr.write(`Teardown FAILED: ${result.error}: ${result.cause}\nThe warehouse in ${options.db} is kept.\n`);
    process.exitCode = 1;
    return;
  }
  await rm(options.db, { recursive: true, force: true });
  out(`Teardown SUCCEEDED: the local cluster is deleted and ${options.db} removed`);
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
    .command('report')
    .description('write an HTML report on the local warehouse as it stands (dwh run writes one on each run)')
    .option(...dbOption)
    .option('--out <file>', 'the HTML file to write (default: <db>/reports/warehouse.html)')
    .action(report);

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

  program
    .command('teardown')
    .description('run the teardown state machine (statemachine/teardown.asl.yml) locally, then remove the warehouse folder')
    .option(...dbOption)
    .option('--final-snapshot <name>', 'rehearse keeping a final snapshot (as on AWS)')
    .option('--yes', 'do not ask for a confirmation')
    .action(teardown);

  addAwsCommands(program);
  return program;
}

/** `dwh aws …`: the deployed pipeline. Its code (and the AWS SDK) is loaded only when one of these commands runs. */
function addAwsCommands(program: Command): void {
  const aws = program.command('aws').description('drive the pipeline deployed with `sls deploy` (credentials and region: the AWS SDK chain)');
  const stageOption = ['--stage <stage>', 'the stage it was deployed with', 'dev'] as const;
  const io = {
    out,
    err: process.stderr,
    colors: Boolean(process.stdout.isTTY),
    setExitCode: (code: number) => {
      process.exitCode = code;
    },
  };
  const awsCommands = async () => {
    // required here, not imported at the top: the local commands never load the AWS SDK.
    const commands = require('./aws/commands') as typeof AwsCommands;
    return { commands, clients: commands.defaultClients() };
  };
  aws
    .command('start')
    .description('start an execution of the pipeline; with --follow, show its states as they end and its result')
    .option(...stageOption)
    .option('--input <json>', 'execution input, e.g. \'{"sources":{"logData":"s3://udacity-dend/log_data/2018/11"}}\'', jsonObject)
    .option('--follow', 'follow the execution to its end (exit code as for dwh run)')
    .action(async (options: { stage: string; input?: Record<string, unknown>; follow?: boolean }) => {
      const { commands, clients } = await awsCommands();
      await commands.startPipeline(options, clients, io);
    });
  aws
    .command('status')
    .description('the latest execution of the pipeline, or the one named (its name or ARN): its states and its result')
    .argument('[execution]', 'an execution name or ARN; default: the latest')
    .option(...stageOption)
    .option('--json', 'print one JSON document on stdout, nothing else')
    .action(async (execution: string | undefined, options: { stage: string; json?: boolean }) => {
      const { commands, clients } = await awsCommands();
      await commands.showStatus({ ...options, execution }, clients, io);
    });
  aws
    .command('teardown')
    .description('start the teardown state machine (remove what the pipeline created at run time) and follow it')
    .option(...stageOption)
    .option('--final-snapshot <name>', 'keep a final snapshot of the cluster (or the namespace) under this name')
    .option('--yes', 'do not ask for a confirmation')
    .action(async (options: { stage: string; finalSnapshot?: string; yes?: boolean }) => {
      if (!options.yes) {
        if (!process.stdin.isTTY) throw new UsageError(`dwh aws teardown deletes the stage ${options.stage} warehouse: confirm with --yes when not on a terminal`);
        if (!(await confirm(`Delete the ${options.stage} warehouse${options.finalSnapshot ? '' : ' without a final snapshot'} and its COPY role? [y/N] `))) {
          process.stderr.write('Nothing removed.\n');
          return;
        }
      }
      const { commands, clients } = await awsCommands();
      await commands.startTeardown(options, clients, io);
    });
}

/** The exit code of an error: 2 for bad usage (a flag, a --data or --db folder that cannot work), else 1 (an AWS
 * error of `dwh aws` included). */
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
