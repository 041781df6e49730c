// The deployed stack's state machines, from its CloudFormation Outputs (serverless.yml: PipelineStateMachineArn,
// TeardownStateMachineArn).
import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { AwsCommandError } from './awsErrors';

export interface StateMachines {
  pipeline: string;
  teardown: string;
}

/** The stack serverless.yml deploys for a stage. */
export const stackName = (stage: string) => `sparkify-dwh-${stage}`;

const OUTPUTS: Record<keyof StateMachines, string> = { pipeline: 'PipelineStateMachineArn', teardown: 'TeardownStateMachineArn' };

/** Reads the state machines' ARNs from the stack's outputs (DescribeStacks); a missing output is an error naming it. */
export async function findStateMachines(cloudFormation: CloudFormationClient, stage: string): Promise<StateMachines> {
  const name = stackName(stage);
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
  const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  const arnOf = (machine: keyof StateMachines) => {
    const arn = outputs.get(OUTPUTS[machine]);
    if (!arn) throw new AwsCommandError(`Stack ${name} has no output ${OUTPUTS[machine]}: deploy this version of the pipeline (\`npx sls deploy --stage ${stage}\`)`);
    return arn;
  };
  return { pipeline: arnOf('pipeline'), teardown: arnOf('teardown') };
}
