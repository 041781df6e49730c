// The bundled sample, built by the SQL steps on the local warehouse, against counts computed from its raw files.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadSettings } from '../../functions/lib/contracts/settings';
import { openLocalWarehouse, type LocalWarehouse } from '../../local/warehouse';
import { buildWarehouse } from './fixtures';
import { expectedWarehouse } from './sampleCounts';

const SAMPLE = path.join(__dirname, '..', '..', 'data', 'sample');
const expected = expectedWarehouse(SAMPLE);
let warehouse: LocalWarehouse;

beforeAll(async () => {
  warehouse = await openLocalWarehouse({ buckets: { sample: SAMPLE } });
  const settings = loadSettings({
    DWH_ROLE_ARN: 'arn:aws:iam::000000000000:role/sparkify-test',
    DWH_LOG_DATA: 's3://sample/log_data',
    DWH_SONG_DATA: 's3://sample/song_data',
    DWH_LOG_JSONPATH: 's3://sample/log_json_path.json',
  });
  await buildWarehouse(warehouse, settings);
}, 120_000);

afterAll(() => warehouse.close());

describe('the bundled sample', () => {
  it('ships a JSONPaths file for its event logs', () => {
    expect(existsSync(path.join(SAMPLE, 'log_json_path.json'))).toBe(true);
  });

  it.each(Object.entries(expected.tables))('gives %s the row count computed from the raw files', async (table, count) => {
    expect(await warehouse.query(`select count(*) as n from ${table}`)).toEqual([{ n: count }]);
  });

  it('matches to songs exactly the plays the matching rule selects', async () => {
    expect(await warehouse.query('select count(*) as n from songplays where song_id is not null')).toEqual([
      { n: expected.matchedPlays },
    ]);
    expect(expected.matchedPlays).toBeGreaterThan(0);
  });

  it("gives each user the level of the user's most recent event", async () => {
    const rows = await warehouse.query('select user_id, level from users order by user_id');

    expect(new Map(rows.map((row) => [row.user_id, row.level]))).toEqual(expected.levels);
  });
});
