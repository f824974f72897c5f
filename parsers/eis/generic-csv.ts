/**
 * Generic impedance CSV: a header row naming frequency, Z′ and Z″ columns (any order, optional
 * units), comma/semicolon/tab separated, then numeric rows. Lines starting with `#` before the
 * header are comments.
 *
 * Sign convention, decided in this order and recorded in `meta.imagSignSource`:
 *  1. `options.imagSign` ('im' | 'minus-im') from the manifest, if given;
 *  2. the header: a leading minus (`-Z''`, `-Im(Z)`, `"-Z''"`, `−Z″`) means the column is −Im(Z);
 *  3. the data: without a sign in the header, a column whose values are mostly POSITIVE over the
 *     lower-frequency half is taken as −Im(Z) (a battery/RC capacitive arc is negative in Im(Z));
 *     mostly negative → Im(Z). Either way a warning states that the sign was inferred.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { EIS } from '../../src/records/names.js';
import { buildSpectrum, lowFrequencySign, type ImagSignSource } from './spectrum.js';
import { eisText, readEisTable, type EisRule } from './text.js';
import { detectDecimalComma } from '../text/numbers.js';
import { detectDelimiter, splitFields } from '../text/table.js';

/** Header patterns (whole header, quotes stripped). The imaginary pattern allows a leading minus. */
export const GENERIC_FREQ = /^(freq(uency)?|f)\s*([/([].*)?$/i;
export const GENERIC_REAL = /^(z'|z′|re_z|zre(al)?|z_re(al)?|z\s+re(al)?|re\s*\(\s*z\s*\)|re\(z\)|real(\s*\(?z\)?)?|z\s*real)\s*([/([].*)?$/i;
export const GENERIC_IMAG = /^[-−]?\s*(z''|z"|z″|im_z|zim(ag)?|z_im(ag)?|z\s+im(ag)?|im\s*\(\s*z\s*\)|im|imag(inary)?(\s*\(?z\)?)?|z\s*imag)\s*([/([].*)?$/i;
const MINUS = /^[-−]/;

/** Header cell without quotes; `Re(Z)`/`Im(Z)` become `Re_Z`/`Im_Z` so the shared unit splitter does not take `(Z)` for a unit. */
function clean(h: string): string {
  return h
    .trim()
    .replace(/^"+|"+$/g, '')
    .trim()
    .replace(/\b(Re|Im)\s*\(\s*Z\s*\)/gi, '$1_Z');
}

export const GENERIC_RULES: readonly EisRule[] = [
  { match: [GENERIC_FREQ as RegExp], to: EIS.frequency, unit: 'Hz', required: true, unitAssumed: true },
  { match: [GENERIC_REAL], to: EIS.zReal, unit: 'ohm', required: true, unitAssumed: true },
  { match: [GENERIC_IMAG], to: EIS.zImag, unit: 'ohm', required: true, unitAssumed: true },
];

function findHeader(lines: readonly string[]): { index: number; delimiter: string } | null {
  for (let i = 0; i < Math.min(lines.length, 30); i++) {
    const l = lines[i]!;
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    const delimiter = detectDelimiter(lines.slice(i, i + 6), ['\t', ',', ';']);
    const f = splitFields(l, delimiter).map(clean);
    if (f.some((x) => GENERIC_FREQ.test(x)) && f.some((x) => GENERIC_REAL.test(x)) && f.some((x) => GENERIC_IMAG.test(x))) return { index: i, delimiter };
    return null; // the first non-comment line must be the header
  }
  return null;
}

export function parseGenericEisCsv(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  const found = findHeader(t.lines);
  if (!found) {
    throw new ParseError({
      file: t.path,
      code: 'missing-column',
      line: 1,
      message: 'first non-comment line does not name frequency, real and imaginary impedance columns',
      expected: "e.g. freq/Hz, Z'/ohm, -Z''/ohm",
      found: t.lines.find((l) => l.trim() && !l.trimStart().startsWith('#')) ?? '',
    });
  }
  const { index, delimiter } = found;
  // Quotes around header names are removed so `"-Z''"` is matched like -Z''.
  const names = splitFields(t.lines[index]!, delimiter).map(clean);
  const sample = t.lines.slice(index + 1, index + 20);
  const table = readEisTable(t, {
    beforeData: index,
    header: names.map((n) => (n.includes(delimiter) ? `"${n}"` : n)).join(delimiter),
    delimiter,
    rules: GENERIC_RULES,
    decimalComma: detectDecimalComma(sample, delimiter),
  });
  const warnings: ParseWarning[] = [...table.warnings];
  const imagHeader = names.find((n) => GENERIC_IMAG.test(n) && !GENERIC_REAL.test(n)) ?? names.find((n) => GENERIC_IMAG.test(n))!;
  const f = table.columns.find((c) => c.name === EIS.frequency.name)!.values;
  const zi = table.columns.find((c) => c.name === EIS.zImag.name)!.values;
  const imagSign = decideSign(input.options?.imagSign, imagHeader, f, zi, warnings, t.path);
  return [
    buildSpectrum({
      path: t.path,
      columns: table.columns,
      spectrumIndex: 0,
      line: index + 1,
      warnings,
      imagSign,
      meta: { software: 'generic CSV', unreadColumns: table.unread },
    }),
  ];
}

function decideSign(option: unknown, header: string, f: ArrayLike<number>, zi: ArrayLike<number>, warnings: ParseWarning[], path: string): ImagSignSource {
  if (option !== undefined) {
    if (option !== 'im' && option !== 'minus-im') {
      throw new ParseError({
        file: path,
        code: 'invalid',
        message: 'option imagSign must be "im" or "minus-im"',
        expected: "'im' | 'minus-im'",
        found: String(option),
      });
    }
    return { convention: option, basis: 'option', detail: `imagSign option '${option}' for column '${header}'` };
  }
  if (MINUS.test(header)) return { convention: 'minus-im', basis: 'header', detail: `column '${header}' is named with a minus: it holds −Im(Z)` };
  const s = lowFrequencySign(f, zi);
  if (s.total > 0 && s.positive > s.negative) {
    warnings.push({
      code: 'imag-sign-inferred',
      message: `column '${header}' has no sign in its name; ${s.positive} of ${s.total} low-frequency values are positive, so it was read as −Im(Z) (capacitive arcs are negative in Im(Z)) and flipped`,
    });
    return { convention: 'minus-im', basis: 'data', detail: `column '${header}' positive at low frequency (${s.positive}/${s.total}): read as −Im(Z)` };
  }
  warnings.push({
    code: 'imag-sign-inferred',
    message: `column '${header}' has no sign in its name; ${s.negative} of ${s.total} low-frequency values are negative, so it was read as Im(Z)`,
  });
  return { convention: 'im', basis: 'data', detail: `column '${header}' negative at low frequency (${s.negative}/${s.total}): read as Im(Z)` };
}

/**
 * Only a plain header on the first non-comment line, delimited by comma or semicolon (tab-separated
 * vendor tables such as Parstat and PowerSuite have their own readers), scores; and below the
 * vendor readers, so a named format always wins.
 */
export function sniffGenericEisCsv(s: SniffInput): number {
  const lines = s.headText.split(/\r\n|\n|\r/).slice(0, 40);
  const found = findHeader(lines.map((l, i) => (i === 0 ? l.replace(/^\xEF\xBB\xBF/, '') : l)));
  if (!found || found.delimiter === '\t') return 0;
  const next = lines.slice(found.index + 1).find((l) => l.trim() !== '');
  if (!next) return 0;
  const cells = splitFields(next, found.delimiter);
  const numeric = cells.filter((c) => /^\s*[+-]?(\d+[.,]?\d*|[.,]\d+)([eE][+-]?\d+)?\s*$/.test(c)).length;
  return numeric >= 3 ? 0.55 : 0;
}

export const genericEisCsv: FormatParser = {
  id: 'eis-generic-csv',
  family: 'eis',
  kind: 'eis',
  title: 'Generic impedance CSV (frequency, Z′, Z″ by header name)',
  version: '1',
  extensions: ['.csv'],
  sniff: sniffGenericEisCsv,
  parse: parseGenericEisCsv,
};
