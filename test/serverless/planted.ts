// Helpers of the planted-defect tests: a copy of a packaged template to plant a defect in, and the statement to
// plant it in, found by what it allows rather than by its place (statements move, and many sit in an Fn::If).
import type { Template } from './package';

type Node = Record<string, unknown>;

/** A deep copy to plant a defect in. */
export function copyOf<T = Template>(template: T): T {
  return JSON.parse(JSON.stringify(template)) as T;
}

/** The statements of a policy document, each Fn::If entry as its two branches (the objects themselves, to edit). */
function candidates(statements: Node[]): Node[] {
  return statements.flatMap((entry) => ('Fn::If' in entry ? (entry['Fn::If'] as [string, Node, Node]).slice(1) : [entry]) as Node[]);
}

/** The one statement of a policy document that allows `action` (in whichever branch of an Fn::If it sits);
 * none or several is an error naming the action. */
export function statementAllowing(document: unknown, action: string): Node {
  const found = candidates((document as { Statement: Node[] }).Statement).filter((statement) =>
    [statement.Action].flat().includes(action),
  );
  if (found.length !== 1) throw new Error(`${found.length} statements allow ${action}, expected one`);
  return found[0];
}

/** The policy document of a role's inline policy (the first unless named), or of an AWS::IAM::Policy resource. */
export function documentOf(template: Template, logicalId: string, policyName?: string): unknown {
  const { Properties } = template.Resources[logicalId];
  if (Properties.PolicyDocument) return Properties.PolicyDocument;
  const policies = Properties.Policies as Array<{ PolicyName: string; PolicyDocument: unknown }>;
  const policy = policyName ? policies.find((candidate) => candidate.PolicyName === policyName) : policies[0];
  if (!policy) throw new Error(`${logicalId} has no policy ${policyName}`);
  return policy.PolicyDocument;
}

/** Removes from a policy document the entry (a statement, or the Fn::If holding it) that allows `action`. */
export function removeStatementAllowing(document: unknown, action: string): void {
  const statements = (document as { Statement: Node[] }).Statement;
  const target = statementAllowing(document, action);
  const index = statements.findIndex((entry) => entry === target || ('Fn::If' in entry && (entry['Fn::If'] as Node[]).includes(target)));
  statements.splice(index, 1);
}
