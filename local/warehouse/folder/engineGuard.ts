// PGlite's failures, made readable and made to end. Three things PGlite does not do for us:
// - Its file system reports a failed write as an Emscripten `ErrnoError` ({errno: 51}), which prints as
//   `[object Object]`; and when PostgreSQL cannot start it says only "PGlite failed to initialize properly".
//   The guard records the first failed write (which file, which error) so the error can say what happened.
// - When PostgreSQL PANICs (a WAL file it cannot write: a full disk), the WebAssembly module aborts, and PGlite's
//   main loop catches every error and runs the same message again, forever, spinning a core. The guard marks the
//   engine failed on abort and makes the loop's next turn throw out of it, so the call rejects.
// - After that the engine is not usable: every later call rejects at once with the same error.
// A write error PostgreSQL handles itself (a table that cannot grow on a full disk) stays an ordinary SQL error
// that rolls back its transaction; the guard only remembers it, to explain a failure that follows.
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import path from 'node:path';

/** The warehouse engine (PGlite) failed and stopped; the message says what happened and what to do. */
export class WarehouseEngineError extends Error {
  override name = 'WarehouseEngineError';
}

/** Emscripten's errno numbers (its ERRNO_CODES) for the errors a file system can end a run with. */
const EMSCRIPTEN_ERRNO: Record<number, string> = {
  2: 'EACCES',
  19: 'EDQUOT',
  22: 'EFBIG',
  29: 'EIO',
  33: 'EMFILE',
  44: 'ENOENT',
  48: 'ENOMEM',
  51: 'ENOSPC',
  54: 'ENOTDIR',
  63: 'EPERM',
  69: 'EROFS',
};

/** What each error code means, in words. */
const CODE_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'a file grew larger than the file system allows',
  EIO: 'an input/output error (a failing disk?)',
  EMFILE: 'too many open files',
  ENOENT: 'a file is missing',
  ENOMEM: 'out of memory',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
};

/** What to do about each error code. */
const CODE_ADVICE: Record<string, string> = {
  EDQUOT: 'free some space (or raise the quota) and run again',
  ENOSPC: 'free some space and run again',
  EROFS: 'choose a --db folder on a writable file system',
  EACCES: 'choose a --db folder you may write to',
  EPERM: 'choose a --db folder you may write to',
};

/** PostgreSQL's exit status PGlite's main loop expects from a long jump (POSTGRES_MAIN_LONGJMP in PGlite 0.5). */
const POSTGRES_MAIN_LONGJMP = 100;

/** The code of a failed file operation, from Node (`code`) or Emscripten (`errno`); undefined for other errors. */
export function errorCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { code, errno, name } = error as { code?: unknown; errno?: unknown; name?: unknown };
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  if (name === 'ErrnoError' && typeof errno === 'number') return EMSCRIPTEN_ERRNO[errno] ?? `errno ${errno}`;
  return undefined;
}

/** `no space left on the device (ENOSPC)`: an error code in words. */
export function codeInWords(code: string): string {
  return CODE_WORDS[code] ? `${CODE_WORDS[code]} (${code})` : code;
}

/** What to do about a file error, or undefined when there is nothing general to say. */
export function codeAdvice(code: string): string | undefined {
  return CODE_ADVICE[code];
}

/** Any error PGlite or the file system throws, as one readable line: never `[object Object]`. */
export function readableError(error: unknown): string {
  const code = errorCode(error);
  if (code && (error as { name?: unknown }).name === 'ErrnoError') return codeInWords(code);
  const message = error !== null && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
  if (typeof message === 'string' && message && !message.startsWith('[object')) return message;
  if (code) return codeInWords(code);
  if (error instanceof Error) return error.name;
  if (error !== null && typeof error === 'object') {
    try {
      return JSON.stringify(error);
    } catch {
      return Object.prototype.toString.call(error);
    }
  }
  return String(error);
}

type EngineModule = Parameters<NodeFS['init']>[1] & {
  FS: { filesystems: Record<string, { stream_ops: Record<string, Function>; node_ops: Record<string, Function> }> };
  onAbort?: (what: unknown) => void;
  _PostgresMainLoopOnce: () => void;
  _PostgresMainLongJmp: () => void;
};

/** A file write that failed: the file (relative to the warehouse folder) and the error code. */
interface FailedWrite {
  file: string;
  code: string;
}

/** PGlite's NodeFS with the guard described at the top of this file. */
export class GuardedNodeFS extends NodeFS {
  /** Set once the engine has failed; every later call rejects with it. */
  failure?: WarehouseEngineError;
  /** The first write the file system refused. */
  failedWrite?: FailedWrite;
  private module?: EngineModule;

  constructor(private readonly folder: string) {
    super(folder);
  }

  override async init(pg: PGlite, options: Parameters<NodeFS['init']>[1]) {
    const result = await super.init(pg, options);
    const preRun = [...(result.emscriptenOpts.preRun ?? []), (module: unknown) => this.watch(module as EngineModule)];
    return { emscriptenOpts: { ...result.emscriptenOpts, preRun } };
  }

  /** Call once PGlite has started: from then on a recorded failure ends PGlite's main loop. */
  armLoop(): void {
    const module = this.module;
    if (!module) throw new Error('The warehouse engine has not started');
    const loopOnce = module._PostgresMainLoopOnce.bind(module);
    const longJump = module._PostgresMainLongJmp.bind(module);
    module._PostgresMainLoopOnce = () => {
      // PGlite catches what this throws, then calls _PostgresMainLongJmp (below) for this status.
      if (this.failure) throw Object.assign(new Error(this.failure.message), { status: POSTGRES_MAIN_LONGJMP });
      loopOnce();
    };
    module._PostgresMainLongJmp = () => {
      if (this.failure) throw this.failure;
      longJump();
    };
  }

  /** The failure of a failed write, in words: `could not write pg_wal/x in /db: no space left on the device (ENOSPC)`. */
  describeFailedWrite(): string | undefined {
    const failed = this.failedWrite;
    if (!failed) return undefined;
    const advice = codeAdvice(failed.code);
    return `could not write ${failed.file} in ${this.folder}: ${codeInWords(failed.code)}${advice ? `; ${advice}` : ''}`;
  }

  private watch(module: EngineModule): void {
    this.module = module;
    const nodeFs = module.FS.filesystems.NODEFS;
    const remember = (operation: Function, file: (args: unknown[]) => string) =>
      function (this: unknown, ...args: unknown[]) {
        try {
          return operation.apply(this, args);
        } catch (error) {
          guard.rememberFailedWrite(file(args), error);
          throw error;
        }
      };
    const guard = this;
    const streamPath = (args: unknown[]) => (args[0] as { path?: string }).path ?? '?';
    nodeFs.stream_ops.write = remember(nodeFs.stream_ops.write, streamPath);
    nodeFs.node_ops.mknod = remember(nodeFs.node_ops.mknod, (args) => String(args[1]));
    module.onAbort = () => {
      const cause = this.describeFailedWrite() ?? 'PostgreSQL stopped on an internal error (it aborted)';
      this.failure ??= new WarehouseEngineError(
        `The warehouse engine stopped: ${cause}. The last completed run's warehouse is kept; the failed run's ` +
          'changes are rolled back when the warehouse next opens.',
      );
    };
  }

  private rememberFailedWrite(file: string, error: unknown): void {
    const data = PGlite.paths.PGDATA;
    this.recordFailedWrite(file.startsWith(`${data}/`) ? file.slice(data.length + 1) : path.basename(file), error);
  }

  /** Records a write that failed, `file` relative to the folder (also for writes outside the engine: the template's
   * copy into a new warehouse), so that the failure is explained as the engine's own are. */
  recordFailedWrite(file: string, error: unknown): void {
    const code = errorCode(error);
    if (this.failedWrite || !code || code === 'ENOENT' || code === 'EEXIST') return;
    this.failedWrite = { file, code };
  }
}
