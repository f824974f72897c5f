/**
 * CasaXPS quantification reports saved as text (the "Quant" tables CasaXPS writes for its regions or
 * fitted components): a first line naming the `.vms` file, a blank line, a header
 * `Sample Identifier\tName\tPosition\t…\t%At Conc\t`, one row per region or component (the sample
 * identifier written only on the first row of each sample), then summary blocks
 * (`Peak Area Results …`) that repeat the same numbers and are not read.
 *
 * Layout: real exports quoted verbatim (tabs and all) in the public tests of a CasaXPS-reading tool
 * ("casaquant": a survey table with `FWHM`/`Raw Area`, a component table with `Raw Area`/
 * `Area/(RSF*T*MFP)`, several samples, duplicate names such as `Cl 2p x`). Columns are found by their
 * header text, never by position. The result is an `xps-quantification` record (one row per peak, one
 * level per sample identifier) for the quant-table fitter; CasaXPS's own numbers are kept as written.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { coreLevelPrefix } from '../../src/records/names.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { parseNumber } from '../text/numbers.js';
import { buildQuantRecord, etchLevelFromText } from './assemble.js';

const HEADER = /^Sample Identifier\tName\tPosition\t/;
const SUMMARY = /^Peak Area Results/;

/** Header texts → what they hold. */
const COLUMNS = {
  name: 'Name',
  position: 'Position',
  fwhm: 'FWHM',
  rawArea: 'Raw Area',
  correctedArea: 'Area/(RSF*T*MFP)',
  atomicPercent: '%At Conc',
} as const;

export function sniffCasaQuant(input: SniffInput): number {
  const lines = input.headText.split(/\r?\n/, 8);
  return lines.some((l) => HEADER.test(l)) && /%At Conc/.test(input.headText) ? 0.92 : 0;
}

/** Sputter time stated in a sample identifier (`Etch Time 30 s`, `… 120s`, `2 min`), else undefined. */
function timeFromText(s: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds|min|mins|minutes)\b/i.exec(s);
  if (!m) return undefined;
  const v = Number(m[1]);
  return /^m/i.test(m[2]!) ? v * 60 : v;
}

export function parseCasaQuant({ path, bytes }: ParseInput): ParsedRecord[] {
  const lines = splitLines(decodeText(bytes).text);
  const h = lines.findIndex((l) => HEADER.test(l));
  if (h < 0) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: 'no CasaXPS quantification header',
      expected: 'Sample Identifier\\tName\\tPosition\\t…\\t%At Conc',
      found: lines[0] ?? '',
    });
  }
  const head = lines[h]!.split('\t').map((t) => t.trim());
  const col = (t: string) => head.indexOf(t);
  const at = col(COLUMNS.atomicPercent);
  const pos = col(COLUMNS.position);
  const name = col(COLUMNS.name);
  const raw = col(COLUMNS.rawArea);
  if (at < 0) {
    throw new ParseError({
      file: path,
      code: 'missing-column',
      line: h + 1,
      column: COLUMNS.atomicPercent,
      message: 'the quantification table has no %At Conc column',
      expected: COLUMNS.atomicPercent,
      found: head.join(', '),
    });
  }
  const warnings: ParseWarning[] = [];
  const rows: { sample: string; name: string; be: number; area: number; at: number }[] = [];
  let sample = '';
  for (let i = h + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      if (rows.length) break; // the table ends at its first blank line; summaries follow
      continue;
    }
    if (SUMMARY.test(line)) break;
    const f = line.split('\t');
    if (f[0]!.trim()) sample = f[0]!.trim();
    const num = (c: number, what: string, required: boolean): number => {
      const t = (f[c] ?? '').trim();
      if (c < 0 || (t === '' && !required)) return NaN;
      const v = parseNumber(t);
      if (!Number.isFinite(v)) {
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: i + 1,
          column: head[c] ?? what,
          message: `${what} is not a number`,
          expected: 'a number',
          found: t || '(empty)',
        });
      }
      return v;
    };
    rows.push({ sample, name: (f[name] ?? '').trim(), be: num(pos, 'position', false), area: num(raw, 'raw area', false), at: num(at, '%At Conc', true) });
  }
  if (rows.length === 0) {
    throw new ParseError({
      file: path,
      code: 'no-data',
      line: h + 2,
      message: 'the quantification header has no rows under it',
      expected: 'one row per region or component',
      found: 'end of table',
    });
  }
  const samples = [...new Set(rows.map((r) => r.sample))];
  const stated = samples.map((s) => ({ level: etchLevelFromText(s), time: timeFromText(s) }));
  const levelOf = new Map(samples.map((s, k) => [s, stated[k]!.level ?? k]));
  const timeOf = new Map(samples.map((s, k) => [s, stated[k]!.time ?? NaN]));
  if (samples.length > 1 && stated.every((x) => x.level === undefined && x.time === undefined)) {
    warnings.push({
      code: 'samples-as-levels',
      message: `${samples.length} sample identifiers (${samples.map((s) => `'${s}'`).join(', ')}) read as levels 0…${samples.length - 1} in file order; they say nothing of etching, so they may be separate spots`,
    });
  }
  const vms = lines[0]!.split('\t')[0]!.trim();
  const meta = {
    software: 'CasaXPS',
    ...(vms && !HEADER.test(lines[0]!) ? { source: vms } : {}),
    samples,
    quantification: "CasaXPS's own (its regions, backgrounds and RSFs); not refitted",
    columns: head.filter(Boolean),
  };
  const peaks = rows.map((r) => ({
    etchLevel: levelOf.get(r.sample)!,
    sputterTimeS: timeOf.get(r.sample)!,
    region: coreLevelPrefix(r.name),
    peak: r.name,
    bindingEnergy: r.be,
    area: r.area,
    atomicPercent: r.at,
  }));
  return [buildQuantRecord(peaks, meta, warnings, 'counts*eV')];
}

export const casaQuantFormat: FormatParser = {
  id: 'casaxps-quant',
  family: 'xps',
  kind: 'xps-quantification',
  title: 'CasaXPS quantification report (text)',
  version: '1.0.0',
  extensions: ['.txt', '.csv'],
  sniff: sniffCasaQuant,
  parse: parseCasaQuant,
};
