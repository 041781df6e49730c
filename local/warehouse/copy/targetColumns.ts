// The columns a COPY loads: the table's catalog (the column list, or every column but identities), each with
// the converter of its type.
import type { Transaction } from '@electric-sql/pglite';
import type { CopyStatement } from './copyStatement';
import { fieldConverter, type CatalogColumn, type FieldConverter } from './fieldConversion';

export type Queryable = Pick<Transaction, 'query'>;

export interface TargetColumn extends CatalogColumn {
  convert: FieldConverter;
}

/** The target table's id and the columns to load (the column list, or every column but identities). */
export async function targetColumns(
  db: Queryable,
  copy: CopyStatement,
  where: string,
): Promise<{ tableId: number; columns: TargetColumn[] }> {
  const catalog = await db.query<CatalogColumn & { table_id: number; identity: boolean }>(
    `select
        a.attrelid::int as table_id,
        a.attname as name,
        t.typname as type,
        a.atttypmod as typmod,
        a.attnotnull as "notNull",
        a.attidentity <> '' as identity
    from pg_attribute as a
    join pg_type as t on t.oid = a.atttypid
    where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
    order by a.attnum`,
    [copy.table],
  );
  const all = catalog.rows;
  const chosen = copy.columns
    ? copy.columns.map((name) => {
        const column = all.find((candidate) => candidate.name === name);
        if (!column) throw new Error(`${where}: column "${name}" does not exist in table ${copy.tableName}`);
        return column;
      })
    : all.filter((column) => !column.identity);
  return { tableId: all[0]?.table_id ?? 0, columns: withConverters(copy, chosen, where) };
}

/** The catalog's columns, each with the converter of its type under the COPY's options. */
export function withConverters(copy: CopyStatement, chosen: CatalogColumn[], where: string): TargetColumn[] {
  const options = { truncateColumns: copy.truncateColumns, timeFormat: copy.timeFormat, acceptInvChars: copy.acceptInvChars };
  return chosen.map(({ name, type, typmod, notNull }) => {
    try {
      return { name, type, typmod, notNull, convert: fieldConverter({ name, type, typmod, notNull }, options) };
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  });
}

/** The columns without their converters (which a thread cannot be sent). */
export function catalogOf(columns: TargetColumn[]): CatalogColumn[] {
  return columns.map(({ name, type, typmod, notNull }) => ({ name, type, typmod, notNull }));
}

