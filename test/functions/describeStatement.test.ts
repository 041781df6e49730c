import './awsTestEnv';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { describeStatement, handler } from '../../functions/describeStatement';
import { InvalidEventError } from '../../functions/lib/contracts/errors';
import type { StatementResult } from '../../functions/lib/contracts/events';
import { awsDeps, CLUSTER_ENV, lambdaContext, SERVERLESS_ENV, setEnv, testSettings } from './helpers';

const data = mockClient(RedshiftDataClient);

const CREATED_AT = '2024-05-01T12:00:00.000Z';

function statement(step: StatementResult['step'], attempt = 0): StatementResult {
  return { step, id: 'load-1', status: 'SUBMITTED', createdAt: CREATED_AT, attempt, message: `${step} submitted` };
}

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
    ['ABORTED', undefined, 'loadStaging failed: the statement was ABORTED without an error text'],
  ] as const)('returns a %s load with its error text, without throwing and without looking its load errors up', async (status, error, message) => {
    data.on(DescribeStatementCommand, { Id: 'load-1' }).resolves({ Id: 'load-1', Status: status, Error: error, CreatedAt: new Date(CREATED_AT) });

    const result = await describeStatement({ statement: statement('loadStaging', 5) }, awsDeps(testSettings()));

    expect(data).not.toHaveReceivedCommand(BatchExecuteStatementCommand);
    expect(result).toEqual({ ...statement('loadStaging'), status, attempt: 6, message });
  });

  it('describes the load-error lookup as the statement of explainLoadFailure', async () => {
    data.on(DescribeStatementCommand, { Id: 'errors-1' }).resolves({ Id: 'errors-1', Status: 'FINISHED', CreatedAt: new Date(CREATED_AT) });

    const lookup = { ...statement('loadStaging'), step: 'explainLoadFailure', id: 'errors-1' } as const;
    const result = await describeStatement({ statement: lookup }, awsDeps(testSettings()));

    expect(result).toEqual({ ...lookup, status: 'FINISHED', attempt: 1, message: 'explainLoadFailure finished (statement errors-1)' });
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
