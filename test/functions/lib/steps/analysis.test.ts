import { analysisFromResults, assertQualityChecks } from '../../../../functions/lib/steps/analysis';
import { DataQualityError, SqlContractError } from '../../../../functions/lib/contracts/errors';
import type { Row } from '../../../../functions/lib/ports/warehouse';

function results(overrides: Record<string, Row[]> = {}): Map<string, Row[]> {
  return new Map(
    Object.entries({
      users_by_gender: [{ gender: 'F', users: 2 }],
      users_by_level: [{ level: 'paid', users: 2 }],
      duplicate_user_ids: [{ duplicate_user_ids: 0 }],
      quality_checks: [
        { check_name: 'users_null_keys', failures: 0 },
        { check_name: 'time_duplicate_keys', failures: 0 },
      ],
      ...overrides,
    }),
  );
}

describe('analysisFromResults', () => {
  it('reads counts given as strings, as a local warehouse may return bigints', () => {
    const analysis = analysisFromResults(
      results({ duplicate_user_ids: [{ duplicate_user_ids: '1' }], quality_checks: [{ check_name: 'users_duplicate_keys', failures: '1' }] }),
    );

    expect(analysis.duplicateUserIds).toBe(1);
    expect(analysis.checks).toEqual([{ name: 'users_duplicate_keys', failures: 1, passed: false }]);
  });

  it('names a result that sql/analyze.sql does not produce', () => {
    const incomplete = results();
    incomplete.delete('users_by_level');

    expect(() => analysisFromResults(incomplete)).toThrow(SqlContractError);
    expect(() => analysisFromResults(incomplete)).toThrow(
      new SqlContractError('sql/analyze.sql has no statement named by "-- result: users_by_level"'),
    );
  });

  it('names a result whose count is missing', () => {
    expect(() => analysisFromResults(results({ duplicate_user_ids: [] }))).toThrow(SqlContractError);
    expect(() => analysisFromResults(results({ duplicate_user_ids: [] }))).toThrow(
      new SqlContractError('sql/analyze.sql: result duplicate_user_ids has no numeric duplicate_user_ids'),
    );
  });
});

describe('assertQualityChecks', () => {
  it('passes when every check has no failures', () => {
    expect(() => assertQualityChecks(analysisFromResults(results()))).not.toThrow();
  });

  it('names each failed check with its count', () => {
    const analysis = analysisFromResults(
      results({
        quality_checks: [
          { check_name: 'songplays_count_matches_next_song_events', failures: 12 },
          { check_name: 'users_null_keys', failures: 0 },
          { check_name: 'time_null_keys', failures: 1 },
        ],
      }),
    );

    expect(() => assertQualityChecks(analysis)).toThrow(
      new DataQualityError(
        'Data quality checks failed: songplays_count_matches_next_song_events (12 offending rows), time_null_keys (1 offending row)',
      ),
    );
  });
});
