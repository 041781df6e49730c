// The function list (functions/functions.yml) and the identities the local run binds each function to: its roles.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadIdentities, readFunctions } from '../../local/identities';

describe('loadIdentities', () => {
  it('reads each function role from functions/functions.yml, one shared role for every function that runs SQL', async () => {
    const identities = await loadIdentities();

    expect(Object.fromEntries(identities)).toEqual({
      createCluster: 'CreateClusterRole',
      describeCluster: 'DescribeClusterRole',
      openPort: 'OpenPortRole',
      createTables: 'DataApiRole',
      loadStaging: 'DataApiRole',
      insertTables: 'DataApiRole',
      analyze: 'DataApiRole',
      reportAnalysis: 'DataApiRole',
      describeStatement: 'DataApiRole',
      explainLoadFailure: 'DataApiRole',
      reportLoadFailure: 'DataApiRole',
      pauseCluster: 'PauseClusterRole',
      revokeIngress: 'RevokeIngressRole',
      deleteCluster: 'DeleteClusterRole',
      describeDeletion: 'DescribeDeletionRole',
      deleteNamespace: 'DeleteNamespaceRole',
      deleteCopyRole: 'DeleteCopyRoleRole',
      writeManifests: 'WriteManifestsRole',
    });
  });

  it('refuses a function without a role of its own, naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dwh-identities-'));
    const file = path.join(dir, 'functions.yml');
    await writeFile(file, 'report:\n  handler: functions/report.handler\n');

    expect(() => readFunctions(file)).toThrow('functions.yml: function report has no role of its own (role: <logical id>)');
    await rm(dir, { recursive: true, force: true });
  });

  it('is the list serverless.yml deploys: its functions are included from functions/functions.yml', () => {
    const service = parse(readFileSync(path.join(__dirname, '..', '..', 'serverless.yml'), 'utf8')) as { functions?: unknown };

    expect(service.functions).toBe('${file(functions/functions.yml)}');
  });
});
