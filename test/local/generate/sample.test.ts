// data/sample is the generator's output with SAMPLE_DEFAULTS, byte for byte, and stays small.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample, SAMPLE_DEFAULTS } from '../../../local/generate';
import { readFiles } from './sampleFiles';

const SAMPLE_DIR = join(__dirname, '../../../data/sample');

describe('data/sample', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'generate-sample-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is exactly what generateSample writes with SAMPLE_DEFAULTS', async () => {
    const outDir = join(root, 'sample');
    await generateSample({ outDir, ...SAMPLE_DEFAULTS });

    const [bundled, regenerated] = await Promise.all([readFiles(SAMPLE_DIR), readFiles(outDir)]);

    expect([...bundled.keys()]).toEqual([...regenerated.keys()]);
    const differing = [...bundled].filter(([path, content]) => !regenerated.get(path)?.equals(content)).map(([path]) => path);
    expect(differing).toEqual([]);
  });

  it('stays under 400 KB', async () => {
    const files = await readFiles(SAMPLE_DIR);

    const bytes = [...files.values()].reduce((sum, content) => sum + content.length, 0);

    expect(bytes).toBeLessThan(400_000);
  });
});
