import './awsTestEnv';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SettingsError, StatementFailedError } from '../../functions/lib/contracts/errors';
import { handler, loadStaging } from '../../functions/loadStaging';
import { awsDeps, CLUSTER_ENV, freezeDate, lambdaContext, ROLE_ARN, SECRET_ARN, setEnv, testSettings } from './helpers';

const data = mockClient(RedshiftDataClient);

const NOW = '2024-05-01T12:00:00.000Z';

function copies(): string[] {
  const [batch] = data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
  // a COPY, after its leading comment lines
  return (batch.Sqls ?? []).map((sql) => sql.replace(/^(--.*\n)*/, '')).filter((sql) => sql.startsWith('copy'));
}

beforeEach(() => {
  data.reset();
  freezeDate(NOW);
  data.on(BatchExecuteStatementCommand).resolves({ Id: 'load-1' });
});

afterEach(() => jest.useRealTimers());

/** The event columns COPY loads, as sql/load_log_data.sql lists them (staging_events' log_day is not in the JSON). */
const EVENT_COLUMNS =
  'artist, auth, firstname, gender, iteminsession, lastname, length, level, location, method, page,\n    registration, sessionid, song, status, ts, useragent, userid';

describe('loadStaging', () => {
  it('submits the staging rebuild as one batch, COPYing from the configured sources with the role', async () => {
    const result = await loadStaging({ overrides: {}, wait: false }, awsDeps(testSettings()));

    expect(data).toHaveReceivedCommandWith(BatchExecuteStatementCommand, { StatementName: 'sparkify-dwh-loadStaging', DbUser: 'awsuser' });
    expect(copies()).toEqual([
      expect.stringContaining(`copy staging_events (\n    ${EVENT_COLUMNS}\n)\nfrom 's3://udacity-dend/log_data'\niam_role '${ROLE_ARN}'\nregion 'us-west-2'\nformat as json 'auto ignorecase'`),
      expect.stringContaining(`copy staging_songs\nfrom 's3://udacity-dend/song_data'\niam_role '${ROLE_ARN}'\nregion 'us-west-2'\nformat as json 'auto'`),
    ]);
    expect(result).toEqual({
      step: 'loadStaging',
      id: 'load-1',
      status: 'SUBMITTED',
      createdAt: NOW,
      attempt: 0,
      message: 'loadStaging: sql/load_staging.sql submitted as statement load-1 (6 statements, one transaction)',
    });
  });

  it('loads the narrower prefixes of the execution input', async () => {
    const overrides = { sources: { logData: 's3://udacity-dend/log_data/2018/11', songData: 's3://udacity-dend/song_data/A/B' } };

    await loadStaging({ overrides, wait: false }, awsDeps(testSettings()));

    expect(copies()).toEqual([
      expect.stringContaining("from 's3://udacity-dend/log_data/2018/11'"),
      expect.stringContaining("from 's3://udacity-dend/song_data/A/B'"),
    ]);
  });

  it('uses the JSONPaths file when one is configured', async () => {
    const settings = testSettings({ DWH_LOG_JSONPATH: 's3://udacity-dend/log_json_path.json' });

    await loadStaging({ wait: false }, awsDeps(settings));

    expect(copies()[0]).toContain("format as json 's3://udacity-dend/log_json_path.json'");
  });

  it('authenticates with the secret when DWH_SECRET_ARN is set', async () => {
    await loadStaging({ wait: false }, awsDeps(testSettings({ DWH_SECRET_ARN: SECRET_ARN })));

    const [batch] = data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
    expect(batch).toMatchObject({ ClusterIdentifier: 'sparkify-dwh', SecretArn: SECRET_ARN });
    expect(batch).not.toHaveProperty('DbUser');
  });

  it('refuses overrides outside the configured prefixes before any call', async () => {
    const overrides = { sources: { songData: 's3://another-bucket/song_data' } };

    await expect(loadStaging({ overrides, wait: false }, awsDeps(testSettings()))).rejects.toThrow(SettingsError);
    expect(data.calls()).toHaveLength(0);
  });

  it('fails with StatementFailedError carrying the first load errors when invoked alone and the COPY fails', async () => {
    data.on(BatchExecuteStatementCommand).resolvesOnce({ Id: 'load-1' }).resolves({ Id: 'errors-1' });
    data.on(DescribeStatementCommand, { Id: 'load-1' }).resolves({
      Id: 'load-1',
      Status: 'FAILED',
      Error: "Load into table 'staging_events' failed.",
      CreatedAt: new Date(NOW),
    });
    data.on(DescribeStatementCommand, { Id: 'errors-1' }).resolves({ Id: 'errors-1', Status: 'FINISHED', CreatedAt: new Date(NOW) });
    data.on(GetStatementResultCommand, { Id: 'errors-1:1' }).resolves({
      ColumnMetadata: [{ name: 'file_name' }, { name: 'line_number' }, { name: 'column_name' }, { name: 'error_reason' }, { name: 'raw_field_value' }],
      Records: [[{ stringValue: 's3://udacity-dend/log_data/bad.json' }, { longValue: 2 }, { stringValue: 'ts' }, { stringValue: 'Invalid digit' }, { stringValue: 'abc' }]],
    });

    const attempt = loadStaging({}, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(
      new StatementFailedError(
        "loadStaging failed: Load into table 'staging_events' failed. " +
          "First load errors: file s3://udacity-dend/log_data/bad.json, line 2, column ts: Invalid digit (value 'abc')",
      ),
    );
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv({ ...CLUSTER_ENV, DWH_SOURCE_REGION: 'eu-west-1' });

    try {
      const result = await handler({ overrides: {}, wait: false }, lambdaContext());

      expect(copies()).toEqual([expect.stringContaining("region 'eu-west-1'"), expect.stringContaining("region 'eu-west-1'")]);
      expect(result).toMatchObject({ step: 'loadStaging', id: 'load-1', status: 'SUBMITTED' });
    } finally {
      restore();
    }
  });
});
