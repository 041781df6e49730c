import './awsTestEnv';
import { DescribeSecurityGroupRulesCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { ClusterNotFoundFault, DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { GetWorkgroupCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler, revokeIngress } from '../../functions/revokeIngress';
import { awsDeps, CLUSTER_ENV, lambdaContext, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const redshift = mockClient(RedshiftClient);
const ec2 = mockClient(EC2Client);
const serverless = mockClient(RedshiftServerlessClient);
const PIPELINE = 'Redshift access opened by the sparkify-dwh pipeline';

beforeEach(() => {
  redshift.reset();
  ec2.reset();
  serverless.reset();
  redshift.on(DescribeClustersCommand).resolves({
    Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'available', VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-1', Status: 'active' }] }],
  });
  ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
});

describe('revokeIngress', () => {
  it("revokes exactly the group's ingress rules with the pipeline's description, over every page of rules", async () => {
    ec2
      .on(DescribeSecurityGroupRulesCommand, { Filters: [{ Name: 'group-id', Values: ['sg-1'] }] })
      .resolvesOnce({
        SecurityGroupRules: [
          { SecurityGroupRuleId: 'sgr-1', IsEgress: false, Description: PIPELINE },
          { SecurityGroupRuleId: 'sgr-2', IsEgress: false, Description: 'a rule someone else added' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        SecurityGroupRules: [
          { SecurityGroupRuleId: 'sgr-3', IsEgress: true, Description: PIPELINE },
          { SecurityGroupRuleId: 'sgr-4', IsEgress: false, Description: PIPELINE },
        ],
      });

    const result = await revokeIngress({ input: {} }, awsDeps(testSettings()));

    // The paginator asks again with the first page's NextToken, for the same group.
    expect(ec2).toHaveReceivedCommandTimes(DescribeSecurityGroupRulesCommand, 2);
    expect(ec2.commandCalls(DescribeSecurityGroupRulesCommand)[1].args[0].input).toMatchObject({
      Filters: [{ Name: 'group-id', Values: ['sg-1'] }],
      NextToken: 'page-2',
    });
    expect(ec2).toHaveReceivedCommandTimes(RevokeSecurityGroupIngressCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(RevokeSecurityGroupIngressCommand, { GroupId: 'sg-1', SecurityGroupRuleIds: ['sgr-1', 'sgr-4'] });
    expect(result).toEqual({
      options: {},
      ingress: { revoked: ['sgr-1', 'sgr-4'], message: "Revoked the pipeline's ingress rules sgr-1, sgr-4 of cluster sparkify-dwh" },
    });
  });

  it('revokes nothing when the group has no rule of the pipeline: a second teardown is harmless', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });

    const result = await revokeIngress({ input: {} }, awsDeps(testSettings()));

    expect(ec2).not.toHaveReceivedCommand(RevokeSecurityGroupIngressCommand);
    expect(result.ingress).toEqual({ revoked: [], message: 'No ingress rule of the pipeline on cluster sparkify-dwh (sg-1)' });
  });

  it('has nothing to revoke when the cluster is already gone', async () => {
    redshift.on(DescribeClustersCommand).rejects(new ClusterNotFoundFault({ message: 'Cluster sparkify-dwh not found.', $metadata: {} }));

    const result = await revokeIngress({ input: {} }, awsDeps(testSettings()));

    expect(ec2.calls()).toHaveLength(0);
    expect(result.ingress).toEqual({ revoked: [], message: 'Cluster sparkify-dwh does not exist: no ingress rule of the pipeline to revoke' });
  });

  it("revokes on the Serverless workgroup's security groups", async () => {
    serverless.on(GetWorkgroupCommand).resolves({ workgroup: { workgroupName: 'sparkify-wg', namespaceName: 'sparkify-ns', status: 'AVAILABLE', securityGroupIds: ['sg-w'] } });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-9', IsEgress: false, Description: PIPELINE }] });

    const result = await revokeIngress({ input: {} }, awsDeps(testSettings(SERVERLESS_ENV)));

    expect(serverless).toHaveReceivedCommandWith(GetWorkgroupCommand, { workgroupName: 'sparkify-wg' });
    expect(ec2).toHaveReceivedCommandWith(RevokeSecurityGroupIngressCommand, { GroupId: 'sg-w', SecurityGroupRuleIds: ['sgr-9'] });
    expect(result.ingress.message).toBe("Revoked the pipeline's ingress rules sgr-9 of workgroup sparkify-wg");
  });

  it.each([
    [{ finalSnapshot: 'bad--name' }, 'Invalid execution input: $.finalSnapshot: must be 1-255 letters, digits and hyphens, starting with a letter, without two hyphens in a row or one at the end'],
    [{ finalSnapshot: '1final' }, 'Invalid execution input: $.finalSnapshot: must be 1-255 letters'],
    [{ snapshot: 'x' }, 'Invalid execution input: $: Unrecognized key: "snapshot"'],
  ])('refuses the input %j before removing anything', async (input, message) => {
    await expect(revokeIngress({ input }, awsDeps(testSettings()))).rejects.toMatchObject({ name: 'SettingsError', message: expect.stringContaining(message) });
    expect(redshift.calls()).toHaveLength(0);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('keeps a valid final snapshot name in its options', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });

    const result = await revokeIngress({ input: { finalSnapshot: 'sparkify-dwh-dev-final' } }, awsDeps(testSettings()));

    expect(result.options).toEqual({ finalSnapshot: 'sparkify-dwh-dev-final' });
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv({ ...CLUSTER_ENV, DWH_REDSHIFT: 'cluster' });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    try {
      const result = await handler({ input: {} }, lambdaContext());

      expect(result.ingress.revoked).toEqual([]);
    } finally {
      restore();
    }
  });
});
