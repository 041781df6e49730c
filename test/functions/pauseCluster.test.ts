import './awsTestEnv';
import { DescribeClustersCommand, InvalidClusterStateFault, PauseClusterCommand, ClusterNotFoundFault, RedshiftClient } from '@aws-sdk/client-redshift';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler, pauseCluster } from '../../functions/pauseCluster';
import { awsDeps, CLUSTER_ENV, lambdaContext, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const redshift = mockClient(RedshiftClient);
const serverless = mockClient(RedshiftServerlessClient);
const PAUSING = testSettings({ DWH_PAUSE_AFTER_RUN: 'true' });

function describedAs(status: string) {
  redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'sparkify-dwh', ClusterStatus: status }] });
}

beforeEach(() => {
  redshift.reset();
  serverless.reset();
  redshift.on(PauseClusterCommand).resolves({ Cluster: { ClusterIdentifier: 'sparkify-dwh', ClusterStatus: 'pausing' } });
});

describe('pauseCluster', () => {
  it('pauses an available cluster when DWH_PAUSE_AFTER_RUN is true, and does not wait for paused', async () => {
    describedAs('available');

    const result = await pauseCluster({}, awsDeps(PAUSING));

    expect(redshift).toHaveReceivedCommandTimes(PauseClusterCommand, 1);
    expect(redshift).toHaveReceivedCommandWith(PauseClusterCommand, { ClusterIdentifier: 'sparkify-dwh' });
    expect(redshift).toHaveReceivedCommandTimes(DescribeClustersCommand, 1);
    expect(result).toEqual({ paused: true, status: 'pausing', message: 'Cluster sparkify-dwh is pausing: the next run resumes it' });
  });

  it.each(['paused', 'pausing'])('leaves a cluster that is already %s alone, so a retried pause is harmless', async (status) => {
    describedAs(status);

    const result = await pauseCluster({}, awsDeps(PAUSING));

    expect(redshift).not.toHaveReceivedCommand(PauseClusterCommand);
    expect(result).toEqual({ paused: false, status, message: `Cluster sparkify-dwh is already ${status}` });
  });

  it('does nothing when DWH_PAUSE_AFTER_RUN is false (the default), and says the cluster keeps billing', async () => {
    const result = await pauseCluster({}, awsDeps(testSettings()));

    expect(redshift.calls()).toHaveLength(0);
    expect(result).toEqual({
      paused: false,
      message: 'DWH_PAUSE_AFTER_RUN is false: cluster sparkify-dwh keeps running (and billing) until paused or deleted',
    });
  });

  it('says there is nothing to pause on Redshift Serverless, calling nothing', async () => {
    const result = await pauseCluster({}, awsDeps(testSettings({ ...SERVERLESS_ENV, DWH_PAUSE_AFTER_RUN: 'true' })));

    expect(redshift.calls()).toHaveLength(0);
    expect(serverless.calls()).toHaveLength(0);
    expect(result).toEqual({ paused: false, message: 'Redshift Serverless bills compute only while queries run: there is nothing to pause' });
  });

  it('says a missing cluster has nothing to pause (a run whose CreateCluster failed)', async () => {
    redshift.on(DescribeClustersCommand).rejects(new ClusterNotFoundFault({ message: 'Cluster sparkify-dwh not found.', $metadata: {} }));

    const result = await pauseCluster({}, awsDeps(PAUSING));

    expect(redshift).not.toHaveReceivedCommand(PauseClusterCommand);
    expect(result).toEqual({ paused: false, message: 'Cluster sparkify-dwh does not exist: nothing to pause' });
  });

  it("fails with Redshift's InvalidClusterStateFault for a cluster that is not available, for the state machine to retry", async () => {
    describedAs('modifying');
    redshift.on(PauseClusterCommand).rejects(new InvalidClusterStateFault({ message: 'The specified cluster is not in the available state.', $metadata: {} }));

    await expect(pauseCluster({}, awsDeps(PAUSING))).rejects.toMatchObject({
      name: 'InvalidClusterStateFault',
      message: 'The specified cluster is not in the available state.',
    });
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv({ ...CLUSTER_ENV, DWH_PAUSE_AFTER_RUN: 'true', DWH_CLUSTER_IDENTIFIER: 'sparkify-dwh' });
    describedAs('available');

    try {
      const result = await handler({}, lambdaContext());

      expect(redshift).toHaveReceivedCommandWith(PauseClusterCommand, { ClusterIdentifier: 'sparkify-dwh' });
      expect(result).toMatchObject({ paused: true, status: 'pausing' });
    } finally {
      restore();
    }
  });
});
