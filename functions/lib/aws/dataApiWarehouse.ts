// The Warehouse port on AWS: the Redshift Data API, on a provisioned cluster (ClusterIdentifier) or a
// Redshift Serverless workgroup (WorkgroupName). Credentials: the secret when DWH_SECRET_ARN is set, else
// temporary credentials for DWH_DB_USER (cluster) or the caller's IAM identity (Serverless).
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  type DescribeStatementCommandOutput,
  type Field,
  type GetStatementResultCommandOutput,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { StatementFailedError } from '../contracts/errors';
import type { Settings } from '../contracts/settings';
import {
  STATEMENT_STATUSES,
  type Row,
  type StatementDescription,
  type StatementStatus,
  type SubStatementDescription,
  type Warehouse,
} from '../ports/warehouse';

const STATUSES: readonly string[] = STATEMENT_STATUSES;

/** Where the statements run and as whom: the BatchExecuteStatement parameters besides Sqls and StatementName. */
export function redshiftParameters(settings: Settings): {
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database: string;
  SecretArn?: string;
  DbUser?: string;
} {
  const credentials = settings.secretArn ? { SecretArn: settings.secretArn } : {};
  if (settings.redshift === 'serverless') {
    return { WorkgroupName: settings.workgroupName, Database: settings.dbName, ...credentials };
  }
  return {
    ClusterIdentifier: settings.clusterIdentifier,
    Database: settings.dbName,
    ...(settings.secretArn ? credentials : { DbUser: settings.dbUser }),
  };
}

/** A Data API status as the port's StatementStatus; anything else is refused, naming the statement. */
function toStatus(status: string | undefined, id: string): StatementStatus {
  if (status === undefined || !STATUSES.includes(status)) {
    throw new StatementFailedError(`Statement ${id}: the Data API reported an unknown status ${String(status)}`);
  }
  return status as StatementStatus;
}

/** ResultRows as rows affected: the Data API uses -1 for "no count". */
function toRowsAffected(resultRows: number | undefined): number | undefined {
  return resultRows === undefined || resultRows < 0 ? undefined : resultRows;
}

/** Maps DescribeStatement's answer to the port's StatementDescription. */
function toDescription(output: DescribeStatementCommandOutput, id: string): StatementDescription {
  const subStatements: SubStatementDescription[] = (output.SubStatements ?? []).map((sub, index) => {
    const subId = sub.Id ?? `${id}:${index + 1}`;
    return {
      id: subId,
      status: toStatus(sub.Status, subId),
      error: sub.Error || undefined,
      hasResultSet: sub.HasResultSet ?? false,
      rowsAffected: toRowsAffected(sub.ResultRows),
    };
  });
  return {
    id: output.Id ?? id,
    status: toStatus(output.Status, id),
    error: output.Error || undefined,
    createdAt: output.CreatedAt!.toISOString(), // DescribeStatement always returns CreatedAt
    subStatements,
  };
}

/** A Data API field as a row value: numbers for long and double, strings, booleans, null. */
function fieldValue(field: Field, id: string, column: string): Row[string] {
  if (field.isNull) return null;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  throw new StatementFailedError(`Statement ${id}: column ${column} holds a value of a type the pipeline does not read`);
}

/** Maps one page of GetStatementResult to rows keyed by column name. */
function toRows(page: GetStatementResultCommandOutput, columns: string[], id: string): Row[] {
  return (page.Records ?? []).map((record) =>
    Object.fromEntries(record.map((field, index) => [columns[index], fieldValue(field, id, columns[index])])),
  );
}

/** Builds the Warehouse port over the Data API client, for the settings' kind of Redshift. */
export function createDataApiWarehouse(client: RedshiftDataClient, settings: Settings): Warehouse {
  /** Submits statements as one transaction (BatchExecuteStatement); returns the statement id. */
  async function batchExecuteStatement(statements: string[], name: string): Promise<string> {
    const output = await client.send(
      new BatchExecuteStatementCommand({ Sqls: statements, StatementName: name, ...redshiftParameters(settings) }),
    );
    return output.Id!; // the Data API always returns the new statement's id
  }

  /** Describes a statement (DescribeStatement). */
  async function describeStatement(id: string): Promise<StatementDescription> {
    return toDescription(await client.send(new DescribeStatementCommand({ Id: id })), id);
  }

  /** Reads one page of a statement's result (GetStatementResult). */
  async function getStatementResult(id: string, nextToken: string | undefined): Promise<GetStatementResultCommandOutput> {
    return client.send(new GetStatementResultCommand({ Id: id, NextToken: nextToken }));
  }

  return {
    submit: batchExecuteStatement,
    describe: describeStatement,
    async fetchRows(id) {
      const rows: Row[] = [];
      let columns: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await getStatementResult(id, nextToken);
        if (page.ColumnMetadata?.length) columns = page.ColumnMetadata.map((column, index) => column.name ?? `column_${index + 1}`);
        rows.push(...toRows(page, columns, id));
        nextToken = page.NextToken;
      } while (nextToken);
      return rows;
    },
  };
}
