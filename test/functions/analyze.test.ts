import './awsTestEnv';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { analyze, handler } from '../../functions/analyze';
import { handler as reportHandler, reportAnalysis } from '../../functions/reportAnalysis';
import { DataQualityError, InvalidEventError } from '../../functions/lib/contracts/errors';
import type { StatementResult } from '../../functions/lib/contracts/events';
import { awsDeps, CLUSTER_ENV, freezeDate, lambdaContext, setEnv, testSettings } from './helpers';

const data = mockClient(RedshiftDataClient);

const NOW = '2024-05-01T12:00:00.000Z';
const FINISHED: StatementResult = { step: 'analyze', id: 'analyze-1', status: 'FINISHED', createdAt: NOW, attempt: 2, message: 'analyze finished' };

const CHECK_NAMES = ['artists_duplicate_keys', 'artists_null_keys', 'songplays_count_matches_next_song_events', 'songplays_null_keys', 'songplays_time_missing', 'songplays_user_missing'];

/** The Data API results of the analysis statement; quality_checks comes in two pages. */
function analysisResults(failures: Record<string, number> = {}) {
  const column = (...names: string[]) => names.map((name) => ({ name }));
  data.on(GetStatementResultCommand, { Id: 'analyze-1:1' }).resolves({
    ColumnMetadata: column('gender', 'users'),
    Records: [
      [{ stringValue: 'F' }, { longValue: 55 }],
      [{ stringValue: 'M' }, { longValue: 41 }],
    ],
  });
  data.on(GetStatementResultCommand, { Id: 'analyze-1:2' }).resolves({
    ColumnMetadata: column('level', 'users'),
    Records: [
      [{ stringValue: 'free' }, { longValue: 74 }],
      [{ stringValue: 'paid' }, { longValue: 22 }],
    ],
  });
  data.on(GetStatementResultCommand, { Id: 'analyze-1:3' }).resolves({ ColumnMetadata: column('duplicate_user_ids'), Records: [[{ longValue: 0 }]] });
  const checkRecords = CHECK_NAMES.map((name) => [{ stringValue: name }, { longValue: failures[name] ?? 0 }]);
  data
    .on(GetStatementResultCommand, { Id: 'analyze-1:4' })
    .resolves({ ColumnMetadata: column('check_name', 'failures'), Records: checkRecords.slice(0, 3), NextToken: 'page-2' });
  data
    .on(GetStatementResultCommand, { Id: 'analyze-1:4', NextToken: 'page-2' })
    .resolves({ ColumnMetadata: column('check_name', 'failures'), Records: checkRecords.slice(3) });
}

beforeEach(() => {
  data.reset();
  freezeDate(NOW);
  data.on(BatchExecuteStatementCommand).resolves({ Id: 'analyze-1' });
});

afterEach(() => jest.useRealTimers());

describe('analyze', () => {
  it('submits sql/analyze.sql and returns at once when told not to wait', async () => {
    const result = await analyze({ overrides: {}, wait: false }, awsDeps(testSettings()));

    const [batch] = data.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input);
    expect(batch).toMatchObject({ StatementName: 'sparkify-dwh-analyze', ClusterIdentifier: 'sparkify-dwh' });
    expect(batch.Sqls?.map((sql) => /-- result: (\w+)/.exec(sql)?.[1])).toEqual(['users_by_gender', 'users_by_level', 'duplicate_user_ids', 'quality_checks']);
    expect(result).toEqual({
      step: 'analyze',
      id: 'analyze-1',
      status: 'SUBMITTED',
      createdAt: NOW,
      attempt: 0,
      message: 'analyze: sql/analyze.sql submitted as statement analyze-1 (4 statements, one transaction)',
    });
  });

  it('waits for its statement and reports when invoked alone', async () => {
    data.on(DescribeStatementCommand, { Id: 'analyze-1' }).resolves({ Id: 'analyze-1', Status: 'FINISHED', CreatedAt: new Date(NOW) });
    analysisResults();

    const result = await analyze({}, awsDeps(testSettings()));

    expect(result).toMatchObject({ step: 'analyze', id: 'analyze-1', status: 'FINISHED', attempt: 1 });
    expect(result.analysis).toMatchObject({ duplicateUserIds: 0, usersByLevel: [{ level: 'free', users: 74 }, { level: 'paid', users: 22 }] });
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv(CLUSTER_ENV);

    try {
      const result = await handler({ overrides: {}, wait: false }, lambdaContext());

      expect(result).toMatchObject({ step: 'analyze', id: 'analyze-1', status: 'SUBMITTED' });
      expect(data.commandCalls(BatchExecuteStatementCommand)[0].args[0].input).toMatchObject({ ClusterIdentifier: 'sparkify-dwh' });
    } finally {
      restore();
    }
  });
});

describe('reportAnalysis', () => {
  it('reads every page of every named result of the finished statement', async () => {
    analysisResults();

    const analysis = await reportAnalysis({ statement: FINISHED }, awsDeps(testSettings()));

    expect(data.commandCalls(GetStatementResultCommand).map((call) => call.args[0].input)).toEqual([
      { Id: 'analyze-1:1' },
      { Id: 'analyze-1:2' },
      { Id: 'analyze-1:3' },
      { Id: 'analyze-1:4' },
      { Id: 'analyze-1:4', NextToken: 'page-2' },
    ]);
    expect(analysis).toEqual({
      usersByGender: [
        { gender: 'F', users: 55 },
        { gender: 'M', users: 41 },
      ],
      usersByLevel: [
        { level: 'free', users: 74 },
        { level: 'paid', users: 22 },
      ],
      duplicateUserIds: 0,
      checks: CHECK_NAMES.map((name) => ({ name, failures: 0, passed: true })),
    });
  });

  it('fails with DataQualityError naming each failed check and its count', async () => {
    analysisResults({ songplays_user_missing: 3, songplays_time_missing: 1 });

    const attempt = reportAnalysis({ statement: FINISHED }, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(
      new DataQualityError('Data quality checks failed: songplays_time_missing (1 offending row), songplays_user_missing (3 offending rows)'),
    );
  });

  it.each([
    ['a statement that has not finished', { ...FINISHED, status: 'STARTED' }, 'got analyze STARTED'],
    ['the statement of another step', { ...FINISHED, step: 'insertTables' }, 'got insertTables FINISHED'],
  ] as const)('refuses to report on %s', async (_, statement, detail) => {
    const attempt = reportAnalysis({ statement }, awsDeps(testSettings()));

    await expect(attempt).rejects.toThrow(InvalidEventError);
    await expect(attempt).rejects.toThrow(
      new InvalidEventError(`Invalid event for reportAnalysis: $.statement must be the analyze statement once FINISHED; ${detail}`),
    );
    expect(data.calls()).toHaveLength(0);
  });

  it('runs as a Lambda handler with the settings from the environment', async () => {
    const restore = setEnv(CLUSTER_ENV);
    analysisResults();

    try {
      const analysis = await reportHandler({ statement: FINISHED }, lambdaContext());

      expect(analysis).toMatchObject({ usersByGender: [{ gender: 'F', users: 55 }, { gender: 'M', users: 41 }] });
    } finally {
      restore();
    }
  });
});
