// How the local warehouse's PostgreSQL (PGlite) is made and started. Each choice was measured (README, the
// benchmark); none changes a result.
import { setFlagsFromString } from 'node:v8';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/** initdb's options, after PGlite's own.
 * - No data checksums: PostgreSQL 18 (PGlite 0.5) turns them on by default (native PostgreSQL 15 does not), and
 *   computing and checking one for every page written and read costs about a second of a million events' build.
 *   They guard against a disk that corrupts pages; the warehouse is rebuilt from its sources.
 * - WAL segments of 1 MB, not 16: a new warehouse is a copy of the template, WAL included, and copying 28 MB
 *   rather than 39 MB takes about 0.1 s less of `npm start`'s 3 s. */
export const INITDB_ARGS = ['--no-data-checksums', '--wal-segsize=1'];

/** The server's settings, after PGlite's own. wal_level minimal (which needs max_wal_senders 0) writes no WAL for
 * the rows loaded into a table created in the same transaction, as LoadStaging creates the staging tables: a
 * million events' COPY takes about 1.5 s less. What it gives up, replication and point-in-time recovery from a
 * WAL archive, PGlite has not. */
const SERVER_SETTINGS = ['-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'];

/** How long a function of PostgreSQL's wasm runs on V8's baseline code (Liftoff) before V8 compiles it again with
 * its optimizing compiler (TurboFan), in V8's rough count of bytes executed. At V8's default, 1.8 million, every
 * function a short run touches a little is optimized: `npm start` spent 3 s of CPU on it, 1.5 s of its pipeline's
 * time on 2 cores. A function that runs for 10^9 is hot, and it is still optimized within a large load: at a
 * million events the run took as long as with the default. */
const WASM_TIERING_BUDGET = 1_000_000_000;

/** The options that make (initdb) and start PostgreSQL as the local warehouse runs it; V8's tiering budget for the
 * process's wasm is set here too, as each PostgreSQL is about to start. */
export function engineOptions(): Pick<PGliteOptions, 'initDbStartParams' | 'startParams'> {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  return { initDbStartParams: INITDB_ARGS, startParams: [...PGlite.defaultStartParams, ...SERVER_SETTINGS] };
}
