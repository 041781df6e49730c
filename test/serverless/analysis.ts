// Everything the IAM checks read from one packaged template: its resolved policies, its functions, the calls the
// code makes in every scenario and the IAM requests they add up to.
import { deriveCalls, functionsOf, type FunctionInfo, type FunctionRoles, type SdkCall } from './calls';
import type { Problem } from './cfnSpec';
import { templatePolicies, type NamedPolicy, type PolicyDocument } from './iamPolicies';
import {
  checkCopyRole,
  checkScheduleRoles,
  checkStateMachineRoles,
  requestsOf,
  settingsOf,
  simulateRequests,
  unusedPermissions,
  type RoleRequest,
} from './iamSimulation';
import { createResolver, type Resolver } from './intrinsics';
import type { Template } from './package';
import { sourceReadPolicy } from '../../functions/lib/steps/rolePolicy';

export interface TemplateAnalysis {
  resolver: Resolver;
  policies: NamedPolicy[];
  functions: FunctionInfo[];
  calls: SdkCall[];
  requests: RoleRequest[];
}

/** Analyses a template; `roles` stands for serverless.yml's functions (a test plants other roles with it). */
export async function analyse(template: Template, roles?: FunctionRoles): Promise<TemplateAnalysis> {
  const resolver = createResolver(template);
  const functions = functionsOf(resolver, roles);
  const calls = await deriveCalls(functions);
  return { resolver, policies: templatePolicies(resolver), functions, calls, requests: requestsOf(calls, functions, resolver) };
}

/** The policy documents the steps put at run time: every `*PolicyDocument` a derived command sends (the COPY
 * role's trust policy and inline policy), and the COPY role's policy for the settings (sourceReadPolicy). */
export function runtimePolicies({ calls, functions }: TemplateAnalysis): NamedPolicy[] {
  const sent = calls.flatMap((call) =>
    Object.entries(call.input)
      .filter(([key]) => key.endsWith('PolicyDocument'))
      .map(([key, value]): NamedPolicy => ({
        where: `${call.function} ${call.command} ${key}`,
        kind: key === 'AssumeRolePolicyDocument' ? 'trust' : 'identity',
        roles: [],
        document: JSON.parse(String(value)) as PolicyDocument,
      })),
  );
  const unique = new Map(sent.map((policy) => [JSON.stringify(policy), policy]));
  const settings = settingsOf(functions[0]);
  return [
    ...unique.values(),
    { where: 'sourceReadPolicy(settings)', kind: 'identity', roles: [], document: sourceReadPolicy(settings) as unknown as PolicyDocument },
  ];
}

/** The calls the functions make that their roles do not allow (or the Data API would refuse). */
export function callProblems({ requests, policies, resolver, functions }: TemplateAnalysis): Promise<Problem[]> {
  return simulateRequests(requests, policies, resolver, functions);
}

/** What the function roles allow that no call uses. */
export function unusedProblems({ requests, policies, functions }: TemplateAnalysis): Problem[] {
  return unusedPermissions(requests, policies, functions);
}

/** The other roles: the state machine's, the schedule's, and the COPY role (every function has the same settings). */
export async function roleProblems({ resolver, policies, functions }: TemplateAnalysis): Promise<Problem[]> {
  return [
    ...(await checkStateMachineRoles(resolver, policies)),
    ...(await checkScheduleRoles(resolver, policies)),
    ...(await checkCopyRole(settingsOf(functions[0]))),
  ];
}
