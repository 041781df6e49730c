// The identities the local run binds each function to: the roles serverless.yml gives them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadIdentities } from '../../local/identities';

describe('loadIdentities', () => {
  it('reads each function role from serverless.yml, one shared role for every function that runs SQL', async () => {
    const identities = await loadIdentities();

    expect(Object.fromEntries(identities)).toEqual({
      createCluster: 'CreateClusterRole',
      waitCluster: 'WaitClusterRole',
      openPort: 'OpenPortRole',
      createTables: 'DataApiRole',
      loadStaging: 'DataApiRole',
      insertTables: 'DataApiRole',
      analyze: 'DataApiRole',
      describeStatement: 'DataApiRole',
    });
  });

  it('refuses a function without a role of its own, naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dwh-identities-'));
    const file = path.join(dir, 'serverless.yml');
    await writeFile(file, 'functions:\n  report:\n    handler: functions/report.handler\n');

    await expect(loadIdentities(file)).rejects.toThrow('serverless.yml: function report has no role of its own (role: <logical id>)');
    await rm(dir, { recursive: true, force: true });
  });
});
