import './awsTestEnv';
import { BatchExecuteStatementCommand, DescribeStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createTables, handler } from '../../functions/createTables';
import { awsDeps, CLUSTER_ENV, freezeDate, lambdaContext, setEnv, testSettings } from './helpers';

const data = mockClient(RedshiftDataClient);

const NOW = '2024-05-01T12:00:00.000Z';

beforeEach(() => {
  data.reset();
  freezeDate(NOW);
  data.on(BatchExecuteStatementCommand).resolves({ Id: 'create-1' });
});

afterEach(() => jest.useRealTimers());

describe('createTables', () => {
  it('submits the star tables and the day bookkeeping tables as one batch and returns at once when told not to wait', async () => {
    const deps = awsDeps(testSettings());

    const result = await createTables({ overrides: {}, wait: false }, deps);

    const [batch] = data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
    expect(batch).toMatchObject({ ClusterIdentifier: 'sparkify-dwh', Database: 'dev', DbUser: 'awsuser', StatementName: 'sparkify-dwh-createTables' });
    expect(batch.Sqls?.map((sql) => /create table if not exists (\w+)/.exec(sql)?.[1])).toEqual([
      'songplays',
      'users',
      'songs',
      'artists',
      'time',
      'songplay_days',
      'user_days',
      'replaced_songplays',
      'replaced_users',
    ]);
    expect(data).not.toHaveReceivedCommand(DescribeStatementCommand);
    expect(deps.sleep).not.toHaveBeenCalled();
    expect(result).toEqual({
      step: 'createTables',
      id: 'create-1',
      status: 'SUBMITTED',
      createdAt: NOW,
      attempt: 0,
      message: 'createTables: sql/create_tables.sql submitted as statement create-1 (9 statements, one transaction)',
    });
  });

  it('waits for its statement when invoked alone', async () => {
    data
      .on(DescribeStatementCommand)
      .resolvesOnce({ Id: 'create-1', Status: 'STARTED', CreatedAt: new Date(NOW) })
      .resolves({ Id: 'create-1', Status: 'FINISHED', CreatedAt: new Date(NOW) });
    const deps = awsDeps(testSettings());

    const result = await createTables({}, deps);

    expect(data).toHaveReceivedCommandTimes(DescribeStatementCommand, 2);
    expect(result).toMatchObject({ status: 'FINISHED', attempt: 2, message: 'createTables finished (statement create-1)' });
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv({ ...CLUSTER_ENV, DWH_DB_NAME: 'sparkify' });

    try {
      const result = await handler({ overrides: {}, wait: false }, lambdaContext());

      expect(data).toHaveReceivedCommandWith(BatchExecuteStatementCommand, { Database: 'sparkify', StatementName: 'sparkify-dwh-createTables' });
      expect(result).toMatchObject({ step: 'createTables', id: 'create-1', status: 'SUBMITTED' });
    } finally {
      restore();
    }
  });
});
