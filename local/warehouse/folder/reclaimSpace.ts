// Keeps the warehouse folder lean. PGlite runs no autovacuum, so without this the folder only grows:
// - each run replaces the star tables' rows (DELETE + INSERT) and recreates the staging tables, leaving dead rows
//   in the tables and in the catalogs: a VACUUM after a session that wrote makes that space reusable (and gives
//   back empty pages at a table's end), except after the session that created the warehouse;
// - WAL segments (1 MB each: engineOptions.ts) that a checkpoint no longer needs are kept for reuse, up to
//   min_wal_size (80 MB): with wal_recycle off (FOLDER_SESSION_SQL) they are removed instead;
// - a process killed in a transaction leaves the files of the relations that transaction created (a COPY's
//   staging table): PostgreSQL never removes them. They are removed when the next process takes the folder over.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** A relation's data file: `<filenode>`, `<filenode>_fsm|_vm|_init`, with a `.<segment>` past 1 GB. */
const RELATION_FILE = /^(\d+)(?:_(?:fsm|vm|init))?(?:\.\d+)?$/;
/** A temporary relation's file (`t<backend>_<filenode>`): none survives the process that made it. */
const TEMPORARY_RELATION_FILE = /^t\d+_\d+(?:_(?:fsm|vm|init))?(?:\.\d+)?$/;

/** Settings of a session on a warehouse folder: WAL segments no longer needed are removed, not kept for reuse. */
export const FOLDER_SESSION_SQL = 'set wal_recycle = off;';

/** Makes the space of replaced rows reusable (in the tables and the catalogs), then checkpoints, which removes
 * the WAL segments no longer needed. Runs outside any transaction. `vacuum: false` for the session that created the
 * warehouse: it replaced no rows the warehouse had (it had none), and its VACUUM would only mark every new page
 * all-visible, 0.6 to 0.7 s of a million events' first run; what the session did leave (the catalogs' few dead rows,
 * or the rows of a run that failed) waits for the next session that writes. */
export async function reclaimAfterWrites(db: PGlite, { vacuum }: { vacuum: boolean }): Promise<void> {
  if (vacuum) await db.exec('vacuum');
  await db.exec('checkpoint');
}

/** Removes the files in the database's folder that belong to no relation: left by a process killed in a
 * transaction that created relations. Call before any transaction of this process creates one. Returns the
 * removed files' names. */
export async function removeOrphanFiles(db: PGlite, dir: string): Promise<string[]> {
  const database = await db.query<{ oid: number }>('select oid from pg_database where datname = current_database()');
  const relations = await db.query<{ filenode: number }>(
    'select pg_relation_filenode(oid) as filenode from pg_class where pg_relation_filenode(oid) is not null',
  );
  const known = new Set(relations.rows.map((row) => String(row.filenode)));
  const folder = path.join(dir, 'base', String(database.rows[0].oid));
  const orphans = (await readdir(folder)).filter((name) => {
    const relation = RELATION_FILE.exec(name);
    return (relation && !known.has(relation[1])) || TEMPORARY_RELATION_FILE.test(name);
  });
  for (const name of orphans) await rm(path.join(folder, name), { force: true });
  return orphans;
}
