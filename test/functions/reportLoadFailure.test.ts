import './awsTestEnv';
import { GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { InvalidEventError } from '../../functions/lib/contracts/errors';
import type { StatementResult } from '../../functions/lib/contracts/events';
import { handler, reportLoadFailure } from '../../functions/reportLoadFailure';
import { awsDeps, CLUSTER_ENV, lambdaContext, setEnv, testSettings } from './helpers';

const data = mockClient(RedshiftDataClient);

const CREATED_AT = '2024-05-01T12:00:00.000Z';
const LOAD: StatementResult = {
  step: 'loadStaging',
  id: 'load-1',
  status: 'FAILED',
  createdAt: CREATED_AT,
  attempt: 6,
  message: "loadStaging failed: Load into table 'staging_events' failed. Check 'stl_load_errors' system table for details.",
};
const LOOKUP: StatementResult = { step: 'explainLoadFailure', id: 'errors-1', status: 'FINISHED', createdAt: CREATED_AT, attempt: 1, message: 'explainLoadFailure finished' };

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

const FIRST_LOAD_ERRORS =
  "First load errors: file s3://udacity-dend/log_data/2018/11/2018-11-01-events.json, line 7, column ts: Invalid digit, Value 'x', Pos 0, Type: Long (value 'x1541111130796'); " +
  "file s3://udacity-dend/log_data/2018/11/2018-11-02-events.json, line 12, column sessionid: Invalid digit, Value '-', Pos 0, Type: Integer (value '')";


beforeEach(() => data.reset());

describe('reportLoadFailure', () => {
  it("reads the lookup's rows and adds the first load errors to the load's message: file, line, column, reason", async () => {
    data.on(GetStatementResultCommand, { Id: 'errors-1:1' }).resolves(LOAD_ERROR_ROWS);

    const result = await reportLoadFailure({ statement: LOAD, explanation: LOOKUP }, awsDeps(testSettings()));

    expect(data.commandCalls(GetStatementResultCommand).map((call) => call.args[0].input)).toEqual([{ Id: 'errors-1:1' }]);
    expect(result).toEqual({ ...LOAD, message: `${LOAD.message} ${FIRST_LOAD_ERRORS}` });
  });

  it('says when no load error was recorded since the load was created', async () => {
    data.on(GetStatementResultCommand, { Id: 'errors-1:1' }).resolves({ ColumnMetadata: LOAD_ERROR_ROWS.ColumnMetadata, Records: [] });

    const result = await reportLoadFailure({ statement: { ...LOAD, message: 'loadStaging failed: ERROR: division by zero' }, explanation: LOOKUP }, awsDeps(testSettings()));

    expect(result.message).toBe(`loadStaging failed: ERROR: division by zero. No load errors recorded since ${CREATED_AT}`);
  });

  it('refuses an event without the lookup, naming the field', async () => {
    const attempt = reportLoadFailure({ statement: LOAD } as never, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(InvalidEventError);
    await expect(attempt).rejects.toThrow('Invalid event for reportLoadFailure ($.explanation): $.statement: Invalid input: expected object, received undefined');
    expect(data.calls()).toHaveLength(0);
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv(CLUSTER_ENV);
    data.on(GetStatementResultCommand, { Id: 'errors-1:1' }).resolves(LOAD_ERROR_ROWS);

    try {
      const result = await handler({ statement: LOAD, explanation: LOOKUP }, lambdaContext());

      expect(result.message).toBe(`${LOAD.message} ${FIRST_LOAD_ERRORS}`);
    } finally {
      restore();
    }
  });
});
