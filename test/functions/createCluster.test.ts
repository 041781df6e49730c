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
import {
  ConflictException,
  CreateNamespaceCommand,
  CreateWorkgroupCommand,
  GetNamespaceCommand,
  GetWorkgroupCommand,
  RedshiftServerlessClient,
  UpdateNamespaceCommand,
  ValidationException,
  type WorkgroupStatus,
} from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createCluster, handler } from '../../functions/createCluster';
import { ClusterFailedError, RoleNotReadyError, SettingsError } from '../../functions/lib/contracts/errors';
import { sourceReadPolicy } from '../../functions/lib/steps/rolePolicy';
import { awsDeps, CLUSTER_ENV, lambdaContext, ROLE_ARN, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const redshift = mockClient(RedshiftClient);
const iam = mockClient(IAMClient);
const ec2 = mockClient(EC2Client);
const serverless = mockClient(RedshiftServerlessClient);

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    },
  ],
});
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/analysts';
const wrapped = (arn: string) => `IamRole(applyStatus=in-sync, iamRoleArn=${arn})`;
const conflict = (message: string) => new ConflictException({ message, $metadata: {} });

function workgroup(status: WorkgroupStatus, namespaceName = 'sparkify-ns') {
  return { workgroupName: 'sparkify-wg', namespaceName, status, port: 5439, securityGroupIds: ['sg-1'] };
}

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
  serverless.reset();
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
    expect(serverless.calls()).toHaveLength(0);
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

  describe('on Redshift Serverless', () => {
    const settings = testSettings(SERVERLESS_ENV);

    beforeEach(() => {
      serverless.on(CreateNamespaceCommand).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [wrapped(ROLE_ARN)] },
      });
      serverless.on(CreateWorkgroupCommand).resolves({ workgroup: workgroup('CREATING') });
    });

    it('creates the role as on a cluster, then the namespace with the role attached, then the workgroup', async () => {
      const state = await createCluster({ input: {} }, awsDeps(settings));

      expect(iam).toHaveReceivedCommandWith(CreateRoleCommand, { RoleName: 'sparkify-dwh-s3-read', AssumeRolePolicyDocument: TRUST_POLICY });
      expect(iam).toHaveReceivedCommandWith(PutRolePolicyCommand, {
        RoleName: 'sparkify-dwh-s3-read',
        PolicyName: 'sparkify-dwh-read-sources',
        PolicyDocument: JSON.stringify(sourceReadPolicy(settings)),
      });
      expect(serverless.commandCalls(CreateNamespaceCommand).map((call) => call.args[0].input)).toEqual([
        {
          namespaceName: 'sparkify-ns',
          adminUsername: 'awsuser',
          manageAdminPassword: true,
          dbName: 'dev',
          iamRoles: [ROLE_ARN],
          tags: [{ key: 'sparkify-dwh', value: 'sparkify-ns' }],
        },
      ]);
      expect(serverless.commandCalls(CreateWorkgroupCommand).map((call) => call.args[0].input)).toEqual([
        {
          workgroupName: 'sparkify-wg',
          namespaceName: 'sparkify-ns',
          baseCapacity: 8,
          port: 5439,
          publiclyAccessible: false,
          tags: [{ key: 'sparkify-dwh', value: 'sparkify-wg' }],
        },
      ]);
      expect(redshift.calls()).toHaveLength(0);
      expect(state).toEqual({
        overrides: {},
        cluster: {
          identifier: 'sparkify-wg',
          status: 'creating',
          availability: 'Unavailable',
          attempt: 0,
          message:
            'Namespace sparkify-ns created (AVAILABLE), workgroup sparkify-wg created (CREATING); ' +
            `role ${ROLE_ARN} created, its source read policy put`,
          action: 'created',
          roleArn: ROLE_ARN,
        },
      });
    });

    it('asks for the configured base capacity, port and public access', async () => {
      const custom = testSettings({ ...SERVERLESS_ENV, DWH_BASE_CAPACITY: '16', DWH_DB_PORT: '8200', DWH_PUBLICLY_ACCESSIBLE: 'true' });

      await createCluster({ input: {} }, awsDeps(custom));

      expect(serverless).toHaveReceivedCommandWith(CreateWorkgroupCommand, { baseCapacity: 16, port: 8200, publiclyAccessible: true });
    });

    it('reuses an existing namespace that has the role and an existing workgroup', async () => {
      serverless.on(CreateNamespaceCommand).rejects(conflict('Namespace sparkify-ns already exists'));
      serverless.on(GetNamespaceCommand).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [wrapped(ROLE_ARN)] },
      });
      serverless.on(CreateWorkgroupCommand).rejects(conflict('Workgroup sparkify-wg already exists'));
      serverless.on(GetWorkgroupCommand, { workgroupName: 'sparkify-wg' }).resolves({ workgroup: workgroup('AVAILABLE') });

      const state = await createCluster({ input: {} }, awsDeps(settings));

      expect(serverless).not.toHaveReceivedCommand(UpdateNamespaceCommand);
      expect(state.cluster).toEqual({
        identifier: 'sparkify-wg',
        status: 'available',
        availability: 'Available',
        attempt: 0,
        message:
          'Namespace sparkify-ns reused (AVAILABLE), workgroup sparkify-wg reused (AVAILABLE); ' +
          `role ${ROLE_ARN} created, its source read policy put`,
        action: 'reused',
        roleArn: ROLE_ARN,
      });
    });

    it('attaches the role to an existing namespace without it, and waits for the namespace while it is modified', async () => {
      serverless.on(CreateNamespaceCommand).rejects(conflict('Namespace sparkify-ns already exists'));
      serverless.on(GetNamespaceCommand).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [wrapped(OTHER_ROLE)], defaultIamRoleArn: OTHER_ROLE },
      });
      serverless.on(UpdateNamespaceCommand).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'MODIFYING', iamRoles: [wrapped(OTHER_ROLE), wrapped(ROLE_ARN)] },
      });
      serverless.on(CreateWorkgroupCommand).rejects(conflict('Workgroup sparkify-wg already exists'));
      serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroup('AVAILABLE') });

      const state = await createCluster({ input: {} }, awsDeps(settings));

      expect(serverless.commandCalls(UpdateNamespaceCommand).map((call) => call.args[0].input)).toEqual([
        { namespaceName: 'sparkify-ns', iamRoles: [OTHER_ROLE, ROLE_ARN], defaultIamRoleArn: OTHER_ROLE },
      ]);
      expect(state.cluster).toMatchObject({ status: 'modifying', availability: 'Modifying', action: 'reused' });
      expect(state.cluster.message).toContain('Namespace sparkify-ns reused, the role attached (MODIFYING), workgroup sparkify-wg reused (AVAILABLE)');
    });

    it('refuses a workgroup that belongs to another namespace, naming both settings', async () => {
      serverless.on(CreateWorkgroupCommand).rejects(conflict('Workgroup sparkify-wg already exists'));
      serverless.on(GetWorkgroupCommand).resolves({ workgroup: workgroup('AVAILABLE', 'marketing') });

      const attempt = createCluster({ input: {} }, awsDeps(settings));

      await expect(attempt).rejects.toThrow(
        new ClusterFailedError(
          'Workgroup sparkify-wg (DWH_WORKGROUP_NAME) belongs to namespace marketing, not to sparkify-ns (DWH_NAMESPACE_NAME)',
        ),
      );
    });

    it('lets a CreateNamespace error fail under its own name, creating no workgroup', async () => {
      serverless.on(CreateNamespaceCommand).rejects(new ValidationException({ message: 'dbName is invalid', $metadata: {} }));

      await expect(createCluster({ input: {} }, awsDeps(settings))).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'dbName is invalid',
      });
      expect(serverless).not.toHaveReceivedCommand(CreateWorkgroupCommand);
    });

    it('lets a CreateWorkgroup conflict with no such workgroup fail as ConflictException, which the state machine retries', async () => {
      serverless.on(CreateWorkgroupCommand).rejects(conflict('There is an operation running on the namespace sparkify-ns'));
      serverless.on(GetWorkgroupCommand).rejects(
        Object.assign(new Error('Workgroup sparkify-wg not found'), { name: 'ResourceNotFoundException' }),
      );

      await expect(createCluster({ input: {} }, awsDeps(settings))).rejects.toMatchObject({ name: 'ConflictException' });
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
