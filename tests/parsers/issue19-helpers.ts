/** Shared by the issue #19 variant suites (not a test file): the hand-made fixtures, detection, columns. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { detectFormat, sniffInput } from '../../parsers/index.js';
import type { ParsedRecord } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';

export const ISSUE19 = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/issue19');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(ISSUE19, name)));
}

/** Detect from content (as batch does) and parse with the detected format. */
export async function detectAndParse(name: string, bytes = fixture(name)): Promise<{ id: string; records: ParsedRecord[] }> {
  const d = detectFormat(sniffInput(name, bytes, bytes.length));
  if (!d.best) throw new Error(`${name}: not detected (${d.reason})`);
  return { id: d.best.format.id, records: await d.best.format.parse({ path: name, bytes }) };
}

export function values(r: ParsedRecord, name: string): number[] {
  const c = r.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column '${name}' in ${r.columns.map((x) => x.name).join(', ')}`);
  return Array.from(c.values);
}

export function firstLast(r: ParsedRecord, name: string): [number, number] {
  const v = values(r, name);
  return [v[0]!, v[v.length - 1]!];
}

export async function parseError(fn: () => unknown): Promise<ParseError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

export function expectLocated(e: ParseError, file: string, code: string, line: number): void {
  expect(e.code).toBe(code);
  expect(e.file).toBe(file);
  expect(e.line).toBe(line);
}
