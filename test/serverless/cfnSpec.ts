// Checks a template against the CloudFormation resource specification of @aws-cdk/aws-service-spec: every
// resource type exists, every property is one the type has (recursively, into the property types the spec
// describes), every required property is there, every Ref, Fn::GetAtt, Condition and DependsOn names something
// that exists. Intrinsics stand for a value of any type; both branches of an Fn::If are checked.
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { PropertyType, Resource, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types';
import type { Template } from './package';

/** One thing wrong, as `<path>: <what>`. */
export type Problem = string;

type Node = Record<string, unknown>;

/** The keys a resource may have besides Type and Properties. */
const RESOURCE_ATTRIBUTES = [
  ...['Type', 'Properties', 'DependsOn', 'Condition', 'Metadata'],
  ...['DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy'],
];
const PSEUDO_PARAMETERS = [
  ...['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition'],
  ...['AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix'],
];
const INTRINSICS = [
  ...['Ref', 'Condition', 'Fn::Base64', 'Fn::Cidr', 'Fn::FindInMap', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::If'],
  ...['Fn::ImportValue', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::Sub', 'Fn::ToJsonString', 'Fn::Length', 'Fn::Transform'],
];

let database: SpecDatabase | undefined;

/** The spec database (loaded once: about a second). */
function spec(): SpecDatabase {
  database ??= loadAwsServiceSpecSync();
  return database;
}

function resourceSpec(type: string): Resource | undefined {
  const found = spec().lookup('resource', 'cloudFormationType', 'equals', type);
  return found.length === 1 ? found[0] : undefined;
}

function isIntrinsic(value: unknown): value is Node {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSICS.includes(keys[0]);
}

export function checkCfnSpec(template: Template): Problem[] {
  const problems: Problem[] = [];
  const resources = template.Resources as Record<string, Node>;
  const conditions = Object.keys(template.Conditions ?? {});

  /** Checks the names an intrinsic refers to, and returns the values it may stand for (Fn::If: its branches). */
  function checkIntrinsic(node: Node, where: string): unknown[] | undefined {
    const [key] = Object.keys(node);
    const argument = node[key];
    if (key === 'Ref') {
      const name = argument as string;
      if (!PSEUDO_PARAMETERS.includes(name) && !(name in resources)) problems.push(`${where}: Ref to ${name}, which is no resource or pseudo parameter`);
      return undefined;
    }
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = typeof argument === 'string' ? argument.split(/\.(.*)/s) : (argument as string[]);
      const target = resources[id];
      if (!target) {
        problems.push(`${where}: Fn::GetAtt on ${id}, which is no resource`);
        return undefined;
      }
      const type = resourceSpec(target.Type as string);
      if (type && !(attribute in type.attributes)) problems.push(`${where}: Fn::GetAtt ${id}.${attribute}: ${target.Type} has no attribute ${attribute}`);
      return undefined;
    }
    if (key === 'Fn::Sub') {
      const [text, variables] = typeof argument === 'string' ? [argument, {}] : (argument as [string, Node]);
      for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        if (name in variables) continue;
        const id = name.includes('.') && !name.startsWith('AWS::') ? name.split('.')[0] : name;
        if (!PSEUDO_PARAMETERS.includes(id) && !(id in resources)) problems.push(`${where}: Fn::Sub names \${${name}}, which is no resource or pseudo parameter`);
      }
      for (const [name, value] of Object.entries(variables)) walkIntrinsics(value, `${where}.Fn::Sub.${name}`);
      return undefined;
    }
    if (key === 'Fn::If') {
      const [name, whenTrue, whenFalse] = argument as [string, unknown, unknown];
      if (!conditions.includes(name)) problems.push(`${where}: Fn::If on ${name}, which is no condition`);
      return [whenTrue, whenFalse];
    }
    if (key === 'Condition') {
      if (!conditions.includes(argument as string)) problems.push(`${where}: Condition ${String(argument)}, which is no condition`);
      return undefined;
    }
    walkIntrinsics(argument, `${where}.${key}`);
    return undefined;
  }

  /** Checks the intrinsics anywhere inside a value the spec types as JSON (or an intrinsic's arguments). */
  function walkIntrinsics(value: unknown, where: string): void {
    if (Array.isArray(value)) return value.forEach((item, index) => walkIntrinsics(item, `${where}[${index}]`));
    if (value === null || typeof value !== 'object') return;
    if (isIntrinsic(value)) {
      const branches = checkIntrinsic(value, where);
      branches?.forEach((branch, index) => walkIntrinsics(branch, `${where}.Fn::If[${index + 1}]`));
      return;
    }
    for (const [key, inner] of Object.entries(value)) walkIntrinsics(inner, `${where}.${key}`);
  }

  function isNoValue(value: unknown): boolean {
    return isIntrinsic(value) && (value as Node).Ref === 'AWS::NoValue';
  }

  /** The problems of a value against a property type; problems are collected into `into`. */
  function checkValue(value: unknown, type: PropertyType, where: string, into: Problem[]): void {
    if (isIntrinsic(value)) {
      const before = problems.length;
      const branches = checkIntrinsic(value, where);
      into.push(...problems.splice(before));
      branches?.forEach((branch, index) => {
        if (!isNoValue(branch)) checkValue(branch, type, `${where}.Fn::If[${index + 1}]`, into);
      });
      return;
    }
    switch (type.type) {
      case 'json':
        walkIntrinsicsInto(value, where, into);
        return;
      case 'string':
      case 'number':
      case 'integer':
      case 'boolean':
      case 'date-time':
        if (value !== null && typeof value === 'object') {
          const article = /^[aeiou]/.test(type.type) ? 'an' : 'a';
          into.push(`${where}: expected ${article} ${type.type}, got ${Array.isArray(value) ? 'a list' : 'an object'}`);
        }
        return;
      case 'null':
        return;
      case 'tag':
        if (value === null || typeof value !== 'object' || Array.isArray(value)) into.push(`${where}: expected a tag {Key, Value}`);
        return;
      case 'array':
        if (!Array.isArray(value)) {
          into.push(`${where}: expected a list`);
          return;
        }
        value.forEach((item, index) => checkValue(item, type.element, `${where}[${index}]`, into));
        return;
      case 'map':
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          into.push(`${where}: expected a map`);
          return;
        }
        for (const [key, inner] of Object.entries(value)) checkValue(inner, type.element, `${where}.${key}`, into);
        return;
      case 'union': {
        // Valid if one alternative fits; otherwise report the alternative that fits best.
        const attempts = type.types.map((alternative) => {
          const found: Problem[] = [];
          checkValue(value, alternative, where, found);
          return found;
        });
        const best = attempts.reduce((fewest, attempt) => (attempt.length < fewest.length ? attempt : fewest));
        into.push(...best);
        return;
      }
      case 'ref': {
        const definition = spec().get('typeDefinition', type.reference.$ref) as TypeDefinition;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          into.push(`${where}: expected an object (${definition.name})`);
          return;
        }
        checkProperties(value as Node, definition.properties, definition.name, where, into);
        return;
      }
    }
  }

  function walkIntrinsicsInto(value: unknown, where: string, into: Problem[]): void {
    const before = problems.length;
    walkIntrinsics(value, where);
    into.push(...problems.splice(before));
  }

  function checkProperties(value: Node, properties: Record<string, { type: PropertyType; required?: boolean }>, owner: string, where: string, into: Problem[]): void {
    for (const [name, inner] of Object.entries(value)) {
      const property = properties[name];
      if (!property) into.push(`${where}.${name}: ${owner} has no property ${name}`);
      else checkValue(inner, property.type, `${where}.${name}`, into);
    }
    for (const [name, property] of Object.entries(properties)) {
      if (property.required && !(name in value)) into.push(`${where}.${name}: required by ${owner}, missing`);
    }
  }

  for (const [id, resource] of Object.entries(resources)) {
    const where = `Resources.${id}`;
    for (const key of Object.keys(resource).filter((name) => !RESOURCE_ATTRIBUTES.includes(name))) {
      problems.push(`${where}.${key}: not a resource attribute`);
    }
    const dependsOn = resource.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn as string | string[]);
    for (const target of dependsOn.filter((name) => !(name in resources))) problems.push(`${where}.DependsOn: ${target} is no resource`);
    if (resource.Condition !== undefined && !conditions.includes(resource.Condition as string)) {
      problems.push(`${where}.Condition: ${String(resource.Condition)} is no condition`);
    }
    const type = resourceSpec(resource.Type as string);
    if (!type) {
      problems.push(`${where}.Type: unknown resource type ${String(resource.Type)}`);
      continue;
    }
    const found: Problem[] = [];
    checkProperties((resource.Properties ?? {}) as Node, type.properties, type.cloudFormationType, `${where}.Properties`, found);
    problems.push(...found);
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) walkIntrinsics(output, `Outputs.${name}`);
  return problems;
}
