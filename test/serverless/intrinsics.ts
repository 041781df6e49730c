// Resolves a packaged template's intrinsic functions to the concrete values a deployment would give them, for an
// example account and region: Fn::If by the template's Conditions (AWS::NoValue drops the value), Ref, Fn::GetAtt,
// Fn::Sub, Fn::Join, Fn::Select and Fn::Split. A Ref or attribute it cannot name is an error naming it, so a new one is not guessed.
import { createHash } from 'node:crypto';
import type { Template } from './package';

export const ACCOUNT = '123456789012';
export const REGION = 'us-west-2';
export const PARTITION = 'aws';

type Node = Record<string, unknown>;

/** What a template's resources resolve to. */
export interface Resolver {
  template: Template;
  /** The stack's name: `<service>-<stage>`, as sls names it. */
  stackName: string;
  /** Resolves every intrinsic in a value. */
  resolve(value: unknown): unknown;
  /** Resolves a value that must end as a string. */
  string(value: unknown): string;
  /** Whether a template Condition holds. */
  condition(name: string): boolean;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** The stack name sls gives the template: its deployment bucket's export is `sls-<stack>-ServerlessDeploymentBucketName`. */
function stackNameOf(template: Template): string {
  for (const output of Object.values(template.Outputs ?? {})) {
    const name = (output as { Export?: { Name?: string } }).Export?.Name;
    const match = name?.match(/^sls-(.+)-ServerlessDeploymentBucketName$/);
    if (match) return match[1];
  }
  throw new Error('Cannot tell the stack name: no sls deployment bucket export in the template');
}

/** A deterministic stand-in for a generated suffix or id (uppercase letters and digits). */
function exampleId(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').toUpperCase().slice(0, length);
}

export function createResolver(template: Template): Resolver {
  const stackName = stackNameOf(template);
  const resources = template.Resources as Record<string, { Type: string; Properties?: Node }>;

  function resourceOf(id: string) {
    const resource = resources[id];
    if (!resource) throw new Error(`Cannot resolve a reference to ${id}: no such resource`);
    return resource;
  }

  /** A name CloudFormation generates: `<stack>-<logical id>-<suffix>`. */
  function generatedName(id: string): string {
    return `${stackName}-${id}-${exampleId(id, 12)}`;
  }

  function roleName(id: string): string {
    const name = resourceOf(id).Properties?.RoleName;
    return name === undefined ? generatedName(id) : string(name);
  }

  function ref(name: string): unknown {
    switch (name) {
      case 'AWS::AccountId':
        return ACCOUNT;
      case 'AWS::Region':
        return REGION;
      case 'AWS::Partition':
        return PARTITION;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    const resource = resourceOf(name);
    const properties = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::IAM::Role':
        return roleName(name);
      case 'AWS::Lambda::Function':
        return string(properties.FunctionName);
      case 'AWS::StepFunctions::StateMachine':
        return `arn:${PARTITION}:states:${REGION}:${ACCOUNT}:stateMachine:${string(properties.StateMachineName)}`;
      case 'AWS::S3::Bucket':
        return generatedName(name).toLowerCase();
      case 'AWS::Logs::LogGroup':
        return string(properties.LogGroupName);
      case 'AWS::Lambda::Version':
        return `arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${string(properties.FunctionName)}:1`;
    }
    throw new Error(`Cannot resolve Ref ${name} (${resource.Type})`);
  }

  function getAtt(id: string, attribute: string): string {
    const resource = resourceOf(id);
    const properties = resource.Properties ?? {};
    const key = `${resource.Type}.${attribute}`;
    switch (key) {
      case 'AWS::IAM::Role.Arn':
        return `arn:${PARTITION}:iam::${ACCOUNT}:role/${roleName(id)}`;
      case 'AWS::IAM::Role.RoleId':
        return `AROA${exampleId(`role ${id}`, 17)}`;
      case 'AWS::Lambda::Function.Arn':
        return `arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${string(properties.FunctionName)}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:${string(properties.LogGroupName)}:*`;
      case 'AWS::StepFunctions::StateMachine.Arn':
        return string(ref(id));
    }
    throw new Error(`Cannot resolve Fn::GetAtt ${id}.${attribute} (${resource.Type})`);
  }

  function sub(text: string, variables: Node): string {
    return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in variables) return string(resolveNode(variables[name]));
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, attribute] = name.split(/\.(.*)/s);
        return getAtt(id, attribute);
      }
      return string(ref(name));
    });
  }

  function condition(name: string): boolean {
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new Error(`No condition named ${name}`);
    return evaluate(definition);
  }

  function evaluate(node: unknown): boolean {
    const entry = node as Node;
    if ('Condition' in entry) return condition(entry.Condition as string);
    if ('Fn::Not' in entry) return !evaluate((entry['Fn::Not'] as unknown[])[0]);
    if ('Fn::And' in entry) return (entry['Fn::And'] as unknown[]).every(evaluate);
    if ('Fn::Or' in entry) return (entry['Fn::Or'] as unknown[]).some(evaluate);
    if ('Fn::Equals' in entry) {
      const [left, right] = (entry['Fn::Equals'] as unknown[]).map((side) => resolveNode(side));
      return JSON.stringify(left) === JSON.stringify(right);
    }
    throw new Error(`Cannot evaluate condition ${JSON.stringify(node)}`);
  }

  function resolveNode(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(resolveNode).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const node = value as Node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const [key] = keys;
      const argument = node[key];
      switch (key) {
        case 'Ref':
          return ref(argument as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = typeof argument === 'string' ? argument.split(/\.(.*)/s) : (argument as string[]);
          return getAtt(id, attribute);
        }
        case 'Fn::Sub':
          return typeof argument === 'string'
            ? sub(argument, {})
            : sub((argument as [string, Node])[0], (argument as [string, Node])[1]);
        case 'Fn::Join': {
          const [separator, parts] = argument as [string, unknown[]];
          return (resolveNode(parts) as unknown[]).map(string).join(separator);
        }
        case 'Fn::If': {
          const [name, whenTrue, whenFalse] = argument as [string, unknown, unknown];
          return resolveNode(condition(name) ? whenTrue : whenFalse);
        }
        case 'Fn::Select': {
          const [index, list] = argument as [number | string, unknown];
          return (resolveNode(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [delimiter, source] = argument as [string, unknown];
          return string(resolveNode(source)).split(delimiter);
        }
      }
      if (key.startsWith('Fn::')) throw new Error(`Cannot resolve ${key}`);
    }
    return Object.fromEntries(
      Object.entries(node)
        .map(([key, inner]) => [key, resolveNode(inner)] as const)
        .filter(([, inner]) => inner !== NO_VALUE),
    );
  }

  function string(value: unknown): string {
    const resolved = resolveNode(value);
    if (typeof resolved !== 'string' && typeof resolved !== 'number' && typeof resolved !== 'boolean') {
      throw new Error(`Expected a string, got ${JSON.stringify(value)}`);
    }
    return String(resolved);
  }

  return { template, stackName, resolve: resolveNode, string, condition };
}
