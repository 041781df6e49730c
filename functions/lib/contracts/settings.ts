// The pipeline's settings: one schema, read from environment variables (set from stage params in
// serverless.yml, or by the local runner) and validated once. An invalid value is refused with a
// SettingsError that names the variable.
import { z } from 'zod';
import { SettingsError } from './errors';
import { isS3Uri } from './s3Uri';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_\/-]{1,64}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9\/_+=.@!-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;
const DB_NAME = /^[a-z_][a-z0-9_]{0,63}$/;
/** Namespace and workgroup names: 3-64 lower-case letters, digits and hyphens (API reference: CreateNamespace, CreateWorkgroup). */
const SERVERLESS_NAME = /^[a-z0-9-]{3,64}$/;
const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;
/** The CIDR that opens a port to the whole internet: refused unless DWH_ALLOW_PUBLIC_INGRESS is true. */
export const PUBLIC_CIDR = '0.0.0.0/0';
/** The namespace and the workgroup when none is configured (serverless.yml derives them from the stage). */
export const DEFAULT_SERVERLESS_NAME = 'sparkify-dwh';
/** The ports a cluster of RA3 or RG nodes and a Serverless workgroup accept (API reference: CreateCluster's and
 * CreateWorkgroup's Port); dc2 clusters accept 1150-65535. */
const RA3_AND_SERVERLESS_PORTS = [
  [5431, 5455],
  [8191, 8215],
] as const;

/** A day's log file, as a key in the log bucket: the bucket's layout (docs of the Udacity data). */
export const DEFAULT_LOG_FILE_TEMPLATE = 'log_data/{yyyy}/{mm}/{yyyy}-{mm}-{dd}-events.json';
const LOG_FILE_TEMPLATE = /^(?=.*\{yyyy\})(?=.*\{mm\})(?=.*\{dd\})[A-Za-z0-9!_.*'()\/{}-]+$/;
/** The most days one run may load: sql/load_staging.sql takes 5 statements and 2 a day, and a batch at most 40
 * (Data API quotas: "BatchExecuteStatement ... 40 SQL statements"). */
export const MAX_DAYS_LIMIT = 17;

const s3Uri = z.string().refine(isS3Uri, 'must be an S3 URI like s3://bucket/prefix');
/** Whether `value` is a calendar day `YYYY-MM-DD` from the year 1 to 9999 (the start times sql/insert_tables.sql accepts). */
function isDay(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && value >= '0001-01-01' && !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}
const day = z.string().trim().refine(isDay, { message: 'must be a day like 2018-11-01 (YYYY-MM-DD, from the year 1 to 9999)' });
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');
const optional = (schema: z.ZodString) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
    .pipe(schema.optional());

const envSchema = z
  .object({
    DWH_REDSHIFT: z.enum(['cluster', 'serverless']).default('cluster'),
    DWH_CLUSTER_IDENTIFIER: z
      .string()
      .regex(IDENTIFIER, 'must be 1-63 lower-case letters, digits and single hyphens, starting with a letter')
      .default('sparkify-dwh'),
    DWH_NAMESPACE_NAME: optional(z.string().regex(SERVERLESS_NAME, 'must be 3-64 lower-case letters, digits and hyphens')),
    DWH_WORKGROUP_NAME: optional(z.string().regex(SERVERLESS_NAME, 'must be 3-64 lower-case letters, digits and hyphens')),
    // RPUs: 8 to 512 in steps of 8, or 4 where AWS offers it ("Compute capacity for Amazon Redshift Serverless";
    // the 4 RPU minimum: AWS Big Data Blog, "Amazon Redshift Serverless at 4 RPUs"). 8 is offered in every region.
    DWH_BASE_CAPACITY: z.coerce
      .number()
      .int()
      .refine((rpus) => rpus === 4 || (rpus >= 8 && rpus <= 512 && rpus % 8 === 0), 'must be 4, or 8 to 512 in steps of 8 (RPUs)')
      .default(8),
    DWH_NODE_TYPE: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'must be a node type like ra3.large').default('ra3.large'),
    DWH_NODE_COUNT: z.coerce.number().int().min(1).max(128).default(1),
    DWH_DB_NAME: z.string().regex(DB_NAME, 'must be a lower-case database name').default('dev'),
    DWH_DB_USER: z.string().regex(DB_NAME, 'must be a lower-case user name').default('awsuser'),
    DWH_DB_PORT: z.coerce.number().int().min(1150).max(65535).default(5439),
    DWH_SOURCE_REGION: z.string().regex(REGION, 'must be an AWS region like us-west-2').default('us-west-2'),
    DWH_ROLE_ARN: z.string({ error: 'is required' }).regex(ROLE_ARN, 'must be an IAM role ARN like arn:aws:iam::123456789012:role/name'),
    DWH_SECRET_ARN: optional(z.string().regex(SECRET_ARN, 'must be a Secrets Manager secret ARN')),
    DWH_LOG_DATA: s3Uri.default('s3://udacity-dend/log_data'),
    DWH_SONG_DATA: s3Uri.default('s3://udacity-dend/song_data'),
    // Empty: COPY maps the event keys to columns by name, ignoring case ('auto ignorecase').
    DWH_LOG_JSONPATH: optional(s3Uri),
    DWH_INGRESS_CIDRS: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((cidr) => cidr.trim()).filter(Boolean))
      .superRefine((cidrs, ctx) => {
        for (const cidr of cidrs.filter((c) => !IPV4_CIDR.test(c))) {
          ctx.addIssue({ code: 'custom', message: `${cidr} is not an IPv4 CIDR; give a comma-separated list like 203.0.113.7/32` });
        }
      }),
    DWH_ALLOW_PUBLIC_INGRESS: flag.default(false),
    DWH_PUBLICLY_ACCESSIBLE: flag.default(false),
    // Pause the cluster when a run ends, after a success or a failure (the next run resumes it).
    DWH_PAUSE_AFTER_RUN: flag.default(false),
    // The days every play's start time must fall in (both included); a quality check fails the run otherwise.
    // Wide enough for any real log, narrow enough that ts in seconds (1970) or microseconds (the year 50,000) fails.
    DWH_START_TIME_MIN: day.default('2000-01-01'),
    DWH_START_TIME_MAX: day.default('2099-12-31'),
    DWH_LOG_FILE_TEMPLATE: z
      .string()
      .regex(LOG_FILE_TEMPLATE, 'must be an S3 key holding {yyyy}, {mm} and {dd}, like log_data/{yyyy}/{mm}/{yyyy}-{mm}-{dd}-events.json')
      .default(DEFAULT_LOG_FILE_TEMPLATE),
    DWH_MAX_DAYS: z.coerce.number().int().min(1).max(MAX_DAYS_LIMIT).default(15),
    DWH_MANIFEST_LOCATION: optional(s3Uri),
  })
  .superRefine((env, ctx) => {
    const nodeFamily = env.DWH_NODE_TYPE.split('.')[0];
    const restricted =
      env.DWH_REDSHIFT === 'serverless' ? 'a Serverless workgroup' : ['ra3', 'rg'].includes(nodeFamily) ? `a cluster of ${nodeFamily} nodes` : undefined;
    if (restricted && !RA3_AND_SERVERLESS_PORTS.some(([from, to]) => env.DWH_DB_PORT >= from && env.DWH_DB_PORT <= to)) {
      ctx.addIssue({
        code: 'custom',
        path: ['DWH_DB_PORT'],
        message: `${env.DWH_DB_PORT} is not a port ${restricted} accepts: use 5431-5455 or 8191-8215`,
      });
    }
    if (env.DWH_INGRESS_CIDRS.includes(PUBLIC_CIDR) && !env.DWH_ALLOW_PUBLIC_INGRESS) {
      ctx.addIssue({
        code: 'custom',
        path: ['DWH_INGRESS_CIDRS'],
        message: `holds ${PUBLIC_CIDR}, which opens the port to the whole internet; set DWH_ALLOW_PUBLIC_INGRESS=true to allow it`,
      });
    }
    const window = [env.DWH_START_TIME_MIN, env.DWH_START_TIME_MAX];
    if (window.every(isDay) && env.DWH_START_TIME_MIN > env.DWH_START_TIME_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['DWH_START_TIME_MAX'],
        message: `${env.DWH_START_TIME_MAX} is before DWH_START_TIME_MIN (${env.DWH_START_TIME_MIN})`,
      });
    }
  });

/** Where the source data is. */
export interface Sources {
  logData: string;
  songData: string;
  /** The JSONPaths file for the event logs; absent: COPY with 'auto ignorecase'. */
  logJsonPath?: string;
}

export interface Settings {
  redshift: 'cluster' | 'serverless';
  clusterIdentifier: string;
  /** The Redshift Serverless namespace and workgroup (on Redshift Serverless). */
  namespaceName: string;
  workgroupName: string;
  /** The workgroup's base capacity in RPUs. */
  baseCapacity: number;
  nodeType: string;
  nodeCount: number;
  dbName: string;
  dbUser: string;
  port: number;
  /** The source bucket's region, for COPY's REGION. */
  sourceRegion: string;
  /** The role Redshift assumes to read the sources (created by createCluster). */
  roleArn: string;
  /** Credentials for the Data API from a secret; absent: temporary credentials for dbUser (or IAM on Serverless). */
  secretArn?: string;
  sources: Sources;
  ingressCidrs: string[];
  allowPublicIngress: boolean;
  publiclyAccessible: boolean;
  /** Pause the cluster when a run ends (PauseCluster); nothing to pause on Redshift Serverless. */
  pauseAfterRun: boolean;
  /** The days (`YYYY-MM-DD`, both included) every songplay's start time must fall in. */
  startTimeWindow: { min: string; max: string };
  /** A day's log file: a key in the log bucket with {yyyy}, {mm} and {dd}. */
  logFileTemplate: string;
  /** The most days one execution may load. */
  maxDays: number;
  /** Where the pipeline writes its COPY manifests (`s3://bucket/prefix`); absent: day loads are refused. */
  manifestLocation?: string;
  /** What this execution loads: everything (absent), or days. */
  run?: DayRun;
}

/** A run of days: the days replaced, the manifest of each day that has a file, and whether songs are reloaded. */
export interface DayRun {
  days: { from: string; to: string };
  manifests: DayManifest[];
  reloadSongs: boolean;
}

/** One day's log file, read through its manifest. */
export interface DayManifest {
  day: string;
  manifest: string;
}

/** Formats zod issues as `NAME: reason; NAME: reason`. */
export function describeIssues(issues: z.core.$ZodIssue[], prefix = ''): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? `${prefix}${issue.path.join('.')}` : prefix.replace(/\.$/, '') || '(root)';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Reads and validates the settings from environment variables; throws SettingsError naming each bad one. */
export function loadSettings(env: Record<string, string | undefined>): Settings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new SettingsError(`Invalid settings: ${describeIssues(parsed.error.issues)}`);
  const e = parsed.data;
  return {
    redshift: e.DWH_REDSHIFT,
    clusterIdentifier: e.DWH_CLUSTER_IDENTIFIER,
    namespaceName: e.DWH_NAMESPACE_NAME ?? DEFAULT_SERVERLESS_NAME,
    workgroupName: e.DWH_WORKGROUP_NAME ?? DEFAULT_SERVERLESS_NAME,
    baseCapacity: e.DWH_BASE_CAPACITY,
    nodeType: e.DWH_NODE_TYPE,
    nodeCount: e.DWH_NODE_COUNT,
    dbName: e.DWH_DB_NAME,
    dbUser: e.DWH_DB_USER,
    port: e.DWH_DB_PORT,
    sourceRegion: e.DWH_SOURCE_REGION,
    roleArn: e.DWH_ROLE_ARN,
    secretArn: e.DWH_SECRET_ARN,
    sources: { logData: e.DWH_LOG_DATA, songData: e.DWH_SONG_DATA, logJsonPath: e.DWH_LOG_JSONPATH },
    ingressCidrs: e.DWH_INGRESS_CIDRS,
    allowPublicIngress: e.DWH_ALLOW_PUBLIC_INGRESS,
    publiclyAccessible: e.DWH_PUBLICLY_ACCESSIBLE,
    pauseAfterRun: e.DWH_PAUSE_AFTER_RUN,
    startTimeWindow: { min: e.DWH_START_TIME_MIN, max: e.DWH_START_TIME_MAX },
    logFileTemplate: e.DWH_LOG_FILE_TEMPLATE,
    maxDays: e.DWH_MAX_DAYS,
    manifestLocation: e.DWH_MANIFEST_LOCATION,
  };
}

/** What an execution's input may override: the source prefixes, narrowed to a part of the configured ones
 * (the Redshift role may read only those). */
const overridesSchema = z
  .object({
    sources: z
      .object({
        logData: s3Uri.optional(),
        songData: s3Uri.optional(),
      })
      .strict()
      .optional(),
    /** The days to replace, both included; absent: a full rebuild. (The daily schedule's `"previous"` is
     * resolved by createCluster before this schema sees it.) */
    days: z
      .object({ from: day, to: day, allowMissing: z.boolean().optional() })
      .strict()
      .refine((days) => days.from <= days.to, { message: 'from is after to', path: ['from'] })
      .optional(),
    /** In a day run: reload the songs from song_data (true), or reuse the songs already loaded (default). */
    reloadSongs: z.boolean().optional(),
    /** Written by writeManifests (ResultPath $.overrides.manifests), never by a person. */
    manifests: z.array(z.object({ day, manifest: s3Uri }).strict()).optional(),
  })
  .strict();

export type Overrides = z.infer<typeof overridesSchema>;

/** Validates an execution's input overrides against the settings; throws SettingsError naming the bad field. */
export function parseOverrides(input: unknown, settings: Settings): Overrides {
  const parsed = overridesSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new SettingsError(`Invalid execution input: ${describeIssues(parsed.error.issues, '$.')}`);
  }
  for (const key of ['logData', 'songData'] as const) {
    const value = parsed.data.sources?.[key];
    const configured = settings.sources[key];
    if (value !== undefined && !value.startsWith(configured)) {
      throw new SettingsError(
        `Invalid execution input: $.sources.${key}: ${value} is not within the configured ${configured}; ` +
          'the Redshift role may read only the configured prefixes',
      );
    }
  }
  const { days, manifests } = parsed.data;
  if (days) {
    const count = dayCount(days.from, days.to);
    if (count > settings.maxDays) {
      throw new SettingsError(
        `Invalid execution input: $.days: ${days.from}..${days.to} is ${count} days, over the limit of ${settings.maxDays} ` +
          '(param maxDays, DWH_MAX_DAYS): load a longer range in several runs',
      );
    }
    if (!settings.manifestLocation) {
      throw new SettingsError('Invalid execution input: $.days: no manifest location is configured (DWH_MANIFEST_LOCATION)');
    }
  }
  for (const { manifest } of manifests ?? []) {
    if (!settings.manifestLocation || !manifest.startsWith(`${settings.manifestLocation}/`)) {
      throw new SettingsError(`Invalid execution input: $.manifests: ${manifest} is not within the manifest location ${settings.manifestLocation}`);
    }
  }
  return parsed.data;
}

/** How many days from `from` to `to`, both included. */
export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The days from `from` to `to`, both included, as YYYY-MM-DD. */
export function daysOf(from: string, to: string): string[] {
  return Array.from({ length: dayCount(from, to) }, (_, k) => new Date(Date.parse(`${from}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10));
}

/** The settings with an execution's (validated) overrides applied. */
export function applyOverrides(settings: Settings, overrides: Overrides | undefined): Settings {
  const days = overrides?.days;
  const run: DayRun | undefined =
    days
      ? { days: { from: days.from, to: days.to }, manifests: overrides?.manifests ?? [], reloadSongs: overrides?.reloadSongs ?? false }
      : undefined;
  return { ...settings, sources: { ...settings.sources, ...overrides?.sources }, run };
}

/** The role's name, from its ARN (the part after the last slash). */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}
