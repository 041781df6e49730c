// The form a COPY's rows take on their way to PostgreSQL: binary when every column's type has a binary writer
// (copyBinary.ts), as the staging tables' do, otherwise COPY text (copyText.ts). Either way the values are the
// converted texts, and PostgreSQL stores the same.
import { binaryFormat } from './copyBinary';
import { TEXT_FORMAT } from './copyText';
import type { CatalogColumn } from './fieldConversion';

/** A row's fields as the conversion gives them (recordConversion.ts): the texts PostgreSQL stores, or null. */
export type Row = (string | null)[];

export interface RowFormat {
  /** The COPY statement's option for it ('' for text, PostgreSQL's default). */
  option: string;
  /** What each chunk starts and ends with. */
  header: Uint8Array;
  trailer: Uint8Array;
  /** At least the bytes the row takes. */
  room(row: Row): number;
  /** Writes the row at `at`; returns where it ends. */
  write(row: Row, buffer: Buffer, at: number): number;
}

/** The format of a COPY into these columns. */
export function rowFormat(columns: Pick<CatalogColumn, 'type'>[]): RowFormat {
  return binaryFormat(columns) ?? TEXT_FORMAT;
}
