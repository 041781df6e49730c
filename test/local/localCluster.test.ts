import type { ClusterSpec } from '../../functions/lib/cluster';
import { LocalCluster } from '../../local/localCluster';

const spec: ClusterSpec = {
  identifier: 'sparkify-dwh',
  nodeType: 'ra3.large',
  nodeCount: 1,
  dbName: 'dev',
  dbUser: 'awsuser',
  port: 5439,
  roleArn: 'arn:aws:iam::000000000000:role/sparkify-dwh-s3-read',
  publiclyAccessible: false,
};

describe('LocalCluster', () => {
  it('creates a cluster that stays creating for the configured number of describes, then is available', async () => {
    const cluster = new LocalCluster({ describesWhileCreating: 2 });

    const created = await cluster.ensureCluster(spec);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      const state = await cluster.describeCluster('sparkify-dwh');
      statuses.push([state.status, state.availability]);
    }

    expect(created.action).toBe('created');
    expect(created.state.status).toBe('creating');
    expect(statuses).toEqual([
      ['creating', 'Modifying'],
      ['available', 'Available'],
      ['available', 'Available'],
    ]);
  });

  it('reuses an existing cluster, and resumes a paused one', async () => {
    const cluster = new LocalCluster({ describesWhileCreating: 1 });
    await cluster.ensureCluster(spec);
    await cluster.describeCluster('sparkify-dwh');

    const reused = await cluster.ensureCluster(spec);
    cluster.pause('sparkify-dwh');
    const resumed = await cluster.ensureCluster(spec);

    expect([reused.action, reused.state.status]).toEqual(['reused', 'available']);
    expect([resumed.action, resumed.state.status]).toEqual(['resumed', 'resuming']);
    expect((await cluster.describeCluster('sparkify-dwh')).status).toBe('available');
  });

  it('fails to describe a cluster that does not exist, with the name AWS gives that error', async () => {
    await expect(new LocalCluster().describeCluster('missing')).rejects.toMatchObject({
      name: 'ClusterNotFoundFault',
      message: 'Cluster missing not found.',
    });
  });

  it('creates a role once and reuses it', async () => {
    const cluster = new LocalCluster();
    const role = { name: 'sparkify-dwh-s3-read', policyName: 'read-sources', policy: {} };

    expect(await cluster.ensureRole(role)).toEqual({ arn: spec.roleArn, created: true });
    expect(await cluster.ensureRole(role)).toEqual({ arn: spec.roleArn, created: false });
  });

  it('adds an ingress rule once, then reports it as existing', async () => {
    const cluster = new LocalCluster();

    expect(await cluster.authorizeIngress('sg-local', '203.0.113.7/32', 5439)).toBe('added');
    expect(await cluster.authorizeIngress('sg-local', '203.0.113.7/32', 5439)).toBe('exists');
  });
});
