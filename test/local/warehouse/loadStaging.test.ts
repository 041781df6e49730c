// The real sql/load_staging.sql, rendered for test settings, against a tiny mirror of the source bucket:
// the exact staged rows, and a bad line failing the step without touching what was loaded before.
import { rm } from 'node:fs/promises';
import { loadSettings, type Settings } from '../../../functions/lib/settings';
import { loadErrorsStatement, stepStatements } from '../../../functions/lib/sql';
import { IN_PROGRESS_STATUSES, type StatementDescription } from '../../../functions/lib/warehouse';
import { openLocalWarehouse, type LocalWarehouse } from '../../../local/warehouse';
import { temporaryFolder, writeObjects } from './mirror';

const ROLE_ARN = 'arn:aws:iam::000000000000:role/test';

const event = (fields: Record<string, unknown>) =>
  JSON.stringify({
    artist: null,
    auth: 'Logged In',
    firstName: 'Walter',
    gender: 'M',
    itemInSession: 0,
    lastName: 'Frye',
    length: null,
    level: 'free',
    location: 'San Francisco-Oakland-Hayward, CA',
    method: 'GET',
    page: 'Home',
    registration: 1540919166796.0,
    sessionId: 38,
    song: null,
    status: 200,
    ts: 1541105830796,
    userAgent: '"Mozilla/5.0 (Macintosh)"',
    userId: '39',
    ...fields,
  });

let bucket: string;
let warehouse: LocalWarehouse;

async function loadStaging(settings: Settings): Promise<StatementDescription> {
  const id = await warehouse.submit(
    stepStatements('loadStaging', settings).map((statement) => statement.sql),
    'loadStaging',
  );
  let description = await warehouse.describe(id);
  while (IN_PROGRESS_STATUSES.includes(description.status)) description = await warehouse.describe(id);
  return description;
}

beforeAll(async () => {
  bucket = await temporaryFolder('staging');
  await writeObjects(bucket, {
    'log_data/2018/11/2018-11-01-events.json': [
      event({}),
      event({
        artist: "Des'ree",
        firstName: 'Kaylee',
        gender: 'F',
        itemInSession: 1,
        lastName: 'Summers',
        length: 246.30812,
        location: 'Phoenix-Mesa-Scottsdale, AZ',
        method: 'PUT',
        page: 'NextSong',
        registration: 1540344794796.0,
        sessionId: 139,
        song: 'You Gotta Be',
        ts: 1541106106796,
        userAgent: 'Mozilla/5.0 (Windows NT 6.1)',
        userId: '8',
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
      sessionId: 52,
      ts: 1541207073796,
      userAgent: null,
      userId: '',
    })}\n`,
    'log_data/.DS_Store': 'Bud1',
    'song_data/A/A/A/TRAAAAW128F429D538.json': JSON.stringify({
      num_songs: 1,
      artist_id: 'ARD7TVE1187B99BFB1',
      artist_latitude: null,
      artist_longitude: null,
      artist_location: 'California - LA',
      artist_name: 'Casual',
      song_id: 'SOMZWCG12A8C13C480',
      title: "I Didn't Mean To",
      duration: 218.93179,
      year: 0,
    }),
    'song_data/A/B/C/TRABCEI128F424C983.json': JSON.stringify(
      {
        num_songs: 1,
        artist_id: 'AR8IEZO1187B99055E',
        artist_latitude: 35.14968,
        artist_longitude: -90.04892,
        artist_location: 'Memphis, TN',
        artist_name: 'Marc Shaiman',
        song_id: 'SOINLJW12A8C13314C',
        title: 'City Slickers',
        duration: 149.86404,
        year: 2008,
      },
      null,
      4,
    ),
    'broken/log_data/2018/11/2018-11-03-events.json': `${event({ ts: 1541290555796 })}\n${event({ sessionId: 'x' })}\n`,
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
    expect(description.subStatements.map((sub) => sub.rowsAffected)).toEqual([0, 0, 0, 0, 3, 2]);
    expect(await warehouse.query('select * from staging_events order by ts')).toEqual([
      {
        artist: null,
        auth: 'Logged In',
        firstname: 'Walter',
        gender: 'M',
        iteminsession: 0,
        lastname: 'Frye',
        length: null,
        level: 'free',
        location: 'San Francisco-Oakland-Hayward, CA',
        method: 'GET',
        page: 'Home',
        registration: 1540919166796,
        sessionid: 38,
        song: null,
        status: 200,
        ts: 1541105830796,
        useragent: '"Mozilla/5.0 (Macintosh)"',
        userid: '39',
      },
      {
        artist: "Des'ree",
        auth: 'Logged In',
        firstname: 'Kaylee',
        gender: 'F',
        iteminsession: 1,
        lastname: 'Summers',
        length: 246.30812,
        level: 'free',
        location: 'Phoenix-Mesa-Scottsdale, AZ',
        method: 'PUT',
        page: 'NextSong',
        registration: 1540344794796,
        sessionid: 139,
        song: 'You Gotta Be',
        status: 200,
        ts: 1541106106796,
        useragent: 'Mozilla/5.0 (Windows NT 6.1)',
        userid: '8',
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
        sessionid: 52,
        song: null,
        status: 200,
        ts: 1541207073796,
        useragent: null,
        userid: '',
      },
    ]);
    expect(await warehouse.query('select * from staging_songs order by song_id')).toEqual([
      {
        num_songs: 1,
        artist_id: 'AR8IEZO1187B99055E',
        artist_latitude: 35.14968,
        artist_longitude: -90.04892,
        artist_location: 'Memphis, TN',
        artist_name: 'Marc Shaiman',
        song_id: 'SOINLJW12A8C13314C',
        title: 'City Slickers',
        duration: 149.86404,
        year: 2008,
      },
      {
        num_songs: 1,
        artist_id: 'ARD7TVE1187B99BFB1',
        artist_latitude: null,
        artist_longitude: null,
        artist_location: 'California - LA',
        artist_name: 'Casual',
        song_id: 'SOMZWCG12A8C13C480',
        title: "I Didn't Mean To",
        duration: 218.93179,
        year: 0,
      },
    ]);
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
