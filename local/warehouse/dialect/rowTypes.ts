// Result rows typed as the Data API types fields: numbers for integer and float columns (a bigint beyond
// 2^53 stays a string), booleans, and PostgreSQL's text form for everything else: numeric, timestamps
// (`2018-11-01 21:01:46.796`, as Redshift prints them), dates, JSON, arrays.
import type { ParserOptions } from '@electric-sql/pglite';

const BOOL = 16;
const INT8 = 20;
const NUMBERS = new Set([21, 23, 26, 700, 701]); // int2, int4, oid, float4, float8

function parserFor(type: number): (text: string) => string | number | boolean {
  if (type === BOOL) return (text) => text === 't';
  if (NUMBERS.has(type)) return Number;
  if (type === INT8) {
    return (text) => {
      const value = Number(text);
      return Number.isSafeInteger(value) ? value : text;
    };
  }
  return (text) => text;
}

/** Parsers for every type PGlite would otherwise turn into a Date, bigint, object or array (the types it
 * knows, listed in `known`); a type it does not know comes back as text already. */
export function dataApiParsers(known: Record<number | string, unknown>): ParserOptions {
  const parsers: ParserOptions = {};
  for (const key of Object.keys(known)) parsers[Number(key)] = parserFor(Number(key));
  return parsers;
}
