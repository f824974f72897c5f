/**
 * IONTOF SurfaceLab mass-spectrum ASCII export.
 *
 * Layout (Oscar-Laurent ToF-SIMS_Article files, tab-separated, CRLF):
 *   # Binning: 200 channels
 *   # Deadtime Correction: on
 *   Channel<TAB>m/z<TAB>Intensity
 *   100<TAB>0.000229<TAB>0
 * `# Key: value` lines become meta (`binning`, `deadtimeCorrection`; others kept under `header` and
 * named in an `unknown-header-key` warning). Polarity is not written, so it is left unset.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { SIMS } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines, splitKeyValue } from '../text/lines.js';
import { lineOffset, splitFields } from '../text/table.js';
import { scanDelimitedAuto } from '../text/parallel-scan.js';
import { parseNumber } from '../text/numbers.js';

/** Header keys we understand → meta key and value reader. */
const HEADER_KEYS: Readonly<Record<string, { key: string; read: (v: string) => unknown }>> = {
  binning: { key: 'binning', read: (v) => parseNumber(v.replace(/channels?/i, '')) },
  'deadtime correction': { key: 'deadtimeCorrection', read: (v) => /^on|yes|true$/i.test(v.trim()) },
};

const HEADER_RE = /^channel\t\s*m\/z\t\s*intensity\s*$/i;

function sniff(s: SniffInput): number {
  const lines = s.headText.split(/\r?\n/, 40);
  const h = lines.findIndex((l) => HEADER_RE.test(l.trim()));
  if (h < 0) return 0;
  return lines.slice(0, h).every((l) => l.startsWith('#') || l.trim() === '') ? 0.95 : 0.7;
}

function parse(input: ParseInput): ParsedRecord[] {
  const { path, bytes } = input;
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', message: 'file is empty' });
  const dec = decodeText(bytes);
  const lines = splitLines(dec.text);
  const hi = lines.findIndex((l) => HEADER_RE.test(l.trim()));
  if (hi < 0) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: 'no spectrum header',
      expected: 'Channel<TAB>m/z<TAB>Intensity',
      found: lines.find((l) => !l.startsWith('#')) ?? '',
    });
  }
  const warnings: ParseWarning[] = [];
  const meta: Record<string, unknown> = { instrument: 'IONTOF', software: 'SurfaceLab', technique: 'ToF-SIMS mass spectrum' };
  const header: Record<string, string> = {};
  for (let i = 0; i < hi; i++) {
    const kv = splitKeyValue(lines[i]!.replace(/^#\s*/, ''), [':']);
    if (!kv) continue;
    const known = HEADER_KEYS[kv[0].toLowerCase()];
    if (known) meta[known.key] = known.read(kv[1]);
    else {
      header[kv[0]] = kv[1];
      warnings.push({ code: 'unknown-header-key', message: `header key '${kv[0]}' is not one we know; kept in meta.header`, line: i + 1 });
    }
  }
  if (Object.keys(header).length) meta.header = header;
  const names = splitFields(lines[hi]!.trim(), '\t');
  const start = lineOffset(bytes, hi + 1) + dec.bomLength;
  const scan = scanDelimitedAuto(bytes, { path, start, firstLine: hi + 2, delimiter: '\t', kinds: ['number', 'number', 'number'], names });
  if (scan.rows === 0)
    throw new ParseError({ file: path, code: 'no-data', line: hi + 2, message: 'no data rows', expected: 'data rows', found: 'end of file' });
  const channel = scan.numbers[0]!;
  const mz = scan.numbers[1]!;
  const intensity = scan.numbers[2]!;
  let total = 0;
  for (let k = 0; k < scan.rows; k++) {
    const v = intensity[k]!;
    if (v < 0) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        line: hi + 2 + k,
        column: 'Intensity',
        message: 'negative count',
        expected: 'counts ≥ 0',
        found: String(v),
      });
    }
    if (v > 0) total += v;
  }
  if (total === 0)
    throw new ParseError({
      file: path,
      code: 'no-data',
      line: hi + 2,
      message: 'every intensity is zero',
      expected: 'some counts > 0',
      found: `${scan.rows} zero rows`,
    });
  if (scan.emptyCells.some((n) => n > 0)) warnings.push({ code: 'empty-cells', message: 'some cells are empty and read as NaN' });
  if (scan.truncatedLastLine) warnings.push({ code: 'truncated-last-line', message: 'the last line is incomplete and was not read', rows: 1 });
  meta.points = scan.rows;
  meta.totalCounts = total;
  return [
    {
      kind: 'sims-spectrum',
      meta,
      columns: [
        { name: 'Channel', unit: '1', values: channel },
        { name: SIMS.mass.name, unit: SIMS.mass.unit, values: mz },
        { name: SIMS.intensity.name, unit: SIMS.intensity.unit, values: intensity },
      ],
      warnings,
    },
  ];
}

export const iontofSpectrum: FormatParser = {
  id: 'iontof-spectrum-txt',
  family: 'tofsims',
  kind: 'sims-spectrum',
  title: 'IONTOF SurfaceLab mass-spectrum ASCII export',
  version: '1.0.0',
  extensions: ['.txt'],
  sniff,
  parse,
};
