// Reads a state machine definition that AWS runs (statemachine/pipeline.asl.yml, statemachine/teardown.asl.yml)
// for the local runner:
// each Task's `Fn::GetAtt: [functionKey, Arn]` becomes a placeholder Lambda ARN, and the runner learns
// which function each Task state calls and which states are Waits.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { parse } from 'yaml';
import { CACHE_DIR } from './cacheDir';

export const DEFINITION_FILE = path.join(__dirname, '..', 'statemachine', 'pipeline.asl.yml');
export const TEARDOWN_DEFINITION_FILE = path.join(__dirname, '..', 'statemachine', 'teardown.asl.yml');

export interface LocalDefinition {
  definition: StateMachineDefinition;
  /** Task state name -> the serverless.yml function key it invokes. */
  tasks: Map<string, string>;
  waits: string[];
}

type StateNode = Record<string, unknown> & { Type?: string; Resource?: unknown };

/** The function key of a Task's `Resource: { Fn::GetAtt: [key, Arn] }`; anything else is an error naming the state. */
function functionKeyOf(stateName: string, resource: unknown): string {
  const getAtt = (resource as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt.length === 2 && typeof getAtt[0] === 'string' && getAtt[1] === 'Arn') return getAtt[0];
  throw new Error(
    `State ${stateName}: Resource must be { Fn::GetAtt: [<function>, Arn] } for the local runner, got ${JSON.stringify(resource)}`,
  );
}

/** Loads the definition file and prepares it for aws-local-stepfunctions. */
export async function loadDefinition(file = DEFINITION_FILE): Promise<LocalDefinition> {
  const definition = parse(await readFile(file, 'utf8')) as StateMachineDefinition;
  const tasks = new Map<string, string>();
  const waits: string[] = [];
  for (const [name, state] of Object.entries(definition.States as Record<string, StateNode>)) {
    if (state.Type === 'Parallel' || state.Type === 'Map') {
      throw new Error(`State ${name}: ${state.Type} states are not supported by the local runner`);
    }
    if (state.Type === 'Wait') waits.push(name);
    if (state.Type === 'Task') {
      const key = functionKeyOf(name, state.Resource);
      tasks.set(name, key);
      state.Resource = `arn:aws:lambda:us-east-1:000000000000:function:${key}`;
    }
  }
  return { definition, tasks, waits };
}

/** Where the definitions aws-local-stepfunctions has found valid are remembered, by the hash of their prepared
 * JSON: validating one costs about 0.3 s of each run (its JSON schema is compiled each time), so a definition is
 * validated once, and again whenever it changes. */
const VALIDATED_DIR = path.join(CACHE_DIR, 'validated-definitions');

/** The file that says a prepared definition was found valid. */
function verdictFile(definition: StateMachineDefinition): string {
  return path.join(VALIDATED_DIR, createHash('sha256').update(JSON.stringify(definition)).digest('hex'));
}

/** Whether a prepared definition was found valid before. */
export function validatedBefore(definition: StateMachineDefinition): boolean {
  return existsSync(verdictFile(definition));
}

/** The state machine of a prepared definition, validated unless it was found valid before (then remembered); an
 * invalid one throws aws-local-stepfunctions' error. A cache that cannot be written only means validating again. */
export async function stateMachineOf(definition: StateMachineDefinition): Promise<StateMachine> {
  const verdict = verdictFile(definition); // before aws-local-stepfunctions has the definition, which it may change
  const known = existsSync(verdict);
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false, noValidate: known } });
  if (!known) {
    await mkdir(VALIDATED_DIR, { recursive: true })
      .then(() => writeFile(verdict, ''))
      .catch(() => undefined);
  }
  return machine;
}
