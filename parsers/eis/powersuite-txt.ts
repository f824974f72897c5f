/**
 * Princeton Applied Research PowerSuite impedance text export: one header line
 * `Frequency<TAB> Zre<TAB> Zimg`, then three tab-separated columns, often with mixed CR / CRLF
 * line ends (the fixture ends every line in CR CR LF). No metadata at all.
 *
 * Sign: Zimg is Im(Z) itself (negative on the fixture's capacitive arc; impedance.py's
 * readPowerSuite keeps it as is), so no flip. The file states no units: Hz and ohm are assumed
 * and a `unit-not-stated` warning says so.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { buildSpectrum, formatSign } from './spectrum.js';
import { eisText, readEisTable, zRules, type EisRule } from './text.js';

export const POWERSUITE_RULES: readonly EisRule[] = zRules({ freq: ['Frequency'], real: ['Zre'], imag: ['Zimg'], zUnitAssumed: true, freqUnitAssumed: true });

const HEADER = /^Frequency\t\s*Zre\t\s*Zimg\s*$/;

export function parsePowerSuiteTxt(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  if (!HEADER.test(t.lines[0] ?? '')) {
    throw new ParseError({
      file: t.path,
      code: 'bad-header',
      line: 1,
      message: 'not a PowerSuite impedance export',
      expected: 'Frequency\\t Zre\\t Zimg',
      found: t.lines[0] ?? '',
    });
  }
  const table = readEisTable(t, { beforeData: 0, delimiter: '\t', rules: POWERSUITE_RULES });
  return [
    buildSpectrum({
      path: t.path,
      columns: table.columns,
      spectrumIndex: 0,
      line: 2,
      warnings: table.warnings,
      imagSign: formatSign('im', 'PowerSuite column Zimg is Im(Z) (true imaginary part)'),
      meta: { software: 'PowerSuite', instrument: 'Princeton Applied Research (PowerSuite)', unreadColumns: table.unread },
    }),
  ];
}

export function sniffPowerSuiteTxt(s: SniffInput): number {
  const first = s.headText.split(/\r\n|\n|\r/, 1)[0] ?? '';
  return HEADER.test(first) ? 0.85 : 0;
}

export const powerSuiteTxt: FormatParser = {
  id: 'powersuite-txt',
  family: 'eis',
  kind: 'eis',
  title: 'Princeton Applied Research PowerSuite impedance text',
  version: '1',
  extensions: ['.txt'],
  sniff: sniffPowerSuiteTxt,
  parse: parsePowerSuiteTxt,
};
