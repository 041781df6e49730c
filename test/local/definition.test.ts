import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TEARDOWN_DEFINITION_FILE, loadDefinition } from '../../local/definition';
import { readFunctions } from '../../local/identities';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dwh-definition-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let files = 0;
async function definitionFile(yaml: string): Promise<string> {
  files += 1;
  const file = path.join(dir, `${files}.asl.yml`);
  await writeFile(file, yaml);
  return file;
}

describe('loadDefinition', () => {
  it("maps each Task to its function key, gives it a placeholder ARN, and lists the Wait states", async () => {
    const file = await definitionFile(`
StartAt: First
States:
  First:
    Type: Task
    Resource:
      Fn::GetAtt: [createCluster, Arn]
    Next: Pause
  Pause:
    Type: Wait
    Seconds: 30
    Next: Done
  Done:
    Type: Succeed
`);

    const { definition, tasks, waits } = await loadDefinition(file);

    expect([...tasks]).toEqual([['First', 'createCluster']]);
    expect(waits).toEqual(['Pause']);
    expect((definition.States.First as { Resource: string }).Resource).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:createCluster',
    );
  });

  it('refuses a Task whose Resource is not a function of this service, naming the state', async () => {
    const file = await definitionFile(`
StartAt: Odd
States:
  Odd:
    Type: Task
    Resource: arn:aws:states:::aws-sdk:redshiftdata:describeStatement
    End: true
`);

    await expect(loadDefinition(file)).rejects.toThrow(
      'State Odd: Resource must be { Fn::GetAtt: [<function>, Arn] } for the local runner, got "arn:aws:states:::aws-sdk:redshiftdata:describeStatement"',
    );
  });

  it('loads the real definitions: their Tasks together invoke every function of functions/functions.yml, and only them', async () => {
    const pipeline = await loadDefinition();
    const teardown = await loadDefinition(TEARDOWN_DEFINITION_FILE);

    expect(new Set([...pipeline.tasks.values(), ...teardown.tasks.values()])).toEqual(new Set(readFunctions().map(({ key }) => key)));
    expect([...pipeline.tasks.values()].filter((key) => [...teardown.tasks.values()].includes(key))).toEqual([]);
  });
});
