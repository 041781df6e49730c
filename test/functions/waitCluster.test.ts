import './awsTestEnv';
import { ClusterNotFoundFault, DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ClusterFailedError, SettingsError } from '../../functions/lib/errors';
import { handler, waitCluster } from '../../functions/waitCluster';
import { awsDeps, CLUSTER_ENV, lambdaContext, ROLE_ARN, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const redshift = mockClient(RedshiftClient);

beforeEach(() => redshift.reset());

describe('waitCluster', () => {
  it('describes the cluster and counts the attempt', async () => {
    redshift.on(DescribeClustersCommand).resolves({
      Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'creating', ClusterAvailabilityStatus: 'Unavailable' }],
    });

    const result = await waitCluster({ cluster: { identifier: 'sparkify-dwh', attempt: 2, action: 'created', roleArn: ROLE_ARN } }, awsDeps(testSettings()));

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

    const result = await waitCluster({ cluster: { attempt: 0 } }, awsDeps(testSettings()));

    expect(result).toMatchObject({ status, availability });
  });

  it('lower-cases the ClusterStatus', async () => {
    redshift.on(DescribeClustersCommand).resolves({
      Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'Available', ClusterAvailabilityStatus: 'Available' }],
    });

    const result = await waitCluster({}, awsDeps(testSettings()));

    expect(result.status).toBe('available');
  });

  it('describes once and answers in the same shape when invoked alone', async () => {
    redshift.on(DescribeClustersCommand).resolves({
      Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'available', ClusterAvailabilityStatus: 'Available' }],
    });

    const result = await waitCluster({}, awsDeps(testSettings()));

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

    const attempt = waitCluster({ cluster: { attempt: 4 } }, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(ClusterFailedError);
    await expect(attempt).rejects.toThrow('Cluster sparkify-dwh does not exist (run createCluster first): Cluster sparkify-dwh not found.');
  });

  it.each([
    ['a negative attempt', { cluster: { attempt: -1 } }, '$.cluster.attempt'],
    ['a fractional attempt', { cluster: { attempt: 1.5 } }, '$.cluster.attempt'],
    ['an unknown action', { cluster: { action: 'deleted' } }, '$.cluster.action'],
  ])('refuses an event with %s, naming the field', async (_, event, field) => {
    const attempt = waitCluster(event as never, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(SettingsError);
    await expect(attempt).rejects.toThrow(`Invalid event for waitCluster: ${field}`);
    expect(redshift.calls()).toHaveLength(0);
  });

  it('answers available at once on the serverless target', async () => {
    const result = await waitCluster({ cluster: { attempt: 0 } }, awsDeps(testSettings(SERVERLESS_ENV)));

    expect(redshift.calls()).toHaveLength(0);
    expect(result).toEqual({
      identifier: 'sparkify-wg',
      status: 'available',
      availability: 'Available',
      attempt: 1,
      message: 'Target is Redshift Serverless workgroup sparkify-wg: nothing to wait for',
      action: 'skipped',
      roleArn: ROLE_ARN,
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
