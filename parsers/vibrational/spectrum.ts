/**
 * The `vibrational-spectrum` record (Raman or FTIR): one spectrum as `Wavenumber / cm-1` (ascending
 * after reading: the readers reverse descending exports and say so) and `Intensity / <unit as stated>`
 * (counts, absorbance, transmittance, a.u.). `meta.technique` is 'raman' or 'ftir' from the file's own
 * words (JCAMP ##DATA TYPE, a LabSpec laser line, "Raman shift" headers), else from the file name, else
 * unset with a `technique-unknown` warning: nothing downstream guesses it.
 */
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';

export const VIB = {
  wavenumber: { name: 'Wavenumber', unit: 'cm-1' },
  intensity: { name: 'Intensity' },
} as const;

export type VibTechnique = 'raman' | 'ftir';

/** Technique from words (a header value, a title, a file name); null when none says. */
export function techniqueFromText(s: string | undefined): VibTechnique | null {
  if (!s) return null;
  if (/raman/i.test(s)) return 'raman';
  if (/ft-?ir|infra-?red|\batr\b|\bir\b|absorbance|transmittance|mid-?ir|nir/i.test(s)) return 'ftir';
  return null;
}

/**
 * Build the record. `x` in cm⁻¹ (converted by the reader), `y` as stated. Rows with a non-finite value
 * are an error (readers report them with a line first); a descending axis is reversed.
 */
export function buildSpectrum(
  path: string,
  x: number[],
  y: number[],
  yUnit: string,
  meta: RecordMeta,
  warnings: ParseWarning[],
  technique: VibTechnique | null,
  fileName: string,
): ParsedRecord {
  if (x.length < 2)
    throw new ParseError({
      file: path,
      code: 'no-data',
      message: `a spectrum needs ≥ 2 points, found ${x.length}`,
      expected: 'rows of wavenumber and intensity',
      found: `${x.length} row(s)`,
    });
  let xs = Float64Array.from(x);
  let ys = Float64Array.from(y);
  if (xs[0]! > xs[xs.length - 1]!) {
    xs = xs.reverse();
    ys = ys.reverse();
    warnings.push({ code: 'axis-reversed', message: 'wavenumbers were stored descending; rows reversed to ascending order' });
  }
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i]! > xs[i - 1]!)) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        message: `wavenumber axis is not monotonic at point ${i + 1} (${xs[i - 1]} then ${xs[i]})`,
        expected: 'strictly increasing or decreasing wavenumbers',
        found: String(xs[i]),
      });
    }
  }
  const tech = technique ?? techniqueFromText(fileName);
  if (!tech) warnings.push({ code: 'technique-unknown', message: 'the file does not say Raman or FTIR and the name does not either; technique left unset' });
  const columns: Column[] = [
    { ...VIB.wavenumber, values: xs },
    { name: VIB.intensity.name, unit: yUnit, values: ys },
  ];
  return {
    kind: 'vibrational-spectrum',
    meta: { ...meta, ...(tech ? { technique: tech } : {}), techniqueSource: technique ? 'file' : tech ? 'file name' : 'unknown' },
    columns,
    warnings,
  };
}

/** Split a data line on tabs, commas, semicolons or runs of spaces. */
export function fields(line: string): string[] {
  const t = line.trim();
  if (!t) return [];
  if (t.includes('\t')) return t.split(/\t+/).map((s) => s.trim());
  if (t.includes(';')) return t.split(';').map((s) => s.trim());
  if (t.includes(',')) return t.split(',').map((s) => s.trim());
  return t.split(/\s+/);
}

const NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
export const isNum = (s: string | undefined): boolean => s !== undefined && NUM.test(s);

/** Read `x y` rows (columns `ix`, `iy`) from `lines[start..]`; blank lines skipped; anything else is an error naming the line. */
export function readRows(path: string, lines: readonly string[], start: number, ix: number, iy: number, minFields: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = start; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.trim()) continue;
    const f = fields(l);
    if (f.length < minFields)
      throw new ParseError({
        file: path,
        code: 'ragged-row',
        line: i + 1,
        message: `row has ${f.length} field(s), expected ${minFields}`,
        expected: `${minFields} numbers`,
        found: l.slice(0, 80),
      });
    const a = f[ix];
    const b = f[iy];
    if (!isNum(a) || !isNum(b))
      throw new ParseError({
        file: path,
        code: 'bad-number',
        line: i + 1,
        message: 'text in a numeric column',
        expected: 'a number',
        found: (isNum(a) ? b : a)?.slice(0, 40) ?? '',
      });
    x.push(Number(a));
    y.push(Number(b));
  }
  return { x, y };
}
