// The form a COPY's rows take on their way to PostgreSQL: binary when every column's type has a binary writer
// (copyBinary.ts), as the staging tables' do, otherwise COPY text (copyText.ts). Either way the values are the
// converted texts, and PostgreSQL stores the same.
import { BINARY_HEADER, BINARY_TRAILER, binaryRowRoom, binaryRowWriter, loadsInBinary } from './copyBinary';
import { copyLine } from './copyText';
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

const NOTHING = new Uint8Array(0);

export const TEXT_FORMAT: RowFormat = {
  option: '',
  header: NOTHING,
  trailer: NOTHING,
  // A UTF-16 code unit is at most 3 bytes of UTF-8 (an escaped one 2), and each field ends with a tab or newline.
  room: (row) => row.reduce((sum, field) => sum + (field === null ? 3 : field.length * 3 + 1), 0),
  write: (row, buffer, at) => at + buffer.write(copyLine(row), at),
};

/** The format of a COPY into these columns. */
export function rowFormat(columns: Pick<CatalogColumn, 'type'>[]): RowFormat {
  if (!loadsInBinary(columns)) return TEXT_FORMAT;
  const write = binaryRowWriter(columns);
  return { option: 'with (format binary)', header: BINARY_HEADER, trailer: BINARY_TRAILER, room: binaryRowRoom, write };
}
