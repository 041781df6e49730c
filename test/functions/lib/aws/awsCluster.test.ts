import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { ClusterNotFoundFault, DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsCluster, deriveAvailability } from '../../../../functions/lib/aws/awsCluster';

const redshift = mockClient(RedshiftClient);
const cluster = createAwsCluster({
  redshift: new RedshiftClient({}),
  redshiftServerless: new RedshiftServerlessClient({}),
  iam: new IAMClient({}),
  ec2: new EC2Client({}),
});

beforeEach(() => redshift.reset());

describe('createAwsCluster', () => {
  it('describes a cluster with its endpoint and its active security groups first', async () => {
    redshift.on(DescribeClustersCommand, { ClusterIdentifier: 'sparkify-dwh' }).resolves({
      Clusters: [
        {
          ClusterIdentifier: 'sparkify-dwh',
          ClusterStatus: 'available',
          ClusterAvailabilityStatus: 'Maintenance',
          Endpoint: { Address: 'sparkify-dwh.abc.us-west-2.redshift.amazonaws.com', Port: 5440 },
          VpcSecurityGroups: [
            { VpcSecurityGroupId: 'sg-adding', Status: 'adding' },
            { VpcSecurityGroupId: 'sg-active', Status: 'active' },
          ],
        },
      ],
    });

    expect(await cluster.describeCluster('sparkify-dwh')).toEqual({
      identifier: 'sparkify-dwh',
      status: 'available',
      availability: 'Maintenance',
      endpoint: { address: 'sparkify-dwh.abc.us-west-2.redshift.amazonaws.com', port: 5440 },
      securityGroupIds: ['sg-active', 'sg-adding'],
    });
  });

  it('lets a missing cluster fail as ClusterNotFoundFault, the name the steps look for', async () => {
    redshift.on(DescribeClustersCommand).rejects(new ClusterNotFoundFault({ message: 'Cluster sparkify-dwh not found.', $metadata: {} }));

    await expect(cluster.describeCluster('sparkify-dwh')).rejects.toMatchObject({ name: 'ClusterNotFoundFault' });
  });

});

describe('deriveAvailability', () => {
  it.each([
    ['available', 'Available'],
    ['creating', 'Unavailable'],
    ['paused', 'Unavailable'],
    ['rebooting', 'Modifying'],
    ['resizing', 'Modifying'],
    ['incompatible-parameters', 'Failed'],
    ['hardware-failure', 'Failed'],
  ])('derives %s as %s', (status, availability) => {
    expect(deriveAvailability(status)).toBe(availability);
  });
});
