/** Synthetic spectra for the tests: a circuit, log-spaced frequencies and seeded Gaussian noise. */
import { parseCircuit } from '../../../src/fit/eis/circuit.js';
import { simulate } from '../../../src/fit/eis/evaluate.js';
import { EIS } from '../../../src/records/names.js';
import type { CanonicalRecord } from '../../../src/records/record.js';
import { mulberry32 } from '../../../src/stats/rng.js';

/** Seeded uniform [0, 1) stream: the project's mulberry32. */
export const prng = mulberry32;

/** Standard normal by Box–Muller. */
export function gaussian(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

export function logFrequencies(fMax: number, fMin: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => fMax * (fMin / fMax) ** (i / (n - 1)));
}

export type NoiseModel = 'proportional' | 'modulus';

/**
 * Z from `circuit` at `f` (descending, as instruments sweep) with Gaussian noise:
 * 'proportional': σ_re = level·|Z'|, σ_im = level·|Z''| ; 'modulus': σ = level·|Z| on both parts.
 */
export function synthetic(circuit: string, params: readonly number[], f: readonly number[], level: number, seed: number, noise: NoiseModel = 'proportional') {
  const z = simulate(parseCircuit(circuit), params, f);
  const g = gaussian(prng(seed));
  const re = Array.from(z.re, (v, i) => v + level * (noise === 'modulus' ? Math.hypot(v, z.im[i]!) : Math.abs(v)) * g());
  const im = Array.from(z.im, (v, i) => v + level * (noise === 'modulus' ? Math.hypot(z.re[i]!, v) : Math.abs(v)) * g());
  return { frequency: f.slice(), re, im, clean: z };
}

/** A canonical EIS record from plain arrays (true Im(Z)), for feeding the fitter in tests. */
export function eisRecord(f: readonly number[], re: readonly number[], im: readonly number[]): CanonicalRecord {
  return {
    kind: 'eis',
    format: 'test',
    meta: {},
    warnings: [],
    provenance: { path: 'x', size: 0, sha256: '', parser: 'test', parserVersion: '0', recordIndex: 0 },
    columns: [
      { ...EIS.frequency, values: Float64Array.from(f) },
      { ...EIS.zReal, values: Float64Array.from(re) },
      { ...EIS.zImag, values: Float64Array.from(im) },
    ],
  };
}
