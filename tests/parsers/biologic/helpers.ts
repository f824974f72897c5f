/** Small helpers shared by the BioLogic suites (not a test file). */
import type { ParsedRecord } from '../../../src/records/record.js';
import { latin1 } from '../../../parsers/text/decode.js';
import type { SniffInput } from '../../../parsers/types.js';

export function col(r: ParsedRecord, name: string): Float64Array {
  const c = r.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column '${name}' in ${r.columns.map((x) => x.name).join(', ')}`);
  return c.values as Float64Array;
}

export function unitOf(r: ParsedRecord, name: string): string | undefined {
  return r.columns.find((x) => x.name === name)?.unit;
}

export function first(a: ArrayLike<number>): number {
  return a[0]!;
}

export function last(a: ArrayLike<number>): number {
  return a[a.length - 1]!;
}

/** The registry is not imported here (other families' work must not break these suites). */
export function sniffOf(name: string, bytes: Uint8Array): SniffInput {
  const head = bytes.subarray(0, 64 * 1024);
  return { name, head, headText: latin1(head), size: bytes.length };
}

/** |a−b| ≤ rel·max(|a|,|b|) + abs, NaN equal to NaN. */
export function close(a: number, b: number, rel = 1e-6, abs = 1e-12): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
}
