// What every step receives besides its event: the settings and the ports. The Lambda wiring
// (lambdaHandler.ts) builds the AWS adapters; the local runner hands local ones.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ClusterPort } from './cluster';
import type { Settings } from '../contracts/settings';
import type { ObjectStore } from './objectStore';
import type { Warehouse } from './warehouse';

export interface StepDeps {
  /** From the environment, validated. */
  settings: Settings;
  /** Data API adapter on AWS, PGlite locally. */
  warehouse: Warehouse;
  /** AWS SDK adapter on AWS, a local simulation locally. */
  cluster: ClusterPort;
  /** S3 locally mirrored: the day files and the COPY manifests. */
  objects: ObjectStore;
  logger: Logger;
  sleep(ms: number): Promise<void>;
  /** Time left before the Lambda times out (locally: a large number). */
  remainingMs(): number;
}
