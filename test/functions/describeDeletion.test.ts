import './awsTestEnv';
import { ClusterNotFoundFault, DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { GetWorkgroupCommand, RedshiftServerlessClient, ResourceNotFoundException } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { describeDeletion, handler } from '../../functions/describeDeletion';
import { awsDeps, CLUSTER_ENV, lambdaContext, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const redshift = mockClient(RedshiftClient);
const serverless = mockClient(RedshiftServerlessClient);
const DELETING = { resource: 'cluster' as const, name: 'sparkify-dwh', status: 'deleting', attempt: 3, message: '' };

beforeEach(() => {
  redshift.reset();
  serverless.reset();
});

describe('describeDeletion', () => {
  it('describes the cluster once more and counts the attempt', async () => {
    redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'deleting' }] });

    const result = await describeDeletion({ deletion: DELETING }, awsDeps(testSettings()));

    expect(redshift).toHaveReceivedCommandWith(DescribeClustersCommand, { ClusterIdentifier: 'sparkify-dwh' });
    expect(result).toEqual({ ...DELETING, attempt: 4, message: 'Cluster sparkify-dwh is deleting, described 4 times' });
  });

  it('answers deleted once the cluster is gone', async () => {
    redshift.on(DescribeClustersCommand).rejects(new ClusterNotFoundFault({ message: 'Cluster sparkify-dwh not found.', $metadata: {} }));

    const result = await describeDeletion({ deletion: DELETING }, awsDeps(testSettings()));

    expect(result).toEqual({ ...DELETING, status: 'deleted', attempt: 4, message: 'Cluster sparkify-dwh is deleted, described 4 times' });
  });

  it('describes the workgroup on Serverless, its status lower-cased for the Choice', async () => {
    serverless
      .on(GetWorkgroupCommand)
      .resolvesOnce({ workgroup: { workgroupName: 'sparkify-wg', status: 'DELETING' } })
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    const deletion = { resource: 'workgroup' as const, name: 'sparkify-wg', status: 'deleting', attempt: 0, message: '' };
    const deps = awsDeps(testSettings(SERVERLESS_ENV));

    const first = await describeDeletion({ deletion }, deps);
    const second = await describeDeletion({ deletion: first }, deps);

    expect([first.status, first.message]).toEqual(['deleting', 'Workgroup sparkify-wg is deleting, described 1 time']);
    expect([second.status, second.attempt]).toEqual(['deleted', 2]);
  });

  it('refuses an event without a deletion, naming the field', async () => {
    await expect(describeDeletion({}, awsDeps(testSettings()))).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringContaining('Invalid event for describeDeletion: $.deletion'),
    });
  });

  it('runs as a Lambda handler', async () => {
    const restore = setEnv({ ...CLUSTER_ENV });
    redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'final-snapshot' }] });
    try {
      expect(await handler({ deletion: DELETING }, lambdaContext())).toMatchObject({ status: 'final-snapshot', attempt: 4 });
    } finally {
      restore();
    }
  });
});
