// Every IAM policy document of a packaged template, resolved to concrete values (see intrinsics.ts), with what
// it is attached to: a role's trust policy and inline policies, AWS::IAM::Policy and ManagedPolicy documents
// (with the roles they are attached to), and resource policies such as bucket policies.
import type { Resolver } from './intrinsics';

export type PolicyKind = 'identity' | 'trust' | 'resource';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[] | PolicyStatement;
}

export interface NamedPolicy {
  /** Where it is, for messages: `CreateClusterRole policy create-cluster`. */
  where: string;
  kind: PolicyKind;
  /** The logical ids of the roles an identity policy applies to. */
  roles: string[];
  document: PolicyDocument;
}

type Node = Record<string, unknown>;

/** The logical ids an AWS::IAM::Policy's `Roles` list refers to with Ref. */
function roleRefs(roles: unknown): string[] {
  return ((roles as unknown[] | undefined) ?? []).flatMap((entry) => {
    const ref = (entry as Node)?.Ref;
    return typeof ref === 'string' ? [ref] : [];
  });
}

export function templatePolicies(resolver: Resolver): NamedPolicy[] {
  const resources = resolver.template.Resources as Record<string, { Type: string; Properties?: Node; Condition?: string }>;
  const policies: NamedPolicy[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Condition !== undefined && !resolver.condition(resource.Condition)) continue;
    const properties = resource.Properties ?? {};
    const document = (value: unknown) => resolver.resolve(value) as PolicyDocument;
    switch (resource.Type) {
      case 'AWS::IAM::Role': {
        policies.push({ where: `${id} trust policy`, kind: 'trust', roles: [id], document: document(properties.AssumeRolePolicyDocument) });
        const inline = (resolver.resolve(properties.Policies) as Array<{ PolicyName: string; PolicyDocument: PolicyDocument }> | undefined) ?? [];
        for (const policy of inline) {
          policies.push({ where: `${id} policy ${policy.PolicyName}`, kind: 'identity', roles: [id], document: policy.PolicyDocument });
        }
        break;
      }
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        policies.push({ where: `${id}`, kind: 'identity', roles: roleRefs(properties.Roles), document: document(properties.PolicyDocument) });
        break;
      case 'AWS::S3::BucketPolicy':
        policies.push({ where: `${id}`, kind: 'resource', roles: [], document: document(properties.PolicyDocument) });
        break;
    }
  }
  return policies;
}

/** The identity policies that apply to a role. */
export function rolePolicies(policies: NamedPolicy[], role: string): NamedPolicy[] {
  return policies.filter((policy) => policy.kind === 'identity' && policy.roles.includes(role));
}

/** A document's statements as a list. */
export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

/** A string-or-list field as a list. */
export function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** How a statement is named in messages: its Sid, else its position in the policy as deployed (Fn::If resolved). */
export function statementName(statement: PolicyStatement, index: number): string {
  return statement.Sid ? `statement ${statement.Sid}` : `statement ${index + 1}`;
}
