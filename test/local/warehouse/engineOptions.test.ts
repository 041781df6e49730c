// How the local warehouse's PostgreSQL is made and started: what cannot be read back from PostgreSQL itself
// (its settings are: test/local/warehouse/folder/warehouseFolder.test.ts).
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { engineOptions } from '../../../local/warehouse/engineOptions';

describe('engineOptions', () => {
  afterEach(() => jest.restoreAllMocks());

  it("sets V8's wasm tiering budget to 10^9 before each PostgreSQL starts", () => {
    const setFlags = jest.spyOn(v8, 'setFlagsFromString');

    engineOptions();

    expect(setFlags.mock.calls).toEqual([['--wasm-tiering-budget=1000000000']]);
  });

  it("passes initdb's options and the server's settings after PGlite's own", () => {
    expect(engineOptions()).toEqual({
      initDbStartParams: ['--no-data-checksums', '--wal-segsize=1'],
      startParams: [...PGlite.defaultStartParams, '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'],
    });
  });
});
