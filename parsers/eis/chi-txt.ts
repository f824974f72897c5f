/**
 * CH Instruments "A.C. Impedance" text export (CHI 600/700 series, "Convert to Text"):
 * a date line, the technique, `Key: value` / `Key = value` settings, then
 * `Freq/Hz, Z'/ohm, Z"/ohm, Z/ohm, Phase/deg`, a blank line, and comma+space rows.
 *
 * Sign: CHI's Z" is Im(Z) itself (negative on capacitive arcs, phase negative with it);
 * impedance.py's readCHInstruments keeps it as is, so no flip.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { buildSpectrum, formatSign } from './spectrum.js';
import { clockOf, eisText, findLineIndex, isoLocal, keyValues, monthOf, num, readEisTable, zRules, type EisRule } from './text.js';

export const CHI_RULES: readonly EisRule[] = zRules({ freq: ['Freq/Hz', 'Freq'], real: ["Z'/ohm", "Z'"], imag: ["Z''/ohm", "Z''"] });

export function parseChiTxt(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  const { lines } = t;
  const h = findLineIndex(lines, /^\s*Freq\/Hz\s*,/);
  if (h < 0) {
    throw new ParseError({
      file: t.path,
      code: 'missing-column',
      line: 1,
      message: 'no CHI impedance header',
      expected: `Freq/Hz, Z'/ohm, Z"/ohm, …`,
      found: lines.slice(0, 3).join(' | '),
    });
  }
  const warnings: ParseWarning[] = [];
  const kv = keyValues(lines, 0, h, /\s*[:=]\s+/);
  const meta: RecordMeta = { software: 'CHI electrochemical software' };
  const model = kv.get('Instrument Model');
  meta.instrument = model ? `CH Instruments ${model}` : 'CH Instruments';
  if (!model) warnings.push({ code: 'instrument-not-stated', message: "no 'Instrument Model' line" });
  const tech = findLineIndex(lines, /^A\.C\. Impedance\s*$/, 0, h);
  if (tech >= 0) meta.technique = 'A.C. Impedance';
  const e = num(kv.get('Init E (V)'));
  if (e !== undefined) meta.dcPotential = e;
  const amp = num(kv.get('Amplitude (V)'));
  if (amp !== undefined) meta.acAmplitudeV = amp;
  // First line: `Feb. 20, 2020   15:55:08` (English month name, no zone).
  const d = /^\s*([A-Za-z]{3,}\.?)\s+(\d{1,2}),\s*(\d{4})\s+(\S+)/.exec(lines[0] ?? '');
  if (d && Number.isFinite(monthOf(d[1]!))) {
    const c = clockOf(d[4]!) ?? [0, 0, 0];
    meta.startTime = isoLocal(+d[3]!, monthOf(d[1]!), +d[2]!, ...c);
  } else warnings.push({ code: 'unreadable-date', message: `first line '${lines[0] ?? ''}' is not a CHI date line` });
  // The header writes Z" with a double quote, which a CSV reader would take for a quote: rewrite it as Z''.
  const header = lines[h]!.replace(/"/g, "''");
  const table = readEisTable(t, { beforeData: h, header, delimiter: ',', rules: CHI_RULES });
  warnings.push(...table.warnings);
  return [
    buildSpectrum({
      path: t.path,
      columns: table.columns,
      spectrumIndex: 0,
      line: h + 1,
      warnings,
      imagSign: formatSign('im', `CHI column Z"/ohm is Im(Z) (true imaginary part)`),
      meta: { ...meta, unreadColumns: table.unread },
    }),
  ];
}

export function sniffChiTxt(s: SniffInput): number {
  const t = s.headText;
  const header = /\n[^\S\n]*Freq\/Hz, Z'\/ohm, Z"\/ohm/.test(t); // not \s*: quadratic on blank-line runs (fuzz regression);
  if (!header) return 0;
  return /\nA\.C\. Impedance\r?\n/.test(t) || /Instrument Model:\s+CHI/.test(t) ? 0.95 : 0.8;
}

export const chiTxt: FormatParser = {
  id: 'chi-txt',
  family: 'eis',
  kind: 'eis',
  title: 'CH Instruments A.C. Impedance text export',
  version: '1',
  extensions: ['.txt'],
  sniff: sniffChiTxt,
  parse: parseChiTxt,
};
