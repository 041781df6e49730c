import {
  ConflictException,
  CreateNamespaceCommand,
  CreateWorkgroupCommand,
  GetNamespaceCommand,
  GetWorkgroupCommand,
  RedshiftServerlessClient,
  ResourceNotFoundException,
  UpdateNamespaceCommand,
  ValidationException,
} from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createAwsServerless, roleArnOf } from '../../../../functions/lib/aws/awsServerless';
import type { NamespaceSpec, WorkgroupSpec } from '../../../../functions/lib/ports/cluster';

const serverless = mockClient(RedshiftServerlessClient);
const port = createAwsServerless(new RedshiftServerlessClient({}));

const COPY_ROLE = 'arn:aws:iam::123456789012:role/sparkify-dwh-dev-redshift-s3-read';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/analysts';
const NAMESPACE: NamespaceSpec = { name: 'sparkify-ns', dbName: 'dev', dbUser: 'awsuser', roleArn: COPY_ROLE };
const WORKGROUP: WorkgroupSpec = { name: 'sparkify-wg', namespaceName: 'sparkify-ns', baseCapacity: 8, port: 5439, publiclyAccessible: false };

const conflict = (message: string) => new ConflictException({ message, $metadata: {} });
const notFound = (message: string) => new ResourceNotFoundException({ message, resourceName: undefined, $metadata: {} });
/** A role entry as GetNamespace lists it. */
const wrapped = (arn: string) => `IamRole(applyStatus=in-sync, iamRoleArn=${arn})`;

beforeEach(() => serverless.reset());

describe('createAwsServerless', () => {
  describe('ensureNamespace', () => {
    it('creates the namespace with a managed admin password, the COPY role attached and the pipeline tag', async () => {
      serverless.on(CreateNamespaceCommand).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [wrapped(COPY_ROLE)] },
      });

      const result = await port.ensureNamespace(NAMESPACE);

      expect(serverless.commandCalls(CreateNamespaceCommand).map((call) => call.args[0].input)).toEqual([
        {
          namespaceName: 'sparkify-ns',
          adminUsername: 'awsuser',
          manageAdminPassword: true,
          dbName: 'dev',
          iamRoles: [COPY_ROLE],
          tags: [{ key: 'sparkify-dwh', value: 'sparkify-ns' }],
        },
      ]);
      expect(serverless).not.toHaveReceivedCommand(GetNamespaceCommand);
      expect(result).toEqual({ action: 'created', state: { name: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [COPY_ROLE] } });
    });

    it('reuses an existing namespace that has the role, without updating it', async () => {
      serverless.on(CreateNamespaceCommand).rejects(conflict('Namespace sparkify-ns already exists'));
      serverless.on(GetNamespaceCommand, { namespaceName: 'sparkify-ns' }).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [wrapped(OTHER_ROLE), wrapped(COPY_ROLE)] },
      });

      const result = await port.ensureNamespace(NAMESPACE);

      expect(serverless).toHaveReceivedCommandTimes(GetNamespaceCommand, 1);
      expect(serverless).not.toHaveReceivedCommand(UpdateNamespaceCommand);
      expect(result).toEqual({ action: 'reused', state: { name: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [OTHER_ROLE, COPY_ROLE] } });
    });

    it('attaches the role to an existing namespace without it, keeping its roles and its default role', async () => {
      serverless.on(CreateNamespaceCommand).rejects(conflict('Namespace sparkify-ns already exists'));
      serverless.on(GetNamespaceCommand).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE', iamRoles: [wrapped(OTHER_ROLE)], defaultIamRoleArn: OTHER_ROLE },
      });
      serverless.on(UpdateNamespaceCommand).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'MODIFYING', iamRoles: [wrapped(OTHER_ROLE), wrapped(COPY_ROLE)] },
      });

      const result = await port.ensureNamespace(NAMESPACE);

      expect(serverless.commandCalls(UpdateNamespaceCommand).map((call) => call.args[0].input)).toEqual([
        { namespaceName: 'sparkify-ns', iamRoles: [OTHER_ROLE, COPY_ROLE], defaultIamRoleArn: OTHER_ROLE },
      ]);
      expect(result).toEqual({
        action: 'role-added',
        state: { name: 'sparkify-ns', status: 'MODIFYING', iamRoles: [OTHER_ROLE, COPY_ROLE] },
      });
    });

    it('makes the COPY role the default of an existing namespace that has none, since UpdateNamespace needs one with iamRoles', async () => {
      serverless.on(CreateNamespaceCommand).rejects(conflict('Namespace sparkify-ns already exists'));
      serverless.on(GetNamespaceCommand).resolves({ namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE' } });
      serverless.on(UpdateNamespaceCommand).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'MODIFYING', iamRoles: [wrapped(COPY_ROLE)] },
      });

      await port.ensureNamespace(NAMESPACE);

      expect(serverless).toHaveReceivedCommandWith(UpdateNamespaceCommand, {
        namespaceName: 'sparkify-ns',
        iamRoles: [COPY_ROLE],
        defaultIamRoleArn: COPY_ROLE,
      });
    });

    it('lets any other CreateNamespace error fail under its own name, reading nothing', async () => {
      serverless.on(CreateNamespaceCommand).rejects(new ValidationException({ message: 'adminUsername is a reserved word', $metadata: {} }));

      await expect(port.ensureNamespace(NAMESPACE)).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'adminUsername is a reserved word',
      });
      expect(serverless).not.toHaveReceivedCommand(GetNamespaceCommand);
    });

    it('lets an UpdateNamespace error fail under its own name', async () => {
      serverless.on(CreateNamespaceCommand).rejects(conflict('Namespace sparkify-ns already exists'));
      serverless.on(GetNamespaceCommand).resolves({ namespace: { namespaceName: 'sparkify-ns', status: 'MODIFYING', iamRoles: [] } });
      serverless.on(UpdateNamespaceCommand).rejects(conflict('There is an operation running on the namespace'));

      await expect(port.ensureNamespace(NAMESPACE)).rejects.toMatchObject({
        name: 'ConflictException',
        message: 'There is an operation running on the namespace',
      });
    });
  });

  describe('ensureWorkgroup', () => {
    it('creates the workgroup in its namespace with the base capacity, the port, private unless asked, and the pipeline tag', async () => {
      serverless.on(CreateWorkgroupCommand).resolves({
        workgroup: { workgroupName: 'sparkify-wg', namespaceName: 'sparkify-ns', status: 'CREATING', port: 5439, securityGroupIds: ['sg-1'] },
      });

      const result = await port.ensureWorkgroup(WORKGROUP);

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
      expect(result).toEqual({
        action: 'created',
        state: { name: 'sparkify-wg', namespaceName: 'sparkify-ns', status: 'CREATING', port: 5439, securityGroupIds: ['sg-1'] },
      });
    });

    it('passes a public workgroup and another capacity and port as configured', async () => {
      serverless.on(CreateWorkgroupCommand).resolves({ workgroup: { workgroupName: 'sparkify-wg', status: 'CREATING' } });

      await port.ensureWorkgroup({ ...WORKGROUP, baseCapacity: 32, port: 8192, publiclyAccessible: true });

      expect(serverless).toHaveReceivedCommandWith(CreateWorkgroupCommand, { baseCapacity: 32, port: 8192, publiclyAccessible: true });
    });

    it('reuses an existing workgroup, describing it', async () => {
      serverless.on(CreateWorkgroupCommand).rejects(conflict('Workgroup sparkify-wg already exists'));
      serverless.on(GetWorkgroupCommand, { workgroupName: 'sparkify-wg' }).resolves({
        workgroup: {
          workgroupName: 'sparkify-wg',
          namespaceName: 'sparkify-ns',
          status: 'AVAILABLE',
          port: 5439,
          endpoint: { address: 'sparkify-wg.123456789012.us-west-2.redshift-serverless.amazonaws.com', port: 5440 },
          securityGroupIds: ['sg-1', 'sg-2'],
        },
      });

      const result = await port.ensureWorkgroup(WORKGROUP);

      expect(result).toEqual({
        action: 'reused',
        state: { name: 'sparkify-wg', namespaceName: 'sparkify-ns', status: 'AVAILABLE', port: 5440, securityGroupIds: ['sg-1', 'sg-2'] },
      });
    });

    it('fails with the ConflictException when no such workgroup exists (another operation held the namespace)', async () => {
      serverless.on(CreateWorkgroupCommand).rejects(conflict('There is an operation running on the namespace sparkify-ns'));
      serverless.on(GetWorkgroupCommand).rejects(notFound('Workgroup sparkify-wg not found'));

      await expect(port.ensureWorkgroup(WORKGROUP)).rejects.toMatchObject({
        name: 'ConflictException',
        message: 'There is an operation running on the namespace sparkify-ns',
      });
    });

    it('lets a GetWorkgroup error other than not found fail under its own name', async () => {
      serverless.on(CreateWorkgroupCommand).rejects(conflict('Workgroup sparkify-wg already exists'));
      serverless.on(GetWorkgroupCommand).rejects(new ValidationException({ message: 'bad name', $metadata: {} }));

      await expect(port.ensureWorkgroup(WORKGROUP)).rejects.toMatchObject({ name: 'ValidationException', message: 'bad name' });
    });

    it('lets CreateWorkgroup refusing a missing namespace fail under its own name', async () => {
      serverless.on(CreateWorkgroupCommand).rejects(notFound('Namespace sparkify-ns not found'));

      await expect(port.ensureWorkgroup(WORKGROUP)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      expect(serverless).not.toHaveReceivedCommand(GetWorkgroupCommand);
    });
  });

  describe('describeNamespace and describeWorkgroup', () => {
    it('describes a namespace with its roles as bare ARNs', async () => {
      serverless.on(GetNamespaceCommand, { namespaceName: 'sparkify-ns' }).resolves({
        namespace: { namespaceName: 'sparkify-ns', status: 'MODIFYING', iamRoles: [wrapped(COPY_ROLE), OTHER_ROLE] },
      });

      expect(await port.describeNamespace('sparkify-ns')).toEqual({ name: 'sparkify-ns', status: 'MODIFYING', iamRoles: [COPY_ROLE, OTHER_ROLE] });
    });

    it('takes the workgroup port when it has no endpoint yet', async () => {
      serverless.on(GetWorkgroupCommand).resolves({
        workgroup: { workgroupName: 'sparkify-wg', namespaceName: 'sparkify-ns', status: 'CREATING', port: 5441 },
      });

      expect(await port.describeWorkgroup('sparkify-wg')).toEqual({
        name: 'sparkify-wg',
        namespaceName: 'sparkify-ns',
        status: 'CREATING',
        port: 5441,
        securityGroupIds: [],
      });
    });

    it('lets a missing namespace fail as ResourceNotFoundException, the name the steps look for', async () => {
      serverless.on(GetNamespaceCommand).rejects(notFound('Namespace sparkify-ns not found'));

      await expect(port.describeNamespace('sparkify-ns')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });

    it('lets a missing workgroup fail as ResourceNotFoundException', async () => {
      serverless.on(GetWorkgroupCommand).rejects(notFound('Workgroup sparkify-wg not found'));

      await expect(port.describeWorkgroup('sparkify-wg')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });

    it('fails with ClusterFailedError when Redshift Serverless describes nothing', async () => {
      serverless.on(GetWorkgroupCommand).resolves({});

      await expect(port.describeWorkgroup('sparkify-wg')).rejects.toThrow(
        expect.objectContaining({ name: 'ClusterFailedError', message: 'Redshift Serverless returned no description of workgroup sparkify-wg' }),
      );
    });
  });
});

describe('roleArnOf', () => {
  it.each([
    [wrapped(COPY_ROLE), COPY_ROLE],
    [`IamRole(iamRoleArn=${COPY_ROLE}, applyStatus=adding)`, COPY_ROLE],
    ['IamRole(applyStatus=in-sync, iamRoleArn=arn:aws:iam::123456789012:role/service-role/copy)', 'arn:aws:iam::123456789012:role/service-role/copy'],
    [COPY_ROLE, COPY_ROLE],
  ])('reads %s as %s', (entry, arn) => {
    expect(roleArnOf(entry)).toBe(arn);
  });
});
