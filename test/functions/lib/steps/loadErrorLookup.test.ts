import type { StatementResult } from '../../../../functions/lib/contracts/events';
import { formatLoadError, lookUpLoadErrors, LOAD_ERRORS_POLL_MS, LOAD_ERRORS_POLLS } from '../../../../functions/lib/steps/loadErrorLookup';
import type { StatementDescription, StatementStatus } from '../../../../functions/lib/ports/warehouse';
import { mockWarehouse, testDeps } from '../../helpers';

const SINCE = '2024-05-01T12:00:00.000Z';
const LOAD: StatementResult = { step: 'loadStaging', id: 'load-1', status: 'FAILED', createdAt: SINCE, attempt: 3, message: 'loadStaging failed: Load failed' };

function described(status: StatementStatus, error?: string): StatementDescription {
  return { id: 'errors-1', status, error, createdAt: SINCE, subStatements: [] };
}

describe('formatLoadError', () => {
  it('writes a load error as file, line, column, reason and value', () => {
    const row = { file_name: 's3://b/log_data/a.json ', line_number: 3, column_name: 'ts  ', error_code: 1207, error_reason: 'Invalid digit', raw_field_value: 'abc' };

    expect(formatLoadError(row)).toBe("file s3://b/log_data/a.json, line 3, column ts: Invalid digit (value 'abc')");
  });
});

describe('lookUpLoadErrors', () => {
  it('reads the rows of the lookup, as sub-statement 1 of its batch', async () => {
    const warehouse = mockWarehouse();
    warehouse.submit.mockResolvedValue('errors-1');
    warehouse.describe.mockResolvedValue(described('FINISHED'));
    warehouse.fetchRows.mockResolvedValue([{ file_name: 'f', line_number: 1, column_name: 'c', error_reason: 'r', raw_field_value: 'v' }]);

    const sentence = await lookUpLoadErrors(LOAD, testDeps({ warehouse }));

    expect(warehouse.submit).toHaveBeenCalledWith([expect.stringContaining("starttime >= '2024-05-01 12:00:00.000'")], 'sparkify-dwh-load-errors');
    expect(warehouse.fetchRows).toHaveBeenCalledWith('errors-1:1');
    expect(sentence).toBe("First load errors: file f, line 1, column c: r (value 'v')");
  });

  it('says when no load error was recorded', async () => {
    const warehouse = mockWarehouse();
    warehouse.submit.mockResolvedValue('errors-1');
    warehouse.describe.mockResolvedValue(described('FINISHED'));
    warehouse.fetchRows.mockResolvedValue([]);

    expect(await lookUpLoadErrors(LOAD, testDeps({ warehouse }))).toBe(`No load errors recorded since ${SINCE}`);
  });

  it('gives up, saying so, when the lookup does not finish in time', async () => {
    const warehouse = mockWarehouse();
    warehouse.submit.mockResolvedValue('errors-1');
    warehouse.describe.mockResolvedValue(described('STARTED'));
    const deps = testDeps({ warehouse });

    const sentence = await lookUpLoadErrors(LOAD, deps);

    expect(warehouse.describe).toHaveBeenCalledTimes(LOAD_ERRORS_POLLS);
    expect(deps.sleep).toHaveBeenCalledTimes(LOAD_ERRORS_POLLS - 1);
    expect(deps.sleep).toHaveBeenCalledWith(LOAD_ERRORS_POLL_MS);
    expect(sentence).toBe('Load errors could not be read: the lookup did not finish within 10 s');
  });

  it('reports the lookup failing in the database', async () => {
    const warehouse = mockWarehouse();
    warehouse.submit.mockResolvedValue('errors-1');
    warehouse.describe.mockResolvedValue(described('FAILED', 'permission denied for relation stl_load_errors'));

    expect(await lookUpLoadErrors(LOAD, testDeps({ warehouse }))).toBe(
      'Load errors could not be read: the lookup FAILED: permission denied for relation stl_load_errors',
    );
  });

  it('reports an error thrown by the warehouse instead of throwing it', async () => {
    const warehouse = mockWarehouse();
    warehouse.submit.mockResolvedValue('errors-1');
    warehouse.describe.mockResolvedValue(described('FINISHED'));
    warehouse.fetchRows.mockRejectedValue(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    expect(await lookUpLoadErrors(LOAD, testDeps({ warehouse }))).toBe('Load errors could not be read: ThrottlingException: Rate exceeded');
  });
});
