// `npm ci` runs this after the template (package.json "postinstall"): the state machine definitions are validated
// at install, so that the first `npm start` does not spend 0.3 s on it. It never fails the install: a definition
// not validated here is validated by its first run.
import { DEFINITION_FILE, loadDefinition, stateMachineOf, TEARDOWN_DEFINITION_FILE } from './definition';

async function prepare(file: string): Promise<string> {
  try {
    await stateMachineOf((await loadDefinition(file)).definition);
    return `Definition validated: ${file}`;
  } catch (error) {
    return `Definition not validated (its first run will say why): ${file}: ${(error as Error).message}`;
  }
}

void Promise.all([DEFINITION_FILE, TEARDOWN_DEFINITION_FILE].map(prepare)).then((lines) => console.log(lines.join('\n')));
