// Redshift COPY's conversion of a JSON field into its column's type, with Redshift's load error codes
// (docs: "Load error reference") and reasons in its words. A field arrives as text (`fieldText`): strings as
// they are, numbers as written in the file, booleans as their JSON text, objects and arrays as JSON.
import type { TimeFormat } from './copyStatement';
import { JsonNumber, jsonText, type JsonValue } from './jsonSyntax';
import { hasInvalidUtf8, invalidUtf8Reason, replaceInvalidUtf8, utf8Faults } from './utf8';

/** A column of the COPY's target table, from the catalog. */
export interface CatalogColumn {
  name: string;
  /** PostgreSQL's type name: int4, varchar, timestamp... */
  type: string;
  /** PostgreSQL's type modifier: the length of varchar(n) plus 4, -1 when none. */
  typmod: number;
  notNull: boolean;
}

export interface ConversionOptions {
  truncateColumns: boolean;
  timeFormat: TimeFormat;
  /** ACCEPTINVCHARS's replacement character, when the COPY gives it. */
  acceptInvChars?: string;
}

/** A field that cannot be loaded: Redshift's error code, reason, and the position in the field. */
export class FieldError extends Error {
  constructor(
    readonly code: number,
    reason: string,
    readonly position = 0,
  ) {
    super(reason);
  }
}

/** Converts a field's text to the text PostgreSQL stores, or null; throws FieldError. */
export type FieldConverter = (text: string) => string | null;

const INVALID_DIGIT = 1207;
const OUT_OF_RANGE = 1204;
const BAD_FLOAT = 1208;
const BAD_DATE = 1205;
const BAD_TIMESTAMP = 1206;
const BAD_BOOLEAN = 1210;
const BAD_CODE_POINT = 1220;

// The docs give no reason text for an integer overflow: these are the texts Redshift writes, as users quote
// them (snowplow/snowplow#664, datamill-co/target-redshift#39).
const INTEGERS: Record<string, { name: string; min: bigint; max: bigint }> = {
  int2: { name: 'Short', min: -32768n, max: 32767n },
  int4: { name: 'Integer', min: -2147483648n, max: 2147483647n },
  int8: { name: 'Long', min: -9223372036854775808n, max: 9223372036854775807n },
};
const FLOATS: Record<string, { name: string; round: (value: number) => number }> = {
  float4: { name: 'Real', round: Math.fround },
  float8: { name: 'Double', round: (value) => value },
};
const CHARACTER_TYPES = ['varchar', 'bpchar', 'text'];
const INTEGER_PREFIX = /^[+-]?\d*/;
const SHORT_INTEGER = /^[+-]?\d{1,15}$/;
const DECIMAL_PREFIX = /^[+-]?(\d+\.?\d*|\.\d+)?/;
const FLOAT_PREFIX = /^[+-]?(\d+\.?\d*|\.\d+)?([eE][+-]?\d+)?/;
const BOOLEANS: Record<string, string> = {
  ...Object.fromEntries(['t', 'true', 'y', 'yes', '1'].map((text) => [text, 'true'])),
  ...Object.fromEntries(['f', 'false', 'n', 'no', '0'].map((text) => [text, 'false'])),
};
/** ISO 8601 dates and times, what Redshift's default and 'auto' TIMEFORMAT read: year, month, day,
 * [hour, minute, [second[.fraction]]], [zone]. */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EPOCH = /^[+-]?\d+(\.\d+)?$/;
/** The timestamp range, as microseconds since 1970: 4713 BC to 294276 AD (docs: "Datetime types"), at
 * PostgreSQL's exact bounds (4714-11-24 BC 00:00 to the end of 294276-12-31). An epoch time outside it is
 * refused as an invalid timestamp (the docs give no other reason for it). */
const MIN_TIMESTAMP = -210_866_803_200_000_000n;
const END_TIMESTAMP = 9_224_318_016_000_000_000n;

/** The text of a JSON value as a field, or null for JSON null and a missing value. */
export function fieldText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'object') return jsonText(value as JsonValue);
  return String(value);
}

/** The declared length of a character column (Redshift's col_length), or '' when it has none. */
export function columnLength(column: CatalogColumn): string {
  return CHARACTER_TYPES.includes(column.type) && column.typmod > 4 ? String(column.typmod - 4) : '';
}

/** The converter for a column; throws when COPY cannot load its type. */
export function fieldConverter(column: CatalogColumn, options: ConversionOptions): FieldConverter {
  const { type, typmod } = column;
  if (type in INTEGERS) return integerConverter(INTEGERS[type]);
  if (type in FLOATS) return floatConverter(FLOATS[type]);
  if (type === 'numeric') return decimalConverter(typmod);
  if (type === 'bool') return booleanConverter;
  if (CHARACTER_TYPES.includes(type)) {
    // ACCEPTINVCHARS applies to VARCHAR columns only (docs: "Data conversion parameters").
    const replacement = type === 'varchar' ? options.acceptInvChars : undefined;
    return characterConverter(typmod > 4 ? typmod - 4 : undefined, options.truncateColumns, replacement);
  }
  if (type === 'timestamp' || type === 'timestamptz') return timestampConverter(options.timeFormat, type === 'timestamptz');
  if (type === 'date') return dateConverter;
  throw new Error(
    `column ${column.name} has type ${type}, which the local COPY does not load ` +
      '(it loads integer, float, numeric, boolean, character, date and timestamp columns)',
  );
}

/** An empty or blank field of a non-character column is NULL, as on Redshift. */
function blankAsNull(convert: (text: string) => string): FieldConverter {
  return (text) => {
    const trimmed = text.trim();
    return trimmed === '' ? null : convert(trimmed);
  };
}

/** Redshift's error for the first character of `text` that is not part of a number. */
function invalidDigit(text: string, validPrefix: number, typeName: string, code = INVALID_DIGIT): FieldError {
  const reason = `Invalid digit, Value '${text[validPrefix] ?? ''}', Pos ${validPrefix}, Type: ${typeName}`;
  return new FieldError(code, reason, validPrefix);
}

/** Length of the number at the start of `text` per `pattern`, or the position of the first bad character. */
function numberPrefix(text: string, pattern: RegExp): { length: number; complete: boolean } {
  const prefix = pattern.exec(text)![0];
  // A sign without digits is no number: the fault is the character after it.
  return { length: prefix.length, complete: prefix.length === text.length && /\d/.test(prefix) };
}

function integerConverter({ name, min, max }: (typeof INTEGERS)[string]): FieldConverter {
  return blankAsNull((text) => {
    // The common case without BigInt: a number of at most 15 digits is exact.
    if (SHORT_INTEGER.test(text)) {
      const value = Number(text);
      if (value < min || value > max) throw new FieldError(OUT_OF_RANGE, `Overflow (${name} valid range ${min} to ${max})`);
      return String(value);
    }
    const { length, complete } = numberPrefix(text, INTEGER_PREFIX);
    if (!complete) throw invalidDigit(text, length, name);
    const value = BigInt(text);
    if (value < min || value > max) throw new FieldError(OUT_OF_RANGE, `Overflow (${name} valid range ${min} to ${max})`);
    return value.toString();
  });
}

function floatConverter({ name, round }: (typeof FLOATS)[string]): FieldConverter {
  return blankAsNull((text) => {
    const { length, complete } = numberPrefix(text, FLOAT_PREFIX);
    if (!complete) throw invalidDigit(text, length, name, BAD_FLOAT);
    // Judged on the file's text, rounded to the column's precision: beyond its range it is Infinity, below its
    // smallest value 0 (which PostgreSQL refuses too). The docs give no reason text for either: this one is ours.
    const value = round(Number(text));
    if (!Number.isFinite(value) || (value === 0 && /[1-9]/.test(text.split(/[eE]/)[0]))) {
      throw new FieldError(OUT_OF_RANGE, `Overflow, Value '${text}', Type: ${name}`);
    }
    return text;
  });
}

function decimalConverter(typmod: number): FieldConverter {
  // numeric(p, s): the modifier packs p and s; -1 is an unconstrained numeric.
  const integerDigits = typmod > 4 ? ((typmod - 4) >> 16) - ((typmod - 4) & 0xffff) : Infinity;
  return blankAsNull((text) => {
    const { length, complete } = numberPrefix(text, DECIMAL_PREFIX);
    if (!complete) throw invalidDigit(text, length, 'Decimal');
    const digits = text.replace(/^[+-]/, '').split('.')[0].replace(/^0+/, '').length;
    if (digits > integerDigits) {
      throw new FieldError(OUT_OF_RANGE, `Numeric data overflow (result precision), Value '${text}'`);
    }
    return text;
  });
}

const booleanConverter: FieldConverter = blankAsNull((text) => {
  const value = BOOLEANS[text.toLowerCase()];
  if (value === undefined) throw new FieldError(BAD_BOOLEAN, `Invalid boolean, Value '${text}', Type: Boolean`);
  return value;
});

function characterConverter(length: number | undefined, truncate: boolean, replacement?: string): FieldConverter {
  return (field) => {
    const text = replacement === undefined ? field : replaceInvalidUtf8(field, replacement);
    // PostgreSQL text cannot hold U+0000 (JSON can: "\u0000").
    if (text.includes('\0')) {
      throw new FieldError(BAD_CODE_POINT, 'String contains invalid or unsupported UTF-8 code points (U+0000)');
    }
    if (hasInvalidUtf8(text)) {
      const [fault] = utf8Faults(text);
      throw new FieldError(BAD_CODE_POINT, invalidUtf8Reason(fault), fault.offset);
    }
    if (length === undefined || Buffer.byteLength(text) <= length) return text;
    if (!truncate) throw new FieldError(OUT_OF_RANGE, 'String length exceeds DDL length');
    return truncateBytes(text, length);
  };
}

/** The longest prefix of `text` within `limit` UTF-8 bytes, cut at a character boundary. */
function truncateBytes(text: string, limit: number): string {
  const bytes = Buffer.from(text);
  let end = limit;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString();
}

function timestampConverter(timeFormat: TimeFormat, withZone: boolean): FieldConverter {
  const invalid = () => new FieldError(BAD_TIMESTAMP, 'Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]');
  if (timeFormat === 'auto') {
    return blankAsNull((text) => {
      const match = TIMESTAMP.exec(text);
      if (!match || !isCalendarTime(match)) throw invalid();
      return text;
    });
  }
  const digits = timeFormat === 'epochsecs' ? 6 : 3;
  return blankAsNull((text) => {
    const micros = EPOCH.test(text) ? epochMicroseconds(text, digits) : undefined;
    if (micros === undefined || micros < MIN_TIMESTAMP || micros >= END_TIMESTAMP) throw invalid();
    const utc = timestampText(micros);
    return withZone ? `${utc}+00` : utc;
  });
}

/** Microseconds since 1970 of an epoch time in seconds (`unitDigits` 6) or milliseconds (3), read exactly from
 * its text and rounded to the microsecond, as timestamps keep it. */
function epochMicroseconds(text: string, unitDigits: number): bigint {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const scaled = (fraction + '0'.repeat(unitDigits + 1)).slice(0, unitDigits + 1);
  const tenths = BigInt(whole) * 10n ** BigInt(unitDigits + 1) + BigInt(scaled);
  const micros = (tenths + 5n) / 10n;
  return negative ? -micros : micros;
}

/** A timestamp as PostgreSQL reads it, years before 1 as BC: `2018-11-01 19:42:37.318`, microseconds when
 * there are some. */
function timestampText(micros: bigint): string {
  const day = 86_400_000_000n;
  const days = Number(micros / day - (micros % day < 0n ? 1n : 0n));
  const inDay = Number(micros - BigInt(days) * day);
  const [year, month, date] = civilDate(days);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const seconds = Math.floor(inDay / 1_000_000);
  const fraction = inDay % 1_000_000;
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  const fractionText = fraction % 1000 === 0 ? pad(fraction / 1000, 3) : pad(fraction, 6);
  const yearText = year > 0 ? pad(year, 4) : pad(1 - year, 4);
  return `${yearText}-${pad(month)}-${pad(date)} ${time}.${fractionText}${year > 0 ? '' : ' BC'}`;
}

/** The proleptic Gregorian year (0 is 1 BC), month and day of a day count since 1970-01-01. */
function civilDate(days: number): [number, number, number] {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const date = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, date];
}

const dateConverter: FieldConverter = blankAsNull((text) => {
  const match = DATE.exec(text);
  if (!match || !isCalendarTime(match)) throw new FieldError(BAD_DATE, 'Invalid date format or value [YYYY-MM-DD]');
  return text;
});

/** Whether year, month, day (and hour, minute, second when present) name a real moment. */
function isCalendarTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = Array.from({ length: 6 }, (_, index) => Number(match[index + 1] ?? 0));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}
