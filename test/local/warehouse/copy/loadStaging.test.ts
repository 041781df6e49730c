// The real sql/load_staging.sql, rendered for test settings, against a tiny mirror of the source bucket:
// the exact staged rows, and a bad line failing the step without touching what was loaded before.
import { rm } from 'node:fs/promises';
import { loadSettings, type Settings } from '../../../../functions/lib/contracts/settings';
import { loadErrorsStatement, stepStatements } from '../../../../functions/lib/sql/sql';
import type { StatementDescription } from '../../../../functions/lib/ports/warehouse';
import { openLocalWarehouse, type LocalWarehouse } from '../../../../local/warehouse';
import { parseCopy } from '../../../../local/warehouse/copy/copyStatement';
import { rowFormat } from '../../../../local/warehouse/copy/rowFormat';
import { targetColumns } from '../../../../local/warehouse/copy/targetColumns';
import { isCopyStatement } from '../../../../local/warehouse/dialect/dialect';
import { temporaryFolder, writeObjects } from './mirror';
import { finalDescription } from '../statements';

const ROLE_ARN = 'arn:aws:iam::000000000000:role/test';

const event = (fields: Record<string, unknown>) =>
  JSON.stringify({
    artist: null,
    auth: 'Logged In',
    firstName: 'Rowan',
    gender: 'M',
    itemInSession: 0,
    lastName: 'Tillery',
    length: null,
    level: 'free',
    location: 'Alderton-Brookvale-Cressfield, OR',
    method: 'GET',
    page: 'Home',
    registration: 1540632417358.0,
    sessionId: 417,
    song: null,
    status: 200,
    ts: 1541101357318,
    userAgent: '"Mozilla/5.0 (Macintosh)"',
    userId: '73',
    ...fields,
  });

let bucket: string;
let warehouse: LocalWarehouse;

async function loadStaging(settings: Settings): Promise<StatementDescription> {
  const id = await warehouse.submit(
    stepStatements('loadStaging', settings).map((statement) => statement.sql),
    'loadStaging',
  );
  return finalDescription(warehouse, id);
}

beforeAll(async () => {
  bucket = await temporaryFolder('staging');
  await writeObjects(bucket, {
    'log_data/2018/11/2018-11-01-events.json': [
      event({}),
      event({
        artist: "Nell O'Marra",
        firstName: 'Mireille',
        gender: 'F',
        itemInSession: 1,
        lastName: 'Oakhurst',
        length: 231.47102,
        location: 'Dunmore-Eastlake, NM',
        method: 'PUT',
        page: 'NextSong',
        registration: 1540170925204.0,
        sessionId: 233,
        song: 'Paper Lanterns',
        ts: 1541110504583,
        userAgent: 'Mozilla/5.0 (X11; FreeBSD amd64)',
        userId: '12',
      }),
    ].join('\n'),
    'log_data/2018/11/2018-11-02-events.json': `${event({
      auth: 'Logged Out',
      firstName: null,
      gender: null,
      lastName: null,
      location: null,
      page: 'Login',
      registration: null,
      sessionId: 508,
      ts: 1541147211142,
      userAgent: null,
      userId: '',
    })}\n`,
    'log_data/.DS_Store': 'Bud1',
    'song_data/A/A/A/TRAAAZZ128F4260E17.json': JSON.stringify({
      num_songs: 1,
      artist_id: 'ARZZN8V1187FB3D04A',
      artist_latitude: null,
      artist_longitude: null,
      artist_location: 'Westmarch - North Quay',
      artist_name: 'Quiet Harbor',
      song_id: 'SOZZTWE12AB01869C3',
      title: "We Don't Wait Up",
      duration: 204.61833,
      year: 0,
    }),
    'song_data/A/B/C/TRABCZZ128F93A5D06.json': JSON.stringify(
      {
        num_songs: 1,
        artist_id: 'ARZZ4QX1187B9A61F2',
        artist_latitude: 44.21573,
        artist_longitude: -72.90418,
        artist_location: 'Larkspur Falls, VT',
        artist_name: 'Tobin Arkwell',
        song_id: 'SOZZKRD12A8C1F2B74',
        title: 'Gravel Road Waltz',
        duration: 187.25306,
        year: 2008,
      },
      null,
      4,
    ),
    'broken/log_data/2018/11/2018-11-03-events.json': `${event({ ts: 1541261362657 })}\n${event({ sessionId: 'x' })}\n`,
  });
  warehouse = await openLocalWarehouse({ buckets: { 'test-bucket': bucket } });
});

afterAll(async () => {
  await warehouse.close();
  await rm(bucket, { recursive: true, force: true });
});

describe('sql/load_staging.sql on the local warehouse', () => {
  const settings = loadSettings({
    DWH_ROLE_ARN: ROLE_ARN,
    DWH_LOG_DATA: 's3://test-bucket/log_data',
    DWH_SONG_DATA: 's3://test-bucket/song_data',
  });

  it('stages every event line and every song record', async () => {
    const description = await loadStaging(settings);

    expect(description.status).toBe('FINISHED');
    expect(description.subStatements.map((sub) => sub.rowsAffected)).toEqual([0, 0, 3, 0, 0, 2]);
    expect(await warehouse.query('select * from staging_events order by ts')).toEqual([
      {
        artist: null,
        auth: 'Logged In',
        firstname: 'Rowan',
        gender: 'M',
        iteminsession: 0,
        lastname: 'Tillery',
        length: null,
        level: 'free',
        location: 'Alderton-Brookvale-Cressfield, OR',
        method: 'GET',
        page: 'Home',
        registration: 1540632417358,
        sessionid: 417,
        song: null,
        status: 200,
        ts: 1541101357318,
        useragent: '"Mozilla/5.0 (Macintosh)"',
        log_day: null,
        userid: '73',
      },
      {
        artist: "Nell O'Marra",
        auth: 'Logged In',
        firstname: 'Mireille',
        gender: 'F',
        iteminsession: 1,
        lastname: 'Oakhurst',
        length: 231.47102,
        level: 'free',
        location: 'Dunmore-Eastlake, NM',
        method: 'PUT',
        page: 'NextSong',
        registration: 1540170925204,
        sessionid: 233,
        song: 'Paper Lanterns',
        status: 200,
        ts: 1541110504583,
        useragent: 'Mozilla/5.0 (X11; FreeBSD amd64)',
        log_day: null,
        userid: '12',
      },
      {
        artist: null,
        auth: 'Logged Out',
        firstname: null,
        gender: null,
        iteminsession: 0,
        lastname: null,
        length: null,
        level: 'free',
        location: null,
        method: 'GET',
        page: 'Login',
        registration: null,
        sessionid: 508,
        song: null,
        status: 200,
        ts: 1541147211142,
        useragent: null,
        log_day: null,
        userid: '',
      },
    ]);
    expect(await warehouse.query('select * from staging_songs order by song_id')).toEqual([
      {
        num_songs: 1,
        artist_id: 'ARZZ4QX1187B9A61F2',
        artist_latitude: 44.21573,
        artist_longitude: -72.90418,
        artist_location: 'Larkspur Falls, VT',
        artist_name: 'Tobin Arkwell',
        song_id: 'SOZZKRD12A8C1F2B74',
        title: 'Gravel Road Waltz',
        duration: 187.25306,
        year: 2008,
      },
      {
        num_songs: 1,
        artist_id: 'ARZZN8V1187FB3D04A',
        artist_latitude: null,
        artist_longitude: null,
        artist_location: 'Westmarch - North Quay',
        artist_name: 'Quiet Harbor',
        song_id: 'SOZZTWE12AB01869C3',
        title: "We Don't Wait Up",
        duration: 204.61833,
        year: 0,
      },
    ]);
  });

  it("loads both staging tables in PostgreSQL's binary COPY format, which spares parsing each double's text", async () => {
    await loadStaging(settings);
    const copies = stepStatements('loadStaging', settings)
      .map((statement) => statement.sql)
      .filter(isCopyStatement)
      .map(parseCopy);

    expect(copies.map((copy) => copy.table)).toEqual(['staging_events', 'staging_songs']);
    for (const copy of copies) {
      // The columns as the COPY itself finds them (its column list, or every column of the table).
      const { columns } = await targetColumns(warehouse.db, copy, `COPY ${copy.table}`);
      expect(columns.length).toBeGreaterThan(5);
      expect(rowFormat(columns).option).toBe('with (format binary)');
    }
  });

  it('fails on a bad line, keeps the staging tables loaded before, and load_errors.sql names file, line and reason', async () => {
    await loadStaging(settings);
    const since = new Date();
    const broken = loadSettings({
      DWH_ROLE_ARN: ROLE_ARN,
      DWH_LOG_DATA: 's3://test-bucket/broken/log_data',
      DWH_SONG_DATA: 's3://test-bucket/song_data',
    });

    const description = await loadStaging(broken);

    expect(description.status).toBe('FAILED');
    expect(description.error).toBe("ERROR: Load into table 'staging_events' failed. Check 'stl_load_errors' system table for details.");
    expect(await warehouse.query('select count(*) as events from staging_events')).toEqual([{ events: 3 }]);
    expect(await warehouse.query(loadErrorsStatement(broken, since))).toEqual([
      {
        file_name: 's3://test-bucket/broken/log_data/2018/11/2018-11-03-events.json',
        line_number: 2,
        column_name: 'sessionid',
        error_code: 1207,
        error_reason: "Invalid digit, Value 'x', Pos 0, Type: Integer",
        raw_field_value: 'x',
      },
    ]);
  });
});
