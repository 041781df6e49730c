import './awsTestEnv';
import { BatchExecuteStatementCommand, DescribeStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler, insertTables } from '../../functions/insertTables';
import { POLL_INTERVAL_MS, SAFETY_MARGIN_MS } from '../../functions/lib/steps/sqlStep';
import { awsDeps, CLUSTER_ENV, freezeDate, lambdaContext, setEnv, testSettings } from './helpers';

const data = mockClient(RedshiftDataClient);

const NOW = '2024-05-01T12:00:00.000Z';

beforeEach(() => {
  data.reset();
  freezeDate(NOW);
  data.on(BatchExecuteStatementCommand).resolves({ Id: 'insert-1' });
});

afterEach(() => jest.useRealTimers());

describe('insertTables', () => {
  it('submits as one batch, in order: the check of the events, the delete and insert of each star table, the quality checks', async () => {
    const result = await insertTables({ overrides: {}, wait: false }, awsDeps(testSettings()));

    const [batch] = data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
    expect(batch).toMatchObject({ ClusterIdentifier: 'sparkify-dwh', Database: 'dev', DbUser: 'awsuser', StatementName: 'sparkify-dwh-insertTables' });
    expect(batch.Sqls?.map((sql) => /^(delete from|insert into|create or replace procedure|call) (\w+)/m.exec(sql)?.slice(1).join(' '))).toEqual([
      'create or replace procedure sp_assert_convertible_events',
      'call sp_assert_convertible_events',
      'create or replace procedure sp_assert_songs_loaded',
      'call sp_assert_songs_loaded',
      'delete from replaced_songplays',
      'insert into replaced_songplays',
      'delete from songplays',
      'delete from songplay_days',
      'insert into songplays',
      'insert into songplay_days',
      'insert into songplay_days',
      'delete from replaced_users',
      'insert into replaced_users',
      'delete from user_days',
      'insert into user_days',
      'delete from users',
      'insert into users',
      'delete from songs',
      'insert into songs',
      'delete from artists',
      'insert into artists',
      'delete from time',
      'insert into time',
      'create or replace procedure sp_assert_quality_checks',
      'call sp_assert_quality_checks',
    ]);
    expect(batch.Sqls?.[23]).toContain("where cast(start_time as date) not between date '2000-01-01' and date '2099-12-31'");
    expect(result).toMatchObject({ step: 'insertTables', id: 'insert-1', status: 'SUBMITTED', createdAt: NOW, attempt: 0 });
  });

  it('returns the statement as it stands when the Lambda is about to time out, telling how to keep polling', async () => {
    data.on(DescribeStatementCommand).resolves({ Id: 'insert-1', Status: 'STARTED', CreatedAt: new Date(NOW) });
    const remaining = [SAFETY_MARGIN_MS + POLL_INTERVAL_MS, SAFETY_MARGIN_MS];
    const deps = awsDeps(testSettings(), { remainingMs: () => remaining.shift() ?? 0 });

    const result = await insertTables({}, deps);

    expect(data).toHaveReceivedCommandTimes(DescribeStatementCommand, 1);
    expect(result).toEqual({
      step: 'insertTables',
      id: 'insert-1',
      status: 'STARTED',
      createdAt: NOW,
      attempt: 1,
      message:
        "insertTables is STARTED (statement insert-1, described 1 time); the Lambda's time is nearly up: " +
        'keep polling by invoking describeStatement with this result as "statement"',
    });
  });

  it('runs as a Lambda handler, polling within the time the Lambda context gives', async () => {
    const restore = setEnv(CLUSTER_ENV);

    try {
      const result = await handler({}, lambdaContext(SAFETY_MARGIN_MS));

      expect(data).not.toHaveReceivedCommand(DescribeStatementCommand);
      expect(result).toMatchObject({ step: 'insertTables', id: 'insert-1', status: 'SUBMITTED', attempt: 0 });
    } finally {
      restore();
    }
  });
});
