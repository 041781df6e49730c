// One JSON record to one row: each field converted as Redshift converts it, or the fault that rejects the record
// (as its stl_load_errors row).
import type { Extractor } from './fieldExtractor';
import { columnLength, FieldError, fieldText } from './fieldConversion';
import type { JsonRecord } from './jsonRecords';
import { fitToColumns, type RejectedRecord } from './loadErrorRows';
import type { S3Object } from './s3Mirror';
import type { TargetColumn } from './targetColumns';

export const MALFORMED_JSON = 1216;
const MISSING_NOT_NULL = 1213;

export interface Fault {
  code: number;
  reason: string;
  column?: TargetColumn;
  position?: number;
  rawFieldValue?: string;
}

/** A record's row (the fields' texts for PostgreSQL), or the fault that rejects it. */
export function convertRecord(
  record: Extract<JsonRecord, { kind: 'record' }>,
  columns: TargetColumn[],
  extract: Extractor,
): (string | null)[] | Fault {
  const values = extract(record.value);
  if (typeof values === 'string') return { code: MALFORMED_JSON, reason: `Invalid JSON record: ${values}` };
  const row: (string | null)[] = [];
  for (const [index, column] of columns.entries()) {
    const text = fieldText(values[index]);
    try {
      const value = text === null ? null : column.convert(text);
      if (value === null && column.notNull) {
        return { code: MISSING_NOT_NULL, reason: 'Missing data for not-null field', column, rawFieldValue: text ?? '' };
      }
      row.push(value);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      return { code: error.code, reason: error.message, column, position: error.position, rawFieldValue: text ?? '' };
    }
  }
  return row;
}

/** The stl_load_errors record of a rejected record. */
export function rejection(object: S3Object, line: number, rawLine: string, fault: Fault): RejectedRecord {
  return fitToColumns({
    filename: object.uri,
    lineNumber: line,
    colname: fault.column?.name ?? '',
    type: fault.column?.type ?? '',
    colLength: fault.column ? columnLength(fault.column) : '',
    position: fault.position ?? 0,
    rawLine,
    rawFieldValue: fault.rawFieldValue ?? '',
    errCode: fault.code,
    errReason: fault.reason,
  });
}

