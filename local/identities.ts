// Which IAM identity each function runs as once deployed: the `role:` of each function in serverless.yml, read
// from that file so the local run binds each step to the same identity as AWS does (never written twice).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

export const SERVERLESS_FILE = path.join(__dirname, '..', 'serverless.yml');

/** Function key -> the logical id of its IAM role; a function without a role is an error naming it. */
export async function loadIdentities(file = SERVERLESS_FILE): Promise<Map<string, string>> {
  const service = parse(await readFile(file, 'utf8')) as { functions?: Record<string, { role?: unknown }> };
  const identities = new Map<string, string>();
  for (const [key, definition] of Object.entries(service.functions ?? {})) {
    if (typeof definition?.role !== 'string') {
      throw new Error(`${path.basename(file)}: function ${key} has no role of its own (role: <logical id>)`);
    }
    identities.set(key, definition.role);
  }
  return identities;
}
