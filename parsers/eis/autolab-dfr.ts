/**
 * Eco Chemie / Metrohm Autolab FRA data file (`.dfr`), the `VERSION8.0` form. Layout, as documented by
 * pyimpspec's `parse_dfr` (GPL code; only the layout is taken): latin-1 text, blank lines ignored;
 * line 1 `VERSION8.0`; line 2 the number of points N; line 3 a value of unknown meaning (kept raw);
 * then N points of nine lines each, one value per line:
 *
 *   frequency (Hz), Z′ (Ω), −Z″ (Ω), E_dc (V), I_dc (A), time (s), and three values of unknown meaning.
 *
 * Sign: the third value is −Im(Z) (pyimpspec negates it), so the builder flips it (`minus-im`, basis
 * `format`). The three unknown values per point are kept in `meta.unknownValuesPerPoint` for the first
 * point only, so nothing is silently dropped and nothing is interpreted.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { Column, ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { EIS } from '../../src/records/names.js';
import { latin1 } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { buildSpectrum, formatSign } from './spectrum.js';

/** The nine values of one point, in file order, declared as data. `to` = the canonical column (or kept by name). */
export const DFR_POINT: readonly { readonly name: string; readonly to?: { name: string; unit: string }; readonly scale?: number }[] = [
  { name: 'frequency', to: EIS.frequency },
  { name: "Z'", to: EIS.zReal },
  { name: "-Z''", to: EIS.zImag },
  { name: 'E_dc', to: EIS.voltage },
  { name: 'I_dc', to: EIS.current },
  { name: 'time', to: EIS.time },
  { name: 'unknown 7' },
  { name: 'unknown 8' },
  { name: 'unknown 9' },
];

const VERSION = /^VERSION(\d+)(?:\.(\d+))?$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseAutolabDfr(input: ParseInput): ParsedRecord[] {
  const { path, bytes } = input;
  if (bytes.length === 0)
    throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'file is empty', expected: 'an Autolab .dfr file', found: '0 bytes' });
  // Non-blank lines with their 1-based line numbers.
  const lines: { text: string; line: number }[] = [];
  splitLines(latin1(bytes)).forEach((l, i) => {
    const t = l.trim();
    if (t) lines.push({ text: t, line: i + 1 });
  });
  const first = lines[0];
  const v = VERSION.exec(first?.text ?? '');
  if (!v)
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: first?.line ?? 1,
      message: 'not an Autolab .dfr file',
      expected: 'VERSION8.0',
      found: first?.text ?? '(no text)',
    });
  if (v[1] !== '8')
    throw new ParseError({
      file: path,
      code: 'unsupported-version',
      line: first!.line,
      message: 'only the VERSION8 layout of .dfr files is documented',
      expected: 'VERSION8.0',
      found: first!.text,
    });
  const countLine = lines[1];
  const n = Number(countLine?.text);
  if (!countLine || !Number.isInteger(n) || n <= 0) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: countLine?.line ?? first!.line + 1,
      message: 'the second line must be the number of points',
      expected: 'a positive integer',
      found: countLine?.text ?? '(end of file)',
    });
  }
  const per = DFR_POINT.length;
  const available = lines.length - 3;
  // The count must not size an allocation beyond what the file can hold (a corrupt count of 1e9).
  if (available < n * per) {
    const whole = Math.max(0, Math.floor(available / per));
    const last = lines[lines.length - 1]!;
    throw new ParseError({
      file: path,
      code: 'truncated',
      line: last.line,
      message: `header says ${n} points of ${per} lines each, the file holds ${available} value lines (${whole} whole points)`,
      expected: `${n * per} value lines`,
      found: String(Math.max(0, available)),
    });
  }
  const values = DFR_POINT.map(() => new Float64Array(n));
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < per; k++) {
      const l = lines[3 + p * per + k]!;
      if (!NUMBER.test(l.text)) {
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: l.line,
          column: DFR_POINT[k]!.name,
          message: `point ${p + 1}: value ${k + 1} of ${per} is not a number`,
          expected: 'one number per line',
          found: l.text,
        });
      }
      values[k]![p] = Number(l.text);
    }
  }
  const warnings: ParseWarning[] = [];
  const extra = lines.length - 3 - n * per;
  if (extra > 0)
    warnings.push({ code: 'trailing-lines', line: lines[3 + n * per]!.line, message: `${extra} line(s) after the ${n} declared points were not read` });
  const columns: Column[] = [];
  DFR_POINT.forEach((c, k) => {
    if (c.to) columns.push({ name: c.to.name, unit: c.to.unit, values: values[k]! });
  });
  return [
    buildSpectrum({
      path,
      columns,
      spectrumIndex: 0,
      line: lines[3]?.line,
      warnings,
      imagSign: formatSign('minus-im', 'Autolab .dfr stores -Im(Z) as the third value of each point'),
      meta: {
        software: 'Autolab FRA (Eco Chemie / Metrohm)',
        fileVersion: first!.text,
        points: n,
        headerValue3: lines[2]!.text,
        unknownValuesPerPoint: {
          names: DFR_POINT.filter((c) => !c.to).map((c) => c.name),
          firstPoint: DFR_POINT.flatMap((c, k) => (c.to ? [] : [values[k]![0]!])),
        },
      },
    }),
  ];
}

export function sniffAutolabDfr(s: SniffInput): number {
  const lines = s.headText
    .split(/\r\n|\n|\r/, 12)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const v = VERSION.exec(lines[0] ?? '');
  if (!v || !/^\d+$/.test(lines[1] ?? '')) return 0;
  // One number per line after the count is what makes it this layout.
  if (!lines.slice(2, 8).every((l) => NUMBER.test(l))) return 0;
  return v[1] === '8' ? 0.9 : 0.6; // other versions: ours, to refuse with `unsupported-version`
}

export const autolabDfr: FormatParser = {
  id: 'autolab-dfr',
  family: 'eis',
  kind: 'eis',
  title: 'Autolab / Eco Chemie FRA data file (.dfr, VERSION8)',
  version: '1',
  extensions: ['.dfr'],
  sniff: sniffAutolabDfr,
  parse: parseAutolabDfr,
};
