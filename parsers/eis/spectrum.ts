/**
 * The one place where an impedance spectrum becomes a canonical `eis` record.
 *
 * Every EIS reader hands its raw columns (as the file gives them) to `buildSpectrum`, which
 *  - flips the imaginary part when the file stores −Im(Z): the canonical `Imaginary Impedance`
 *    is the TRUE imaginary part (negative on a capacitive arc, see src/records/names.ts), so a
 *    fitter never needs to know which instrument wrote the file;
 *  - drops points that cannot be used (NaN, frequency ≤ 0) and says how many, in warnings;
 *  - flags, but keeps, unsorted or repeated frequencies (the fitter decides what to do);
 *  - refuses spectra with fewer than MIN_POINTS usable points (ParseError `no-data`).
 */
import type { Column, ParseWarning, ParsedRecord, RecordMeta } from '../../src/records/record.js';
import { EIS } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';

/** Fewer points than this cannot constrain even an R‖C arc: the spectrum is refused. */
export const MIN_POINTS = 5;

/** How the file writes the imaginary part. */
export type ImagConvention = 'im' | 'minus-im';

/** Where the convention was learned from, recorded in `meta.imagSignSource`. */
export interface ImagSignSource {
  /** `im`: the file gives Im(Z) (kept); `minus-im`: the file gives −Im(Z) (flipped by the builder). */
  readonly convention: ImagConvention;
  /** `format`: fixed by the vendor's format; `header`: read from the column header; `data`: inferred from
   * the sign at low frequency (capacitive arcs are negative in Im(Z)); `option`: set by the caller. */
  readonly basis: 'format' | 'header' | 'data' | 'option';
  /** Human sentence: which column, and why this convention. */
  readonly detail: string;
}

export interface SpectrumInput {
  readonly path: string;
  /** Columns as read; must include Frequency, Real Impedance and Imaginary Impedance (file's sign). */
  readonly columns: readonly Column[];
  readonly imagSign: ImagSignSource;
  readonly meta: RecordMeta;
  /** Warnings already found by the reader (table-level). */
  readonly warnings?: readonly ParseWarning[];
  /** 0-based index of this spectrum within its file. */
  readonly spectrumIndex: number;
  /** Where the spectrum's table starts, for the `no-data` error. */
  readonly line?: number;
  readonly offset?: number;
}

const REQUIRED = [EIS.frequency, EIS.zReal, EIS.zImag] as const;
const ORDER: readonly string[] = [EIS.frequency.name, EIS.zReal.name, EIS.zImag.name, EIS.time.name, EIS.voltage.name, EIS.current.name];

export function buildSpectrum(s: SpectrumInput): ParsedRecord {
  const byName = new Map(s.columns.map((c) => [c.name, c]));
  for (const q of REQUIRED) {
    if (!byName.has(q.name)) {
      throw new ParseError({
        file: s.path,
        code: 'missing-column',
        line: s.line,
        offset: s.offset,
        message: `impedance table has no ${q.name} column`,
        expected: q.name,
        found: s.columns.map((c) => c.name).join(', ') || 'no columns',
      });
    }
  }
  const f = byName.get(EIS.frequency.name)!.values;
  const zr = byName.get(EIS.zReal.name)!.values;
  const zi = byName.get(EIS.zImag.name)!.values;
  const n = f.length;
  for (const c of s.columns) {
    if (c.values.length !== n) {
      throw new ParseError({
        file: s.path,
        code: 'invalid',
        line: s.line,
        offset: s.offset,
        message: `column '${c.name}' has ${c.values.length} values but Frequency has ${n}`,
      });
    }
  }
  const warnings: ParseWarning[] = [...(s.warnings ?? [])];

  // Which points are usable.
  const keep = new Uint8Array(n);
  let nan = 0;
  let nonPositive = 0;
  for (let i = 0; i < n; i++) {
    const fi = f[i]!;
    if (!Number.isFinite(fi) || !Number.isFinite(zr[i]!) || !Number.isFinite(zi[i]!)) nan++;
    else if (fi <= 0) nonPositive++;
    else keep[i] = 1;
  }
  if (nan) warnings.push({ code: 'nan-points-dropped', message: `${nan} point(s) with a missing or non-finite frequency/Z′/Z″ were dropped`, rows: nan });
  if (nonPositive)
    warnings.push({
      code: 'nonpositive-frequency-dropped',
      message: `${nonPositive} point(s) with frequency ≤ 0 Hz were dropped (not impedance points)`,
      rows: nonPositive,
    });
  const kept = n - nan - nonPositive;
  if (kept < MIN_POINTS) {
    throw new ParseError({
      file: s.path,
      code: 'no-data',
      line: s.line,
      offset: s.offset,
      message: `spectrum ${s.spectrumIndex} has ${kept} usable point(s) (of ${n} rows); at least ${MIN_POINTS} are needed`,
      expected: `≥ ${MIN_POINTS} points`,
      found: `${kept} points`,
    });
  }

  const sign = s.imagSign.convention === 'minus-im' ? -1 : 1;
  const columns: Column[] = [];
  const ordered = [...s.columns].sort((a, b) => rank(a.name) - rank(b.name));
  for (const c of ordered) {
    const out = c.values instanceof Int32Array ? new Int32Array(kept) : new Float64Array(kept);
    const flip = c.name === EIS.zImag.name ? sign : 1;
    for (let i = 0, k = 0; i < n; i++) if (keep[i]) out[k++] = c.values[i]! * flip;
    columns.push(c.levels ? { name: c.name, unit: c.unit, values: out, levels: c.levels } : { name: c.name, unit: c.unit, values: out });
  }

  const freq = columns[0]!.values;
  warnings.push(...frequencyOrderWarnings(freq));
  const zImag = columns[2]!.values;
  const suspicious = lowFrequencySign(freq, zImag);
  if (suspicious.positive > 0 && suspicious.positive / suspicious.total >= 0.8) {
    warnings.push({
      code: 'imag-sign-unexpected',
      message: `after applying the file's convention (${s.imagSign.convention}), ${suspicious.positive} of ${suspicious.total} low-frequency points have Im(Z) > 0; a capacitive arc should be negative — check the sign convention`,
      rows: suspicious.positive,
    });
  }

  return {
    kind: 'eis',
    meta: { ...s.meta, spectrumIndex: s.spectrumIndex, imagSignSource: { ...s.imagSign } },
    columns,
    warnings,
  };
}

function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

/** Unsorted and repeated frequencies are kept: a sweep may be repeated or measured out of order on purpose. */
export function frequencyOrderWarnings(f: ArrayLike<number>): ParseWarning[] {
  const out: ParseWarning[] = [];
  let up = 0;
  let down = 0;
  for (let i = 1; i < f.length; i++) {
    if (f[i]! > f[i - 1]!) up++;
    else if (f[i]! < f[i - 1]!) down++;
  }
  if (up > 0 && down > 0) {
    out.push({ code: 'frequencies-unsorted', message: `frequencies are not monotonic (${up} steps up, ${down} down); points kept in file order` });
  }
  const seen = new Map<number, number>();
  for (let i = 0; i < f.length; i++) seen.set(f[i]!, (seen.get(f[i]!) ?? 0) + 1);
  let repeated = 0;
  for (const c of seen.values()) if (c > 1) repeated += c - 1;
  if (repeated) out.push({ code: 'frequencies-repeated', message: `${repeated} point(s) repeat a frequency already measured; all kept`, rows: repeated });
  return out;
}

/** Signs of Im at the lower-frequency half of the points (where capacitive/diffusion behaviour dominates). */
export function lowFrequencySign(f: ArrayLike<number>, im: ArrayLike<number>): { positive: number; negative: number; total: number } {
  const fs = Array.from(f)
    .filter((x) => Number.isFinite(x) && x > 0)
    .sort((a, b) => a - b);
  if (fs.length === 0) return { positive: 0, negative: 0, total: 0 };
  const median = fs[Math.floor((fs.length - 1) / 2)]!;
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < f.length; i++) {
    if (!(f[i]! <= median) || !Number.isFinite(im[i]!)) continue;
    if (im[i]! > 0) positive++;
    else if (im[i]! < 0) negative++;
  }
  return { positive, negative, total: positive + negative };
}

/** Format-fixed conventions, one sentence each, so every reader states its sign the same way. */
export function formatSign(convention: ImagConvention, detail: string): ImagSignSource {
  return { convention, basis: 'format', detail };
}
