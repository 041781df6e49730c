// The payloads that flow between the state machine (statemachine/pipeline.asl.yml, JSONPath mode) and the
// handlers. The ASL's Parameters and ResultPaths, and the Choice states' variables, rely on these shapes.
import type { EnsureClusterAction } from './cluster';
import type { Overrides } from './settings';
import type { SqlStep } from './sql';
import type { Row, StatementStatus } from './warehouse';

/** The step that looks a failed load's errors up (functions/explainLoadFailure.ts). */
export const EXPLAIN_LOAD_FAILURE = 'explainLoadFailure';

/** CreateCluster's event: `{"input.$": "$"}`, the execution input (may hold `sources` overrides). */
export interface CreateClusterEvent {
  input?: unknown;
}

/** What the cluster steps return (ResultPath `$.cluster`); the IsClusterAvailable Choice reads it. */
export interface ClusterResult {
  /** The cluster's identifier, or on the serverless target the workgroup's name. */
  identifier: string;
  /** ClusterStatus, lower-case (`creating`, `available`, ...); on the serverless target, the namespace's or the
   * workgroup's status, lower-case, whichever is less ready (clusterSteps.ts, serverlessStatus). */
  status: string;
  /** ClusterAvailabilityStatus (`Available`, `Modifying`, ...); derived from `status` on the serverless target. */
  availability: string;
  /** How many times describeCluster has described the cluster (or the workgroup): the poll loop's bound. */
  attempt: number;
  /** A sentence for people and for a Fail state's Cause. */
  message: string;
  action?: EnsureClusterAction;
  roleArn: string;
}

/** CreateCluster's result replaces the whole state (ResultPath `$`): validated overrides and the cluster. */
export interface PipelineState {
  overrides: Overrides;
  cluster: ClusterResult;
}

/** DescribeCluster's event: `{"cluster.$": "$.cluster"}`. Empty when invoked alone. */
export interface ClusterEvent {
  cluster?: Partial<ClusterResult>;
}

/** OpenPort's result (ResultPath `$.ingress`). */
export interface IngressResult {
  groupId?: string;
  port: number;
  added: string[];
  existing: string[];
  message: string;
}

/** A SQL step's event: `{"overrides.$": "$.overrides", "wait": false}` from the state machine.
 * Invoked alone (empty event), the step waits for its statement within the Lambda's time. */
export interface SqlStepEvent {
  overrides?: Overrides;
  wait?: boolean;
}

/** A submitted statement (ResultPath `$.statement`); DescribeStatement updates it, the Is…Finished Choice reads it. */
export interface StatementResult {
  /** The SQL step that submitted it, or explainLoadFailure for the load-error lookup. */
  step: SqlStep | typeof EXPLAIN_LOAD_FAILURE;
  id: string;
  status: StatementStatus;
  /** ISO 8601 creation time: load errors are looked up from then on. */
  createdAt: string;
  /** How many times the statement has been described: the poll loop's bound. */
  attempt: number;
  /** A sentence for people and for a Fail state's Cause: on failure, the database's error text and, for a
   * failed COPY, the first load errors (file, line, column, reason). */
  message: string;
}

/** DescribeStatement's and ReportAnalysis's event: `{"statement.$": "$.statement"}`. */
export interface DescribeStatementEvent {
  statement: StatementResult;
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
