import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createDataApiWarehouse } from '../../../../functions/lib/aws/dataApiWarehouse';
import { StatementFailedError } from '../../../../functions/lib/contracts/errors';
import { SECRET_ARN, SERVERLESS_ENV, testSettings } from '../../helpers';

const data = mockClient(RedshiftDataClient);
const client = new RedshiftDataClient({ region: 'us-west-2' });

beforeEach(() => data.reset());

describe('createDataApiWarehouse', () => {
  it.each([
    ['a cluster with temporary credentials for the database user', {}, { ClusterIdentifier: 'sparkify-dwh', Database: 'dev', DbUser: 'awsuser' }],
    ['a cluster with a secret', { DWH_SECRET_ARN: SECRET_ARN }, { ClusterIdentifier: 'sparkify-dwh', Database: 'dev', SecretArn: SECRET_ARN }],
    ['a Serverless workgroup with IAM credentials', SERVERLESS_ENV, { WorkgroupName: 'sparkify-wg', Database: 'dev' }],
    ['a Serverless workgroup with a secret', { ...SERVERLESS_ENV, DWH_SECRET_ARN: SECRET_ARN }, { WorkgroupName: 'sparkify-wg', Database: 'dev', SecretArn: SECRET_ARN }],
  ])('submits a batch to %s', async (_, env, target) => {
    data.on(BatchExecuteStatementCommand).resolves({ Id: 'stmt-1' });
    const warehouse = createDataApiWarehouse(client, testSettings(env));

    const id = await warehouse.submit(['select 1', 'select 2'], 'sparkify-dwh-test');

    expect(id).toBe('stmt-1');
    expect(data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input)).toEqual([
      { Sqls: ['select 1', 'select 2'], StatementName: 'sparkify-dwh-test', ...target },
    ]);
  });

  it('describes a statement with its sub-statements, error text and creation time', async () => {
    data.on(DescribeStatementCommand, { Id: 'stmt-1' }).resolves({
      Id: 'stmt-1',
      Status: 'FAILED',
      Error: 'ERROR: division by zero',
      CreatedAt: new Date('2024-05-01T12:00:00.250Z'),
      SubStatements: [
        { Id: 'stmt-1:1', Status: 'FINISHED', HasResultSet: false, ResultRows: 12 },
        { Id: 'stmt-1:2', Status: 'FAILED', Error: 'ERROR: division by zero', HasResultSet: true, ResultRows: -1 },
        { Id: 'stmt-1:3', Status: 'ABORTED', Error: '' },
      ],
    });
    const warehouse = createDataApiWarehouse(client, testSettings());

    const description = await warehouse.describe('stmt-1');

    expect(description).toEqual({
      id: 'stmt-1',
      status: 'FAILED',
      error: 'ERROR: division by zero',
      createdAt: '2024-05-01T12:00:00.250Z',
      subStatements: [
        { id: 'stmt-1:1', status: 'FINISHED', error: undefined, hasResultSet: false, rowsAffected: 12 },
        { id: 'stmt-1:2', status: 'FAILED', error: 'ERROR: division by zero', hasResultSet: true, rowsAffected: undefined },
        { id: 'stmt-1:3', status: 'ABORTED', error: undefined, hasResultSet: false, rowsAffected: undefined },
      ],
    });
  });

  it('refuses a status the port does not know, naming the statement', async () => {
    data.on(DescribeStatementCommand).resolves({ Id: 'stmt-1', Status: 'ALL', CreatedAt: new Date() });
    const warehouse = createDataApiWarehouse(client, testSettings());

    await expect(warehouse.describe('stmt-1')).rejects.toThrow(
      new StatementFailedError('Statement stmt-1: the Data API reported an unknown status ALL'),
    );
  });

  it('reads every page of a result, naming fields by the column metadata and typing them', async () => {
    data.on(GetStatementResultCommand, { Id: 'stmt-1:2' }).resolves({
      ColumnMetadata: [{ name: 'user_id' }, { name: 'duration' }, { name: 'title' }, { name: 'paid' }, { name: 'location' }],
      Records: [[{ longValue: 7 }, { doubleValue: 218.93179 }, { stringValue: 'Intro' }, { booleanValue: true }, { isNull: true }]],
      TotalNumRows: 2,
      NextToken: 'token-2',
    });
    data.on(GetStatementResultCommand, { Id: 'stmt-1:2', NextToken: 'token-2' }).resolves({
      Records: [[{ longValue: 8 }, { doubleValue: 0.5 }, { stringValue: 'Outro' }, { booleanValue: false }, { stringValue: 'Tulsa, OK' }]],
    });
    const warehouse = createDataApiWarehouse(client, testSettings());

    const rows = await warehouse.fetchRows('stmt-1:2');

    expect(data).toHaveReceivedCommandTimes(GetStatementResultCommand, 2);
    expect(rows).toEqual([
      { user_id: 7, duration: 218.93179, title: 'Intro', paid: true, location: null },
      { user_id: 8, duration: 0.5, title: 'Outro', paid: false, location: 'Tulsa, OK' },
    ]);
  });

  it('refuses a field of a type the pipeline does not read, naming the column', async () => {
    data.on(GetStatementResultCommand).resolves({
      ColumnMetadata: [{ name: 'payload' }],
      Records: [[{ blobValue: new Uint8Array([1, 2]) }]],
    });
    const warehouse = createDataApiWarehouse(client, testSettings());

    await expect(warehouse.fetchRows('stmt-1:1')).rejects.toThrow(
      new StatementFailedError('Statement stmt-1:1: column payload holds a value of a type the pipeline does not read'),
    );
  });
});
