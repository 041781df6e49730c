// AWS errors as what they mean for someone running `dwh aws`: no credentials, no region, no such stack, no such
// execution, access denied (naming the action the caller may not perform).

/** An error `dwh aws` explains; its message says what to do. */
export class AwsCommandError extends Error {
  override name = 'AwsCommandError';
}

/** The action of an AccessDenied message ("... is not authorized to perform: states:StartExecution on resource ..."). */
function deniedAction(message: string): string | undefined {
  return /not authorized to perform:? ([\w-]+:\w+)/.exec(message)?.[1];
}

/** `error` said in words, for `stackName` in `region` (as the SDK resolved it). */
export function explainAwsError(error: unknown, context: { stackName: string; region?: string }): Error {
  if (!(error instanceof Error)) return new AwsCommandError(String(error));
  const where = context.region ? ` in ${context.region}` : '';
  switch (error.name) {
    case 'CredentialsProviderError':
      return new AwsCommandError(
        'No AWS credentials found: configure a profile (`aws configure`, then AWS_PROFILE=<name>) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      );
    case 'ExpiredToken':
    case 'ExpiredTokenException':
    case 'InvalidClientTokenId':
    case 'UnrecognizedClientException':
      return new AwsCommandError(`Your AWS credentials are not valid (${error.name}): refresh them (for example \`aws sso login\`) and try again`);
    case 'AccessDenied':
    case 'AccessDeniedException': {
      const action = deniedAction(error.message);
      return new AwsCommandError(`Access denied${action ? ` to ${action}` : ''}: ${error.message}`);
    }
    case 'ExecutionDoesNotExist':
      return new AwsCommandError(`No such execution: ${error.message}`);
  }
  if (error.name === 'ValidationError' && /does not exist/.test(error.message)) {
    return new AwsCommandError(`No stack ${context.stackName}${where}: deploy it first (\`npx sls deploy --stage <stage>\`), or give the stage and region it was deployed to`);
  }
  if (/Region is missing/i.test(error.message)) {
    return new AwsCommandError('No AWS region: set AWS_REGION (the pipeline deploys to us-west-2 by default) or a region in your profile');
  }
  return error;
}
