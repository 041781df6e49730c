import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenerateOptionsError, generateSample, type GenerateOptions } from '../../../local/generate';

/** What a GenerateOptionsError with this reason looks like. */
const optionsError = (reason: string) => ({ name: 'GenerateOptionsError', message: `Invalid generate options: ${reason}` });

const valid: GenerateOptions = { outDir: '', seed: 'options', songs: 5, events: 20, days: 2 };

describe('generateSample options', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'generate-options-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each<[string, Partial<Record<keyof GenerateOptions, unknown>>, string]>([
    ['an empty outDir', { outDir: '  ' }, 'outDir: must be a folder path (got "  ")'],
    ['an empty seed', { seed: '' }, 'seed: must be a non-empty string or an integer (got "")'],
    ['a fractional seed', { seed: 1.5 }, 'seed: must be a non-empty string or an integer (got 1.5)'],
    ['zero songs', { songs: 0 }, 'songs: must be a positive integer (got 0)'],
    ['a fractional number of events', { events: 2.5 }, 'events: must be a positive integer (got 2.5)'],
    ['events given as text', { events: '20' }, 'events: must be a positive integer (got "20")'],
    ['negative days', { days: -1 }, 'days: must be a positive integer (got -1)'],
    ['fewer events than days', { events: 3, days: 4 }, 'events: must be at least days (4), one event a day or more (got 3)'],
    ['a date in another format', { startDate: '01/11/2018' }, 'startDate: must be a date YYYY-MM-DD (got "01/11/2018")'],
    ['a day that does not exist', { startDate: '2018-02-30' }, 'startDate: must be a date YYYY-MM-DD (got "2018-02-30")'],
    ['an onProgress that is no function', { onProgress: 'yes' }, 'onProgress: must be a function (got "yes")'],
  ])('refuses %s, naming the option', async (_, override, reason) => {
    const options = { ...valid, outDir: join(root, 'never'), ...override } as GenerateOptions;

    const result = generateSample(options);

    await expect(result).rejects.toBeInstanceOf(GenerateOptionsError);
    await expect(result).rejects.toMatchObject(optionsError(reason));
  });

  it('names every invalid option at once', async () => {
    const result = generateSample({ ...valid, outDir: join(root, 'never'), songs: 0, days: 0 });

    await expect(result).rejects.toBeInstanceOf(GenerateOptionsError);
    await expect(result).rejects.toMatchObject(
      optionsError('songs: must be a positive integer (got 0); days: must be a positive integer (got 0)'),
    );
  });

  it('refuses an outDir that holds files already', async () => {
    const outDir = join(root, 'full');
    await generateSample({ ...valid, outDir });

    const result = generateSample({ ...valid, outDir });

    await expect(result).rejects.toBeInstanceOf(GenerateOptionsError);
    await expect(result).rejects.toMatchObject(optionsError(`outDir: ${outDir} is not empty; choose a new or empty folder`));
  });

  it('refuses an outDir that is a file', async () => {
    const outDir = join(root, 'file.txt');
    await writeFile(outDir, 'x');

    const result = generateSample({ ...valid, outDir });

    await expect(result).rejects.toBeInstanceOf(GenerateOptionsError);
    await expect(result).rejects.toMatchObject(optionsError(`outDir: ${outDir} is not a folder`));
  });
});
