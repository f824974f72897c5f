/**
 * Maccor AC-impedance (FRA) export, e.g. `*.EDA0001.041`: eight free-text lines (line 1
 * `MACCOR, INC.  AC Impedance Test`, line 3 the procedure, line 7 `Start Date: … Start Time: …`),
 * one line of numeric FRA settings (kept raw: their meaning is not documented), a blank line, a tab
 * header `Freq(Hz) Polar(V) time(sec) Z'(a) Z''(b) Phase_Angle Z-Mag C(F) … V-DC …`, a blank
 * line, then tab rows that stop after the last written column (here 13 of 24 header fields).
 *
 * Sign: Maccor borrows ZPlot's names; Z''(b) is Im(Z) itself. Evidence from the fixture
 * (beep__maccor_test_file_4267-66-6519.EDA0001.041): the high-frequency points form a semicircle
 * with Z'' < 0 (1 MHz → 1 kHz, Z' 0.8 → 20), a capacitive arc only if Z'' is Im(Z); and
 * Phase_Angle = atan2(Z'', Z') holds on the rows (e.g. row 1: atan2(−0.849, 0.773) = −47.7°).
 * Units of Z'(a)/Z''(b) are not stated: read as ohm with a `unit-not-stated` warning.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { EIS } from '../../src/records/names.js';
import { buildSpectrum, formatSign } from './spectrum.js';
import { clockOf, eisText, fieldCountAt, findLineIndex, isoLocal, monthOf, readEisTable, zRules, type EisRule } from './text.js';
import { splitFields } from '../text/table.js';
import { zplotHeaderNames } from './zplot.js';

export const MACCOR_EIS_RULES: readonly EisRule[] = [
  ...zRules({ freq: ['Freq(Hz)'], real: ["Z'"], imag: ["Z''"], zUnitAssumed: true }),
  { match: ['time(sec)'], to: EIS.time, unit: 's' },
  { match: ['V-DC'], to: EIS.voltage, unit: 'V', unitAssumed: true },
];

export function parseMaccorEis(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  const { lines } = t;
  if (!/^MACCOR, INC\./.test(lines[0] ?? '')) {
    throw new ParseError({
      file: t.path,
      code: 'bad-header',
      line: 1,
      message: 'not a Maccor AC impedance export',
      expected: 'MACCOR, INC.    AC Impedance Test',
      found: lines[0] ?? '',
    });
  }
  const h = findLineIndex(lines, /^Freq\(Hz\)\t/, 0, 40);
  if (h < 0) {
    throw new ParseError({
      file: t.path,
      code: 'missing-column',
      line: 1,
      message: 'no Maccor impedance header in the first 40 lines',
      expected: "Freq(Hz)\\tPolar(V)\\ttime(sec)\\tZ'(a)\\tZ''(b)…",
      found: lines.slice(8, 12).join(' | '),
    });
  }
  const warnings: ParseWarning[] = [];
  const all = splitFields(lines[h]!, '\t');
  // Rows stop after the last column Maccor actually writes: read the header up to that width so the
  // last row is not mistaken for a truncated one; the unwritten names are listed in meta.
  const width = fieldCountAt(lines, h + 1, '\t');
  const written = width > 0 && width < all.length ? all.slice(0, width) : all;
  const table = readEisTable(t, { beforeData: h, header: zplotHeaderNames(written.join('\t')), delimiter: '\t', rules: MACCOR_EIS_RULES });
  warnings.push(...table.warnings);

  const meta: RecordMeta = { instrument: 'Maccor', software: 'Maccor FRA', technique: (lines[0] ?? '').replace(/^MACCOR, INC\.\s*/, '').trim() };
  if (lines[1]) meta.sweep = lines[1].trim();
  if (lines[2]) meta.procedure = lines[2].trim();
  if (lines[3]) meta.sourceFile = lines[3].trim();
  const settings = lines.slice(4, h).find((l) => /^[\d.\s-]+$/.test(l) && l.trim().split(/\s+/).length > 5);
  if (settings) meta.fraSettingsRaw = settings.trim();
  const sd = lines
    .slice(0, h)
    .map((l) => /Start Date:\s*(?:\w+,\s*)?([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})\s+Start Time:\s*(\S+)/.exec(l))
    .find((m) => m);
  if (sd && Number.isFinite(monthOf(sd[1]!))) meta.startTime = isoLocal(+sd[3]!, monthOf(sd[1]!), +sd[2]!, ...(clockOf(sd[4]!) ?? [0, 0, 0]));
  else warnings.push({ code: 'unreadable-date', message: "no 'Start Date: … Start Time: …' line understood" });
  const unwritten = all.slice(written.length).filter((x) => x);
  return [
    buildSpectrum({
      path: t.path,
      columns: table.columns,
      spectrumIndex: 0,
      line: h + 1,
      warnings,
      imagSign: formatSign('im', `Maccor column Z''(b) is Im(Z) (ZPlot naming; capacitive arc negative)`),
      meta: { ...meta, unreadColumns: table.unread, unwrittenColumns: unwritten },
    }),
  ];
}

export function sniffMaccorEis(s: SniffInput): number {
  if (!/^MACCOR, INC\.\s+AC Impedance/.test(s.headText)) return 0;
  return /\nFreq\(Hz\)\t.*Z'\(a\)\tZ''\(b\)/.test(s.headText) ? 0.95 : 0.7;
}

export const maccorEis: FormatParser = {
  id: 'maccor-eis-txt',
  family: 'eis',
  kind: 'eis',
  title: 'Maccor AC impedance (FRA) text export',
  version: '1',
  extensions: [],
  sniff: sniffMaccorEis,
  parse: parseMaccorEis,
};
