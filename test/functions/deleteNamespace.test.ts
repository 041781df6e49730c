import './awsTestEnv';
import { DeleteNamespaceCommand, GetNamespaceCommand, RedshiftServerlessClient, ResourceNotFoundException } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { deleteNamespace, handler } from '../../functions/deleteNamespace';
import { awsDeps, lambdaContext, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const serverless = mockClient(RedshiftServerlessClient);
const SERVERLESS = testSettings(SERVERLESS_ENV);

beforeEach(() => {
  serverless.reset();
  serverless.on(DeleteNamespaceCommand).resolves({ namespace: { namespaceName: 'sparkify-ns', status: 'DELETING' } });
});

describe('deleteNamespace', () => {
  it('deletes the namespace without a final snapshot by default', async () => {
    serverless.on(GetNamespaceCommand).resolves({ namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE' } });

    const result = await deleteNamespace({ options: {} }, awsDeps(SERVERLESS));

    expect(serverless.commandCalls(DeleteNamespaceCommand).map((call) => call.args[0].input)).toEqual([{ namespaceName: 'sparkify-ns' }]);
    expect(result).toEqual({ deleted: true, status: 'DELETING', message: 'Namespace sparkify-ns is DELETING, without a final snapshot' });
  });

  it('keeps the final snapshot the input names', async () => {
    serverless.on(GetNamespaceCommand).resolves({ namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE' } });

    await deleteNamespace({ options: { finalSnapshot: 'sparkify-final' } }, awsDeps(SERVERLESS));

    expect(serverless).toHaveReceivedCommandWith(DeleteNamespaceCommand, { namespaceName: 'sparkify-ns', finalSnapshotName: 'sparkify-final' });
  });

  it('leaves a namespace that is gone or already being deleted', async () => {
    serverless
      .on(GetNamespaceCommand)
      .resolvesOnce({ namespace: { namespaceName: 'sparkify-ns', status: 'DELETING' } })
      .rejects(new ResourceNotFoundException({ message: 'Namespace sparkify-ns not found.', $metadata: {} }));

    const deleting = await deleteNamespace({ options: {} }, awsDeps(SERVERLESS));
    const gone = await deleteNamespace({ options: {} }, awsDeps(SERVERLESS));

    expect(serverless).not.toHaveReceivedCommand(DeleteNamespaceCommand);
    expect(deleting).toEqual({ deleted: false, status: 'DELETING', message: 'Namespace sparkify-ns is already DELETING' });
    expect(gone).toEqual({ deleted: false, message: 'Namespace sparkify-ns does not exist: nothing to delete' });
  });

  it('has nothing to delete on a provisioned cluster', async () => {
    const result = await deleteNamespace({ options: {} }, awsDeps(testSettings()));

    expect(serverless.calls()).toHaveLength(0);
    expect(result).toEqual({ deleted: false, message: 'A provisioned cluster has no namespace: nothing to delete' });
  });

  it('runs as a Lambda handler', async () => {
    const restore = setEnv({ ...SERVERLESS_ENV });
    serverless.on(GetNamespaceCommand).resolves({ namespace: { namespaceName: 'sparkify-ns', status: 'AVAILABLE' } });
    try {
      expect(await handler({ options: {} }, lambdaContext())).toMatchObject({ deleted: true });
    } finally {
      restore();
    }
  });
});
