import './awsTestEnv';
import { DeleteRoleCommand, DeleteRolePolicyCommand, DeleteConflictException, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { deleteCopyRole, handler } from '../../functions/deleteCopyRole';
import { awsDeps, CLUSTER_ENV, lambdaContext, setEnv, testSettings } from './helpers';

const iam = mockClient(IAMClient);
const noSuchEntity = () => new NoSuchEntityException({ message: 'The role cannot be found.', $metadata: {} });

beforeEach(() => {
  iam.reset();
  iam.on(DeleteRolePolicyCommand).resolves({});
  iam.on(DeleteRoleCommand).resolves({});
});

describe('deleteCopyRole', () => {
  it('deletes the inline policy, then the role', async () => {
    const result = await deleteCopyRole({}, awsDeps(testSettings()));

    expect(iam.calls().map((call) => [call.args[0].constructor.name, call.args[0].input])).toEqual([
      ['DeleteRolePolicyCommand', { RoleName: 'sparkify-dwh-s3-read', PolicyName: 'sparkify-dwh-read-sources' }],
      ['DeleteRoleCommand', { RoleName: 'sparkify-dwh-s3-read' }],
    ]);
    expect(result).toEqual({ deleted: true, message: 'Role sparkify-dwh-s3-read and its policy deleted' });
  });

  it('finishes the job when the policy is already gone, and says so when the role is gone too', async () => {
    iam.on(DeleteRolePolicyCommand).rejects(noSuchEntity());

    const half = await deleteCopyRole({}, awsDeps(testSettings()));
    iam.on(DeleteRoleCommand).rejects(noSuchEntity());
    const gone = await deleteCopyRole({}, awsDeps(testSettings()));

    expect(half.deleted).toBe(true);
    expect(gone).toEqual({ deleted: false, message: 'Role sparkify-dwh-s3-read does not exist: nothing to delete' });
  });

  it("fails with IAM's DeleteConflict when the role has other policies attached", async () => {
    iam.on(DeleteRoleCommand).rejects(new DeleteConflictException({ message: 'Cannot delete entity, must detach all policies first.', $metadata: {} }));

    await expect(deleteCopyRole({}, awsDeps(testSettings()))).rejects.toMatchObject({ name: 'DeleteConflictException' });
  });

  it('runs as a Lambda handler', async () => {
    const restore = setEnv({ ...CLUSTER_ENV });
    try {
      expect(await handler({}, lambdaContext())).toEqual({ deleted: true, message: 'Role sparkify-dwh-s3-read and its policy deleted' });
    } finally {
      restore();
    }
  });
});
