import './awsTestEnv';
import { BatchExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { InvalidEventError } from '../../functions/lib/contracts/errors';
import type { StatementResult } from '../../functions/lib/contracts/events';
import { explainLoadFailure, handler } from '../../functions/explainLoadFailure';
import { awsDeps, CLUSTER_ENV, freezeDate, lambdaContext, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const data = mockClient(RedshiftDataClient);

const NOW = '2024-05-01T12:30:00.000Z';
const LOAD: StatementResult = { step: 'loadStaging', id: 'load-1', status: 'FAILED', createdAt: '2024-05-01T12:00:00.000Z', attempt: 6, message: 'loadStaging failed: Load failed' };

beforeEach(() => {
  data.reset();
  freezeDate(NOW);
  data.on(BatchExecuteStatementCommand).resolves({ Id: 'errors-1' });
});

afterEach(() => jest.useRealTimers());

describe('explainLoadFailure', () => {
  it('submits the lookup of stl_load_errors since the load was created, on the cluster, and returns at once', async () => {
    const result = await explainLoadFailure({ statement: LOAD }, awsDeps(testSettings()));

    const [lookup] = data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
    expect(lookup).toMatchObject({ ClusterIdentifier: 'sparkify-dwh', Database: 'dev', DbUser: 'awsuser', StatementName: 'sparkify-dwh-load-errors' });
    expect(lookup.Sqls).toHaveLength(1);
    expect(lookup.Sqls?.[0]).toContain('from stl_load_errors');
    expect(lookup.Sqls?.[0]).toContain("where starttime >= '2024-05-01 12:00:00.000'");
    expect(data.calls()).toHaveLength(1);
    expect(result).toEqual({
      step: 'explainLoadFailure',
      id: 'errors-1',
      status: 'SUBMITTED',
      createdAt: NOW,
      attempt: 0,
      message: 'explainLoadFailure: the load errors since 2024-05-01T12:00:00.000Z looked up as statement errors-1',
    });
  });

  it('looks the load errors up in sys_load_error_detail on Serverless', async () => {
    await explainLoadFailure({ statement: LOAD }, awsDeps(testSettings(SERVERLESS_ENV)));

    const [lookup] = data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
    expect(lookup).toMatchObject({ WorkgroupName: 'sparkify-wg', Database: 'dev' });
    expect(lookup.Sqls?.[0]).toContain('from sys_load_error_detail');
  });

  it('refuses an event without the load statement, naming the field', async () => {
    const attempt = explainLoadFailure({} as never, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(InvalidEventError);
    await expect(attempt).rejects.toThrow('Invalid event for explainLoadFailure: $.statement: Invalid input: expected object, received undefined');
    expect(data.calls()).toHaveLength(0);
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv(CLUSTER_ENV);

    try {
      const result = await handler({ statement: LOAD }, lambdaContext());

      expect(result).toMatchObject({ step: 'explainLoadFailure', id: 'errors-1', status: 'SUBMITTED' });
    } finally {
      restore();
    }
  });
});
