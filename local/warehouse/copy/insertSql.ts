// Multi-row INSERT statements with numbered parameters, for the load-error rows.

/** PostgreSQL's limit is 65535 parameters per statement; batches stay well below it. */
export const MAX_PARAMETERS = 30000;

/** `insert into <table> ("a", "b") values ($1, $2), ($3, $4), ...` for `rows` rows. */
export function insertStatement(table: string, columns: string[], rows: number): string {
  const names = columns.map((column) => `"${column.replace(/"/g, '""')}"`).join(', ');
  const tuples = Array.from(
    { length: rows },
    (_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`,
  );
  return `insert into ${table} (${names}) values ${tuples.join(', ')}`;
}
