import './awsTestEnv';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, EntityAlreadyExistsException, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  ClusterAlreadyExistsFault,
  CreateClusterCommand,
  DescribeClustersCommand,
  RedshiftClient,
  RedshiftServiceException,
  ResumeClusterCommand,
} from '@aws-sdk/client-redshift';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createCluster, handler } from '../../functions/createCluster';
import { RoleNotReadyError, SettingsError } from '../../functions/lib/errors';
import { sourceReadPolicy } from '../../functions/lib/rolePolicy';
import { awsDeps, CLUSTER_ENV, lambdaContext, ROLE_ARN, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const redshift = mockClient(RedshiftClient);
const iam = mockClient(IAMClient);
const ec2 = mockClient(EC2Client);

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function cluster(status: string) {
  return {
    ClusterIdentifier: 'sparkify-dwh',
    ClusterStatus: status,
    ClusterAvailabilityStatus: status === 'available' ? 'Available' : 'Unavailable',
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-1', Status: 'active' }],
  };
}

beforeEach(() => {
  redshift.reset();
  iam.reset();
  ec2.reset();
  iam.on(CreateRoleCommand).resolves({ Role: { Arn: ROLE_ARN } as never });
  iam.on(PutRolePolicyCommand).resolves({});
  redshift.on(CreateClusterCommand).resolves({ Cluster: cluster('creating') });
});

describe('createCluster', () => {
  it('creates the role, puts its source read policy and creates an encrypted private cluster with a managed password', async () => {
    const settings = testSettings();

    const state = await createCluster({ input: {} }, awsDeps(settings));

    expect(iam).toHaveReceivedCommandTimes(CreateRoleCommand, 1);
    expect(iam).toHaveReceivedCommandWith(CreateRoleCommand, {
      RoleName: 'sparkify-dwh-s3-read',
      Path: '/',
      AssumeRolePolicyDocument: TRUST_POLICY,
      Description: 'Lets Redshift read the sparkify-dwh source data (COPY)',
    });
    expect(iam).toHaveReceivedCommandWith(PutRolePolicyCommand, {
      RoleName: 'sparkify-dwh-s3-read',
      PolicyName: 'sparkify-dwh-read-sources',
      PolicyDocument: JSON.stringify(sourceReadPolicy(settings)),
    });
    expect(redshift.commandCalls(CreateClusterCommand).map((call) => call.args[0].input)).toEqual([
      {
        ClusterIdentifier: 'sparkify-dwh',
        NodeType: 'ra3.large',
        ClusterType: 'single-node',
        DBName: 'dev',
        MasterUsername: 'awsuser',
        ManageMasterPassword: true,
        Port: 5439,
        IamRoles: [ROLE_ARN],
        Encrypted: true,
        PubliclyAccessible: false,
      },
    ]);
    expect(state).toEqual({
      overrides: {},
      cluster: {
        identifier: 'sparkify-dwh',
        status: 'creating',
        availability: 'Unavailable',
        attempt: 0,
        message: `Cluster sparkify-dwh created (creating); role ${ROLE_ARN} created, its source read policy put`,
        action: 'created',
        roleArn: ROLE_ARN,
      },
    });
  });

  it('asks for a multi-node cluster with its node count, and honours DWH_PUBLICLY_ACCESSIBLE', async () => {
    const settings = testSettings({ DWH_NODE_COUNT: '4', DWH_NODE_TYPE: 'ra3.xlplus', DWH_PUBLICLY_ACCESSIBLE: 'true' });

    await createCluster({ input: {} }, awsDeps(settings));

    expect(redshift).toHaveReceivedCommandWith(CreateClusterCommand, {
      NodeType: 'ra3.xlplus',
      ClusterType: 'multi-node',
      NumberOfNodes: 4,
      PubliclyAccessible: true,
    });
  });

  it('returns the validated execution input as the overrides', async () => {
    const input = { sources: { logData: 's3://udacity-dend/log_data/2018/11' } };

    const state = await createCluster({ input }, awsDeps(testSettings()));

    expect(state.overrides).toEqual(input);
  });

  it.each([
    ['an unknown field', { source: {} }, 'Invalid execution input: $: Unrecognized key: "source"'],
    ['a prefix outside the configured one', { sources: { songData: 's3://other-bucket/songs' } }, '$.sources.songData: s3://other-bucket/songs is not within the configured s3://udacity-dend/song_data'],
    ['a malformed S3 URI', { sources: { logData: 'https://udacity-dend/log_data' } }, '$.sources.logData: must be an S3 URI like s3://bucket/prefix'],
  ])('refuses an execution input with %s before any AWS call', async (_, input, message) => {
    const attempt = createCluster({ input }, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(SettingsError);
    await expect(attempt).rejects.toThrow(message);
    expect(iam.calls()).toHaveLength(0);
    expect(redshift.calls()).toHaveLength(0);
  });

  it('reuses an existing role, still putting its policy, and reads its ARN', async () => {
    iam.on(CreateRoleCommand).rejects(new EntityAlreadyExistsException({ message: 'Role exists', $metadata: {} }));
    iam.on(GetRoleCommand).resolves({ Role: { Arn: ROLE_ARN } as never });

    const state = await createCluster({ input: {} }, awsDeps(testSettings()));

    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: 'sparkify-dwh-s3-read' });
    expect(iam).toHaveReceivedCommandTimes(PutRolePolicyCommand, 1);
    expect(state.cluster.message).toBe(`Cluster sparkify-dwh created (creating); role ${ROLE_ARN} reused, its source read policy put`);
  });

  it('reuses an existing cluster, describing it', async () => {
    redshift.on(CreateClusterCommand).rejects(new ClusterAlreadyExistsFault({ message: 'Cluster already exists', $metadata: {} }));
    redshift.on(DescribeClustersCommand, { ClusterIdentifier: 'sparkify-dwh' }).resolves({ Clusters: [cluster('available')] });

    const state = await createCluster({ input: {} }, awsDeps(testSettings()));

    expect(redshift).not.toHaveReceivedCommand(ResumeClusterCommand);
    expect(state.cluster).toMatchObject({ status: 'available', availability: 'Available', action: 'reused', attempt: 0 });
  });

  it('resumes an existing cluster that is paused', async () => {
    redshift.on(CreateClusterCommand).rejects(new ClusterAlreadyExistsFault({ message: 'Cluster already exists', $metadata: {} }));
    redshift.on(DescribeClustersCommand).resolves({ Clusters: [cluster('paused')] });
    redshift.on(ResumeClusterCommand).resolves({ Cluster: cluster('resuming') });

    const state = await createCluster({ input: {} }, awsDeps(testSettings()));

    expect(redshift).toHaveReceivedCommandWith(ResumeClusterCommand, { ClusterIdentifier: 'sparkify-dwh' });
    expect(state.cluster).toMatchObject({ status: 'resuming', action: 'resumed' });
    expect(state.cluster.message).toContain('Cluster sparkify-dwh resumed (resuming)');
  });

  it('turns Redshift refusing a role IAM has not propagated yet into RoleNotReadyError', async () => {
    const refusal = `The IAM role ${ROLE_ARN} is not valid. The IAM role must delegate access to an Amazon Redshift account.`;
    redshift
      .on(CreateClusterCommand)
      .rejects(new RedshiftServiceException({ name: 'InvalidParameterValue', $fault: 'client', message: refusal, $metadata: {} }));

    const attempt = createCluster({ input: {} }, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(RoleNotReadyError);
    await expect(attempt).rejects.toThrow(`Redshift does not accept role ${ROLE_ARN} yet (IAM propagates new roles in seconds): ${refusal}`);
  });

  it('lets any other invalid parameter fail under its own name', async () => {
    redshift.on(CreateClusterCommand).rejects(
      new RedshiftServiceException({ name: 'InvalidParameterValue', $fault: 'client', message: 'Invalid node type: ra3.tiny', $metadata: {} }),
    );

    await expect(createCluster({ input: {} }, awsDeps(testSettings()))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Invalid node type: ra3.tiny',
    });
  });

  it('creates nothing on the serverless target and says so', async () => {
    const state = await createCluster({ input: {} }, awsDeps(testSettings(SERVERLESS_ENV)));

    expect(iam.calls()).toHaveLength(0);
    expect(redshift.calls()).toHaveLength(0);
    expect(state.cluster).toEqual({
      identifier: 'sparkify-wg',
      status: 'available',
      availability: 'Available',
      attempt: 0,
      message: 'Target is Redshift Serverless workgroup sparkify-wg: no cluster to create',
      action: 'skipped',
      roleArn: ROLE_ARN,
    });
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv({ ...CLUSTER_ENV, DWH_CLUSTER_IDENTIFIER: 'sparkify-handler' });
    redshift.on(CreateClusterCommand).resolves({ Cluster: { ...cluster('creating'), ClusterIdentifier: 'sparkify-handler' } });

    try {
      const state = await handler({ input: {} }, lambdaContext());

      expect(redshift).toHaveReceivedCommandWith(CreateClusterCommand, { ClusterIdentifier: 'sparkify-handler' });
      expect(state.cluster).toMatchObject({ identifier: 'sparkify-handler', status: 'creating', action: 'created' });
    } finally {
      restore();
    }
  });
});
