// The local target's wiring: the same step functions as on AWS, handed local adapters instead of AWS ones.
// The local counterpart of functions/lib/aws/awsDeps.ts: which adapters the steps get is decided here and there
// (settings.redshift still picks a cluster or a Serverless workgroup inside the adapters and the step cores).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { StepDeps } from '../functions/lib/ports/stepDeps';
import type { Warehouse } from '../functions/lib/ports/warehouse';
import { loadSettings, type Settings } from '../functions/lib/contracts/settings';
import { LocalCluster } from './localCluster';
import { localObjectStore } from './localObjects';

/** The bucket name the local runner gives the data folder: `s3://sparkify-local/...` reads `--data DIR`. */
export const LOCAL_BUCKET = 'sparkify-local';
/** The bucket of the pipeline's COPY manifests, mirrored in the warehouse folder's manifests/ (a temporary
 * folder for a warehouse in memory). */
export const LOCAL_MANIFEST_BUCKET = 'sparkify-local-manifests';
const LOCAL_ROLE_ARN = 'arn:aws:iam::000000000000:role/sparkify-dwh-s3-read';
/** Local steps are not bounded by a Lambda timeout; a standalone wait would stop after this long. */
const LOCAL_TIME_BUDGET_MS = 60 * 60 * 1000;

/** Settings for a local run over a data folder, on a provisioned cluster or a Serverless workgroup (both played
 * by LocalCluster, the warehouse by PGlite): its log_json_path.json is used when present. Of the environment,
 * only the start-time window (DWH_START_TIME_MIN, DWH_START_TIME_MAX) and DWH_PAUSE_AFTER_RUN are read, as on AWS. */
export function localSettings(
  dataDir: string | undefined,
  redshift: Settings['redshift'] = 'cluster',
  env: Record<string, string | undefined> = process.env,
): Settings {
  const jsonPaths = dataDir !== undefined && existsSync(path.join(dataDir, 'log_json_path.json'));
  return loadSettings({
    DWH_REDSHIFT: redshift,
    DWH_ROLE_ARN: LOCAL_ROLE_ARN,
    DWH_LOG_DATA: `s3://${LOCAL_BUCKET}/log_data`,
    DWH_SONG_DATA: `s3://${LOCAL_BUCKET}/song_data`,
    DWH_LOG_JSONPATH: jsonPaths ? `s3://${LOCAL_BUCKET}/log_json_path.json` : '',
    DWH_START_TIME_MIN: env.DWH_START_TIME_MIN,
    DWH_START_TIME_MAX: env.DWH_START_TIME_MAX,
    DWH_PAUSE_AFTER_RUN: env.DWH_PAUSE_AFTER_RUN,
    DWH_MANIFEST_LOCATION: `s3://${LOCAL_MANIFEST_BUCKET}/manifests`,
  });
}

/** The deps a step gets locally. The steps' logs are silent unless POWERTOOLS_LOG_LEVEL asks for them (to stdout). */
export function localDeps(settings: Settings, warehouse: Warehouse, cluster = new LocalCluster(), objects = localObjectStore({})): StepDeps {
  const started = Date.now();
  return {
    settings,
    warehouse,
    cluster,
    objects,
    logger: new Logger({ serviceName: 'sparkify-dwh', ...(process.env.POWERTOOLS_LOG_LEVEL ? {} : { logLevel: 'SILENT' }) }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    remainingMs: () => LOCAL_TIME_BUDGET_MS - (Date.now() - started),
  };
}
