// The pipeline's functions as functions/functions.yml lists them (serverless.yml includes that file), and which
// IAM identity each runs as once deployed: its `role:`. The local run binds each step to the same identity as
// AWS does (never written twice).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const FUNCTIONS_FILE = path.join(__dirname, '..', 'functions', 'functions.yml');

/** One function of the list. */
export interface FunctionDefinition {
  /** The function key: its file is functions/<key>.ts, which exports the step as `<key>`. */
  key: string;
  handler: string;
  timeout: number;
  /** The logical id of its IAM role in serverless.yml. */
  role: string;
}

/** Every function of the list, in its order; a function without a role of its own is an error naming it. */
export function readFunctions(file = FUNCTIONS_FILE): FunctionDefinition[] {
  const list = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, { handler?: unknown; timeout?: unknown; role?: unknown } | null>;
  return Object.entries(list).map(([key, definition]) => {
    if (typeof definition?.role !== 'string') {
      throw new Error(`${path.basename(file)}: function ${key} has no role of its own (role: <logical id>)`);
    }
    return { key, handler: String(definition.handler), timeout: Number(definition.timeout), role: definition.role };
  });
}

/** Function key -> the logical id of its IAM role. */
export async function loadIdentities(file = FUNCTIONS_FILE): Promise<Map<string, string>> {
  return new Map(readFunctions(file).map(({ key, role }) => [key, role]));
}
