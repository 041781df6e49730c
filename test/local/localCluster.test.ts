import type { NamespaceSpec, WorkgroupSpec } from '../../functions/lib/ports/cluster';
import { LocalCluster } from '../../local/localCluster';
import { CLUSTER_SPEC } from './clusterSpec';

const spec = CLUSTER_SPEC;

const namespace: NamespaceSpec = { name: 'sparkify-ns', dbName: 'dev', dbUser: 'awsuser', roleArn: spec.roleArn };
const workgroup: WorkgroupSpec = { name: 'sparkify-wg', namespaceName: 'sparkify-ns', baseCapacity: 8, port: 5440, publiclyAccessible: false };
const OTHER_ROLE = 'arn:aws:iam::000000000000:role/analysts';

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
      ['creating', 'Modifying'],
      ['available', 'Available'],
    ]);
  });

  it('reuses an existing cluster, and resumes a paused one', async () => {
    const cluster = new LocalCluster({ describesWhileCreating: 0 });
    await cluster.ensureCluster(spec);
    await cluster.describeCluster('sparkify-dwh');

    const reused = await cluster.ensureCluster(spec);
    cluster.pause('sparkify-dwh');
    const resumed = await cluster.ensureCluster(spec);

    expect([reused.action, reused.state.status]).toEqual(['reused', 'available']);
    expect([resumed.action, resumed.state.status]).toEqual(['resumed', 'resuming']);
    expect((await cluster.describeCluster('sparkify-dwh')).status).toBe('available');
  });

  it('pauses an available cluster: pausing for the configured describes, then paused', async () => {
    const cluster = new LocalCluster({ describesWhileCreating: 1 });
    await cluster.ensureCluster(spec);
    await cluster.describeCluster('sparkify-dwh');
    await cluster.describeCluster('sparkify-dwh');

    const pausing = await cluster.pauseCluster('sparkify-dwh');
    const statuses = [(await cluster.describeCluster('sparkify-dwh')).status, (await cluster.describeCluster('sparkify-dwh')).status];

    expect([pausing.status, pausing.availability]).toEqual(['pausing', 'Unavailable']);
    expect(statuses).toEqual(['pausing', 'paused']);
  });

  it.each([
    ['creating', async (cluster: LocalCluster) => cluster.ensureCluster(spec)],
    ['paused', async (cluster: LocalCluster) => {
      await cluster.ensureCluster(spec);
      cluster.pause('sparkify-dwh');
    }],
  ])("refuses to pause a %s cluster with Redshift's InvalidClusterStateFault", async (status, prepare) => {
    const cluster = new LocalCluster();
    await prepare(cluster);

    await expect(cluster.pauseCluster('sparkify-dwh')).rejects.toMatchObject({
      name: 'InvalidClusterStateFault',
      message: `The specified cluster is not in the available state (cluster sparkify-dwh is ${status}).`,
    });
  });

  it('refuses to pause a cluster that does not exist with ClusterNotFoundFault', async () => {
    await expect(new LocalCluster().pauseCluster('missing')).rejects.toMatchObject({ name: 'ClusterNotFoundFault' });
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

  describe('Serverless', () => {
    it('creates a namespace, available at once, with the role attached', async () => {
      const cluster = new LocalCluster();

      const created = await cluster.ensureNamespace(namespace);

      expect(created).toEqual({ action: 'created', state: { name: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [spec.roleArn] } });
      expect(cluster.namespaceRoles('sparkify-ns')).toEqual([spec.roleArn]);
    });

    it('creates a workgroup that stays CREATING for the configured number of describes, then is AVAILABLE', async () => {
      const cluster = new LocalCluster({ describesWhileCreating: 2 });
      await cluster.ensureNamespace(namespace);

      const created = await cluster.ensureWorkgroup(workgroup);
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await cluster.describeWorkgroup('sparkify-wg')).status);

      expect(created).toEqual({
        action: 'created',
        state: { name: 'sparkify-wg', namespaceName: 'sparkify-ns', status: 'CREATING', port: 5440, securityGroupIds: ['sg-local'] },
      });
      expect(statuses).toEqual(['CREATING', 'CREATING', 'AVAILABLE']);
    });

    it('reuses a namespace that has the role and a workgroup that exists', async () => {
      const cluster = new LocalCluster({ describesWhileCreating: 0 });
      await cluster.ensureNamespace(namespace);
      await cluster.ensureWorkgroup(workgroup);
      await cluster.describeWorkgroup('sparkify-wg');

      const namespaceAgain = await cluster.ensureNamespace(namespace);
      const workgroupAgain = await cluster.ensureWorkgroup(workgroup);

      expect([namespaceAgain.action, namespaceAgain.state.status]).toEqual(['reused', 'AVAILABLE']);
      expect([workgroupAgain.action, workgroupAgain.state.status]).toEqual(['reused', 'AVAILABLE']);
    });

    it('attaches the role to a namespace without it, keeping its roles, MODIFYING until described enough', async () => {
      const cluster = new LocalCluster({ describesWhileCreating: 1 });
      await cluster.ensureNamespace({ ...namespace, roleArn: OTHER_ROLE });

      const updated = await cluster.ensureNamespace(namespace);
      const statuses = [];
      for (let i = 0; i < 2; i += 1) statuses.push((await cluster.describeNamespace('sparkify-ns')).status);

      expect(updated).toEqual({ action: 'role-added', state: { name: 'sparkify-ns', status: 'MODIFYING', iamRoles: [OTHER_ROLE, spec.roleArn] } });
      expect(cluster.namespaceRoles('sparkify-ns')).toEqual([OTHER_ROLE, spec.roleArn]);
      expect(statuses).toEqual(['MODIFYING', 'AVAILABLE']);
    });

    it('refuses a workgroup in a namespace that does not exist, as CreateWorkgroup does', async () => {
      await expect(new LocalCluster().ensureWorkgroup(workgroup)).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: 'Namespace sparkify-ns not found.',
      });
    });

    it.each([
      ['namespace', (cluster: LocalCluster) => cluster.describeNamespace('missing'), 'Namespace missing not found.'],
      ['workgroup', (cluster: LocalCluster) => cluster.describeWorkgroup('missing'), 'Workgroup missing not found.'],
    ])('fails to describe a %s that does not exist, with the name AWS gives that error', async (_, describe, message) => {
      await expect(describe(new LocalCluster())).rejects.toMatchObject({ name: 'ResourceNotFoundException', message });
    });
  });
});

describe('LocalCluster deletions, as AWS refuses or allows them', () => {
  it('deletes an available cluster: final-snapshot, then gone, then ClusterNotFoundFault', async () => {
    const cluster = new LocalCluster({ describesWhileCreating: 0 });
    await cluster.ensureCluster(spec);
    await cluster.describeCluster('sparkify-dwh');

    const deleting = await cluster.deleteCluster('sparkify-dwh', 'final');

    expect(deleting.status).toBe('final-snapshot');
    await expect(cluster.describeCluster('sparkify-dwh')).rejects.toMatchObject({ name: 'ClusterNotFoundFault' });
  });

  it("refuses to delete a cluster in a transition with Redshift's InvalidClusterStateFault", async () => {
    const cluster = new LocalCluster();
    await cluster.ensureCluster(spec);

    await expect(cluster.deleteCluster('sparkify-dwh')).rejects.toMatchObject({
      name: 'InvalidClusterStateFault',
      message: 'The specified cluster is not in the available state (cluster sparkify-dwh is creating).',
    });
  });

  it('refuses to delete a namespace while its workgroup exists, and deletes it once the workgroup is gone', async () => {
    const cluster = new LocalCluster({ describesWhileCreating: 0 });
    await cluster.ensureNamespace(namespace);
    await cluster.ensureWorkgroup(workgroup);

    await expect(cluster.deleteNamespace('sparkify-ns')).rejects.toMatchObject({ name: 'ConflictException' });
    await cluster.deleteWorkgroup('sparkify-wg');
    await expect(cluster.describeWorkgroup('sparkify-wg')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await cluster.deleteNamespace('sparkify-ns')).status).toBe('DELETING');
  });

  it('revokes the rules of one security group, and deletes a role once', async () => {
    const cluster = new LocalCluster();
    await cluster.authorizeIngress('sg-a', '203.0.113.7/32', 5439);
    await cluster.authorizeIngress('sg-b', '203.0.113.7/32', 5439);
    await cluster.ensureRole({ name: 'copy', policyName: 'p', policy: {} });

    expect(await cluster.revokeIngress('sg-a', 'any')).toEqual(['sgr-local-1']);
    expect(await cluster.revokeIngress('sg-a', 'any')).toEqual([]);
    expect([await cluster.deleteRole('copy', 'p'), await cluster.deleteRole('copy', 'p')]).toEqual(['deleted', 'absent']);
  });

  it('keeps everything through a snapshot and restore (dwh-cluster.json)', async () => {
    const cluster = new LocalCluster({ describesWhileCreating: 0 });
    await cluster.ensureCluster(spec);
    await cluster.authorizeIngress('sg-local', '203.0.113.7/32', 5439);

    const restored = LocalCluster.restore(JSON.parse(JSON.stringify(cluster.snapshot())), { describesWhileCreating: 0 });

    expect((await restored.describeCluster('sparkify-dwh')).status).toBe('available');
    expect(await restored.authorizeIngress('sg-local', '203.0.113.7/32', 5439)).toBe('exists');
  });
});
