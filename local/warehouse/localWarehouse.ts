// The Warehouse port on an embedded PostgreSQL (PGlite), shaped like the Redshift Data API: a batch runs in
// the background as one transaction; describe() reports it, fetchRows() returns a statement's rows.
// PGlite is one connection, so everything (batches and query()) runs one after another through a queue.
import { randomUUID } from 'node:crypto';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { BatchTooLargeError } from '../../functions/lib/contracts/errors';
import {
  batchLimitBreach,
  describeBatchLimitBreach,
  IN_PROGRESS_STATUSES,
  type Row,
  type StatementDescription,
  type StatementStatus,
  type SubStatementDescription,
  type Warehouse,
} from '../../functions/lib/ports/warehouse';
import { runCopy, type CopyContext, type CopyProgress, type CopyTimes } from './copy/copy';
import { engineOptions } from './engineOptions';
import { lockFolder, type FolderLock } from './folder/dbLock';
import { isCopyStatement, redshiftFunctionsSql, translateStatement } from './dialect/dialect';
import { GuardedNodeFS, readableError, WarehouseEngineError } from './folder/engineGuard';
import { SCHEMA as SYSTEM_SCHEMA, SEARCH_PATH_SQL, SYSTEM_TABLES_SQL, writeLoadErrors, type CopyRejections } from './copy/loadErrorRows';
import { copyTemplate } from './folder/template';
import { FOLDER_SESSION_SQL, reclaimAfterWrites, removeOrphanFiles } from './folder/reclaimSpace';
import { dataApiParsers } from './dialect/rowTypes';
import type { BucketMirrors } from './copy/s3Mirror';
import {
  clearUnfinished,
  createFolder,
  folderError,
  inspectFolder,
  WarehouseFolderError,
  WarehouseResourceError,
  writeMarker,
} from './folder/warehouseFolder';

export interface LocalWarehouseOptions {
  /** Keep the database in this folder (created if missing); absent: in memory. */
  dbDir?: string;
  /** Local mirrors of S3 buckets: bucket name -> folder. */
  buckets: BucketMirrors;
  onProgress?: (progress: CopyProgress) => void;
  onCopied?: (times: CopyTimes) => void;
  /** How long describe() waits for a running batch before answering (default 1000 ms), so a poll loop
   * with zero-second waits does not spin. */
  describeWaitMs?: number;
}

/** Who uses the local warehouse outside the state machine (`dwh sql`, the tests): one identity of its own. */
export const LOCAL_USER = 'local-user';

export interface LocalWarehouse extends Warehouse {
  /** The warehouse as one IAM identity reaches it through the Data API: statements are submitted as that
   * identity, and only that identity may describe them or read their results. The Warehouse methods of the
   * LocalWarehouse itself act as LOCAL_USER. */
  as(identity: string): Warehouse;
  /** Runs one statement outside any batch; its rows typed as fetchRows types them ([] when it has none). */
  query(sql: string): Promise<Row[]>;
  /** The database itself, for `dwh serve`. */
  readonly db: PGlite;
  /** Waits for queued work, then closes the database (flushing it to dbDir). */
  close(): Promise<void>;
}

/** Redshift's session behaviour: literals read backslash escapes; timestamps print in ISO form, in UTC. */
export const SESSION_SQL = `
set standard_conforming_strings = off;
set escape_string_warning = off;
set timezone = 'UTC';
set datestyle = 'ISO, MDY';
`;

interface SubStatement extends SubStatementDescription {
  sql: string;
  rows?: Row[];
}

interface Batch {
  id: string;
  /** The identity that submitted it: the only one the Data API lets describe it or read its results. */
  owner: string;
  status: StatementStatus;
  error?: string;
  createdAt: string;
  subStatements: SubStatement[];
  /** Settles (never rejects) when the batch has ended. */
  done: Promise<void>;
}

interface Outcome {
  /** The result set, when the statement has one. */
  rows?: Row[];
  rowsAffected: number;
}

/** How long close() waits for queued work and for PGlite to shut down before it gives up with an error. */
const CLOSE_WAIT_MS = 120_000;

/** Opens (or creates) the local warehouse. A --db folder that cannot hold one (a file, a folder of other files,
 * one that may not be written) throws WarehouseFolderError; a full disk, WarehouseResourceError; an engine that
 * cannot start, WarehouseEngineError; a folder in use, WarehouseInUseError. */
export async function openLocalWarehouse(options: LocalWarehouseOptions): Promise<LocalWarehouse> {
  if (!options.dbDir) {
    const db = await PGlite.create(engineOptions());
    await db.exec(SESSION_SQL + SYSTEM_TABLES_SQL + redshiftFunctionsSql(SYSTEM_SCHEMA) + SEARCH_PATH_SQL);
    return new PgliteWarehouse(db, options, async () => {});
  }
  const dir = options.dbDir;
  if ((await inspectFolder(dir)) === 'absent') await createFolder(dir);
  const lock = await lockFolder(dir).catch((error: unknown) => {
    throw folderError(dir, error);
  });
  try {
    return await openFolder(dir, lock, options);
  } catch (error) {
    await lock.release().catch(() => undefined);
    throw error;
  }
}

/** Opens the warehouse in a locked folder, creating it in an empty one. */
async function openFolder(dir: string, lock: FolderLock, options: LocalWarehouseOptions): Promise<LocalWarehouse> {
  const content = await inspectFolder(dir); // again, now that no other process can change it
  if (content === 'unfinished') await clearUnfinished(dir);
  const creating = content !== 'warehouse';
  if (creating) await writeMarker(dir, 'creating');
  const fs = new GuardedNodeFS(dir);
  let db: PGlite;
  try {
    // PGlite then finds a data folder, and runs no initdb.
    if (creating) await copyTemplate(dir, (file, error) => fs.recordFailedWrite(file, error));
    db = await PGlite.create({ fs, ...engineOptions() });
    fs.armLoop();
    await db.exec(SESSION_SQL + FOLDER_SESSION_SQL + SYSTEM_TABLES_SQL + redshiftFunctionsSql(SYSTEM_SCHEMA) + SEARCH_PATH_SQL);
  } catch (error) {
    if (creating) await clearUnfinished(dir).catch(() => undefined); // it held nothing yet: leave it empty
    throw openFailure(dir, creating, fs, error);
  }
  try {
    if (creating) await writeMarker(dir, 'ready');
    // The previous holder was killed: files its unfinished transactions created are left behind by PostgreSQL.
    if (lock.ended) await removeOrphanFiles(db, dir);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw folderError(dir, error);
  }
  return new PgliteWarehouse(db, options, lock.release, fs, creating);
}

/** Why the warehouse could not be opened or created, and what to do. */
function openFailure(dir: string, creating: boolean, fs: GuardedNodeFS, error: unknown): Error {
  const verb = creating ? 'create' : 'open';
  const written = fs.describeFailedWrite();
  if (written) {
    const kept = creating ? '' : '. The warehouse is kept: it opens again once that is mended';
    return new WarehouseEngineError(`Could not ${verb} the warehouse in ${dir}: ${written}${kept}`);
  }
  const classified = folderError(dir, error);
  if (classified instanceof WarehouseFolderError || classified instanceof WarehouseResourceError) return classified;
  if (creating) return new WarehouseEngineError(`Could not create the warehouse in ${dir}: ${readableError(error)}`);
  return new WarehouseEngineError(
    `Could not open the warehouse in ${dir}: ${readableError(error)}. PostgreSQL could not start on this folder (damaged, ` +
      `or made by another PGlite version): move it away and run \`dwh run --db ${dir}\` to build the warehouse again from the sources`,
  );
}

class PgliteWarehouse implements LocalWarehouse {
  private readonly batches = new Map<string, Batch>();
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** Whether a batch ran: the space of the rows it replaced is reclaimed on close. */
  private wrote = false;

  constructor(
    readonly db: PGlite,
    private readonly options: LocalWarehouseOptions,
    private readonly unlock: (failed: boolean) => Promise<void>,
    private readonly guard?: GuardedNodeFS,
    /** Whether this session created the warehouse (its close then skips the VACUUM: reclaimSpace.ts). */
    private readonly created = false,
  ) {}

  as(identity: string): Warehouse {
    return {
      submit: (statements, name) => this.submitAs(identity, statements, name),
      describe: (id) => this.describeAs(identity, id),
      fetchRows: (id) => this.fetchRowsAs(identity, id),
    };
  }

  submit(statements: string[], name: string): Promise<string> {
    return this.submitAs(LOCAL_USER, statements, name);
  }

  describe(id: string): Promise<StatementDescription> {
    return this.describeAs(LOCAL_USER, id);
  }

  fetchRows(id: string): Promise<Row[]> {
    return this.fetchRowsAs(LOCAL_USER, id);
  }

  // `name` is the Data API's StatementName, a label for its console: here it only names the batch in errors.
  private async submitAs(owner: string, statements: string[], name: string): Promise<string> {
    this.checkOpen();
    checkBatch(statements, name);
    this.wrote = true;
    const id = randomUUID();
    const batch: Batch = {
      id,
      owner,
      status: 'SUBMITTED',
      createdAt: new Date().toISOString(),
      subStatements: statements.map((sql, index) => ({
        id: `${id}:${index + 1}`,
        sql,
        status: 'SUBMITTED',
        hasResultSet: false,
      })),
      done: Promise.resolve(),
    };
    batch.done = this.serialize(() => this.runBatch(batch));
    this.batches.set(id, batch);
    return id;
  }

  private async describeAs(caller: string, id: string): Promise<StatementDescription> {
    const batch = this.batch(caller, id);
    if (IN_PROGRESS_STATUSES.includes(batch.status)) await settleWithin(batch.done, this.options.describeWaitMs ?? 1000);
    return {
      id: batch.id,
      status: batch.status,
      ...(batch.error !== undefined && { error: batch.error }),
      createdAt: batch.createdAt,
      subStatements: batch.subStatements.map(({ sql: _sql, rows: _rows, ...description }) => description),
    };
  }

  private async fetchRowsAs(caller: string, id: string): Promise<Row[]> {
    const [, batchId, number] = /^([^:]+)(?::(\d+))?$/.exec(id) ?? [];
    const batch = this.batch(caller, batchId ?? id, id);
    if (number === undefined && batch.subStatements.length > 1) {
      throw new Error(`Statement ${id} is a batch of ${batch.subStatements.length} statements: fetch the rows of ${id}:<n>`);
    }
    const sub = batch.subStatements[number === undefined ? 0 : Number(number) - 1];
    if (!sub) throw statementNotFound(id, caller);
    if (sub.status !== 'FINISHED') throw new Error(`Statement ${sub.id} is ${sub.status}: it has no result to fetch`);
    if (!sub.rows) throw new Error(`Statement ${sub.id} has no result set`);
    return sub.rows;
  }

  async query(sql: string): Promise<Row[]> {
    this.checkOpen();
    return this.serialize(async () => {
      if (!isCopyStatement(sql)) return (await this.runSql(this.db, sql)).rows ?? [];
      // A COPY alone still loads all or nothing: in a transaction of its own.
      const rejections: CopyRejections[] = [];
      try {
        await this.db.transaction((tx) => runCopy(tx, sql, this.copyContext(rejections)));
      } finally {
        await writeLoadErrors(this.db, rejections);
      }
      return [];
    });
  }

  /** Waits for queued work, reclaims the space of replaced rows, closes PGlite and releases the folder. An engine
   * that failed is not closed (it cannot be): the folder is left as a killed process leaves it (PostgreSQL's
   * recovery rolls the failed transaction back when it next opens, and the next opener removes its files). Bounded: rejects after
   * CLOSE_WAIT_MS rather than wait forever, keeping the lock (this process's end frees it). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await withinTime(
      (async () => {
        await this.tail;
        if (this.wrote && this.options.dbDir && !this.guard?.failure) {
          await this.serialize(() => reclaimAfterWrites(this.db, { vacuum: !this.created })).catch(() => undefined);
        }
        if (!this.guard?.failure) await this.db.close();
      })(),
      CLOSE_WAIT_MS,
      `The warehouse engine did not close within ${CLOSE_WAIT_MS / 1000} s`,
    );
    await this.unlock(Boolean(this.guard?.failure));
  }

  private checkOpen(): void {
    if (this.guard?.failure) throw this.guard.failure;
    if (this.closed) throw new Error('The local warehouse is closed');
  }

  /** The caller's batch: one that does not exist, or that another identity submitted, is not found. */
  private batch(caller: string, id: string, asked = id): Batch {
    const batch = this.batches.get(id);
    if (!batch || batch.owner !== caller) throw statementNotFound(asked, caller);
    return batch;
  }

  /** Runs `task` after everything queued before it; once the engine has failed, every task fails with it. */
  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      if (this.guard?.failure) throw this.guard.failure;
      return task();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private copyContext(rejections: CopyRejections[]): CopyContext {
    const { buckets: mirrors, onProgress, onCopied } = this.options;
    return { mirrors, onProgress, onCopied, rejections };
  }

  /** Runs a batch as one transaction: the first failing statement rolls it all back and aborts the rest.
   * The records COPYs rejected are written after the transaction, whatever its end. */
  private async runBatch(batch: Batch): Promise<void> {
    batch.status = 'STARTED';
    const rejections: CopyRejections[] = [];
    let failure: unknown;
    try {
      await this.db.transaction(async (tx) => {
        for (const sub of batch.subStatements) await this.runSubStatement(tx, batch, sub, rejections);
      });
    } catch (error) {
      failure = error;
    }
    try {
      await writeLoadErrors(this.db, rejections);
    } catch (error) {
      failure ??= error;
    }
    batch.status = failure === undefined ? 'FINISHED' : 'FAILED';
    if (failure !== undefined) batch.error = errorText(this.guard?.failure ?? failure);
  }

  private async runSubStatement(
    tx: Transaction,
    batch: Batch,
    sub: SubStatement,
    rejections: CopyRejections[],
  ): Promise<void> {
    sub.status = 'STARTED';
    try {
      const outcome = isCopyStatement(sub.sql)
        ? { rowsAffected: await runCopy(tx, sub.sql, this.copyContext(rejections)) }
        : await this.runSql(tx, sub.sql);
      sub.status = 'FINISHED';
      sub.hasResultSet = outcome.rows !== undefined;
      sub.rowsAffected = outcome.rowsAffected;
      sub.rows = outcome.rows;
    } catch (error) {
      sub.status = 'FAILED';
      sub.error = errorText(this.guard?.failure ?? error);
      for (const later of batch.subStatements) if (later.status === 'SUBMITTED') later.status = 'ABORTED';
      throw error;
    }
  }

  /** Runs one statement other than COPY on PostgreSQL, after dialect translation. */
  private async runSql(db: Pick<Transaction, 'query'>, sql: string): Promise<Outcome> {
    const result = await db.query<Row>(translateStatement(sql), [], { parsers: dataApiParsers(this.db.parsers) });
    return result.fields.length > 0
      ? { rows: result.rows, rowsAffected: result.rows.length }
      : { rowsAffected: result.affectedRows ?? 0 };
  }
}

/** Refuses what BatchExecuteStatement refuses. */
function checkBatch(statements: string[], name: string): void {
  if (statements.length === 0) throw new Error(`Batch ${name}: no statement to run`);
  const breach = batchLimitBreach(statements);
  if (breach) throw new BatchTooLargeError(describeBatchLimitBreach(breach, `Batch ${name}`));
}

/** What the Data API answers for a statement the caller may not see. Only the IAM identity that ran a statement
 * may describe it or read its results ("Using the Amazon Redshift Data API", considerations); the error is
 * DescribeStatement's and GetStatementResult's ResourceNotFoundException (Data API reference, Errors). */
function statementNotFound(id: string, caller: string): Error {
  const error = new Error(
    `Statement ${id} was not found for ${caller}: the Data API shows a statement only to the IAM identity that submitted it`,
  );
  error.name = 'ResourceNotFoundException';
  return error;
}

/** The error text the Data API reports: the database's message after `ERROR: `. */
function errorText(error: unknown): string {
  return `ERROR: ${readableError(error)}`;
}

/** `work`, or an Error(`message`) once `ms` have passed. */
async function withinTime<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WarehouseEngineError(message)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `promise` to settle, or `ms`, whichever comes first. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
