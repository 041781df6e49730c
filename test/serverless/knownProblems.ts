// The problems the template checks find today that parallel work on serverless.yml is fixing. Each check stays
// strict: a problem listed here must still occur (else remove it), and any other problem fails the check. Empty
// this list as the fixes land.
import type { Problem } from './cfnSpec';

export type CheckName = 'cfn-spec' | 'iam-syntax' | 'iam-calls' | 'iam-unused' | 'iam-roles';

export interface KnownProblem {
  check: CheckName;
  variant: string;
  problem: Problem;
  /** Why it fails, and what fixes it. */
  reason: string;
}

/** The same problems, for several variants. */
function known(check: CheckName, variants: string[], reason: string, problems: Problem[]): KnownProblem[] {
  return variants.flatMap((variant) => problems.map((problem) => ({ check, variant, problem, reason })));
}

const ALL = ['cluster', 'serverless', 'secret', 'ingress'];
const SQL_STEPS = [
  ['createTables', 'CreateTablesRole'],
  ['loadStaging', 'LoadStagingRole'],
  ['insertTables', 'InsertTablesRole'],
  ['analyze', 'AnalyzeRole'],
];
const unused = (policy: string, role: string, action: string, users: string) =>
  `${policy}: ${role} allows ${action}, which no call of ${users} uses`;

export const KNOWN_PROBLEMS: KnownProblem[] = [
  ...known(
    'iam-calls',
    ALL,
    'describeStatement describes the statements the SQL steps submitted under their own roles, and the Data API answers only ' +
      'the identity that submitted a statement. Fix: one role (e.g. DataApiRole) for createTables, loadStaging, insertTables, ' +
      'analyze and describeStatement (their `role:` in serverless.yml), DataApiPolicy attached to it alone, its statement-owner ' +
      'condition naming only that role\'s RoleId; drop CreateTablesRole, LoadStagingRole, InsertTablesRole, AnalyzeRole, DescribeStatementRole.',
    SQL_STEPS.map(
      ([step, role]) =>
        `describeStatement (DescribeStatementRole): redshift-data:DescribeStatement on a statement ${step} (${role}) submitted: ` +
        'the Data API answers only the identity that submitted a statement',
    ),
  ),
  ...known(
    'iam-unused',
    ALL,
    'createTables and insertTables never read a result, yet DataApiPolicy gives their roles GetStatementResult. Fix: the one ' +
      'shared Data API role above (analyze and describeStatement read results with it).',
    [unused('DataApiPolicy', 'CreateTablesRole', 'redshift-data:GetStatementResult', 'createTables'), unused('DataApiPolicy', 'InsertTablesRole', 'redshift-data:GetStatementResult', 'insertTables')],
  ),
  ...known(
    'iam-unused',
    ['cluster', 'serverless', 'secret'],
    'openPort calls nothing when ingressCidrs is empty (the default). Fix: a condition HasIngressCidrs (Fn::And: OnCluster and ' +
      "Fn::Not [Fn::Equals ['${param:ingressCidrs}', '']]) and both OpenPortRole statements (redshift:DescribeClusters, " +
      'ec2:AuthorizeSecurityGroupIngress) under Fn::If HasIngressCidrs.',
    [unused('OpenPortRole policy open-port', 'OpenPortRole', 'redshift:DescribeClusters', 'openPort'), unused('OpenPortRole policy open-port', 'OpenPortRole', 'ec2:AuthorizeSecurityGroupIngress', 'openPort')],
  ),
  ...known(
    'iam-unused',
    ['secret'],
    'With a secret the Data API reads the secret instead of asking for temporary credentials, yet redshift:GetClusterCredentials ' +
      'is granted on every cluster. Fix: a condition UsesTemporaryCredentials (Fn::And: OnCluster and Fn::Not [Condition: HasSecret]) ' +
      'on the GetClusterCredentials statement of DataApiPolicy (and likewise redshift-serverless:GetCredentials only on Serverless without a secret).',
    [...SQL_STEPS, ['describeStatement', 'DescribeStatementRole']].map(([step, role]) => unused('DataApiPolicy', role, 'redshift:GetClusterCredentials', step)),
  ),
  ...known(
    'iam-unused',
    ['serverless'],
    'On target serverless createCluster and waitCluster call nothing today, yet their cluster permissions are unconditional. Fix ' +
      '(with Redshift Serverless as code): the cluster statements of CreateClusterRole and WaitClusterRole under Fn::If OnCluster, ' +
      'the namespace and workgroup statements under Fn::If OnServerless.',
    [
      ...['iam:GetRole', 'iam:CreateRole', 'iam:PutRolePolicy', 'iam:PassRole', 'iam:CreateServiceLinkedRole', 'redshift:CreateCluster', 'redshift:DescribeClusters', 'redshift:ResumeCluster']
        .concat(['CreateSecret', 'DescribeSecret', 'UpdateSecret', 'RotateSecret', 'TagResource', 'GetRandomPassword'].map((action) => `secretsmanager:${action}`))
        .map((action) => unused('CreateClusterRole policy create-cluster', 'CreateClusterRole', action, 'createCluster')),
      unused('WaitClusterRole policy wait-cluster', 'WaitClusterRole', 'redshift:DescribeClusters', 'waitCluster'),
    ],
  ),
];

/** Asserts that `problems` are exactly the known problems of this check and variant. */
export function expectOnlyKnownProblems(check: CheckName, variant: string, problems: Problem[]): void {
  const known = KNOWN_PROBLEMS.filter((entry) => entry.check === check && entry.variant === variant).map((entry) => entry.problem);
  const unexpected = problems.filter((problem) => !known.includes(problem));
  const fixed = known.filter((problem) => !problems.includes(problem));
  expect({ unexpected, 'fixed (remove from KNOWN_PROBLEMS)': fixed }).toEqual({ unexpected: [], 'fixed (remove from KNOWN_PROBLEMS)': [] });
}
