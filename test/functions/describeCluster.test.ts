import './awsTestEnv';
import { ClusterNotFoundFault, DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import {
  GetNamespaceCommand,
  GetWorkgroupCommand,
  RedshiftServerlessClient,
  ResourceNotFoundException,
  type NamespaceStatus,
  type WorkgroupStatus,
} from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ClusterFailedError, InvalidEventError } from '../../functions/lib/contracts/errors';
import { handler, describeCluster } from '../../functions/describeCluster';
import { awsDeps, CLUSTER_ENV, lambdaContext, ROLE_ARN, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const redshift = mockClient(RedshiftClient);
const serverless = mockClient(RedshiftServerlessClient);

beforeEach(() => {
  redshift.reset();
  serverless.reset();
});

/** GetNamespace and GetWorkgroup answering these statuses. */
function serverlessStatuses(namespaceStatus: string, workgroupStatus: string): void {
  serverless.on(GetNamespaceCommand, { namespaceName: 'sparkify-ns' }).resolves({
    namespace: { namespaceName: 'sparkify-ns', status: namespaceStatus as NamespaceStatus, iamRoles: [] },
  });
  serverless.on(GetWorkgroupCommand, { workgroupName: 'sparkify-wg' }).resolves({
    workgroup: { workgroupName: 'sparkify-wg', namespaceName: 'sparkify-ns', status: workgroupStatus as WorkgroupStatus },
  });
}

describe('describeCluster', () => {
  it('describes the cluster and counts the attempt', async () => {
    redshift.on(DescribeClustersCommand).resolves({
      Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'creating', ClusterAvailabilityStatus: 'Unavailable' }],
    });

    const result = await describeCluster({ cluster: { identifier: 'sparkify-dwh', attempt: 2, action: 'created', roleArn: ROLE_ARN } }, awsDeps(testSettings()));

    expect(redshift).toHaveReceivedCommandWith(DescribeClustersCommand, { ClusterIdentifier: 'sparkify-dwh' });
    expect(result).toEqual({
      identifier: 'sparkify-dwh',
      status: 'creating',
      availability: 'Unavailable',
      attempt: 3,
      message: 'Cluster sparkify-dwh is creating (Unavailable), described 3 times',
      action: 'created',
      roleArn: ROLE_ARN,
    });
  });

  it.each([
    ['available', 'Available'],
    ['creating', 'Unavailable'],
    ['resuming', 'Unavailable'],
    ['modifying', 'Modifying'],
    ['incompatible-network', 'Failed'],
    ['hardware-failure', 'Failed'],
  ])('reports a %s cluster without ClusterAvailabilityStatus as %s', async (status, availability) => {
    redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: status }] });

    const result = await describeCluster({ cluster: { attempt: 0 } }, awsDeps(testSettings()));

    expect(result).toMatchObject({ status, availability });
  });

  it('lower-cases the ClusterStatus', async () => {
    redshift.on(DescribeClustersCommand).resolves({
      Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'Available', ClusterAvailabilityStatus: 'Available' }],
    });

    const result = await describeCluster({}, awsDeps(testSettings()));

    expect(result.status).toBe('available');
  });

  it('describes once and answers in the same shape when invoked alone', async () => {
    redshift.on(DescribeClustersCommand).resolves({
      Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'available', ClusterAvailabilityStatus: 'Available' }],
    });

    const result = await describeCluster({}, awsDeps(testSettings()));

    expect(redshift).toHaveReceivedCommandTimes(DescribeClustersCommand, 1);
    expect(result).toEqual({
      identifier: 'sparkify-dwh',
      status: 'available',
      availability: 'Available',
      attempt: 1,
      message: 'Cluster sparkify-dwh is available (Available), described 1 time',
      roleArn: ROLE_ARN,
    });
  });

  it('fails with ClusterFailedError naming a cluster that does not exist', async () => {
    redshift.on(DescribeClustersCommand).rejects(new ClusterNotFoundFault({ message: 'Cluster sparkify-dwh not found.', $metadata: {} }));

    const attempt = describeCluster({ cluster: { attempt: 4 } }, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(ClusterFailedError);
    await expect(attempt).rejects.toThrow('Cluster sparkify-dwh does not exist (run createCluster first): Cluster sparkify-dwh not found.');
  });

  it.each([
    ['a negative attempt', { cluster: { attempt: -1 } }, '$.cluster.attempt'],
    ['a fractional attempt', { cluster: { attempt: 1.5 } }, '$.cluster.attempt'],
    ['an unknown action', { cluster: { action: 'deleted' } }, '$.cluster.action'],
  ])('refuses an event with %s, naming the field', async (_, event, field) => {
    const attempt = describeCluster(event as never, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(InvalidEventError);
    await expect(attempt).rejects.toThrow(`Invalid event for describeCluster: ${field}`);
    expect(redshift.calls()).toHaveLength(0);
  });

  describe('on Redshift Serverless', () => {
    const settings = testSettings(SERVERLESS_ENV);

    it('describes the namespace and the workgroup and counts the attempt', async () => {
      serverlessStatuses('AVAILABLE', 'CREATING');

      const result = await describeCluster({ cluster: { identifier: 'sparkify-wg', attempt: 1, action: 'created', roleArn: ROLE_ARN } }, awsDeps(settings));

      expect(serverless).toHaveReceivedCommandWith(GetNamespaceCommand, { namespaceName: 'sparkify-ns' });
      expect(serverless).toHaveReceivedCommandWith(GetWorkgroupCommand, { workgroupName: 'sparkify-wg' });
      expect(redshift.calls()).toHaveLength(0);
      expect(result).toEqual({
        identifier: 'sparkify-wg',
        status: 'creating',
        availability: 'Unavailable',
        attempt: 2,
        message: 'Namespace sparkify-ns is AVAILABLE, workgroup sparkify-wg is CREATING, described 2 times',
        action: 'created',
        roleArn: ROLE_ARN,
      });
    });

    // Every NamespaceStatus with every WorkgroupStatus (API reference: Namespace, Workgroup), and a status AWS may add.
    it.each([
      ['AVAILABLE', 'AVAILABLE', 'available', 'Available'],
      ['AVAILABLE', 'CREATING', 'creating', 'Unavailable'],
      ['AVAILABLE', 'MODIFYING', 'modifying', 'Modifying'],
      ['AVAILABLE', 'DELETING', 'deleting', 'Unavailable'],
      ['MODIFYING', 'AVAILABLE', 'modifying', 'Modifying'],
      ['MODIFYING', 'CREATING', 'creating', 'Unavailable'],
      ['MODIFYING', 'MODIFYING', 'modifying', 'Modifying'],
      ['MODIFYING', 'DELETING', 'deleting', 'Unavailable'],
      ['DELETING', 'AVAILABLE', 'deleting', 'Unavailable'],
      ['DELETING', 'CREATING', 'deleting', 'Unavailable'],
      ['DELETING', 'MODIFYING', 'deleting', 'Unavailable'],
      ['DELETING', 'DELETING', 'deleting', 'Unavailable'],
      ['AVAILABLE', 'A_NEW_STATUS', 'a_new_status', 'Unavailable'],
      ['A_NEW_STATUS', 'CREATING', 'a_new_status', 'Unavailable'],
    ])('reports a %s namespace with a %s workgroup as %s (%s)', async (namespaceStatus, workgroupStatus, status, availability) => {
      serverlessStatuses(namespaceStatus, workgroupStatus);

      const result = await describeCluster({ cluster: { attempt: 0 } }, awsDeps(settings));

      expect(result).toMatchObject({ status, availability });
    });

    it.each([
      ['workgroup', GetWorkgroupCommand, 'Workgroup sparkify-wg does not exist (run createCluster first): Workgroup sparkify-wg not found'],
      ['namespace', GetNamespaceCommand, 'Namespace sparkify-ns does not exist (run createCluster first): Namespace sparkify-ns not found'],
    ] as const)('fails with ClusterFailedError naming a %s that does not exist', async (what, command, message) => {
      serverlessStatuses('AVAILABLE', 'AVAILABLE');
      const name = what === 'workgroup' ? 'sparkify-wg' : 'sparkify-ns';
      const missing = new ResourceNotFoundException({ message: `${what[0].toUpperCase()}${what.slice(1)} ${name} not found`, $metadata: {} });
      if (command === GetWorkgroupCommand) serverless.on(GetWorkgroupCommand).rejects(missing);
      else serverless.on(GetNamespaceCommand).rejects(missing);

      const attempt = describeCluster({ cluster: { attempt: 3 } }, awsDeps(settings));

      await expect(attempt).rejects.toThrow(new ClusterFailedError(message));
    });
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv({ ...CLUSTER_ENV, DWH_CLUSTER_IDENTIFIER: 'sparkify-handler' });
    redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'sparkify-handler', ClusterStatus: 'creating' }] });

    try {
      const result = await handler({}, lambdaContext());

      expect(redshift).toHaveReceivedCommandWith(DescribeClustersCommand, { ClusterIdentifier: 'sparkify-handler' });
      expect(result).toMatchObject({ identifier: 'sparkify-handler', status: 'creating', availability: 'Unavailable', attempt: 1 });
    } finally {
      restore();
    }
  });
});
