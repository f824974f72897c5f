/**
 * aixACCT per-table TSV, as written by the JAnderson419/Ferro `.dat` splitter: one header line
 * `Time s<TAB>Vplus V<TAB>Vminus V<TAB>I1 A<TAB>P1 uC_per_cm2<TAB>I2 A…` (name, space, unit; `[]+-/`
 * removed), then tab-separated numbers. No thickness or area is written, so Electric Field needs
 * options.thicknessNm; polarisation is already areal (µC/cm²).
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { lineOffset, splitFields } from '../text/table.js';
import { scanDelimitedAuto } from '../text/parallel-scan.js';
import { buildLoop, readLoopOptions } from './loop.js';
import { mapAixColumns } from './aixacct-columns.js';

const HEADER = /^Time s\tVplus V\t/;

function sniff(s: SniffInput): number {
  return HEADER.test(s.headText) ? 0.95 : 0;
}

function parse(input: ParseInput): ParsedRecord[] {
  const { path, bytes } = input;
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', message: 'file is empty' });
  const dec = decodeText(bytes);
  const first = splitLines(dec.text.slice(0, 4096))[0] ?? '';
  if (!HEADER.test(first))
    throw new ParseError({ file: path, code: 'bad-header', line: 1, message: 'not an aixACCT table TSV', expected: 'Time s<TAB>Vplus V<TAB>…', found: first });
  const headers = splitFields(first, '\t').filter((h, i, a) => h !== '' || i < a.length - 1);
  const scan = scanDelimitedAuto(bytes, {
    path,
    start: lineOffset(bytes, 1) + dec.bomLength,
    firstLine: 2,
    delimiter: '\t',
    kinds: headers.map(() => 'number'),
    names: headers,
  });
  if (scan.rows === 0)
    throw new ParseError({ file: path, code: 'no-data', line: 2, message: 'no data rows', expected: 'rows of numbers', found: 'end of file' });
  const warnings: ParseWarning[] = [];
  if (scan.truncatedLastLine) warnings.push({ code: 'truncated-last-line', message: 'the last line is incomplete and was not read', rows: 1 });
  const parts = mapAixColumns(
    path,
    1,
    headers,
    scan.numbers.map((n) => n!),
    warnings,
  );
  if (!parts.polarization || !parts.voltage)
    throw new ParseError({
      file: path,
      code: 'missing-column',
      line: 1,
      message: 'no Vplus/P1 columns',
      expected: 'Vplus V and P1 uC_per_cm2',
      found: headers.join(', '),
    });
  return [buildLoop(parts, readLoopOptions(input.options), { software: 'aixPlorer (per-table TSV)', technique: 'dynamic hysteresis' }, warnings)];
}

export const aixacctTsv: FormatParser = {
  id: 'aixacct-tsv',
  family: 'pe-loop',
  kind: 'pe-loop',
  title: 'aixACCT hysteresis table as TSV (Ferro converter layout)',
  version: '1.0.0',
  extensions: ['.tsv'],
  sniff,
  parse,
};
