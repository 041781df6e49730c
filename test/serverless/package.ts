// Runs `sls package` on serverless.yml offline (dummy credentials, no telemetry) into a temporary folder and
// reads what it wrote: the CloudFormation template and the Lambda zips.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { lock } from 'proper-lockfile';

const ROOT = path.join(__dirname, '..', '..');
const SLS = path.join(ROOT, 'node_modules', '.bin', 'sls');
/** serverless-esbuild builds in the project's .esbuild folder: one `sls package` of this checkout at a time,
 * across jest workers too. */
const PACKAGE_LOCK = path.join(tmpdir(), `sls-package-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);

/** A CloudFormation template, as far as the tests read it. */
export interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] | string }>;
  Outputs: Record<string, { Description?: string; Value: unknown }>;
}

export interface PackagedService {
  dir: string;
  template: Template;
}

/** Packages the service for `stage` with extra CLI arguments (`--param=...`); the error names the command. */
export async function packageService(stage: string, args: string[] = []): Promise<PackagedService> {
  const dir = await mkdtemp(path.join(tmpdir(), `sls-package-${stage}-`));
  // Packaging needs no AWS access: no profile or session of the machine, dummy keys instead of real ones.
  const machineEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  const env: NodeJS.ProcessEnv = {
    ...machineEnv,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'packaging-only-not-a-real-key',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
  const command = ['package', '--stage', stage, '--package', dir, ...args];
  const release = await lock(ROOT, { lockfilePath: PACKAGE_LOCK, realpath: false, retries: { retries: 600, minTimeout: 500, maxTimeout: 2000 } });
  try {
    await promisify(execFile)(SLS, command, { cwd: ROOT, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`sls ${command.join(' ')} failed:\n${stdout}\n${stderr}`);
  } finally {
    await release();
  }
  const template = JSON.parse(await readFile(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  return { dir, template };
}
