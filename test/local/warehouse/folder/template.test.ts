// The template data folder: built once, atomically, even by processes that build it at the same time.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readyTemplate, templateDir } from '../../../../local/warehouse/folder/template';

describe('template', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'dwh-template-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("is kept in node_modules/.cache, keyed by the PGlite version, initdb's options and what is done after initdb", () => {
    const pinned = (require('../../../../package.json') as { dependencies: Record<string, string> }).dependencies['@electric-sql/pglite'];

    expect(templateDir().endsWith(path.join('node_modules', '.cache', 'sparkify-dwh', `pglite-${pinned}--no-data-checksums--wal-segsize=1-postgres-only`))).toBe(true);
  });

  it('is built whole by concurrent first uses, and leaves no partial folder behind', async () => {
    const dir = path.join(root, 'cache', 'pglite-test');

    const built = await Promise.all([readyTemplate(dir), readyTemplate(dir)]);

    expect(built).toEqual([dir, dir]);
    expect((await readFile(path.join(dir, 'PG_VERSION'), 'utf8')).trim()).toBe('18');
    expect(await readdir(path.join(dir, 'base'))).toEqual(['5']); // the database postgres alone: no template0, template1
    expect(await readdir(path.join(root, 'cache'))).toEqual(['pglite-test']);
  }, 180_000); // two initdbs at once
});
