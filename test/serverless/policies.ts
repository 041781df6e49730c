// Reads the IAM policies of a packaged template as IAM will see them for that stage: Fn::If resolved by the
// template's Conditions, statements of every policy attached to a role gathered together.
import { createResolver } from './intrinsics';
import type { Template } from './package';

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

type Node = Record<string, unknown>;

/** The statements of a policy document, each Fn::If replaced by its branch for this template (NoValue: none). */
export function statementsOf(template: Template, document: unknown): Statement[] {
  const statements = (document as { Statement: unknown[] }).Statement;
  return statements.flatMap((entry) => {
    const node = entry as Node;
    if (!('Fn::If' in node)) return [node as unknown as Statement];
    const [name, whenTrue, whenFalse] = node['Fn::If'] as [string, unknown, unknown];
    const chosen = createResolver(template).condition(name) ? whenTrue : whenFalse;
    return (chosen as Node).Ref === 'AWS::NoValue' ? [] : [chosen as Statement];
  });
}

/** Every Allow and Deny statement of every policy document in the template (roles, policies, bucket policies). */
export function allStatements(template: Template): Statement[] {
  return Object.values(template.Resources).flatMap(({ Properties }) => {
    const inline = (Properties?.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? [];
    const documents = [...inline.map((policy) => policy.PolicyDocument), ...(Properties?.PolicyDocument ? [Properties.PolicyDocument] : [])];
    return documents.flatMap((document) => statementsOf(template, document));
  });
}

/** The statements that apply to a role: its inline policies and every AWS::IAM::Policy attached to it. */
export function roleStatements(template: Template, role: string): Statement[] {
  const inline = (template.Resources[role].Properties.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? [];
  const attached = Object.values(template.Resources).filter(
    ({ Type, Properties }) =>
      Type === 'AWS::IAM::Policy' && (Properties.Roles as Array<{ Ref?: string }>).some((entry) => entry.Ref === role),
  );
  return [...inline.map((policy) => policy.PolicyDocument), ...attached.map(({ Properties }) => Properties.PolicyDocument)].flatMap(
    (document) => statementsOf(template, document),
  );
}

/** A statement's actions as a list. */
export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
