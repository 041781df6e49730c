// The deployment variants the template checks run on, and their packaged templates. `sls package` takes tens of
// seconds, so each variant is packaged once and its template cached in the temp folder, keyed by a hash of
// everything the template is built from: every test file (and jest worker) of a run reads the same copy.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { packageService, type Template } from './package';

const ROOT = path.join(__dirname, '..', '..');
const CACHE_DIR = path.join(tmpdir(), 'sparkify-dwh-templates');

/** The stage every variant is packaged for (names: `sparkify-dwh-test-<function>`). */
export const STAGE = 'test';

export interface Variant {
  name: string;
  /** The `sls package` arguments beyond the stage. */
  args: string[];
}

export const VARIANTS: Variant[] = [
  { name: 'cluster', args: [] },
  { name: 'serverless', args: ['--param=redshift=serverless'] },
  { name: 'secret', args: ['--param=secretArn=arn:aws:secretsmanager:us-west-2:123456789012:secret:sparkify-abc123'] },
  // The Data API's credentials differ by kind of Redshift and by secret: every pair is packaged.
  {
    name: 'serverless-secret',
    args: ['--param=redshift=serverless', '--param=secretArn=arn:aws:secretsmanager:us-west-2:123456789012:secret:sparkify-abc123'],
  },
  { name: 'ingress', args: ['--param=ingressCidrs=203.0.113.7/32', '--param=scheduleEnabled=true'] },
  // The operations params: the pause at the end of a run (its IAM exists only then), the alerts' e-mail subscription.
  { name: 'operate', args: ['--param=pauseAfterRun=true', '--param=notifyEmail=data-team@example.com'] },
];

/** The files `sls package` builds the template from (not the function code: it only reaches the zips). */
function templateInputs(): string[] {
  const statemachines = readdirSync(path.join(ROOT, 'statemachine')).map((file) => path.join('statemachine', file));
  return ['serverless.yml', 'package-lock.json', 'test/serverless/package.ts', ...statemachines.sort()];
}

/** The cache file of a variant's template: its name and a hash of its arguments and the template's inputs. */
function cacheFile(variant: Variant): string {
  const hash = createHash('sha256').update(JSON.stringify([STAGE, variant.args]));
  for (const file of templateInputs()) hash.update(file).update(readFileSync(path.join(ROOT, file)));
  return path.join(CACHE_DIR, `${variant.name}-${hash.digest('hex').slice(0, 16)}.json`);
}

/** The packaged template of a variant: from the cache, else packaged (once, while other workers wait) and cached. */
export async function packagedTemplate(variant: Variant): Promise<Template> {
  const file = cacheFile(variant);
  await mkdir(CACHE_DIR, { recursive: true });
  const release = await lock(file, { realpath: false, retries: { retries: 600, minTimeout: 500, maxTimeout: 2000 } });
  try {
    if (!existsSync(file)) {
      const { dir, template } = await packageService(STAGE, variant.args);
      await rm(dir, { recursive: true, force: true });
      await writeFile(`${file}.tmp`, JSON.stringify(template));
      await rename(`${file}.tmp`, file);
    }
    return JSON.parse(await readFile(file, 'utf8')) as Template;
  } finally {
    await release();
  }
}

/** A variant by name. */
export function variantNamed(name: string): Variant {
  const variant = VARIANTS.find((candidate) => candidate.name === name);
  if (!variant) throw new Error(`No variant named ${name}`);
  return variant;
}
