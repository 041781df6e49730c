// The payloads that flow between the state machine (statemachine/pipeline.asl.yml, JSONPath mode) and the
// handlers, and their validation. The ASL's Parameters and ResultPaths, and the Choice states' variables, rely
// on these shapes. An event's type is inferred from the schema that validates it, so the two cannot drift;
// a bad event (from the state machine, or typed by a person invoking one step) is refused with an
// InvalidEventError naming the step and the field.
import { z } from 'zod';
import { CLUSTER_ACTIONS } from '../ports/cluster';
import { InvalidEventError, SettingsError } from './errors';
import { describeIssues, parseOverrides, type Overrides, type Settings } from './settings';
import { SQL_STEPS } from '../sql/sql';
import { STATEMENT_STATUSES, type Row } from '../ports/warehouse';

const attempt = z.number().int().min(0);

/** The step that looks a failed load's errors up (functions/explainLoadFailure.ts). */
export const EXPLAIN_LOAD_FAILURE = 'explainLoadFailure';

/** What the cluster steps return (ResultPath `$.cluster`); the IsClusterAvailable Choice reads it. */
const clusterResultSchema = z.object({
  /** The cluster's identifier, or on Redshift Serverless the workgroup's name. */
  identifier: z.string(),
  /** ClusterStatus, lower-case (`creating`, `available`, ...); on Redshift Serverless, the namespace's or the
   * workgroup's status, lower-case, whichever is less ready (clusterSteps.ts, serverlessStatus). */
  status: z.string(),
  /** ClusterAvailabilityStatus (`Available`, `Modifying`, ...); derived from `status` on Redshift Serverless. */
  availability: z.string(),
  /** How many times describeCluster has described the cluster (or the workgroup): the poll loop's bound. */
  attempt,
  /** A sentence for people and for a Fail state's Cause. */
  message: z.string(),
  action: z.enum(CLUSTER_ACTIONS).optional(),
  roleArn: z.string(),
});
export type ClusterResult = z.infer<typeof clusterResultSchema>;

/** DescribeCluster's event: `{"cluster.$": "$.cluster"}`. Empty when invoked alone. */
const clusterEventSchema = z.looseObject({ cluster: clusterResultSchema.partial().loose().optional() });
export type ClusterEvent = z.infer<typeof clusterEventSchema>;

/** A submitted statement (ResultPath `$.statement`); DescribeStatement updates it, the Is…Finished Choice reads it. */
const statementSchema = z.object({
  /** The SQL step that submitted it, or explainLoadFailure for the load-error lookup. */
  step: z.enum([...SQL_STEPS, EXPLAIN_LOAD_FAILURE]),
  id: z.string().min(1),
  status: z.enum(STATEMENT_STATUSES),
  /** ISO 8601 creation time: load errors are looked up from then on. */
  createdAt: z.iso.datetime(),
  /** How many times the statement has been described: the poll loop's bound. */
  attempt,
  /** A sentence for people and for a Fail state's Cause: on failure, the database's error text and, for a
   * failed COPY, the first load errors (file, line, column, reason). */
  message: z.string(),
});
export type StatementResult = z.infer<typeof statementSchema>;

/** A SQL step's event: `{"overrides.$": "$.overrides", "wait": false}` from the state machine.
 * Invoked alone (empty event), the step waits for its statement within the Lambda's time. */
const sqlStepEventSchema = z.looseObject({
  // Validated against the settings by parseOverrides.
  overrides: z.unknown().optional(),
  wait: z.boolean().optional(),
});
export type SqlStepEvent = z.infer<typeof sqlStepEventSchema>;

/** WriteManifests' event: `{"overrides.$": "$.overrides", "execution.$": "$$.Execution.Name"}`. */
const writeManifestsEventSchema = z.looseObject({
  overrides: z.unknown(),
  /** The execution's name: the manifests' folder, so that two executions never share a manifest. */
  execution: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be an execution name (letters, digits, - and _)'),
});
export type WriteManifestsEvent = z.infer<typeof writeManifestsEventSchema>;

/** Validates writeManifests' event, its overrides against the settings. */
export function parseWriteManifestsEvent(event: unknown, settings: Settings): { overrides: Overrides; execution: string } {
  const { overrides, execution } = parseEvent(writeManifestsEventSchema, event, 'writeManifests');
  return { overrides: parseOverrides(overrides, settings), execution };
}

/** DescribeStatement's and ReportAnalysis's event: `{"statement.$": "$.statement"}`. */
const describeStatementEventSchema = z.looseObject({ statement: statementSchema });
export type DescribeStatementEvent = z.infer<typeof describeStatementEventSchema>;


/** CreateCluster's event: `{"input.$": "$"}`, the execution input (may hold `sources` overrides, which
 * parseOverrides validates against the settings). */
export interface CreateClusterEvent {
  input?: unknown;
  /** `$$.Execution.StartTime`: the daily schedule's `{"days": "previous"}` is the UTC day before it. */
  startTime?: string;
}

/** CreateCluster's result replaces the whole state (ResultPath `$`): validated overrides and the cluster. */
export interface PipelineState {
  overrides: Overrides;
  cluster: ClusterResult;
}

/** OpenPort's result (ResultPath `$.ingress`). */
export interface IngressResult {
  groupId?: string;
  port: number;
  added: string[];
  existing: string[];
  message: string;
}

/** PauseCluster's result (ResultPath `$.pause`): whether it started pausing the cluster, and why (not). */
export interface PauseResult {
  paused: boolean;
  /** The cluster's status once PauseCluster answered (`pausing`), or as described when nothing was done. */
  status?: string;
  message: string;
}

export interface QualityCheck {
  name: string;
  failures: number;
  passed: boolean;
}

/** The analysis in the execution output (ResultPath `$.analysis`). */
export interface AnalysisResult {
  usersByGender: Row[];
  usersByLevel: Row[];
  duplicateUserIds: number;
  checks: QualityCheck[];
}

/** Parses `event` (an empty invocation counts as `{}`); throws InvalidEventError naming the step and each bad field. */
function parseEvent<T>(schema: z.ZodType<T>, event: unknown, step: string): T {
  const parsed = schema.safeParse(event ?? {});
  if (!parsed.success) throw new InvalidEventError(`Invalid event for ${step}: ${describeIssues(parsed.error.issues, '$.')}`);
  return parsed.data;
}

/** Validates describeCluster's event. */
export function parseClusterEvent(event: unknown, step: string): ClusterEvent {
  return parseEvent(clusterEventSchema, event, step);
}

/** A SQL step's event, validated: the execution's overrides, and whether to wait for the statement. */
export interface SqlStepRequest {
  overrides: Overrides;
  /** False from the state machine (submit and return); true when the step is invoked alone. */
  wait: boolean;
}

/** Validates a SQL step's event, its overrides against the settings. */
export function parseSqlStepEvent(event: unknown, step: string, settings: Settings): SqlStepRequest {
  const { overrides, wait } = parseEvent(sqlStepEventSchema, event, step);
  return { overrides: parseOverrides(overrides, settings), wait: wait ?? true };
}

/** Validates describeStatement's event, or another step's that takes `{statement}` (reportAnalysis). */
export function parseDescribeStatementEvent(event: unknown, step = 'describeStatement'): DescribeStatementEvent {
  return parseEvent(describeStatementEventSchema, event, step);
}

// ------------------------------------------------------------------------------------------------ the teardown

/** A final snapshot's name: a Redshift snapshot identifier (1-255 letters, digits and hyphens, starting with a
 * letter, no two hyphens in a row, not ending with one; API reference: DeleteCluster, FinalClusterSnapshotIdentifier),
 * which a Serverless snapshot name also accepts. */
const SNAPSHOT_NAME = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$/;

/** The teardown's execution input: `{}`, or `{"finalSnapshot": "<name>"}` to keep a final snapshot. */
const teardownOptionsSchema = z
  .object({
    finalSnapshot: z
      .string()
      .regex(SNAPSHOT_NAME, 'must be 1-255 letters, digits and hyphens, starting with a letter, without two hyphens in a row or one at the end')
      .optional(),
  })
  .strict();
export type TeardownOptions = z.infer<typeof teardownOptionsSchema>;

/** RevokeIngress's event: `{"input.$": "$"}`, the teardown's execution input. */
export interface RevokeIngressEvent {
  input?: unknown;
}

/** RevokeIngress's result: the rules it revoked. */
export interface RevokeResult {
  revoked: string[];
  message: string;
}

/** RevokeIngress replaces the whole state (no ResultPath): the validated options, and the rules revoked. */
export interface TeardownState {
  options: TeardownOptions;
  ingress: RevokeResult;
}

/** What DeleteCluster and DescribeDeletion return (ResultPath `$.deletion`); the IsDeletionFinished Choice reads it. */
const deletionResultSchema = z.object({
  resource: z.enum(['cluster', 'workgroup']),
  name: z.string(),
  /** Lower-case: `final-snapshot` or `deleting` while in progress, `deleted` once gone, else the status seen. */
  status: z.string(),
  attempt,
  message: z.string(),
});
export type DeletionResult = z.infer<typeof deletionResultSchema>;

/** DeleteNamespace's result (ResultPath `$.namespace`). */
export interface NamespaceDeletionResult {
  deleted: boolean;
  status?: string;
  message: string;
}

/** DeleteCopyRole's result (ResultPath `$.role`). */
export interface RoleDeletionResult {
  deleted: boolean;
  message: string;
}

/** Validates the teardown's execution input; a bad one is a SettingsError naming the field, as for the pipeline. */
export function parseTeardownOptions(input: unknown): TeardownOptions {
  const parsed = teardownOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) throw new SettingsError(`Invalid execution input: ${describeIssues(parsed.error.issues, '$.')}`);
  return parsed.data;
}

/** Validates the event of a step that takes `{options}` (DeleteCluster, DeleteNamespace). */
export function parseOptionsEvent(event: unknown, step: string): TeardownOptions {
  return parseEvent(z.looseObject({ options: teardownOptionsSchema.optional() }), event, step).options ?? {};
}

/** Validates DescribeDeletion's event, `{"deletion.$": "$.deletion"}`. */
export function parseDeletionEvent(event: unknown, step: string): DeletionResult {
  return parseEvent(z.looseObject({ deletion: deletionResultSchema }), event, step).deletion;
}
