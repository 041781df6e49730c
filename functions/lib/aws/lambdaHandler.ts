// Wraps a plain step `(event, deps)` as a Lambda handler: middy with Powertools' injectLambdaContext, the AWS
// deps built once per execution environment, and the time left taken from the Lambda context.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ColdStartDeps } from './awsDeps';
import type { StepDeps } from '../ports/stepDeps';

export type Step<TEvent, TResult> = (event: TEvent, deps: StepDeps) => Promise<TResult>;

/** The Lambda handler of a step. The settings are validated on the environment's first invocation, so an
 * invalid one fails that invocation with a SettingsError naming the variable (which the state machine sees). */
export function lambdaHandler<TEvent, TResult>(step: Step<TEvent, TResult>) {
  const logger = new Logger({ serviceName: 'sparkify-dwh' });
  let coldStartDeps: ColdStartDeps | undefined;
  const handler = async (event: TEvent, context: Context): Promise<TResult> => {
    // Loaded on the first invocation, so that the local runner, which binds the same step files, never loads the
    // AWS SDK clients (esbuild still bundles the module for Lambda).
    coldStartDeps ??= (require('./awsDeps') as typeof import('./awsDeps')).createAwsDeps(process.env, logger);
    return step(event, { ...coldStartDeps, remainingMs: () => context.getRemainingTimeInMillis() });
  };
  return middy(handler).use(injectLambdaContext(logger));
}
