// Parsing COPY: the project's own statements, options in any order and case, and the refusals.
import { loadSettings } from '../../../../functions/lib/contracts/settings';
import { stepStatements } from '../../../../functions/lib/sql/sql';
import { parseCopy, type CopyStatement } from '../../../../local/warehouse/copy/copyStatement';
import { isCopyStatement } from '../../../../local/warehouse/dialect/dialect';

const defaults: Omit<CopyStatement, 'table' | 'tableName' | 'source'> = {
  columns: undefined,
  manifest: false,
  mapping: { kind: 'auto', ignoreCase: false },
  maxError: 0,
  truncateColumns: false,
  timeFormat: 'auto',
  gzip: false,
};

/** The event columns COPY loads (staging_events' log_day is not in the JSON). */
const STAGING_EVENTS_COLUMNS = [
  'artist', 'auth', 'firstname', 'gender', 'iteminsession', 'lastname', 'length', 'level', 'location', 'method', 'page',
  'registration', 'sessionid', 'song', 'status', 'ts', 'useragent', 'userid',
];

describe('parseCopy', () => {
  it('parses the COPYs of sql/load_staging.sql', () => {
    const settings = loadSettings({
      DWH_ROLE_ARN: 'arn:aws:iam::000000000000:role/test',
      DWH_LOG_DATA: 's3://test-bucket/log_data',
      DWH_SONG_DATA: 's3://test-bucket/song_data',
    });
    const copies = stepStatements('loadStaging', settings)
      .map((statement) => statement.sql)
      .filter(isCopyStatement);

    expect(copies.map(parseCopy)).toEqual([
      {
        ...defaults,
        table: 'staging_events',
        tableName: 'staging_events',
        columns: STAGING_EVENTS_COLUMNS,
        source: 's3://test-bucket/log_data',
        mapping: { kind: 'auto', ignoreCase: true },
      },
      { ...defaults, table: 'staging_songs', tableName: 'staging_songs', source: 's3://test-bucket/song_data' },
    ]);
  });

  it('reads every option, in any order and case', () => {
    const statement = `COPY s."Events" (a, "B") FROM 's3://b/p/'
      GZIP TimeFormat AS 'EPOCHMILLISECS' truncatecolumns MAXERROR AS 10
      FORMAT JSON 's3://b/paths.json' IAM_ROLE default REGION AS 'us-west-2' COMPUPDATE ON STATUPDATE FALSE;`;

    expect(parseCopy(statement)).toEqual({
      table: 's."Events"',
      tableName: 'Events',
      columns: ['a', 'B'],
      source: 's3://b/p/',
      manifest: false,
      mapping: { kind: 'jsonpaths', uri: 's3://b/paths.json' },
      maxError: 10,
      truncateColumns: true,
      timeFormat: 'epochmillisecs',
      gzip: true,
    });
  });

  it.each([
    ["json 'auto'", { kind: 'auto', ignoreCase: false }],
    ["format as json 'AUTO IGNORECASE'", { kind: 'auto', ignoreCase: true }],
    ["format json as 'auto  ignorecase'", { kind: 'auto', ignoreCase: true }],
    ['format as json', { kind: 'auto', ignoreCase: false }],
    ["json 's3://b/jsonpaths.json'", { kind: 'jsonpaths', uri: 's3://b/jsonpaths.json' }],
  ])('reads %s', (format, mapping) => {
    expect(parseCopy(`copy t from 's3://b/p' iam_role 'arn:aws:iam::000000000000:role/r' ${format}`).mapping).toEqual(mapping);
  });

  it.each([
    ['acceptinvchars', '?'],
    ["ACCEPTINVCHARS AS '^'", '^'],
    ["acceptinvchars '*'", '*'],
  ])('reads %s (the replacement character of bytes that are not UTF-8)', (option, replacement) => {
    expect(parseCopy(`copy t from 's3://b/p' json 'auto' ${option} maxerror 0`)).toMatchObject({ acceptInvChars: replacement, maxError: 0 });
  });

  it.each([
    [`copy t from 's3://b/p' format as csv`, 'COPY t: FORMAT csv is not supported: the local warehouse reads JSON only'],
    [`copy t from 's3://b/p' json 'noshred'`, "COPY t: JSON 'noshred' is not supported (the local warehouse knows 'auto', 'auto ignorecase' and the s3:// URI of a JSONPaths file)"],
    [`copy t from 's3://b/p' credentials 'aws_access_key_id=x' json 'auto'`, 'COPY t: CREDENTIALS is not supported: authorize with IAM_ROLE'],
    [
      `copy t from 's3://b/p' json 'auto' delimiter '|'`,
      "COPY t: unsupported option 'delimiter' (the local warehouse knows IAM_ROLE, REGION, FORMAT JSON, MAXERROR, COMPUPDATE, STATUPDATE, TRUNCATECOLUMNS, TIMEFORMAT, ACCEPTINVCHARS, MANIFEST and GZIP)",
    ],
    [`copy t from 's3://b/p' json 'auto' timeformat 'YYYY-MM-DD HH:MI:SS'`, "COPY t: TIMEFORMAT 'YYYY-MM-DD HH:MI:SS' is not supported (the local warehouse knows 'auto', 'epochsecs' and 'epochmillisecs')"],
    [`copy t from 's3://b/p' iam_role default`, 'COPY t: no FORMAT JSON: the local warehouse reads JSON only'],
    [`copy t from 'dynamodb://table' json 'auto'`, "COPY t: FROM 'dynamodb://table' is not supported: the local warehouse reads only s3:// URIs"],
    [`copy t from 's3://b/p' json 'auto' maxerror 1 maxerror 2`, 'COPY t: option MAXERROR is given twice'],
    [`copy t from 's3://b/p' json 'auto' acceptinvchars as '??'`, "COPY t: ACCEPTINVCHARS '??' is not valid: the replacement must be one ASCII character other than NUL"],
    [`copy t from 's3://b/p' json 'auto' acceptinvchars 'é'`, "COPY t: ACCEPTINVCHARS 'é' is not valid: the replacement must be one ASCII character other than NUL"],
    [`copy t from 's3://b/p' json 'auto' acceptinvchars as`, 'COPY t: expected a replacement character after ACCEPTINVCHARS AS, found the end of the statement'],
    [`copy t from 's3://b/p' json 'auto' maxerror lots`, "COPY t: expected a number after MAXERROR, found 'lots'"],
    [`copy t from 's3://b/p' json 'auto' region`, 'COPY t: expected a region after REGION, found the end of the statement'],
    [`copy t (a, b from 's3://b/p' json 'auto'`, "COPY t: expected ')' after the column list, found 'from'"],
    [`copy t to 's3://b/p'`, "COPY t: expected FROM, found 'to'"],
  ])('refuses %s', (statement, message) => {
    expect(() => parseCopy(statement)).toThrow(new Error(message));
  });
});
