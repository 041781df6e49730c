import './awsTestEnv';
import { AuthorizeSecurityGroupIngressCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { GetWorkgroupCommand, RedshiftServerlessClient, ResourceNotFoundException } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ClusterFailedError, SettingsError } from '../../functions/lib/contracts/errors';
import { handler, openPort } from '../../functions/openPort';
import { awsDeps, CLUSTER_ENV, lambdaContext, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const redshift = mockClient(RedshiftClient);
const ec2 = mockClient(EC2Client);
const serverless = mockClient(RedshiftServerlessClient);

const DUPLICATE = new EC2ServiceException({
  name: 'InvalidPermission.Duplicate',
  $fault: 'client',
  message: 'the specified rule already exists',
  $metadata: {},
});

function ingressCalls() {
  return ec2.commandCalls(AuthorizeSecurityGroupIngressCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  redshift.reset();
  ec2.reset();
  serverless.reset();
  redshift.on(DescribeClustersCommand).resolves({
    Clusters: [
      {
        ClusterIdentifier: 'sparkify-dwh',
        ClusterStatus: 'available',
        Endpoint: { Address: 'sparkify-dwh.abc.us-west-2.redshift.amazonaws.com', Port: 5439 },
        VpcSecurityGroups: [
          { VpcSecurityGroupId: 'sg-old', Status: 'removing' },
          { VpcSecurityGroupId: 'sg-active', Status: 'active' },
        ],
      },
    ],
  });
  ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({});
});

describe('openPort', () => {
  it('authorizes each configured CIDR on the port of the first active security group, one rule each', async () => {
    const settings = testSettings({ DWH_INGRESS_CIDRS: '203.0.113.7/32, 198.51.100.0/24' });

    const result = await openPort({ cluster: { identifier: 'sparkify-dwh' } }, awsDeps(settings));

    expect(ingressCalls()).toEqual(
      ['203.0.113.7/32', '198.51.100.0/24'].map((cidr) => ({
        GroupId: 'sg-active',
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 5439,
            ToPort: 5439,
            IpRanges: [{ CidrIp: cidr, Description: 'Redshift access opened by the sparkify-dwh pipeline' }],
          },
        ],
      })),
    );
    expect(result).toEqual({
      groupId: 'sg-active',
      port: 5439,
      added: ['203.0.113.7/32', '198.51.100.0/24'],
      existing: [],
      message: 'Port 5439 of cluster sparkify-dwh on sg-active: opened to 203.0.113.7/32, 198.51.100.0/24',
    });
  });

  it('takes no event: it describes the configured cluster whatever it is given', async () => {
    const settings = testSettings({ DWH_INGRESS_CIDRS: '203.0.113.7/32' });

    const result = await openPort({ cluster: { identifier: 'another-cluster', attempt: -1 } }, awsDeps(settings));

    expect(redshift.commandCalls(DescribeClustersCommand).map((call) => call.args[0].input)).toEqual([{ ClusterIdentifier: 'sparkify-dwh' }]);
    expect(result).toMatchObject({ groupId: 'sg-active', added: ['203.0.113.7/32'] });
  });

  it('counts a rule that already exists as success', async () => {
    const settings = testSettings({ DWH_INGRESS_CIDRS: '203.0.113.7/32,198.51.100.0/24' });
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejectsOnce(DUPLICATE).resolves({});

    const result = await openPort({}, awsDeps(settings));

    expect(result).toMatchObject({ added: ['198.51.100.0/24'], existing: ['203.0.113.7/32'] });
    expect(result.message).toBe('Port 5439 of cluster sparkify-dwh on sg-active: opened to 198.51.100.0/24; already open to 203.0.113.7/32');
  });

  it('lets any other EC2 error fail under its own name', async () => {
    const settings = testSettings({ DWH_INGRESS_CIDRS: '203.0.113.7/32' });
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(
      new EC2ServiceException({ name: 'UnauthorizedOperation', $fault: 'client', message: 'not allowed', $metadata: {} }),
    );

    await expect(openPort({}, awsDeps(settings))).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  });

  it('opens nothing, and says why, when no CIDR is configured', async () => {
    const result = await openPort({}, awsDeps(testSettings()));

    expect(redshift.calls()).toHaveLength(0);
    expect(ec2.calls()).toHaveLength(0);
    expect(result).toEqual({
      port: 5439,
      added: [],
      existing: [],
      message: 'No CIDR configured in DWH_INGRESS_CIDRS: the port stays closed (the Data API needs no open port)',
    });
  });

  describe('on Redshift Serverless', () => {
    beforeEach(() => {
      serverless.on(GetWorkgroupCommand, { workgroupName: 'sparkify-wg' }).resolves({
        workgroup: {
          workgroupName: 'sparkify-wg',
          namespaceName: 'sparkify-ns',
          status: 'AVAILABLE',
          port: 5439,
          endpoint: { address: 'sparkify-wg.123456789012.us-west-2.redshift-serverless.amazonaws.com', port: 5441 },
          securityGroupIds: ['sg-wg', 'sg-other'],
        },
      });
    });

    it("opens the workgroup's endpoint port on its first security group to each configured CIDR", async () => {
      const settings = testSettings({ ...SERVERLESS_ENV, DWH_INGRESS_CIDRS: '203.0.113.7/32,198.51.100.0/24' });
      ec2.on(AuthorizeSecurityGroupIngressCommand).rejectsOnce(DUPLICATE).resolves({});

      const result = await openPort({ cluster: { identifier: 'sparkify-wg' } }, awsDeps(settings));

      expect(redshift.calls()).toHaveLength(0);
      expect(ingressCalls()).toEqual(
        ['203.0.113.7/32', '198.51.100.0/24'].map((cidr) => ({
          GroupId: 'sg-wg',
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 5441,
              ToPort: 5441,
              IpRanges: [{ CidrIp: cidr, Description: 'Redshift access opened by the sparkify-dwh pipeline' }],
            },
          ],
        })),
      );
      expect(result).toEqual({
        groupId: 'sg-wg',
        port: 5441,
        added: ['198.51.100.0/24'],
        existing: ['203.0.113.7/32'],
        message: 'Port 5441 of workgroup sparkify-wg on sg-wg: opened to 198.51.100.0/24; already open to 203.0.113.7/32',
      });
    });

    it('opens nothing, and describes nothing, when no CIDR is configured', async () => {
      const result = await openPort({}, awsDeps(testSettings(SERVERLESS_ENV)));

      expect(serverless.calls()).toHaveLength(0);
      expect(ec2.calls()).toHaveLength(0);
      expect(result.message).toBe('No CIDR configured in DWH_INGRESS_CIDRS: the port stays closed (the Data API needs no open port)');
    });

    it('fails with ClusterFailedError when the workgroup has no security group', async () => {
      serverless.on(GetWorkgroupCommand).resolves({ workgroup: { workgroupName: 'sparkify-wg', status: 'AVAILABLE', port: 5439 } });

      const attempt = openPort({}, awsDeps(testSettings({ ...SERVERLESS_ENV, DWH_INGRESS_CIDRS: '203.0.113.7/32' })));

      await expect(attempt).rejects.toThrow(new ClusterFailedError('Workgroup sparkify-wg has no VPC security group to open'));
      expect(ec2.calls()).toHaveLength(0);
    });

    it('fails with ClusterFailedError naming a workgroup that does not exist', async () => {
      serverless.on(GetWorkgroupCommand).rejects(new ResourceNotFoundException({ message: 'Workgroup sparkify-wg not found', $metadata: {} }));

      const attempt = openPort({}, awsDeps(testSettings({ ...SERVERLESS_ENV, DWH_INGRESS_CIDRS: '203.0.113.7/32' })));

      await expect(attempt).rejects.toThrow(
        new ClusterFailedError('Workgroup sparkify-wg does not exist (run createCluster first): Workgroup sparkify-wg not found'),
      );
    });
  });

  it('opens the port to the whole internet only when DWH_ALLOW_PUBLIC_INGRESS allows it', async () => {
    const settings = testSettings({ DWH_INGRESS_CIDRS: '0.0.0.0/0', DWH_ALLOW_PUBLIC_INGRESS: 'true' });

    const result = await openPort({}, awsDeps(settings));

    expect(result.added).toEqual(['0.0.0.0/0']);
  });

  it('refuses 0.0.0.0/0 again if settings built elsewhere let it through without the flag', async () => {
    const settings = { ...testSettings(), ingressCidrs: ['0.0.0.0/0'], allowPublicIngress: false };

    const attempt = openPort({}, awsDeps(settings));

    await expect(attempt).rejects.toThrow(SettingsError);
    await expect(attempt).rejects.toThrow('DWH_INGRESS_CIDRS: 0.0.0.0/0 needs DWH_ALLOW_PUBLIC_INGRESS=true');
    expect(ec2.calls()).toHaveLength(0);
  });

  it('fails with ClusterFailedError when the cluster has no security group', async () => {
    redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'available' }] });

    const attempt = openPort({}, awsDeps(testSettings({ DWH_INGRESS_CIDRS: '203.0.113.7/32' })));

    await expect(attempt).rejects.toThrow(new ClusterFailedError('Cluster sparkify-dwh has no VPC security group to open'));
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv({ ...CLUSTER_ENV, DWH_INGRESS_CIDRS: '192.0.2.1/32', DWH_DB_PORT: '5440' });
    redshift.on(DescribeClustersCommand).resolves({
      Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'available', VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-1', Status: 'active' }] }],
    });

    try {
      const result = await handler({ cluster: { identifier: 'sparkify-dwh' } }, lambdaContext());

      expect(ec2).toHaveReceivedCommandWith(AuthorizeSecurityGroupIngressCommand, { GroupId: 'sg-1' });
      expect(result).toMatchObject({ groupId: 'sg-1', port: 5440, added: ['192.0.2.1/32'] });
    } finally {
      restore();
    }
  });
});
