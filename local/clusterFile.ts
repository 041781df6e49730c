// The local cluster that `dwh run --db DIR` rehearses on, kept in DIR next to the warehouse (dwh-cluster.json):
// the next run reuses it (or resumes it, when the last run paused it), and `dwh teardown` deletes what the runs
// created, as on AWS, where the cluster outlives each run.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../functions/lib/contracts/settings';
import { LocalCluster, type LocalClusterSnapshot } from './localCluster';

export const CLUSTER_FILE = 'dwh-cluster.json';

interface ClusterFile {
  /** The kind of Redshift the last run rehearsed. */
  redshift: Settings['redshift'];
  cluster: LocalClusterSnapshot;
}

/** The local cluster kept in `dbDir`, and the kind of Redshift the last run rehearsed; a new one when none is kept. */
export async function loadLocalCluster(dbDir: string): Promise<{ cluster: LocalCluster; redshift?: Settings['redshift'] }> {
  let text: string;
  try {
    text = await readFile(path.join(dbDir, CLUSTER_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { cluster: new LocalCluster() };
    throw error;
  }
  const kept = JSON.parse(text) as ClusterFile;
  return { cluster: LocalCluster.restore(kept.cluster), redshift: kept.redshift };
}

/** Keeps the local cluster in `dbDir`, written whole (a temporary file, then renamed). */
export async function saveLocalCluster(dbDir: string, cluster: LocalCluster, redshift: Settings['redshift']): Promise<void> {
  const file = path.join(dbDir, CLUSTER_FILE);
  const content: ClusterFile = { redshift, cluster: cluster.snapshot() };
  await writeFile(`${file}.${process.pid}.tmp`, `${JSON.stringify(content, null, 2)}\n`);
  await rename(`${file}.${process.pid}.tmp`, file);
}
