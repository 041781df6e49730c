// Every error a step can end with. Each has a fixed `name`: the state machine's Retry and Catch match on it
// (statemachine/pipeline.asl.yml), so renaming one means editing the ASL; a test checks that they agree.

/** A setting is missing or invalid: an environment variable, or its override in the execution input
 * (`sources`, validated against the settings); the message names it. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** A step's event does not have the shape the step takes; the message names the step and the field. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/** A sql/ file breaks its contract with the code: a placeholder without a value, or a named result
 * (`-- result: name`) the code reads that the file does not produce; the message names the file. */
export class SqlContractError extends Error {
  override name = 'SqlContractError';
}

/** A statement of a SQL step ended FAILED or ABORTED; the message carries the database's error text. */
export class StatementFailedError extends Error {
  override name = 'StatementFailedError';
}

/** A SQL step's batch exceeds what one BatchExecuteStatement accepts (40 statements, 100 KB each). */
export class BatchTooLargeError extends Error {
  override name = 'BatchTooLargeError';
}

/** The cluster reached a state it cannot leave by waiting (for example `incompatible-network`). */
export class ClusterFailedError extends Error {
  override name = 'ClusterFailedError';
}

/** A just-created IAM role is not usable by Redshift yet (IAM is eventually consistent): retried. */
export class RoleNotReadyError extends Error {
  override name = 'RoleNotReadyError';
}

/** One or more data quality checks found offending rows; the message names each check. */
export class DataQualityError extends Error {
  override name = 'DataQualityError';
}

/** Every error name above, for the test that matches them against the ASL. */
export const ERROR_NAMES = [
  'SettingsError',
  'InvalidEventError',
  'SqlContractError',
  'StatementFailedError',
  'BatchTooLargeError',
  'ClusterFailedError',
  'RoleNotReadyError',
  'DataQualityError',
] as const;

/** A day of a day run has no log file (and the input does not allow missing days). */
export class MissingDayError extends Error {
  override name = 'MissingDayError';
}
