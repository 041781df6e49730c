// Packages serverless.yml offline, as `sls package` does before a deploy, and checks the CloudFormation it
// generates and the Lambda zips: functions, state machine, schedule, logging, IAM and outputs.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { parse } from 'yaml';
import { DEFINITION_FILE } from '../../local/definition';
import { packageService, type PackagedService, type Template } from './package';
import { actionsOf, allStatements, roleStatements, type Statement } from './policies';
import { readZip } from './zip';

const ROOT = path.join(__dirname, '..', '..');

/** The string literal esbuild's text loader writes for `text` (it picks the quote needing the fewest escapes). */
function textLiteral(text: string): string {
  return transformSync(text, { loader: 'text', format: 'cjs' }).code.replace(/^module\.exports = /, '').replace(/;\n$/, '');
}

/** Each function: its logical id, its role, its timeout, and the actions its role allows on the default stage. */
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const DATA_API = [
  ...LOGS,
  'redshift-data:BatchExecuteStatement',
  'redshift:GetClusterCredentials',
  'redshift-data:DescribeStatement',
  'redshift-data:GetStatementResult',
];
const FUNCTIONS = [
  {
    key: 'createCluster',
    id: 'CreateClusterLambdaFunction',
    role: 'CreateClusterRole',
    timeout: 60,
    actions: [
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
  },
  { key: 'waitCluster', id: 'WaitClusterLambdaFunction', role: 'WaitClusterRole', timeout: 30, actions: [...LOGS, 'redshift:DescribeClusters'] },
  {
    key: 'openPort',
    id: 'OpenPortLambdaFunction',
    role: 'OpenPortRole',
    timeout: 30,
    actions: [...LOGS, 'redshift:DescribeClusters', 'ec2:AuthorizeSecurityGroupIngress'],
  },
  { key: 'createTables', id: 'CreateTablesLambdaFunction', role: 'CreateTablesRole', timeout: 900, actions: DATA_API },
  { key: 'loadStaging', id: 'LoadStagingLambdaFunction', role: 'LoadStagingRole', timeout: 900, actions: DATA_API },
  { key: 'insertTables', id: 'InsertTablesLambdaFunction', role: 'InsertTablesRole', timeout: 900, actions: DATA_API },
  { key: 'analyze', id: 'AnalyzeLambdaFunction', role: 'AnalyzeRole', timeout: 900, actions: DATA_API },
  { key: 'describeStatement', id: 'DescribeStatementLambdaFunction', role: 'DescribeStatementRole', timeout: 120, actions: DATA_API },
];

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
  'redshift-data:DescribeStatement',
  'redshift-data:GetStatementResult',
];

const sub = (value: string) => ({ 'Fn::Sub': value });
const clusterArn = (identifier: string) => sub(`arn:\${AWS::Partition}:redshift:\${AWS::Region}:\${AWS::AccountId}:cluster:${identifier}`);
const ROLE_ARN = sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sparkify-dwh-test-redshift-s3-read');

/** The statements of a role that allow `action`. */
function allowing(statements: Statement[], action: string): Statement[] {
  return statements.filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action));
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
      '--param=target=serverless',
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
    it.each(FUNCTIONS)('packages $key for nodejs22.x on arm64, with its handler and its own role', ({ key, id, role, timeout }) => {
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

    it('deploys exactly the eight functions', () => {
      const functions = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');

      expect(functions.map(([id]) => id).sort()).toEqual(FUNCTIONS.map(({ id }) => id).sort());
    });

    it.each(FUNCTIONS)('gives $key the settings of the stage params', ({ id }) => {
      expect(template.Resources[id].Properties.Environment).toEqual({
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          DWH_TARGET: 'cluster',
          DWH_CLUSTER_IDENTIFIER: 'sparkify-dwh-test',
          DWH_WORKGROUP_NAME: '',
          DWH_NODE_TYPE: 'ra3.large',
          DWH_NODE_COUNT: '1',
          DWH_DB_NAME: 'sparkify',
          DWH_DB_USER: 'awsuser',
          DWH_DB_PORT: '5439',
          DWH_SOURCE_REGION: 'us-west-2',
          DWH_ROLE_ARN: ROLE_ARN,
          DWH_SECRET_ARN: '',
          DWH_LOG_DATA: 's3://udacity-dend/log_data',
          DWH_SONG_DATA: 's3://udacity-dend/song_data',
          DWH_LOG_JSONPATH: 's3://udacity-dend/log_json_path.json',
          DWH_INGRESS_CIDRS: '',
          DWH_ALLOW_PUBLIC_INGRESS: 'false',
          DWH_PUBLICLY_ACCESSIBLE: 'false',
          DWH_START_TIME_MIN: '2000-01-01',
          DWH_START_TIME_MAX: '2099-12-31',
        },
      });
    });

    it('sets every DWH_ variable that functions/lib/settings.ts reads', () => {
      const read = new Set(readFileSync(path.join(ROOT, 'functions', 'lib', 'settings.ts'), 'utf8').match(/\bDWH_[A-Z_]+\b/g));

      const set = Object.keys((template.Resources.CreateClusterLambdaFunction.Properties.Environment as { Variables: object }).Variables);

      expect([...read].filter((name) => !set.includes(name))).toEqual([]);
    });

    it('takes a stage param given on the command line', () => {
      const { Variables } = customised.template.Resources.CreateTablesLambdaFunction.Properties.Environment as {
        Variables: Record<string, unknown>;
      };

      expect(Variables).toMatchObject({
        DWH_TARGET: 'serverless',
        DWH_WORKGROUP_NAME: 'sparkify',
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
      ['describeStatement', 'load_errors.sql'],
      ['describeStatement', 'load_errors_serverless.sql'],
    ])('bundles into the %s zip the text of sql/%s', (key, sqlFile) => {
      const text = readFileSync(path.join(ROOT, 'sql', sqlFile), 'utf8');

      const bundle = readZip(path.join(defaults.dir, `${key}.zip`)).get(`functions/${key}.js`)?.toString('utf8');

      expect(bundle).toContain(textLiteral(text));
    });
  });

  describe('the state machine', () => {
    it('runs the definition of statemachine/pipeline.asl.yml, each Task invoking its deployed function', () => {
      const [body, functions] = (template.Resources.PipelineStateMachine.Properties.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] })[
        'Fn::Sub'
      ];
      const deployed = JSON.parse(body) as { States: Record<string, Record<string, unknown>> };
      const keyOf = Object.fromEntries(FUNCTIONS.map(({ key, id }) => [id, key]));

      for (const state of Object.values(deployed.States)) {
        delete state.QueryLanguage; // added by the plugin's validation; JSONPath is the default
        if (state.Type !== 'Task') continue;
        const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource as string)?.[1] as string;
        const [logicalId, attribute] = (functions[placeholder] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
        state.Resource = { 'Fn::GetAtt': [keyOf[logicalId], attribute] };
      }

      expect(deployed).toEqual(parse(readFileSync(DEFINITION_FILE, 'utf8')));
    });

    it('references the ARN of each of the eight functions', () => {
      const [, functions] = (template.Resources.PipelineStateMachine.Properties.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] })[
        'Fn::Sub'
      ];

      expect(new Set(Object.values(functions))).toEqual(new Set(FUNCTIONS.map(({ id }) => ({ 'Fn::GetAtt': [id, 'Arn'] }))));
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

    it('may invoke the eight functions and nothing else', () => {
      const statements = roleStatements(template, 'PipelineStateMachineRole');

      const invoke = allowing(statements, 'lambda:InvokeFunction');

      expect(invoke).toHaveLength(1);
      expect(actionsOf(invoke[0])).toEqual(['lambda:InvokeFunction']);
      expect(invoke[0].Resource).toEqual(FUNCTIONS.map(({ id }) => ({ 'Fn::GetAtt': [id, 'Arn'] })));
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

    it('turns the schedule on, at the rate given, when the stage params say so', () => {
      expect(customised.template.Resources.PipelineStepFunctionsEventsRuleSchedule1.Properties).toMatchObject({
        ScheduleExpression: 'rate(12 hours)',
        State: 'ENABLED',
      });
    });

    it('outputs its ARN', () => {
      expect(template.Outputs.PipelineStateMachineArn).toEqual({
        Description: expect.stringMatching(/state machine/),
        Value: { Ref: 'PipelineStateMachine' },
      });
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

    it.each(FUNCTIONS)('lets $key write only to its own log group', ({ key, role }) => {
      const [logs] = allowing(roleStatements(template, role), 'logs:PutLogEvents');

      expect(logs.Resource).toEqual(
        sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/sparkify-dwh-test-${key}:*`),
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
      ['WaitClusterRole', 'redshift:DescribeClusters'],
      ['OpenPortRole', 'redshift:DescribeClusters'],
      ['LoadStagingRole', 'redshift-data:BatchExecuteStatement'],
    ])('lets %s call %s on the stage cluster only', (role, action) => {
      expect(allowing(roleStatements(template, role), action).map((statement) => statement.Resource)).toEqual([
        clusterArn('sparkify-dwh-test'),
      ]);
    });

    it('lets the SQL steps get credentials only for the configured user and database', () => {
      const [credentials] = allowing(roleStatements(template, 'InsertTablesRole'), 'redshift:GetClusterCredentials');

      expect(credentials.Resource).toEqual([
        sub('arn:${AWS::Partition}:redshift:${AWS::Region}:${AWS::AccountId}:dbuser:sparkify-dwh-test/awsuser'),
        sub('arn:${AWS::Partition}:redshift:${AWS::Region}:${AWS::AccountId}:dbname:sparkify-dwh-test/sparkify'),
      ]);
    });

    it('lets the SQL steps read only statements that their own roles submitted', () => {
      const [describe] = allowing(roleStatements(template, 'DescribeStatementRole'), 'redshift-data:DescribeStatement');

      expect(describe.Condition).toEqual({
        StringLike: {
          'redshift-data:statement-owner-iam-userid': ['CreateTables', 'LoadStaging', 'InsertTables', 'Analyze', 'DescribeStatement'].map(
            (name) => sub(`\${${name}Role.RoleId}:*`),
          ),
        },
      });
    });

    it('switches the SQL steps to the workgroup and the secret on a serverless stage with a secret', () => {
      const granted = roleStatements(customised.template, 'AnalyzeRole').filter((statement) => !actionsOf(statement)[0].startsWith('logs:'));

      expect(granted).toEqual([
        {
          Effect: 'Allow',
          Action: ['redshift-data:BatchExecuteStatement', 'redshift-serverless:GetCredentials'],
          Resource: sub('arn:${AWS::Partition}:redshift-serverless:${AWS::Region}:${AWS::AccountId}:workgroup/*'),
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

  describe('secrets', () => {
    it('puts no password anywhere in the template', () => {
      const serialised = JSON.stringify(template);

      expect(keysOf(template).filter((key) => /password/i.test(key))).toEqual([]);
      expect(serialised).not.toMatch(/MasterUserPassword/);
    });
  });
});
