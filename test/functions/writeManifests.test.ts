// writeManifests: each day's log file checked, its manifest written where the settings say; a missing day named.
import { HeadObjectCommand, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createS3ObjectStore } from '../../functions/lib/aws/s3ObjectStore';
import { writeManifests } from '../../functions/writeManifests';
import { mockObjectStore, testDeps, testSettings } from './helpers';

const settings = testSettings({ DWH_MANIFEST_LOCATION: 's3://sparkify-manifests/manifests' });
const event = (days: Record<string, unknown>) => ({ overrides: { days }, execution: 'exec-1' });
const fileOf = (day: string) => `s3://udacity-dend/log_data/2018/11/${day}-events.json`;

describe('writeManifests', () => {
  it('writes one manifest a day, listing exactly its log file, mandatory, with its size', async () => {
    const objects = mockObjectStore();
    objects.size.mockResolvedValueOnce(1200).mockResolvedValueOnce(3400);

    const result = await writeManifests(event({ from: '2018-11-05', to: '2018-11-06' }), testDeps({ settings, objects }));

    expect(result).toEqual([
      { day: '2018-11-05', manifest: 's3://sparkify-manifests/manifests/exec-1/2018-11-05.manifest' },
      { day: '2018-11-06', manifest: 's3://sparkify-manifests/manifests/exec-1/2018-11-06.manifest' },
    ]);
    expect(objects.size.mock.calls).toEqual([[fileOf('2018-11-05')], [fileOf('2018-11-06')]]);
    expect(objects.put.mock.calls.map(([uri, body]) => [uri, JSON.parse(body)])).toEqual([
      [result[0].manifest, { entries: [{ url: fileOf('2018-11-05'), mandatory: true, meta: { content_length: 1200 } }] }],
      [result[1].manifest, { entries: [{ url: fileOf('2018-11-06'), mandatory: true, meta: { content_length: 3400 } }] }],
    ]);
  });

  it('refuses a day without its log file, naming its key', async () => {
    const objects = mockObjectStore();
    objects.size.mockResolvedValueOnce(1200).mockResolvedValueOnce(undefined);

    await expect(writeManifests(event({ from: '2018-11-05', to: '2018-11-06' }), testDeps({ settings, objects }))).rejects.toMatchObject({
      name: 'MissingDayError',
      message: `No log file for 2018-11-06 (${fileOf('2018-11-06')}): the run changes nothing; give "allowMissing": true in $.days to load such a day as empty`,
    });
  });

  it('skips a missing day when the input allows it', async () => {
    const objects = mockObjectStore();
    objects.size.mockResolvedValueOnce(undefined).mockResolvedValueOnce(3400);

    const result = await writeManifests(event({ from: '2018-11-05', to: '2018-11-06', allowMissing: true }), testDeps({ settings, objects }));

    expect(result.map(({ day }) => day)).toEqual(['2018-11-06']);
    expect(objects.put).toHaveBeenCalledTimes(1);
  });

  it.each([
    [{ from: '2018-11-06', to: '2018-11-05' }, 'Invalid execution input: $.days.from: from is after to'],
    [{ from: '2018-11-31', to: '2018-12-01' }, 'Invalid execution input: $.days.from: must be a day like 2018-11-01 (YYYY-MM-DD, from the year 1 to 9999)'],
    [
      { from: '2018-11-01', to: '2018-11-16' },
      'Invalid execution input: $.days: 2018-11-01..2018-11-16 is 16 days, over the limit of 15 (param maxDays, DWH_MAX_DAYS): load a longer range in several runs',
    ],
  ])('refuses the days %j, naming the field', async (days, message) => {
    await expect(writeManifests(event(days), testDeps({ settings }))).rejects.toMatchObject({ name: 'SettingsError', message });
  });
});

describe('the S3 object store', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  it('reads a size with HeadObject and writes with PutObject', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 42 });
    s3.on(PutObjectCommand).resolves({});
    const store = createS3ObjectStore(new S3Client({}));

    expect(await store.size('s3://udacity-dend/log_data/a.json')).toBe(42);
    await store.put('s3://sparkify-manifests/manifests/x.manifest', '{}');

    expect(s3.commandCalls(HeadObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: 'udacity-dend', Key: 'log_data/a.json' }]);
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'sparkify-manifests', Key: 'manifests/x.manifest', Body: '{}', ContentType: 'application/json' },
    ]);
  });

  it('answers undefined for a missing object, and passes any other error on', async () => {
    s3.on(HeadObjectCommand, { Key: 'missing' }).rejects(new NotFound({ message: 'Not Found', $metadata: {} }));
    s3.on(HeadObjectCommand, { Key: 'forbidden' }).rejects(Object.assign(new Error('Forbidden'), { name: 'Forbidden' }));
    const store = createS3ObjectStore(new S3Client({}));

    expect(await store.size('s3://udacity-dend/missing')).toBeUndefined();
    await expect(store.size('s3://udacity-dend/forbidden')).rejects.toThrow('Forbidden');
  });
});
