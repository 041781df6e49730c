// S3 over local folders: S3's prefix semantics (any depth, partial key prefixes, key order), dot-files
// skipped, and the errors for a missing prefix, an unknown bucket and a missing folder.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { listObjects, objectPath } from '../../../../local/warehouse/copy/s3Mirror';
import { temporaryFolder, writeObjects } from './mirror';

let bucket: string;

beforeAll(async () => {
  bucket = await temporaryFolder('mirror');
  await writeObjects(bucket, {
    'log_data/2018/11/2018-11-02-events.json': '{}',
    'log_data/2018/11/2018-11-01-events.json': '{}',
    'log_data/2018/10/old.json': '{}',
    'log_data/.DS_Store': 'x',
    'log_data/.hidden/secret.json': '{}',
    'log_json_path.json': '{}',
    'song_data/A/B/C/TRABCZZ128F93A5D06.json': '{}',
  });
});

afterAll(() => rm(bucket, { recursive: true, force: true }));

const keysOf = async (uri: string) => (await listObjects({ 'test-bucket': bucket }, uri)).map((object) => object.uri);

describe('listObjects', () => {
  it.each([
    [
      's3://test-bucket/log_data',
      [
        's3://test-bucket/log_data/2018/10/old.json',
        's3://test-bucket/log_data/2018/11/2018-11-01-events.json',
        's3://test-bucket/log_data/2018/11/2018-11-02-events.json',
      ],
    ],
    ['s3://test-bucket/log_data/2018/11/2018-11-01', ['s3://test-bucket/log_data/2018/11/2018-11-01-events.json']],
    [
      's3://test-bucket/log',
      [
        's3://test-bucket/log_data/2018/10/old.json',
        's3://test-bucket/log_data/2018/11/2018-11-01-events.json',
        's3://test-bucket/log_data/2018/11/2018-11-02-events.json',
        's3://test-bucket/log_json_path.json',
      ],
    ],
    ['s3://test-bucket/song_data/A', ['s3://test-bucket/song_data/A/B/C/TRABCZZ128F93A5D06.json']],
  ])('lists %s: every key with that prefix, at any depth, in key order, without dot-files', async (uri, keys) => {
    expect(await keysOf(uri)).toEqual(keys);
  });

  it('gives each object its local file', async () => {
    expect(await listObjects({ 'test-bucket': bucket }, 's3://test-bucket/song_data/')).toEqual([
      {
        uri: 's3://test-bucket/song_data/A/B/C/TRABCZZ128F93A5D06.json',
        path: path.join(bucket, 'song_data', 'A', 'B', 'C', 'TRABCZZ128F93A5D06.json'),
      },
    ]);
  });

  it('refuses a prefix that matches nothing, as Redshift does', async () => {
    await expect(keysOf('s3://test-bucket/log_data/2019')).rejects.toThrow(
      new Error(`The specified S3 prefix 'log_data/2019' does not exist (s3://test-bucket/log_data/2019, mirrored in ${bucket})`),
    );
  });

  it('refuses a bucket without a mirror, naming it', async () => {
    await expect(keysOf('s3://udacity-dend/log_data')).rejects.toThrow(
      new Error("No local mirror for S3 bucket 'udacity-dend' (mirrored buckets: test-bucket)"),
    );
  });

  it('refuses a mirror folder that does not exist', async () => {
    const missing = path.join(bucket, 'nowhere');

    await expect(listObjects({ gone: missing }, 's3://gone/x')).rejects.toThrow(
      new Error(`The local mirror folder ${missing} does not exist`),
    );
  });
});

describe('objectPath', () => {
  it("finds one object's file", async () => {
    expect(await objectPath({ 'test-bucket': bucket }, 's3://test-bucket/log_json_path.json')).toBe(path.join(bucket, 'log_json_path.json'));
  });

  it('refuses an object that does not exist', async () => {
    await expect(objectPath({ 'test-bucket': bucket }, 's3://test-bucket/log_data')).rejects.toThrow(
      new Error(`The S3 object 's3://test-bucket/log_data' does not exist (looked for ${path.join(bucket, 'log_data')})`),
    );
  });
});
