import * as sql from '../../../../functions/lib/sql/sql';
import { BatchTooLargeError, InvalidEventError, SettingsError, StatementFailedError } from '../../../../functions/lib/contracts/errors';
import type { StatementResult } from '../../../../functions/lib/contracts/events';
import {
  checkBatchLimits,
  POLL_INTERVAL_MS,
  runSqlStep,
  SAFETY_MARGIN_MS,
  waitForStatement,
} from '../../../../functions/lib/steps/sqlStep';
import { MAX_STATEMENT_BYTES, type StatementDescription, type StatementStatus } from '../../../../functions/lib/ports/warehouse';
import { mockWarehouse, testDeps } from '../../helpers';

const SUBMITTED: StatementResult = {
  step: 'insertTables',
  id: 'stmt-1',
  status: 'SUBMITTED',
  createdAt: '2024-05-01T12:00:00.000Z',
  attempt: 0,
  message: 'insertTables: sql/insert_tables.sql submitted as statement stmt-1 (10 statements, one transaction)',
};

function described(status: StatementStatus, error?: string): StatementDescription {
  return { id: 'stmt-1', status, error, createdAt: SUBMITTED.createdAt, subStatements: [] };
}

afterEach(() => jest.restoreAllMocks());

describe('checkBatchLimits', () => {
  it.each([
    ['41 statements', Array.from({ length: 41 }, (_, i) => `select ${i}`), 'sql/load_staging.sql has 41 statements; one BatchExecuteStatement takes at most 40 (the step runs as one transaction, so it is not split)'],
    ['a statement over 100 KB', ['select 1', `select '${'x'.repeat(MAX_STATEMENT_BYTES)}'`], `sql/load_staging.sql: statement 2 is ${MAX_STATEMENT_BYTES + 9} bytes; the Data API takes statements of at most 102400 bytes (100 KB)`],
    ['a statement over 100 KB in UTF-8 though not in characters', [`select '${'é'.repeat(51_200)}'`], 'sql/load_staging.sql: statement 1 is 102409 bytes'],
  ])('refuses a batch with %s, naming the file and the limit', (_, statements, message) => {
    expect(() => checkBatchLimits('loadStaging', statements)).toThrow(BatchTooLargeError);
    expect(() => checkBatchLimits('loadStaging', statements)).toThrow(message);
  });

  it.each([
    ['40 statements', Array.from({ length: 40 }, (_, i) => `select ${i}`)],
    ['a statement of exactly 100 KB', ['x'.repeat(MAX_STATEMENT_BYTES)]],
  ])('accepts a batch of %s', (_, statements) => {
    expect(() => checkBatchLimits('createTables', statements)).not.toThrow();
  });

  it.each(sql.SQL_STEPS)('accepts the statements of %s as rendered from sql/', (step) => {
    const statements = sql.stepStatements(step, testDeps().settings).map((statement) => statement.sql);

    expect(() => checkBatchLimits(step, statements)).not.toThrow();
  });
});

describe('runSqlStep', () => {
  it('refuses a step whose batch is too large without submitting anything', async () => {
    jest.spyOn(sql, 'stepStatements').mockReturnValue(Array.from({ length: 41 }, (_, i) => ({ sql: `select ${i}` })));
    const warehouse = mockWarehouse();

    const attempt = runSqlStep('insertTables', { wait: false }, testDeps({ warehouse }));

    await expect(attempt).rejects.toThrow(new BatchTooLargeError('sql/insert_tables.sql has 41 statements; one BatchExecuteStatement takes at most 40 (the step runs as one transaction, so it is not split)'));
    expect(warehouse.submit).not.toHaveBeenCalled();
  });

  it.each([
    ['wait that is not a boolean', { wait: 'no' }, InvalidEventError, 'Invalid event for createTables: $.wait: Invalid input: expected boolean, received string'],
    ['overrides outside the configured prefixes', { overrides: { sources: { logData: 's3://elsewhere/logs' } } }, SettingsError, 'Invalid execution input: $.sources.logData: s3://elsewhere/logs is not within the configured s3://udacity-dend/log_data; the Redshift role may read only the configured prefixes'],
  ])('refuses an event with %s before submitting', async (_, event, errorClass, message) => {
    const warehouse = mockWarehouse();

    const attempt = runSqlStep('createTables', event, testDeps({ warehouse }));

    await expect(attempt).rejects.toThrow(errorClass);
    await expect(attempt).rejects.toThrow(new errorClass(message));
    expect(warehouse.submit).not.toHaveBeenCalled();
  });
});

describe('waitForStatement', () => {
  it('polls every few seconds until the statement is FINISHED', async () => {
    const warehouse = mockWarehouse();
    warehouse.describe
      .mockResolvedValueOnce(described('PICKED'))
      .mockResolvedValueOnce(described('STARTED'))
      .mockResolvedValueOnce(described('FINISHED'));
    const deps = testDeps({ warehouse });

    const result = await waitForStatement(SUBMITTED, deps);

    expect(deps.sleep).toHaveBeenCalledTimes(3);
    expect(deps.sleep).toHaveBeenCalledWith(POLL_INTERVAL_MS);
    expect(result).toEqual({ ...SUBMITTED, status: 'FINISHED', attempt: 3, message: 'insertTables finished (statement stmt-1)' });
  });

  it.each(['FAILED', 'ABORTED'] as const)('throws StatementFailedError with the database error text when the statement is %s', async (status) => {
    const warehouse = mockWarehouse();
    warehouse.describe.mockResolvedValueOnce(described('STARTED')).mockResolvedValueOnce(described(status, 'ERROR: relation "staging_events" does not exist'));

    const attempt = waitForStatement(SUBMITTED, testDeps({ warehouse }));

    await expect(attempt).rejects.toThrow(new StatementFailedError('insertTables failed: ERROR: relation "staging_events" does not exist'));
  });

  it('returns the statement as it stands, telling how to keep polling, when the Lambda runs out of time', async () => {
    const warehouse = mockWarehouse();
    warehouse.describe.mockResolvedValue(described('STARTED'));
    // Time for exactly two polls: each poll needs its interval plus the safety margin still ahead of it.
    const remaining = [SAFETY_MARGIN_MS + 3 * POLL_INTERVAL_MS, SAFETY_MARGIN_MS + 2 * POLL_INTERVAL_MS, SAFETY_MARGIN_MS + POLL_INTERVAL_MS - 1];
    const deps = testDeps({ warehouse, remainingMs: () => remaining.shift() ?? 0 });

    const result = await waitForStatement(SUBMITTED, deps);

    expect(warehouse.describe).toHaveBeenCalledTimes(2);
    expect(result).toEqual({
      ...SUBMITTED,
      status: 'STARTED',
      attempt: 2,
      message:
        "insertTables is STARTED (statement stmt-1, described 2 times); the Lambda's time is nearly up: " +
        'keep polling by invoking describeStatement with this result as "statement"',
    });
  });

  it('tells to report with analyze once the analysis statement has finished', async () => {
    const warehouse = mockWarehouse();
    const deps = testDeps({ warehouse, remainingMs: () => SAFETY_MARGIN_MS });

    const result = await waitForStatement({ ...SUBMITTED, step: 'analyze', message: 'analyze: submitted' }, deps);

    expect(warehouse.describe).not.toHaveBeenCalled();
    expect(result.message).toBe(
      'analyze: submitted; the Lambda\'s time is nearly up: keep polling by invoking describeStatement with this result as "statement", ' +
        'then reportAnalysis with the FINISHED result as "statement"',
    );
  });
});
