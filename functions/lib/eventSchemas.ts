// Validation of the events the handlers receive (from the state machine, or typed by a person invoking one
// step). A bad event is refused with a SettingsError naming the step and the field.
import { z } from 'zod';
import { SettingsError } from './errors';
import { EXPLAIN_LOAD_FAILURE, type ClusterEvent, type DescribeStatementEvent, type StatementResult } from './events';
import { describeIssues, parseOverrides, type Overrides, type Settings } from './settings';
import { SQL_STEPS } from './sql';

const attempt = z.number().int().min(0);

const clusterEventSchema = z.looseObject({
  cluster: z
    .looseObject({
      identifier: z.string().optional(),
      attempt: attempt.optional(),
      action: z.enum(['created', 'reused', 'resumed']).optional(),
      roleArn: z.string().optional(),
    })
    .optional(),
});

const statementSchema = z.object({
  step: z.enum([...SQL_STEPS, EXPLAIN_LOAD_FAILURE]),
  id: z.string().min(1),
  status: z.enum(['SUBMITTED', 'PICKED', 'STARTED', 'FINISHED', 'FAILED', 'ABORTED']),
  createdAt: z.iso.datetime(),
  attempt,
  message: z.string(),
});

const sqlStepEventSchema = z.looseObject({
  // Validated against the settings by parseOverrides.
  overrides: z.unknown().optional(),
  wait: z.boolean().optional(),
});

const describeStatementEventSchema = z.looseObject({ statement: statementSchema });

/** Parses `event` (an empty invocation counts as `{}`); throws SettingsError naming the step and each bad field. */
function parseEvent<T>(schema: z.ZodType<T>, event: unknown, step: string): T {
  const parsed = schema.safeParse(event ?? {});
  if (!parsed.success) throw new SettingsError(`Invalid event for ${step}: ${describeIssues(parsed.error.issues, '$.')}`);
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
