/**
 * Validated spectrum: finite values, strictly positive and strictly monotonic frequencies, at least
 * `minPoints` points. Returned in ascending frequency order whatever order it came in.
 * Sign convention (src/records/names.ts): `im` is the TRUE imaginary part (negative for capacitive arcs).
 */
import { EisInputError } from './errors.js';

export interface EisSpectrum {
  readonly frequency: Float64Array;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export const MIN_POINTS = 5;

export function checkSpectrum(frequency: ArrayLike<number>, re: ArrayLike<number>, im: ArrayLike<number>, minPoints = MIN_POINTS): EisSpectrum {
  const n = frequency.length;
  if (re.length !== n || im.length !== n) {
    throw new EisInputError('length-mismatch', `frequency, real and imaginary arrays differ in length (${n}, ${re.length}, ${im.length})`);
  }
  if (n < minPoints) throw new EisInputError('too-few-points', `a spectrum needs at least ${minPoints} points, got ${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(frequency[i]!) || !Number.isFinite(re[i]!) || !Number.isFinite(im[i]!)) {
      throw new EisInputError('non-finite', `point ${i} is not finite (f=${frequency[i]}, Z'=${re[i]}, Z''=${im[i]})`, i);
    }
    if (!(frequency[i]! > 0)) {
      throw new EisInputError('non-positive-frequency', `point ${i} has frequency ${frequency[i]} Hz; frequencies must be > 0`, i);
    }
  }
  const ascending = frequency[1]! > frequency[0]!;
  for (let i = 1; i < n; i++) {
    const d = frequency[i]! - frequency[i - 1]!;
    if (d === 0) throw new EisInputError('repeated-frequency', `frequency ${frequency[i]} Hz is repeated at points ${i - 1} and ${i}`, i);
    if (d > 0 !== ascending) {
      throw new EisInputError(
        'unsorted-frequency',
        `frequencies must be monotonic (a single sweep); point ${i} (${frequency[i]} Hz) breaks the ${ascending ? 'ascending' : 'descending'} order`,
        i,
      );
    }
  }
  const order = Array.from({ length: n }, (_, i) => (ascending ? i : n - 1 - i));
  return {
    frequency: Float64Array.from(order, (i) => frequency[i]!),
    re: Float64Array.from(order, (i) => re[i]!),
    im: Float64Array.from(order, (i) => im[i]!),
  };
}

export type Weighting = 'unit' | 'modulus' | 'proportional';

/**
 * Per-point standard deviations σ (residual_i = (model − data)/σ_i):
 *  - `unit`: σ = 1 (plain least squares; dominated by the largest |Z|).
 *  - `modulus`: σ_re = σ_im = |Z_data| (Boukamp's modulus weighting; impedance.py's `weight_by_modulus`).
 *  - `proportional`: σ_re = |Z'_data|, σ_im = |Z''_data|, each floored at 1e-3·|Z_data| so a point
 *    whose Z'' crosses zero does not get infinite weight.
 */
export function sigmas(s: EisSpectrum, weighting: Weighting): { sRe: Float64Array; sIm: Float64Array } {
  const n = s.frequency.length;
  const sRe = new Float64Array(n);
  const sIm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mod = Math.hypot(s.re[i]!, s.im[i]!);
    switch (weighting) {
      case 'unit':
        sRe[i] = 1;
        sIm[i] = 1;
        break;
      case 'modulus':
        sRe[i] = mod;
        sIm[i] = mod;
        break;
      case 'proportional':
        sRe[i] = Math.max(Math.abs(s.re[i]!), 1e-3 * mod);
        sIm[i] = Math.max(Math.abs(s.im[i]!), 1e-3 * mod);
        break;
    }
    if (!(sRe[i]! > 0)) sRe[i] = Number.MIN_VALUE;
    if (!(sIm[i]! > 0)) sIm[i] = Number.MIN_VALUE;
  }
  return { sRe, sIm };
}
