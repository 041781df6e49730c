// The teardown's real definition (statemachine/teardown.asl.yml) run locally against the local cluster a run left.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalCluster } from '../../local/localCluster';
import { CLUSTER_SPEC } from './clusterSpec';
import { runPipeline, runTeardown } from '../../local/runner';
import { play, song, writeSources } from '../sql/fixtures';

let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-teardown-'));
  await writeSources(root, 'data', { songs: [song({ song_id: 'SO1' })], logFiles: [[play({ ts: 1541111130796 })]] });
  dataDir = path.join(root, 'data');
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A local cluster as a run leaves it, with a port opened by the pipeline. */
async function afterARun(redshift: 'cluster' | 'serverless'): Promise<LocalCluster> {
  const cluster = new LocalCluster();
  const run = await runPipeline({ dataDir, cluster, redshift });
  if (run.status !== 'SUCCEEDED') throw new Error(`the run failed: ${run.error}: ${run.cause}`);
  await cluster.authorizeIngress('sg-local', '203.0.113.7/32', 5439);
  return cluster;
}

const names = (states: Array<{ name: string }>) => states.map((state) => state.name);

describe('runTeardown', () => {
  it('revokes the ingress rule, deletes the cluster and waits until it is gone, then deletes the COPY role', async () => {
    const cluster = await afterARun('cluster');

    const result = await runTeardown({ cluster, input: { finalSnapshot: 'sparkify-final' } });

    expect(result.status).toBe('SUCCEEDED');
    expect(names(result.states)).toEqual([
      'RevokeIngress',
      'DeleteCluster',
      'IsDeletionFinished',
      ...['WaitForDeletion', 'DescribeDeletion', 'IsDeletionFinished'],
      ...['WaitForDeletion', 'DescribeDeletion', 'IsDeletionFinished'],
      'DeleteNamespace',
      'DeleteCopyRole',
    ]);
    expect(result.output).toMatchObject({
      options: { finalSnapshot: 'sparkify-final' },
      ingress: { revoked: ['sgr-local-1'] },
      deletion: { resource: 'cluster', name: 'sparkify-dwh', status: 'deleted', attempt: 2 },
      namespace: { deleted: false, message: 'A provisioned cluster has no namespace: nothing to delete' },
      role: { deleted: true, message: 'Role sparkify-dwh-s3-read and its policy deleted' },
    });
    await expect(cluster.describeCluster('sparkify-dwh')).rejects.toMatchObject({ name: 'ClusterNotFoundFault' });
    expect(await cluster.ensureRole({ name: 'sparkify-dwh-s3-read', policyName: 'p', policy: {} })).toMatchObject({ created: true });
  }, 60_000);

  it('finishes a half-done teardown, and a second teardown has nothing left to do', async () => {
    const cluster = await afterARun('cluster');
    await cluster.deleteCluster('sparkify-dwh');

    const finishing = await runTeardown({ cluster });
    const again = await runTeardown({ cluster });

    expect([finishing.status, again.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(finishing.output).toMatchObject({ deletion: { status: 'deleted' }, role: { deleted: true } });
    expect(again.output).toMatchObject({
      ingress: { revoked: [], message: 'Cluster sparkify-dwh does not exist: no ingress rule of the pipeline to revoke' },
      deletion: { status: 'deleted', message: 'Cluster sparkify-dwh does not exist: nothing to delete' },
      role: { deleted: false, message: 'Role sparkify-dwh-s3-read does not exist: nothing to delete' },
    });
    expect(names(again.states)).toEqual(['RevokeIngress', 'DeleteCluster', 'IsDeletionFinished', 'DeleteNamespace', 'DeleteCopyRole']);
  }, 60_000);

  it('deletes the Serverless workgroup, waits until it is gone, then deletes its namespace', async () => {
    const cluster = await afterARun('serverless');

    const result = await runTeardown({ cluster, redshift: 'serverless' });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      deletion: { resource: 'workgroup', name: 'sparkify-dwh', status: 'deleted' },
      namespace: { deleted: true, status: 'DELETING', message: 'Namespace sparkify-dwh is DELETING, without a final snapshot' },
    });
    await expect(cluster.describeWorkgroup('sparkify-dwh')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  }, 60_000);

  it('retries a cluster that cannot be deleted yet, and deletes it once it can', async () => {
    const cluster = new LocalCluster({ describesWhileCreating: 3 });
    await cluster.ensureCluster({ identifier: 'sparkify-dwh', nodeType: 'ra3.large', nodeCount: 1, dbName: 'dev', dbUser: 'awsuser', port: 5439, roleArn: 'arn:aws:iam::000000000000:role/r', publiclyAccessible: false });

    const result = await runTeardown({ cluster });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ deletion: { status: 'deleted' } });
  }, 60_000);

  it("fails at TeardownFailed with Redshift's error when the cluster cannot be deleted in its status, after the retries", async () => {
    // Still creating through every retry of DeleteCluster (one describe each).
    const cluster = new LocalCluster({ describesWhileCreating: 50 });
    await cluster.ensureCluster(CLUSTER_SPEC);

    const result = await runTeardown({ cluster });

    expect([result.status, result.error]).toEqual(['FAILED', 'InvalidClusterStateFault']);
    expect(result.cause).toBe('The specified cluster is not in the available state (cluster sparkify-dwh is creating).');
    expect(names(result.states).slice(-2)).toEqual(['DeleteCluster', 'TeardownFailed']);
  }, 60_000);

  it('refuses a bad input in its first state, naming the field, before removing anything', async () => {
    const cluster = await afterARun('cluster');

    const result = await runTeardown({ cluster, input: { finalSnapshot: 'no--good' } });

    expect([result.status, result.error]).toEqual(['FAILED', 'SettingsError']);
    expect(result.cause).toContain('$.finalSnapshot');
    expect((await cluster.describeCluster('sparkify-dwh')).status).toBe('available');
  }, 60_000);
});
