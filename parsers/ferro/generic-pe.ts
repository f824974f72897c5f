/**
 * Generic P–E loop CSV/TSV: one header row, then numbers. Columns are found by the rules in PE_RULES
 * (data): a field (E) or voltage (V) column, and a polarisation (P) or charge (Q) column; time and
 * current are optional. Units come from the header (`E (kV/cm)`, `P [C/m2]`, `Q / nC`), else the
 * rule's default. Thickness (nm) and area (cm²) come from options: `thicknessNm`, `areaCm2`/`areaMm2`.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { detectDelimiter, lineOffset, splitFields } from '../text/table.js';
import { detectDecimalComma } from '../text/numbers.js';
import { readMappedTable, type ColumnRule } from '../text/columns.js';
import { splitHeaderUnit } from '../text/units.js';
import { buildLoop, readLoopOptions, type LoopParts } from './loop.js';
import { peFactor } from './units.js';

type Dim = Parameters<typeof peFactor>[0];
interface PeRule extends ColumnRule {
  readonly part: 'time' | 'voltage' | 'field' | 'polarization' | 'charge' | 'current';
  readonly dim: Dim;
  readonly defaultUnit: string;
}

/** `to.unit` is '' so readMappedTable leaves values raw; units are converted here with peFactor. */
export const PE_RULES: readonly PeRule[] = [
  { match: ['time', 't'], to: { name: 'Time', unit: '' }, part: 'time', dim: 'time', defaultUnit: 's' },
  { match: ['field', 'electric field', 'e', /^E\s*[([/]/], to: { name: 'Electric Field', unit: '' }, part: 'field', dim: 'field', defaultUnit: 'kV/cm' },
  { match: ['voltage', 'v', 'drive voltage', 'vplus', 'v+'], to: { name: 'Voltage', unit: '' }, part: 'voltage', dim: 'voltage', defaultUnit: 'V' },
  {
    match: ['polarization', 'polarisation', 'p', 'measured polarization', 'p1'],
    to: { name: 'Polarization', unit: '' },
    part: 'polarization',
    dim: 'polarization',
    defaultUnit: 'uC/cm2',
  },
  { match: ['charge', 'q'], to: { name: 'Charge', unit: '' }, part: 'charge', dim: 'charge', defaultUnit: 'C' },
  { match: ['current', 'i', 'i1'], to: { name: 'Current', unit: '' }, part: 'current', dim: 'current', defaultUnit: 'A' },
];

function headerInfo(text: string): { headerLine: number; delimiter: string; lines: string[] } | null {
  const lines = splitLines(text.slice(0, 65536));
  for (let i = 0; i < Math.min(lines.length, 30); i++) {
    const l = lines[i]!;
    if (!l.trim() || l.startsWith('#')) continue;
    const d = detectDelimiter(lines.slice(i, i + 6), ['\t', ',', ';']);
    const fields = splitFields(l, d).map((f) => f.replace(/^"|"$/g, ''));
    const has = (part: string): boolean => fields.some((f) => PE_RULES.some((r) => r.part === part && matches(f, r)));
    if ((has('field') || has('voltage')) && (has('polarization') || has('charge'))) return { headerLine: i, delimiter: d, lines };
    return null;
  }
  return null;
}

function matches(h: string, r: PeRule): boolean {
  const bare = splitHeaderUnit(h).name.trim().toLowerCase();
  return r.match.some((m) => (typeof m === 'string' ? bare === m || h.trim().toLowerCase() === m : m.test(h.trim())));
}

function sniff(s: SniffInput): number {
  return headerInfo(s.headText) ? 0.55 : 0;
}

function parse(input: ParseInput): ParsedRecord[] {
  const { path, bytes } = input;
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', message: 'file is empty' });
  const dec = decodeText(bytes);
  const h = headerInfo(dec.text);
  if (!h)
    throw new ParseError({
      file: path,
      code: 'missing-column',
      line: 1,
      message: 'no field/voltage and polarisation/charge columns',
      expected: 'headers like E (kV/cm), P (uC/cm2) or V, Q',
      found: splitLines(dec.text.slice(0, 2000)).find((l) => l.trim() && !l.startsWith('#')) ?? '',
    });
  const header = h.lines[h.headerLine]!;
  const sample = h.lines.slice(h.headerLine + 1, h.headerLine + 20);
  const t = readMappedTable({
    path,
    bytes,
    header,
    headerLine: h.headerLine,
    dataStart: lineOffset(bytes, h.headerLine + 1) + dec.bomLength,
    sample,
    delimiter: h.delimiter,
    decimalComma: detectDecimalComma(sample, h.delimiter),
    rules: PE_RULES,
    keepUnmapped: true,
  });
  const warnings: ParseWarning[] = [...t.warnings];
  const parts: LoopParts = { extra: [] };
  for (const c of t.columns) {
    const rule = PE_RULES.find((r) => r.to.name === c.name && t.matched.has(r.to));
    if (!rule) {
      warnings.push({ code: 'unknown-column', message: `column '${c.name}' is not one we know; kept under its own name` });
      parts.extra!.push(c);
      continue;
    }
    const src = t.headers[t.matched.get(rule.to)!]!;
    const unit = splitHeaderUnit(src).unit || rule.defaultUnit;
    const f = peFactor(rule.dim, unit);
    if (f === null)
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: h.headerLine + 1,
        column: src,
        message: `unit '${unit}' is not a ${rule.dim} unit we know`,
        expected: `a ${rule.dim} unit`,
        found: unit,
      });
    if (!splitHeaderUnit(src).unit) warnings.push({ code: 'assumed-unit', message: `column '${src}' states no unit; read as ${rule.defaultUnit}` });
    const v = Float64Array.from(c.values);
    if (f !== 1) for (let i = 0; i < v.length; i++) v[i]! *= f;
    parts[rule.part] = v;
  }
  if (t.rows === 0)
    throw new ParseError({ file: path, code: 'no-data', line: h.headerLine + 2, message: 'no data rows', expected: 'rows of numbers', found: 'end of file' });
  return [buildLoop(parts, readLoopOptions(input.options), { technique: 'P-E loop (generic table)' }, warnings)];
}

export const genericPe: FormatParser = {
  id: 'pe-generic-csv',
  family: 'pe-loop',
  kind: 'pe-loop',
  title: 'Generic P–E loop CSV/TSV (E or V, P or Q columns)',
  version: '1.0.0',
  extensions: ['.csv', '.tsv', '.txt'],
  sniff,
  parse,
};
