// Every deployment variant's roles, simulated with @cloud-copilot/iam-simulate against the AWS calls the code
// makes (derived by running the steps through their scenarios over mocked SDK clients), and proof that each
// check catches the defect it is meant to catch.
import { PIPELINE_TAG_KEY } from '../../functions/lib/aws/awsServerless';
import { analyse, callProblems, roleProblems, unusedProblems, type TemplateAnalysis } from './analysis';
import { functionsWithoutScenario, SCENARIOS, serverlessFunctions } from './calls';
import type { Problem } from './cfnSpec';
import { COMMAND_TABLE, iamRequestsOf, namespaceArn, workgroupArn } from './commandTable';
import { rolePolicies, type PolicyDocument } from './iamPolicies';
import { checkCopyRole, decide, settingsOf } from './iamSimulation';
import type { Template } from './package';
import { copyOf, documentOf, removeStatementAllowing, statementAllowing } from './planted';
import { packagedTemplate, VARIANTS, variantNamed } from './variants';

type Node = Record<string, unknown>;

/** The statements of a role's first inline policy. */
function inlineStatements(template: Template, role: string): Node[] {
  return (documentOf(template, role) as { Statement: Node[] }).Statement;
}

/** What a planted defect changes: the problems it adds, and the ones it makes disappear. */
function difference(before: Problem[], after: Problem[]): { added: Problem[]; gone: Problem[] } {
  return { added: after.filter((problem) => !before.includes(problem)), gone: before.filter((problem) => !after.includes(problem)) };
}

describe.each(VARIANTS)("the $name template's IAM against the calls the code makes", (variant) => {
  let analysis: TemplateAnalysis;

  beforeAll(async () => {
    analysis = await analyse(await packagedTemplate(variant));
  }, 300_000);

  it('runs every function of serverless.yml in some scenario, and each sends commands of the table', () => {
    expect(functionsWithoutScenario(analysis.functions)).toEqual([]);
    expect(analysis.calls.filter((call) => !(call.command in COMMAND_TABLE))).toEqual([]);
  });

  it("allows every call of each function on exactly the resource it targets, with the function's role", async () => {
    expect(await callProblems(analysis)).toEqual([]);
  });

  it('allows a function role nothing that no call of its functions uses', () => {
    expect(unusedProblems(analysis)).toEqual([]);
  });

  it('lets the state machine invoke exactly its Tasks, the schedule start it, and the COPY role read exactly the sources', async () => {
    expect(await roleProblems(analysis)).toEqual([]);
  });
});

describe('the IAM simulation', () => {
  let cluster: Template;
  let ingress: Template;
  let serverless: Template;

  beforeAll(async () => {
    cluster = await packagedTemplate(variantNamed('cluster'));
    ingress = await packagedTemplate(variantNamed('ingress'));
    serverless = await packagedTemplate(variantNamed('serverless'));
  }, 300_000);

  it('derives the calls of every step from the code, in every scenario', async () => {
    const { calls } = await analyse(cluster);

    const commands = (fn: string) => [...new Set(calls.filter((call) => call.function === fn).map((call) => call.command))].sort();

    expect(SCENARIOS.map((scenario) => scenario.name).sort()).toEqual([...new Set(calls.map((call) => call.scenario))].sort());
    expect(commands('createCluster')).toEqual([
      'IAM.CreateRole',
      'IAM.GetRole',
      'IAM.PutRolePolicy',
      'Redshift.CreateCluster',
      'Redshift.DescribeClusters',
      'Redshift.ResumeCluster',
    ]);
    // The shared poller only describes; the failure branch submits the load-error lookup and reads it.
    expect(commands('describeStatement')).toEqual(['RedshiftData.DescribeStatement']);
    expect(commands('explainLoadFailure')).toEqual(['RedshiftData.BatchExecuteStatement']);
    expect(commands('reportLoadFailure')).toEqual(['RedshiftData.GetStatementResult']);
    expect(commands('reportAnalysis')).toEqual(['RedshiftData.GetStatementResult']);
  });

  it('reports a call whose permission was removed', async () => {
    const before = await callProblems(await analyse(ingress));
    const planted = copyOf(ingress);
    removeStatementAllowing(documentOf(planted, 'OpenPortRole'), 'ec2:AuthorizeSecurityGroupIngress');

    const after = await callProblems(await analyse(planted));

    expect(difference(before, after)).toEqual({
      added: [
        'openPort (OpenPortRole): ec2:AuthorizeSecurityGroupIngress on arn:aws:ec2:us-west-2:123456789012:security-group/sg-0123456789abcdef0 (AuthorizeSecurityGroupIngress): ImplicitlyDenied',
      ],
      gone: [],
    });
  });

  it('reports a call on a resource the role names wrongly', async () => {
    const before = await callProblems(await analyse(cluster));
    const planted = copyOf(cluster);
    statementAllowing(documentOf(planted, 'DescribeClusterRole'), 'redshift:DescribeClusters').Resource = { 'Fn::Sub': 'arn:${AWS::Partition}:redshift:${AWS::Region}:${AWS::AccountId}:cluster:sparkify-dwh-prod' };

    const after = await callProblems(await analyse(planted));

    expect(difference(before, after)).toEqual({
      added: [
        'describeCluster (DescribeClusterRole): redshift:DescribeClusters on arn:aws:redshift:us-west-2:123456789012:cluster:sparkify-dwh-test (DescribeClusters): ImplicitlyDenied',
      ],
      gone: [],
    });
  });

  it('reports a call on a workgroup whose tag has another value than the grant names', async () => {
    const before = await callProblems(await analyse(serverless));
    const planted = copyOf(serverless);
    const getWorkgroup = statementAllowing(documentOf(planted, 'DescribeClusterRole'), 'redshift-serverless:GetWorkgroup');
    getWorkgroup.Condition = { StringEquals: { [`aws:ResourceTag/${PIPELINE_TAG_KEY}`]: 'sparkify-dwh-prod' } };

    const after = await callProblems(await analyse(planted));

    expect(difference(before, after)).toEqual({
      added: [
        `describeCluster (DescribeClusterRole): redshift-serverless:GetWorkgroup on ${workgroupArn()} with {"aws:ResourceTag/sparkify-dwh":"sparkify-dwh-test"} (GetWorkgroup): ImplicitlyDenied`,
      ],
      gone: [],
    });
  });

  it('reports a Create whose request does not carry the tag the grant asks for', async () => {
    const before = await callProblems(await analyse(serverless));
    const planted = copyOf(serverless);
    const createNamespace = statementAllowing(documentOf(planted, 'CreateClusterRole'), 'redshift-serverless:CreateNamespace');
    createNamespace.Condition = { StringEquals: { 'aws:RequestTag/owner': 'sparkify-dwh-test' } };

    const after = await callProblems(await analyse(planted));

    expect(difference(before, after)).toEqual({
      added: [
        `createCluster (CreateClusterRole): redshift-serverless:CreateNamespace on ${namespaceArn()} with {"aws:RequestTag/sparkify-dwh":"sparkify-dwh-test"} (CreateNamespace): ImplicitlyDenied`,
      ],
      gone: [],
    });
  });

  it('denies a call on a workgroup the pipeline did not create: it carries no pipeline tag', async () => {
    const { functions, policies, resolver } = await analyse(serverless);
    const settings = settingsOf(functions[0]);
    const context = { settings, statementOwner: () => ({ function: 'createTables', userId: 'AROAEXAMPLE:createTables' }) };
    const role = 'DescribeClusterRole';
    const principal = `arn:aws:sts::123456789012:assumed-role/${resolver.string({ Ref: role })}/sparkify-dwh-test-describeCluster`;
    const documents = rolePolicies(policies, role).map((policy) => policy.document);
    const decisionOn = (workgroupName: string) =>
      Promise.all(iamRequestsOf('RedshiftServerless.GetWorkgroup', { workgroupName }, context).map((request) => decide(principal, documents, request)));

    expect(await decisionOn(settings.workgroupName)).toEqual(['Allowed']);
    expect(await decisionOn('another-workgroup')).toEqual(['ImplicitlyDenied']);
  });

  it('reports what the Data API does on behalf of the caller: the credentials for the database user', async () => {
    const before = await callProblems(await analyse(cluster));
    const planted = copyOf(cluster);
    const credentials = statementAllowing(documentOf(planted, 'DataApiPolicy'), 'redshift:GetClusterCredentials');
    credentials.Resource = (credentials.Resource as unknown[]).slice(0, 1);

    const after = await callProblems(await analyse(planted));

    expect(difference(before, after).added.sort()).toEqual(
      ['analyze', 'createTables', 'explainLoadFailure', 'insertTables', 'loadStaging'].map(
        (caller) =>
          `${caller} (DataApiRole): redshift:GetClusterCredentials on arn:aws:redshift:us-west-2:123456789012:dbname:sparkify-dwh-test/dev (the Data API gets credentials for the statement): ImplicitlyDenied`,
      ),
    );
  });

  it('reports a Describe state run by another role than the one that submitted the statement', async () => {
    const before = await callProblems(await analyse(cluster));
    const planted = copyOf(cluster);
    planted.Resources.DescribeStatementRole = copyOf(cluster).Resources.DataApiRole;
    planted.Resources.DescribeStatementRole.Properties.RoleName = 'sparkify-dwh-test-describe-statement';
    planted.Resources.DescribeStatementLambdaFunction.Properties.Role = { 'Fn::GetAtt': ['DescribeStatementRole', 'Arn'] };
    (planted.Resources.DataApiPolicy.Properties.Roles as unknown[]).push({ Ref: 'DescribeStatementRole' });
    const roles = { ...serverlessFunctions(), describeStatement: { role: 'DescribeStatementRole' } };

    const after = await callProblems(await analyse(planted, roles));

    expect(difference(before, after)).toEqual({
      added: ['createTables', 'loadStaging', 'insertTables', 'analyze', 'explainLoadFailure'].map(
        (step) =>
          `describeStatement (DescribeStatementRole): redshift-data:DescribeStatement on a statement ${step} (DataApiRole) submitted: ` +
          'the Data API answers only the identity that submitted a statement',
      ),
      gone: [],
    });
  });

  it('reports a permission no call uses', async () => {
    const before = unusedProblems(await analyse(cluster));
    const planted = copyOf(cluster);
    statementAllowing(documentOf(planted, 'DescribeClusterRole'), 'redshift:DescribeClusters').Action = ['redshift:DescribeClusters', 'redshift:DeleteCluster'];

    const after = unusedProblems(await analyse(planted));

    expect(difference(before, after)).toEqual({
      added: ['DescribeClusterRole policy describe-cluster: DescribeClusterRole allows redshift:DeleteCluster, which no call of describeCluster uses'],
      gone: [],
    });
  });

  it('reports a Task the state machine role may not invoke, and a function it may invoke that no Task invokes', async () => {
    const planted = copyOf(cluster);
    const [invoke] = inlineStatements(planted, 'PipelineStateMachineRole');
    invoke.Resource = (invoke.Resource as Node[]).filter((arn) => (arn['Fn::GetAtt'] as string[])[0] !== 'OpenPortLambdaFunction');
    planted.Resources.ResizeClusterLambdaFunction = copyOf(planted).Resources.OpenPortLambdaFunction;
    planted.Resources.ResizeClusterLambdaFunction.Properties.FunctionName = 'sparkify-dwh-test-resizeCluster';
    (invoke.Resource as Node[]).push({ 'Fn::GetAtt': ['ResizeClusterLambdaFunction', 'Arn'] });

    expect(await roleProblems(await analyse(planted))).toEqual([
      'PipelineStateMachineRole cannot invoke arn:aws:lambda:us-west-2:123456789012:function:sparkify-dwh-test-openPort, which Task OpenPort of PipelineStateMachine invokes: ImplicitlyDenied',
      'PipelineStateMachineRole may invoke arn:aws:lambda:us-west-2:123456789012:function:sparkify-dwh-test-resizeCluster, which no Task of PipelineStateMachine invokes',
    ]);
  });

  it('reports a COPY role policy that reads beyond the source prefixes', async () => {
    // With a JSONPaths file among the sources (the default stage has none), so its key is checked too.
    const stage = settingsOf((await analyse(cluster)).functions[0]);
    const settings = { ...stage, sources: { ...stage.sources, logJsonPath: 's3://udacity-dend/log_json_path.json' } };
    const policy: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::udacity-dend/*' },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::udacity-dend' },
      ],
    };

    expect(await checkCopyRole(settings, policy)).toEqual(
      ['log_data', 'song_data', 'log_json_path.json'].flatMap((prefix) => [
        `COPY role: s3:GetObject on arn:aws:s3:::udacity-dend/not-a-source/${prefix} (a key outside s3://udacity-dend/${prefix}): Allowed, expected denied`,
        `COPY role: s3:ListBucket on arn:aws:s3:::udacity-dend with {"s3:prefix":"not-a-source/${prefix}"} (a listing outside s3://udacity-dend/${prefix}): Allowed, expected denied`,
      ]),
    );
  });
});
