import './awsTestEnv';
import { ClusterNotFoundFault, DeleteClusterCommand, DescribeClustersCommand, InvalidClusterStateFault, RedshiftClient } from '@aws-sdk/client-redshift';
import { DeleteWorkgroupCommand, GetWorkgroupCommand, RedshiftServerlessClient, ResourceNotFoundException } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { deleteCluster, handler } from '../../functions/deleteCluster';
import { awsDeps, CLUSTER_ENV, lambdaContext, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const redshift = mockClient(RedshiftClient);
const serverless = mockClient(RedshiftServerlessClient);

function describedAs(status: string) {
  redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: status }] });
}

beforeEach(() => {
  redshift.reset();
  serverless.reset();
});

describe('deleteCluster', () => {
  it('deletes the cluster without a final snapshot by default', async () => {
    describedAs('available');
    redshift.on(DeleteClusterCommand).resolves({ Cluster: { ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'deleting' } });

    const result = await deleteCluster({ options: {} }, awsDeps(testSettings()));

    expect(redshift).toHaveReceivedCommandTimes(DeleteClusterCommand, 1);
    expect(redshift.commandCalls(DeleteClusterCommand)[0].args[0].input).toEqual({ ClusterIdentifier: 'sparkify-dwh', SkipFinalClusterSnapshot: true });
    expect(result).toEqual({ resource: 'cluster', name: 'sparkify-dwh', status: 'deleting', attempt: 0, message: 'Cluster sparkify-dwh is deleting, without a final snapshot' });
  });

  it('takes the final snapshot the input names', async () => {
    describedAs('paused');
    redshift.on(DeleteClusterCommand).resolves({ Cluster: { ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'final-snapshot' } });

    const result = await deleteCluster({ options: { finalSnapshot: 'sparkify-final' } }, awsDeps(testSettings()));

    expect(redshift.commandCalls(DeleteClusterCommand)[0].args[0].input).toEqual({
      ClusterIdentifier: 'sparkify-dwh',
      SkipFinalClusterSnapshot: false,
      FinalClusterSnapshotIdentifier: 'sparkify-final',
    });
    expect(result.status).toBe('final-snapshot');
    expect(result.message).toBe('Cluster sparkify-dwh is final-snapshot, after a final snapshot sparkify-final');
  });

  it.each(['deleting', 'final-snapshot'])('leaves a cluster that is already %s to its deletion', async (status) => {
    describedAs(status);

    const result = await deleteCluster({ options: {} }, awsDeps(testSettings()));

    expect(redshift).not.toHaveReceivedCommand(DeleteClusterCommand);
    expect(result).toEqual({ resource: 'cluster', name: 'sparkify-dwh', status, attempt: 0, message: `Cluster sparkify-dwh is already ${status}` });
  });

  it('answers deleted for a cluster that is already gone', async () => {
    redshift.on(DescribeClustersCommand).rejects(new ClusterNotFoundFault({ message: 'Cluster sparkify-dwh not found.', $metadata: {} }));

    const result = await deleteCluster({}, awsDeps(testSettings()));

    expect(redshift).not.toHaveReceivedCommand(DeleteClusterCommand);
    expect(result).toMatchObject({ status: 'deleted', message: 'Cluster sparkify-dwh does not exist: nothing to delete' });
  });

  it("fails with Redshift's InvalidClusterStateFault for a cluster in a transition, for the state machine to retry", async () => {
    describedAs('resuming');
    redshift.on(DeleteClusterCommand).rejects(new InvalidClusterStateFault({ message: 'The specified cluster is not in the available state.', $metadata: {} }));

    await expect(deleteCluster({ options: {} }, awsDeps(testSettings()))).rejects.toMatchObject({ name: 'InvalidClusterStateFault' });
  });

  it('deletes the Serverless workgroup, and answers deleted once it is gone', async () => {
    serverless.on(GetWorkgroupCommand).resolvesOnce({ workgroup: { workgroupName: 'sparkify-wg', status: 'AVAILABLE' } });
    serverless.on(DeleteWorkgroupCommand).resolves({ workgroup: { workgroupName: 'sparkify-wg', status: 'DELETING' } });
    const settings = testSettings(SERVERLESS_ENV);

    const first = await deleteCluster({ options: {} }, awsDeps(settings));
    serverless.on(GetWorkgroupCommand).rejects(new ResourceNotFoundException({ message: 'Workgroup sparkify-wg not found.', $metadata: {} }));
    const again = await deleteCluster({ options: {} }, awsDeps(settings));

    expect(serverless.commandCalls(DeleteWorkgroupCommand).map((call) => call.args[0].input)).toEqual([{ workgroupName: 'sparkify-wg' }]);
    expect(first).toEqual({ resource: 'workgroup', name: 'sparkify-wg', status: 'deleting', attempt: 0, message: 'Workgroup sparkify-wg is deleting' });
    expect(again).toMatchObject({ status: 'deleted', message: 'Workgroup sparkify-wg does not exist: nothing to delete' });
    expect(redshift.calls()).toHaveLength(0);
  });

  it('refuses an event whose options are not the validated ones', async () => {
    await expect(deleteCluster({ options: { finalSnapshot: 'a--b' } }, awsDeps(testSettings()))).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringContaining('Invalid event for deleteCluster: $.options.finalSnapshot'),
    });
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv({ ...CLUSTER_ENV });
    describedAs('available');
    redshift.on(DeleteClusterCommand).resolves({ Cluster: { ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'deleting' } });
    try {
      expect(await handler({ options: {} }, lambdaContext())).toMatchObject({ status: 'deleting' });
    } finally {
      restore();
    }
  });
});
