// The AWS target's wiring: settings from the Lambda environment, the SDK clients, and the AWS adapters.
// The AWS counterpart of local/deps.ts: which adapters the steps get is decided here and there (settings.redshift
// still picks a cluster or a Serverless workgroup inside the adapters and the step cores).
import type { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients } from './awsClients';
import { createAwsCluster } from './awsCluster';
import { createDataApiWarehouse } from './dataApiWarehouse';
import { createS3ObjectStore } from './s3ObjectStore';
import type { StepDeps } from '../ports/stepDeps';
import { loadSettings } from '../contracts/settings';

/** The deps that live as long as the Lambda's execution environment (everything but the time left). */
export type ColdStartDeps = Omit<StepDeps, 'remainingMs'>;

/** Validates the settings (a SettingsError names each bad variable) and builds the AWS adapters. */
export function createAwsDeps(env: Record<string, string | undefined>, logger: Logger): ColdStartDeps {
  const settings = loadSettings(env);
  const clients = createAwsClients();
  return {
    settings,
    warehouse: createDataApiWarehouse(clients.redshiftData, settings),
    cluster: createAwsCluster(clients),
    objects: createS3ObjectStore(clients.s3),
    logger,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
