/** Test helpers for the text cycler formats: parse a real or hand-made file and look columns up. */
import { expect } from 'vitest';
import type { FormatParser } from '../../../../parsers/types.js';
import type { ParsedRecord } from '../../../../src/records/record.js';
import { findColumn } from '../../../../src/records/record.js';
import { ParseError } from '../../../../src/records/errors.js';
import { latin1 } from '../../../../parsers/text/decode.js';
import { readReal } from '../../../helpers/realData.js';

export function sniff(f: FormatParser, name: string, bytes: Uint8Array): number {
  const head = bytes.subarray(0, 65536);
  const r = f.sniff({ name, head, headText: latin1(head), size: bytes.length });
  return typeof r === 'number' ? r : r.confidence;
}

export async function parseReal(f: FormatParser, rel: string): Promise<ParsedRecord> {
  const recs = await f.parse({ path: rel, bytes: readReal(rel) });
  expect(recs).toHaveLength(1);
  return recs[0]!;
}

export async function parseText(f: FormatParser, text: string | Uint8Array, options?: Record<string, unknown>, path = 'hand-made.csv'): Promise<ParsedRecord> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const recs = await f.parse({ path, bytes, options });
  return recs[0]!;
}

export function col(r: ParsedRecord, name: string): { unit: string; v: number[]; levels?: readonly string[] } {
  const c = findColumn(r, name);
  if (!c) throw new Error(`no column ${name}: ${r.columns.map((x) => x.name).join(', ')}`);
  return { unit: c.unit, v: Array.from(c.values), levels: c.levels };
}

export const first = (xs: number[]): number => xs[0]!;
export const last = (xs: number[]): number => xs[xs.length - 1]!;

/** Assert a parse fails with a ParseError of this code whose message names the file (and line). */
export async function expectParseError(p: Promise<unknown> | (() => unknown), code: string, line?: number, file = 'hand-made.csv'): Promise<ParseError> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ParseError);
  const pe = err as ParseError;
  expect(pe.code).toBe(code);
  expect(pe.message.startsWith(file)).toBe(true);
  if (line !== undefined) {
    expect(pe.line).toBe(line);
    expect(pe.message).toContain(`${file}:${line}:`);
  }
  return pe;
}
