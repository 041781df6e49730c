// Every deployment variant's packaged template against the CloudFormation resource specification
// (@aws-cdk/aws-service-spec), and proof that the check catches what it is meant to catch.
import { checkCfnSpec } from './cfnSpec';
import type { Template } from './package';
import { copyOf } from './planted';
import { packagedTemplate, VARIANTS, variantNamed } from './variants';

describe.each(VARIANTS)('the $name template against the CloudFormation spec', (variant) => {
  let template: Template;

  beforeAll(async () => {
    template = await packagedTemplate(variant);
  }, 300_000);

  it('uses only resource types and properties the spec defines, with every required property', () => {
    expect(checkCfnSpec(template)).toEqual([]);
  });
});

describe('the CloudFormation spec check', () => {
  let template: Template;

  beforeAll(async () => {
    template = await packagedTemplate(variantNamed('cluster'));
  }, 300_000);

  it('finds nothing in the cluster template (the planted defects below are the only problems)', () => {
    expect(checkCfnSpec(template)).toEqual([]);
  });

  it('reports a property the resource type does not have', () => {
    const planted = copyOf(template);
    planted.Resources.DescribeClusterLambdaFunction.Properties.Timout = 30;

    expect(checkCfnSpec(planted)).toEqual([
      'Resources.DescribeClusterLambdaFunction.Properties.Timout: AWS::Lambda::Function has no property Timout',
    ]);
  });

  it('reports a wrong property inside a nested property type', () => {
    const planted = copyOf(template);
    const logging = planted.Resources.PipelineStateMachine.Properties.LoggingConfiguration as Record<string, unknown>;
    logging.Levle = logging.Level;
    delete logging.Level;

    expect(checkCfnSpec(planted)).toEqual([
      'Resources.PipelineStateMachine.Properties.LoggingConfiguration.Levle: LoggingConfiguration has no property Levle',
    ]);
  });

  it('reports a wrong property inside a list of property types', () => {
    const planted = copyOf(template);
    const [policy] = planted.Resources.DescribeClusterRole.Properties.Policies as Array<Record<string, unknown>>;
    policy.PolicyNam = policy.PolicyName;
    delete policy.PolicyName;

    expect(checkCfnSpec(planted)).toEqual([
      'Resources.DescribeClusterRole.Properties.Policies[0].PolicyNam: Policy has no property PolicyNam',
      'Resources.DescribeClusterRole.Properties.Policies[0].PolicyName: required by Policy, missing',
    ]);
  });

  it('reports a missing required property', () => {
    const planted = copyOf(template);
    delete planted.Resources.OpenPortRole.Properties.AssumeRolePolicyDocument;

    expect(checkCfnSpec(planted)).toEqual([
      'Resources.OpenPortRole.Properties.AssumeRolePolicyDocument: required by AWS::IAM::Role, missing',
    ]);
  });

  it('reports an unknown resource type', () => {
    const planted = copyOf(template);
    planted.Resources.PipelineStateMachineLogGroup.Type = 'AWS::Logs::LogGroups';

    expect(checkCfnSpec(planted)).toEqual(['Resources.PipelineStateMachineLogGroup.Type: unknown resource type AWS::Logs::LogGroups']);
  });

  it('checks both branches of an Fn::If, and the names Ref and Fn::GetAtt use', () => {
    const planted = copyOf(template);
    planted.Resources.AnalyzeLambdaFunction.Properties.MemorySize = { 'Fn::If': ['OnServerless', { Ref: 'AWS::NoValue' }, [256]] };
    planted.Resources.AnalyzeLambdaFunction.Properties.Role = { 'Fn::GetAtt': ['DataApiRole', 'Id'] };
    planted.Resources.AnalyzeLambdaFunction.Properties.Description = { Ref: 'AnalyseRole' };

    expect(checkCfnSpec(planted)).toEqual([
      'Resources.AnalyzeLambdaFunction.Properties.MemorySize.Fn::If[2]: expected an integer, got a list',
      'Resources.AnalyzeLambdaFunction.Properties.Description: Ref to AnalyseRole, which is no resource or pseudo parameter',
      'Resources.AnalyzeLambdaFunction.Properties.Role: Fn::GetAtt DataApiRole.Id: AWS::IAM::Role has no attribute Id',
    ]);
  });
});
