/**
 * Princeton Applied Research Parstat (VersaStudio "Export to text") tab table:
 * `Potential (V)  Current (A)  Elapsed Time (s)  Frequency (Hz)  Zre (ohms)  Zim (ohms)  |Vac| (V)  |Iac| (A)`.
 * A DC segment (Frequency = 0, Z = 0) may precede the impedance rows: those rows are not
 * impedance points and are skipped with a `dc-rows-skipped` warning giving their count.
 *
 * Sign: Zim is Im(Z) itself (negative at low frequency in the fixture; impedance.py's readParstat
 * keeps it), so no flip.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { Column, ParsedRecord } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { EIS } from '../../src/records/names.js';
import { buildSpectrum, formatSign } from './spectrum.js';
import { eisText, readEisTable, zRules, type EisRule } from './text.js';

export const PARSTAT_RULES: readonly EisRule[] = [
  ...zRules({ freq: ['Frequency'], real: ['Zre'], imag: ['Zim'] }),
  { match: ['Elapsed Time'], to: EIS.time, unit: 's' },
  { match: ['Potential'], to: EIS.voltage, unit: 'V' },
  { match: ['Current'], to: EIS.current, unit: 'A' },
];

const HEADER = /^Potential \(V\)\tCurrent \(A\)\tElapsed Time \(s\)\tFrequency \(Hz\)\tZre \(ohms\)\tZim \(ohms\)/;

export function parseParstatTxt(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  if (!/Frequency \(Hz\)/.test(t.lines[0] ?? '') || !/Zre/.test(t.lines[0] ?? '')) {
    throw new ParseError({
      file: t.path,
      code: 'bad-header',
      line: 1,
      message: 'not a Parstat impedance table',
      expected: 'Potential (V)\\tCurrent (A)\\tElapsed Time (s)\\tFrequency (Hz)\\tZre (ohms)\\tZim (ohms)…',
      found: t.lines[0] ?? '',
    });
  }
  const table = readEisTable(t, { beforeData: 0, delimiter: '\t', rules: PARSTAT_RULES });
  const warnings = [...table.warnings];
  // Rows with Frequency = 0 are the DC segment: drop them here with their own message (the builder
  // would drop them too, but as unexplained "frequency ≤ 0" points).
  const f = table.columns.find((c) => c.name === EIS.frequency.name)!.values;
  let dc = 0;
  for (let i = 0; i < f.length; i++) if (f[i] === 0) dc++;
  let columns: Column[] = table.columns;
  if (dc) {
    const keep: number[] = [];
    for (let i = 0; i < f.length; i++) if (f[i] !== 0) keep.push(i);
    columns = table.columns.map((c) => ({ ...c, values: Float64Array.from(keep, (i) => c.values[i]!) }));
    warnings.push({ code: 'dc-rows-skipped', message: `${dc} DC-segment row(s) with Frequency = 0 skipped (not impedance points)`, rows: dc });
  }
  return [
    buildSpectrum({
      path: t.path,
      columns,
      spectrumIndex: 0,
      line: 2,
      warnings,
      imagSign: formatSign('im', 'Parstat column Zim is Im(Z) (true imaginary part)'),
      meta: { software: 'VersaStudio/PowerStep text export', instrument: 'Princeton Applied Research Parstat', dcSegmentRows: dc, unreadColumns: table.unread },
    }),
  ];
}

export function sniffParstatTxt(s: SniffInput): number {
  return HEADER.test(s.headText) ? 0.9 : 0;
}

export const parstatTxt: FormatParser = {
  id: 'parstat-txt',
  family: 'eis',
  kind: 'eis',
  title: 'Princeton Applied Research Parstat impedance text (tab table)',
  version: '1',
  extensions: ['.txt'],
  sniff: sniffParstatTxt,
  parse: parseParstatTxt,
};
