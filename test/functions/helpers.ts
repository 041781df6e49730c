// Shared test fixtures for the handlers: settings, deps with mocked ports or real adapters over mocked SDK
// clients, and a Lambda context.
import { Logger } from '@aws-lambda-powertools/logger';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import type { ObjectStore } from '../../functions/lib/ports/objectStore';
import type { Context } from 'aws-lambda';
import { createAwsCluster } from '../../functions/lib/aws/awsCluster';
import type { ClusterPort } from '../../functions/lib/ports/cluster';
import { createDataApiWarehouse } from '../../functions/lib/aws/dataApiWarehouse';
import type { StepDeps } from '../../functions/lib/ports/stepDeps';
import { loadSettings, type Settings } from '../../functions/lib/contracts/settings';
import type { Warehouse } from '../../functions/lib/ports/warehouse';

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/sparkify-dwh-s3-read';
export const SECRET_ARN = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:redshift!sparkify-dwh-awsuser-AbCdEf';

/** The environment of a deployed provisioned-cluster pipeline with default settings. */
export const CLUSTER_ENV = { DWH_ROLE_ARN: ROLE_ARN };
export const SERVERLESS_ENV = {
  DWH_ROLE_ARN: ROLE_ARN,
  DWH_REDSHIFT: 'serverless',
  DWH_NAMESPACE_NAME: 'sparkify-ns',
  DWH_WORKGROUP_NAME: 'sparkify-wg',
};

/** Settings from explicit environment values (DWH_ROLE_ARN set unless given). */
export function testSettings(env: Record<string, string> = {}): Settings {
  return loadSettings({ ...CLUSTER_ENV, ...env });
}

/** A logger that writes nothing. */
export function silentLogger(): Logger {
  return new Logger({ serviceName: 'sparkify-dwh-test', logLevel: 'SILENT' });
}

/** A Warehouse whose every method is a jest mock. */
export function mockWarehouse(): jest.Mocked<Warehouse> {
  return { submit: jest.fn(), describe: jest.fn(), fetchRows: jest.fn() };
}

/** A Cluster port whose every method is a jest mock. */
export function mockClusterPort(): jest.Mocked<ClusterPort> {
  return {
    ensureRole: jest.fn(),
    ensureCluster: jest.fn(),
    describeCluster: jest.fn(),
    ensureNamespace: jest.fn(),
    ensureWorkgroup: jest.fn(),
    describeNamespace: jest.fn(),
    describeWorkgroup: jest.fn(),
    authorizeIngress: jest.fn(),
    pauseCluster: jest.fn(),
    revokeIngress: jest.fn(),
    deleteCluster: jest.fn(),
    deleteWorkgroup: jest.fn(),
    deleteNamespace: jest.fn(),
    deleteRole: jest.fn(),
  };
}

/** An ObjectStore port whose every method is a jest mock. */
export function mockObjectStore(): jest.Mocked<ObjectStore> {
  return { size: jest.fn(), put: jest.fn() };
}

/** Deps for a step: mocked ports, an instant sleep and plenty of time, unless overridden. */
export function testDeps(overrides: Partial<StepDeps> = {}): StepDeps {
  return {
    settings: testSettings(),
    warehouse: mockWarehouse(),
    cluster: mockClusterPort(),
    objects: mockObjectStore(),
    logger: silentLogger(),
    sleep: jest.fn(async () => undefined),
    remainingMs: () => 15 * 60 * 1000,
    ...overrides,
  };
}

/** Deps with the real AWS adapters over SDK clients (mock them with aws-sdk-client-mock). */
export function awsDeps(settings: Settings, overrides: Partial<StepDeps> = {}): StepDeps {
  const clients = {
    redshift: new RedshiftClient({}),
    redshiftData: new RedshiftDataClient({}),
    redshiftServerless: new RedshiftServerlessClient({}),
    iam: new IAMClient({}),
    ec2: new EC2Client({}),
  };
  return testDeps({
    settings,
    warehouse: createDataApiWarehouse(clients.redshiftData, settings),
    cluster: createAwsCluster(clients),
    ...overrides,
  });
}

/** A Lambda context with `remainingMs` left. */
export function lambdaContext(remainingMs = 60_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'sparkify-dwh-dev-step',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-west-2:123456789012:function:sparkify-dwh-dev-step',
    memoryLimitInMB: '256',
    awsRequestId: 'request-1',
    logGroupName: '/aws/lambda/sparkify-dwh-dev-step',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Sets (or, for undefined, removes) environment variables for a test; returns a function restoring them. */
export function setEnv(values: Record<string, string | undefined>): () => void {
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  apply(values);
  return () => apply(previous);
}

/** Fakes only `Date` (so `new Date()` is `iso`); timers, ticks and promises stay real. */
export function freezeDate(iso: string): void {
  jest.useFakeTimers({
    now: new Date(iso),
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}
