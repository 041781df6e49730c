import { SqlContractError } from '../../../../functions/lib/contracts/errors';
import { loadSettings } from '../../../../functions/lib/contracts/settings';
import {
  loadErrorsStatement,
  namedStatements,
  quoteLiteral,
  renderTemplate,
  splitStatements,
  stepStatements,
} from '../../../../functions/lib/sql/sql';

const ROLE = 'arn:aws:iam::123456789012:role/sparkify-dwh-s3-read';

describe('splitStatements', () => {
  it('splits at semicolons outside quotes, comments and dollar-quoted bodies', () => {
    const text = [
      "select 'a;b' as x;",
      '-- a comment; with a semicolon',
      'select "odd;name" from t;',
      '/* block; comment */ select $body$ ; $body$;',
      "select 'it''s; fine', 'back\\'slash;';",
      '-- only a comment at the end;',
    ].join('\n');

    expect(splitStatements(text)).toEqual([
      "select 'a;b' as x",
      '-- a comment; with a semicolon\nselect "odd;name" from t',
      '/* block; comment */ select $body$ ; $body$',
      "select 'it''s; fine', 'back\\'slash;'",
    ]);
  });

  it('splits at a tagged dollar quote only outside it, and keeps a literal that a backslash ends unterminated', () => {
    expect(splitStatements('select $fn1$ a; $$ b; $fn1$; select 2')).toEqual(['select $fn1$ a; $$ b; $fn1$', 'select 2']);
    expect(splitStatements("select 1; select 'a;\\")).toEqual(['select 1', "select 'a;\\"]);
  });

  it('keeps a last statement that has no semicolon', () => {
    expect(splitStatements('select 1;\nselect 2')).toEqual(['select 1', 'select 2']);
  });
});

describe('namedStatements', () => {
  it('names a statement from its `-- result:` comment line', () => {
    expect(namedStatements('-- result: first\n-- what it is\nselect 1;\nselect 2;')).toEqual([
      { name: 'first', sql: '-- result: first\n-- what it is\nselect 1' },
      { name: undefined, sql: 'select 2' },
    ]);
  });
});

describe('quoteLiteral', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ['back\\slash', "'back\\\\slash'"],
  ])('quotes %s as a Redshift literal', (value, quoted) => {
    expect(quoteLiteral(value)).toBe(quoted);
  });
});

describe('renderTemplate', () => {
  it('replaces each placeholder with its value', () => {
    expect(renderTemplate('copy t from {{ source }} iam_role {{role}};', { source: "'s3://b/p'", role: "'r'" }, 'x.sql')).toBe(
      "copy t from 's3://b/p' iam_role 'r';",
    );
  });

  it('refuses a placeholder that has no value, naming the file', () => {
    expect(() => renderTemplate('select {{missing}}', {}, 'sql/x.sql')).toThrow(SqlContractError);
    expect(() => renderTemplate('select {{missing}}', {}, 'sql/x.sql')).toThrow(
      new SqlContractError('sql/x.sql: no value for placeholder {{missing}}'),
    );
  });
});

describe('stepStatements', () => {
  it('renders the load step with the settings quoted, events read by name ignoring case without a JSONPaths file', () => {
    const settings = loadSettings({ DWH_ROLE_ARN: ROLE, DWH_LOG_DATA: 's3://my-bucket/logs' });

    const copies = stepStatements('loadStaging', settings).filter((statement) => statement.sql.includes('copy '));

    expect(copies.map((statement) => statement.sql.split('\n').filter((line) => !line.startsWith('--')))).toEqual([
      [
        'copy staging_events (',
        '    artist, auth, firstname, gender, iteminsession, lastname, length, level, location, method, page,',
        '    registration, sessionid, song, status, ts, useragent, userid',
        ')',
        "from 's3://my-bucket/logs'",
        `iam_role '${ROLE}'`,
        "region 'us-west-2'",
        "format as json 'auto ignorecase'",
        'maxerror 0',
        'compupdate off',
        'statupdate off',
      ],
      [
        'copy staging_songs',
        "from 's3://udacity-dend/song_data'",
        `iam_role '${ROLE}'`,
        "region 'us-west-2'",
        "format as json 'auto'",
        'maxerror 0',
        'compupdate off',
        'statupdate off',
      ],
    ]);
  });

  it('reads the events through the JSONPaths file when one is configured', () => {
    const settings = loadSettings({ DWH_ROLE_ARN: ROLE, DWH_LOG_JSONPATH: 's3://udacity-dend/log_json_path.json' });

    const [copyEvents] = stepStatements('loadStaging', settings).filter((statement) => statement.sql.includes('copy staging_events'));

    expect(copyEvents.sql).toContain("format as json 's3://udacity-dend/log_json_path.json'");
  });

  it.each([
    ['createTables', 9],
    ['loadStaging', 6],
    ['insertTables', 25],
    ['analyze', 4],
  ] as const)('gives %s as %i statements, none left with a placeholder', (step, count) => {
    const statements = stepStatements(step, loadSettings({ DWH_ROLE_ARN: ROLE }));

    expect(statements).toHaveLength(count);
    expect(statements.filter((statement) => statement.sql.includes('{{'))).toEqual([]);
  });
});

describe('the data quality checks', () => {
  const settings = loadSettings({ DWH_ROLE_ARN: ROLE, DWH_START_TIME_MIN: '2018-11-01', DWH_START_TIME_MAX: '2018-11-30' });
  const checks = () => {
    const insert = stepStatements('insertTables', settings).find((statement) => statement.sql.includes('procedure sp_assert_quality_checks'));
    const analysis = stepStatements('analyze', settings).find((statement) => statement.name === 'quality_checks');
    const between = (sql = '') => sql.slice(sql.indexOf("select 'songplays_null_keys'"), sql.indexOf(') as checks'));
    return { guard: between(insert?.sql), report: between(analysis?.sql) };
  };

  it('are one definition, run by the InsertTables guard and reported by the analysis', () => {
    const { guard, report } = checks();

    expect(guard).toContain("select 'songplays_count_matches_next_song_events'");
    expect(guard).toBe(report);
  });

  it('check start times against the configured days, quoted as dates', () => {
    expect(checks().guard).toContain("where cast(start_time as date) not between date '2018-11-01' and date '2018-11-30'");
  });
});

describe('loadErrorsStatement', () => {
  const since = new Date('2026-11-28T10:11:12.345Z');

  it('reads stl_load_errors since the given time on a cluster', () => {
    const sql = loadErrorsStatement(loadSettings({ DWH_ROLE_ARN: ROLE }), since);

    expect(sql).toContain('from stl_load_errors');
    expect(sql).toContain("where starttime >= '2026-11-28 10:11:12.345'");
  });

  it('reads sys_load_error_detail on Redshift Serverless', () => {
    const sql = loadErrorsStatement(loadSettings({ DWH_ROLE_ARN: ROLE, DWH_REDSHIFT: 'serverless', DWH_WORKGROUP_NAME: 'wg1' }), since);

    expect(sql).toContain('from sys_load_error_detail');
    expect(sql).toContain("where start_time >= '2026-11-28 10:11:12.345'");
  });
});
