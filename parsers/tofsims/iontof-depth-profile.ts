/**
 * IONTOF SurfaceLab depth-profile ASCII export ("Export → ASCII" of a profile).
 *
 * Layout, as seen in the X-LAB UHasselt exports (SurfaceLab 7, tab-separated, CRLF):
 *   # Profile Smoothing is Disabled            ← zero or more '#' comment lines (`# Key: value` kept as meta)
 *   #<TAB><TAB><TAB><TAB>total<TAB>Ag_3+ ...    ← ion labels, one per intensity column
 *   #<TAB><TAB><TAB><TAB>N/A<TAB>320.7077 ...   ← exact mass per label (N/A for total, sums, ratios)
 *   #Data Point #<TAB>Sputter Time (s)<TAB>Dose (ions)<TAB>Fluence (ions/cm^2)<TAB>Intensity ...
 *   1<TAB>0<TAB>2.11e+06<TAB>8.45e+10<TAB>315330<TAB>2.00147 ...
 * Axis columns are matched by the rules in AXIS_RULES (data, not code). A label `A / ( B )` is a ratio
 * column SurfaceLab computed; it can be `inf` where B is 0, which we keep as NaN with a warning.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { Column, ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { SIMS } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines, splitKeyValue } from '../text/lines.js';
import { parseNumber } from '../text/numbers.js';
import { polarityOf, uniqueNames } from './ions.js';

interface AxisRule {
  readonly match: RegExp;
  readonly to: { name: string; unit: string } | null;
}

/** Leading (non-intensity) columns. `null` target: kept under its own name. */
const AXIS_RULES: readonly AxisRule[] = [
  { match: /^#?\s*data point/i, to: { name: 'Data Point', unit: '1' } },
  { match: /^sputter time\s*\(s\)$/i, to: SIMS.sputterTime },
  { match: /^fluence\s*\(ions\/cm\^?2\)$/i, to: SIMS.sputterDose },
  { match: /^dose\s*\(ions\)$/i, to: { name: 'Primary Ion Dose', unit: 'ions' } },
  { match: /^depth\s*\(nm\)$/i, to: { name: 'Depth', unit: 'nm' } },
];

export type IonColumnKind = 'ion' | 'sum' | 'ratio' | 'total';

export interface IonInfo {
  readonly label: string;
  readonly column: string;
  readonly mass: number | null;
  readonly kind: IonColumnKind;
}

function classify(label: string, mass: number | null): IonColumnKind {
  if (/^total$/i.test(label.trim())) return 'total';
  if (/\s\/\s\(/.test(label)) return 'ratio';
  if (mass === null) return 'sum';
  return 'ion';
}

function sniff(s: SniffInput): number {
  const t = s.headText;
  if (!/^#/.test(t)) return 0;
  const head = t.slice(0, 200_000);
  const hasHeader = /#\s*Data Point #?\t/i.test(head) && /\tIntensity/.test(head);
  if (!hasHeader) return 0;
  return /Sputter Time|Fluence|Dose \(ions\)/i.test(head) ? 0.95 : 0.6;
}

function parse(input: ParseInput): ParsedRecord[] {
  const { path, bytes } = input;
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', message: 'file is empty' });
  const lines = splitLines(decodeText(bytes).text);
  const hi = lines.findIndex((l) => /^#\s*Data Point/i.test(l));
  if (hi < 0) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: 'no column header line',
      expected: "a line starting '#Data Point #'",
      found: lines[0] ?? '',
    });
  }
  const header = lines[hi]!.split('\t').map((f) => f.trim());
  while (header.length > 1 && header[header.length - 1] === '') header.pop();
  const firstIntensity = header.findIndex((h) => /^intensity/i.test(h));
  if (firstIntensity < 0) {
    throw new ParseError({
      file: path,
      code: 'missing-column',
      line: hi + 1,
      message: 'no intensity columns',
      expected: "'Intensity' columns",
      found: header.join(', '),
    });
  }
  // Ion labels and masses: the two '#' lines right above the header.
  if (hi < 2 || !lines[hi - 1]!.startsWith('#') || !lines[hi - 2]!.startsWith('#')) {
    throw new ParseError({
      file: path,
      code: 'missing-column',
      line: hi + 1,
      message: 'ion-label and mass rows missing above the header',
      expected: "'#' row of ion labels, then '#' row of masses",
      found: lines[hi - 1] ?? '',
    });
  }
  const labelsRow = lines[hi - 2]!.split('\t');
  const massRow = lines[hi - 1]!.split('\t');
  const nIntensity = header.length - firstIntensity;
  const labels: string[] = [];
  const masses: (number | null)[] = [];
  for (let k = 0; k < nIntensity; k++) {
    const j = firstIntensity + k;
    const label = (labelsRow[j] ?? '').trim();
    const mcell = (massRow[j] ?? '').trim();
    if (!label) {
      throw new ParseError({
        file: path,
        code: 'missing-column',
        line: hi - 1,
        message: `no ion label for intensity column ${k + 1}`,
        expected: 'an ion label',
        found: '(empty)',
      });
    }
    if (!mcell) {
      throw new ParseError({
        file: path,
        code: 'missing-column',
        line: hi,
        column: label,
        message: `no mass for ion '${label}'`,
        expected: 'a mass in u or N/A',
        found: '(empty)',
      });
    }
    const m = parseNumber(mcell);
    if (Number.isNaN(m) && !/^n\/?a$/i.test(mcell)) {
      throw new ParseError({
        file: path,
        code: 'bad-number',
        line: hi,
        column: label,
        message: 'mass is not a number',
        expected: 'a mass in u or N/A',
        found: mcell,
      });
    }
    labels.push(label);
    masses.push(Number.isFinite(m) ? m : null);
  }
  const warnings: ParseWarning[] = [];
  const names = uniqueNames(labels, masses, warnings);

  // Header comments (`# Key: value` or free text) before the label rows.
  const headerMeta: Record<string, string> = {};
  const notes: string[] = [];
  for (let i = 0; i < hi - 2; i++) {
    const t = lines[i]!.replace(/^#\s*/, '').trim();
    if (!t) continue;
    const kv = splitKeyValue(t, [':']);
    if (kv && kv[1]) headerMeta[kv[0]] = kv[1];
    else notes.push(t);
  }

  // Data rows.
  const ncol = header.length;
  const cols: number[][] = header.map(() => []);
  const nonFinite = new Array<number>(ncol).fill(0);
  let zeroTotalRows = 0;
  for (let i = hi + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const f = line.split('\t');
    while (f.length > ncol && f[f.length - 1]!.trim() === '') f.pop();
    if (f.length !== ncol) {
      throw new ParseError({
        file: path,
        code: 'ragged-row',
        line: i + 1,
        message: `row has ${f.length} fields but the header has ${ncol}`,
        expected: `${ncol} fields`,
        found: `${f.length} fields`,
      });
    }
    let rowTotal = 0;
    for (let j = 0; j < ncol; j++) {
      const cell = f[j]!.trim();
      let v = parseNumber(cell);
      if (Number.isNaN(v) && !/^(n\/?a|nan)$/i.test(cell)) {
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: i + 1,
          column: j >= firstIntensity ? labels[j - firstIntensity] : header[j],
          message: 'text in a numeric column',
          expected: 'a number',
          found: cell,
        });
      }
      if (!Number.isFinite(v)) {
        nonFinite[j]!++;
        v = NaN;
      }
      if (j >= firstIntensity) {
        const kind = classify(labels[j - firstIntensity]!, masses[j - firstIntensity]!);
        if (kind !== 'ratio' && v < 0) {
          throw new ParseError({
            file: path,
            code: 'invalid',
            line: i + 1,
            column: labels[j - firstIntensity],
            message: 'negative count',
            expected: 'counts ≥ 0',
            found: cell,
          });
        }
        if (kind !== 'ratio' && kind !== 'total' && v > 0) rowTotal += v;
      }
      cols[j]!.push(v);
    }
    if (rowTotal === 0) zeroTotalRows++;
  }
  const rows = cols[0]!.length;
  if (rows === 0)
    throw new ParseError({ file: path, code: 'no-data', line: hi + 2, message: 'no data rows after the header', expected: 'data rows', found: 'end of file' });
  if (zeroTotalRows === rows) {
    throw new ParseError({
      file: path,
      code: 'no-data',
      line: hi + 2,
      message: 'every row has zero total counts',
      expected: 'some counts > 0',
      found: `${rows} all-zero rows`,
    });
  }
  if (zeroTotalRows > 0) {
    warnings.push({
      code: 'zero-count-rows',
      message: `${zeroTotalRows} rows have zero counts in every ion column (e.g. the last point of an interrupted cycle); TIC normalisation leaves them NaN`,
      rows: zeroTotalRows,
    });
  }

  const columns: Column[] = [];
  for (let j = 0; j < firstIntensity; j++) {
    const h = header[j]!;
    const rule = AXIS_RULES.find((r) => r.match.test(h));
    if (!rule) warnings.push({ code: 'unknown-column', message: `axis column '${h}' is not one we know; kept under its own name` });
    const to = rule?.to ?? { name: h.replace(/^#\s*/, ''), unit: '' };
    columns.push({ name: to.name, unit: to.unit, values: Float64Array.from(cols[j]!) });
    if (nonFinite[j])
      warnings.push({ code: 'non-finite-values', message: `column '${h}': ${nonFinite[j]} non-finite or N/A cells kept as NaN`, rows: nonFinite[j] });
  }
  if (!columns.some((c) => c.name === SIMS.sputterTime.name || c.name === SIMS.sputterDose.name)) {
    warnings.push({ code: 'no-depth-axis', message: 'neither Sputter Time (s) nor Fluence (ions/cm^2) found: depth analysis will use the data point index' });
  }
  const ions: IonInfo[] = [];
  const noMass: string[] = [];
  for (let k = 0; k < nIntensity; k++) {
    const j = firstIntensity + k;
    const kind = classify(labels[k]!, masses[k]!);
    const name = kind === 'total' ? 'Total' : names[k]!;
    columns.push({ name, unit: kind === 'ratio' ? '1' : SIMS.intensity.unit, values: Float64Array.from(cols[j]!) });
    ions.push({ label: labels[k]!, column: name, mass: masses[k]!, kind });
    if (masses[k] === null && kind !== 'total') noMass.push(labels[k]!);
    if (nonFinite[j]) {
      warnings.push({
        code: 'non-finite-values',
        message: `column '${labels[k]}': ${nonFinite[j]} inf/N/A cells kept as NaN${kind === 'ratio' ? ' (a SurfaceLab ratio divided by zero)' : ''}`,
        rows: nonFinite[j],
      });
    }
  }
  if (noMass.length) {
    warnings.push({
      code: 'no-mass',
      message: `${noMass.length} columns have mass N/A (SurfaceLab sums or ratios): ${noMass.slice(0, 6).join('; ')}${noMass.length > 6 ? '; …' : ''}`,
    });
  }
  const ionLabels = ions.filter((i) => i.kind === 'ion').map((i) => i.label);
  return [
    {
      kind: 'sims-depth-profile',
      meta: {
        instrument: 'IONTOF',
        software: 'SurfaceLab',
        technique: 'ToF-SIMS depth profile',
        polarity: polarityOf(ionLabels),
        polaritySource: 'ion labels',
        ions,
        header: headerMeta,
        notes,
        points: rows,
      },
      columns,
      warnings,
    },
  ];
}

export const iontofDepthProfile: FormatParser = {
  id: 'iontof-depth-profile-txt',
  family: 'tofsims',
  kind: 'sims-depth-profile',
  title: 'IONTOF SurfaceLab depth-profile ASCII export',
  version: '1.0.0',
  extensions: ['.txt'],
  sniff,
  parse,
};
