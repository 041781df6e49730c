import './awsTestEnv';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { describeStatement, handler } from '../../functions/describeStatement';
import { InvalidEventError } from '../../functions/lib/errors';
import type { StatementResult } from '../../functions/lib/events';
import { awsDeps, CLUSTER_ENV, lambdaContext, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const data = mockClient(RedshiftDataClient);

const CREATED_AT = '2024-05-01T12:00:00.000Z';

function statement(step: StatementResult['step'], attempt = 0): StatementResult {
  return { step, id: 'load-1', status: 'SUBMITTED', createdAt: CREATED_AT, attempt, message: `${step} submitted` };
}

const LOAD_ERROR_ROWS = {
  ColumnMetadata: ['file_name', 'line_number', 'column_name', 'error_code', 'error_reason', 'raw_field_value'].map((name) => ({ name })),
  Records: [
    [
      { stringValue: 's3://udacity-dend/log_data/2018/11/2018-11-01-events.json' },
      { longValue: 7 },
      { stringValue: 'ts' },
      { longValue: 1207 },
      { stringValue: 'Invalid digit, Value \'x\', Pos 0, Type: Long' },
      { stringValue: 'x1541111130796' },
    ],
    [
      { stringValue: 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json' },
      { longValue: 12 },
      { stringValue: 'sessionid' },
      { longValue: 1207 },
      { stringValue: 'Invalid digit, Value \'-\', Pos 0, Type: Integer' },
      { isNull: true },
    ],
  ],
};

/** The Data API answers for a failed load: the load is `status`, the load-error lookup finishes with two rows. */
function failedLoad(status: 'FAILED' | 'ABORTED', error?: string) {
  data.on(DescribeStatementCommand, { Id: 'load-1' }).resolves({ Id: 'load-1', Status: status, Error: error, CreatedAt: new Date(CREATED_AT) });
  data.on(BatchExecuteStatementCommand).resolves({ Id: 'errors-1' });
  data.on(DescribeStatementCommand, { Id: 'errors-1' }).resolves({ Id: 'errors-1', Status: 'FINISHED', CreatedAt: new Date(CREATED_AT) });
  data.on(GetStatementResultCommand, { Id: 'errors-1:1' }).resolves(LOAD_ERROR_ROWS);
}

const FIRST_LOAD_ERRORS =
  "First load errors: file s3://udacity-dend/log_data/2018/11/2018-11-01-events.json, line 7, column ts: Invalid digit, Value 'x', Pos 0, Type: Long (value 'x1541111130796'); " +
  "file s3://udacity-dend/log_data/2018/11/2018-11-02-events.json, line 12, column sessionid: Invalid digit, Value '-', Pos 0, Type: Integer (value '')";

beforeEach(() => data.reset());

describe('describeStatement', () => {
  it.each([
    ['SUBMITTED', 'loadStaging is SUBMITTED (statement load-1, described 3 times)'],
    ['PICKED', 'loadStaging is PICKED (statement load-1, described 3 times)'],
    ['STARTED', 'loadStaging is STARTED (statement load-1, described 3 times)'],
  ] as const)('reports a %s statement and counts the attempt', async (status, message) => {
    data.on(DescribeStatementCommand, { Id: 'load-1' }).resolves({ Id: 'load-1', Status: status, CreatedAt: new Date(CREATED_AT) });

    const result = await describeStatement({ statement: statement('loadStaging', 2) }, awsDeps(testSettings()));

    expect(data).toHaveReceivedCommandWith(DescribeStatementCommand, { Id: 'load-1' });
    expect(result).toEqual({ ...statement('loadStaging'), status, attempt: 3, message });
  });

  it('reports a FINISHED statement with the rows its sub-statements affected', async () => {
    data.on(DescribeStatementCommand).resolves({
      Id: 'load-1',
      Status: 'FINISHED',
      CreatedAt: new Date(CREATED_AT),
      SubStatements: [
        { Id: 'load-1:1', Status: 'FINISHED', ResultRows: -1 },
        { Id: 'load-1:2', Status: 'FINISHED', ResultRows: 8056 },
        { Id: 'load-1:3', Status: 'FINISHED', ResultRows: 14896 },
      ],
    });

    const result = await describeStatement({ statement: statement('loadStaging') }, awsDeps(testSettings()));

    expect(result).toMatchObject({ status: 'FINISHED', attempt: 1, message: 'loadStaging finished (statement load-1, 22952 rows affected)' });
  });

  it.each([
    ['FAILED', 'Load into table \'staging_events\' failed. Check \'stl_load_errors\' system table for details.', "loadStaging failed: Load into table 'staging_events' failed. Check 'stl_load_errors' system table for details."],
    ['ABORTED', undefined, 'loadStaging failed: the statement was ABORTED without an error text.'],
  ] as const)('returns a %s load with the error text and the first load errors, without throwing', async (status, error, failure) => {
    failedLoad(status, error);

    const result = await describeStatement({ statement: statement('loadStaging', 5) }, awsDeps(testSettings()));

    expect(result).toEqual({ ...statement('loadStaging'), status, attempt: 6, message: `${failure} ${FIRST_LOAD_ERRORS}` });
  });

  it('looks the load errors up in stl_load_errors since the load was created, on the cluster', async () => {
    failedLoad('FAILED', 'Load failed');

    await describeStatement({ statement: statement('loadStaging') }, awsDeps(testSettings()));

    const [lookup] = data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
    expect(lookup).toMatchObject({ ClusterIdentifier: 'sparkify-dwh', Database: 'dev', DbUser: 'awsuser', StatementName: 'sparkify-dwh-load-errors' });
    expect(lookup.Sqls).toHaveLength(1);
    expect(lookup.Sqls?.[0]).toContain('from stl_load_errors');
    expect(lookup.Sqls?.[0]).toContain("where starttime >= '2024-05-01 12:00:00.000'");
  });

  it('looks the load errors up in sys_load_error_detail on Serverless', async () => {
    failedLoad('FAILED', 'Load failed');

    const result = await describeStatement({ statement: statement('loadStaging') }, awsDeps(testSettings(SERVERLESS_ENV)));

    const [lookup] = data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
    expect(lookup).toMatchObject({ WorkgroupName: 'sparkify-wg', Database: 'dev' });
    expect(lookup.Sqls?.[0]).toContain('from sys_load_error_detail');
    expect(result.message).toBe(`loadStaging failed: Load failed. ${FIRST_LOAD_ERRORS}`);
  });

  it('says so in the message when the load-error lookup itself fails', async () => {
    data.on(DescribeStatementCommand, { Id: 'load-1' }).resolves({ Id: 'load-1', Status: 'FAILED', Error: 'Load failed', CreatedAt: new Date(CREATED_AT) });
    data.on(BatchExecuteStatementCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));

    const result = await describeStatement({ statement: statement('loadStaging') }, awsDeps(testSettings()));

    expect(result).toMatchObject({
      status: 'FAILED',
      message: 'loadStaging failed: Load failed. Load errors could not be read: AccessDeniedException: User is not authorized',
    });
  });

  it('reports the error text of a failed step other than the load, without a load-error lookup', async () => {
    data.on(DescribeStatementCommand).resolves({
      Id: 'load-1',
      Status: 'FAILED',
      CreatedAt: new Date(CREATED_AT),
      SubStatements: [
        { Id: 'load-1:1', Status: 'FINISHED' },
        { Id: 'load-1:2', Status: 'FAILED', Error: 'ERROR: column "userid" does not exist' },
      ],
    });

    const result = await describeStatement({ statement: statement('insertTables') }, awsDeps(testSettings()));

    expect(data).not.toHaveReceivedCommand(BatchExecuteStatementCommand);
    expect(result.message).toBe('insertTables failed: ERROR: column "userid" does not exist');
  });

  it.each([
    ['no statement', {}, '$.statement: Invalid input: expected object, received undefined'],
    ['an unknown step', { statement: { ...statement('loadStaging'), step: 'dropTables' } }, '$.statement.step'],
    ['an empty id', { statement: { ...statement('loadStaging'), id: '' } }, '$.statement.id'],
    ['a creation time that is not ISO 8601', { statement: { ...statement('loadStaging'), createdAt: 'yesterday' } }, '$.statement.createdAt'],
  ])('refuses an event with %s, naming the field', async (_, event, field) => {
    const attempt = describeStatement(event as never, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(InvalidEventError);
    await expect(attempt).rejects.toThrow(`Invalid event for describeStatement: ${field}`);
    expect(data.calls()).toHaveLength(0);
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv(CLUSTER_ENV);
    data.on(DescribeStatementCommand).resolves({ Id: 'load-1', Status: 'STARTED', CreatedAt: new Date(CREATED_AT) });

    try {
      const result = await handler({ statement: statement('loadStaging') }, lambdaContext());

      expect(result).toMatchObject({ status: 'STARTED', attempt: 1 });
    } finally {
      restore();
    }
  });
});
