// COPY ... MANIFEST over the local mirror: Redshift's entries / url / mandatory semantics.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { manifestObjects } from '../../../../local/warehouse/copy/manifest';

let root: string;
let mirrors: Record<string, string>;
const manifest = async (name: string, body: unknown) => {
  await writeFile(path.join(root, 'm', name), typeof body === 'string' ? body : JSON.stringify(body));
  return `s3://manifests/${name}`;
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwh-manifest-'));
  await mkdir(path.join(root, 'data', 'log'), { recursive: true });
  await mkdir(path.join(root, 'm'));
  await writeFile(path.join(root, 'data', 'log', 'a.json'), '{}');
  await writeFile(path.join(root, 'data', 'log', 'a.json.bak'), '{}');
  mirrors = { data: path.join(root, 'data'), manifests: path.join(root, 'm') };
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('manifestObjects', () => {
  it('lists exactly the files named, not what shares their prefix, skipping a missing one that is not mandatory', async () => {
    const uri = await manifest('ok.manifest', {
      entries: [{ url: 's3://data/log/a.json', mandatory: true, meta: { content_length: 2 } }, { url: 's3://data/log/gone.json' }],
    });

    expect(await manifestObjects(mirrors, uri)).toEqual([{ uri: 's3://data/log/a.json', path: path.join(root, 'data', 'log', 'a.json') }]);
  });

  it.each([
    ['a mandatory file is missing', { entries: [{ url: 's3://data/log/gone.json', mandatory: true }] }, 'Manifest file s3://manifests/x.manifest: the mandatory file s3://data/log/gone.json was not found'],
    ['no file is found at all', { entries: [{ url: 's3://data/log/gone.json' }] }, 'Manifest file s3://manifests/x.manifest: none of its 1 files was found'],
    ['it has no entries', { files: [] }, 'Manifest file s3://manifests/x.manifest is not in correct format: entries: Invalid input: expected array, received undefined'],
    ['it is not JSON', '{entries', 'Manifest file s3://manifests/x.manifest is not in correct format: '],
  ])('fails when %s', async (_, body, message) => {
    const uri = await manifest('x.manifest', body);

    await expect(manifestObjects(mirrors, uri)).rejects.toThrow(message);
  });
});
