/** Synthetic Raman spectra with planted band areas (pseudo-Voigt, shared width, linear baseline, Gaussian noise). */
import { peakValue, type LineShape } from '../../../src/fit/xps/lineshapes.js';
import type { CanonicalRecord } from '../../../src/records/record.js';
import { mulberry32 } from '../../../src/stats/rng.js';

export interface PlantedBand {
  readonly centre: number;
  readonly area: number;
  readonly fwhm: number;
}

/** Deterministic N(0,1) (mulberry32 + Box–Muller). */
export function gauss(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
}

export function spectrum(
  bands: readonly PlantedBand[],
  o: { from?: number; to?: number; step?: number; eta?: number; noise?: number; seed?: number; baseline?: [number, number] } = {},
): { x: Float64Array; y: Float64Array } {
  const from = o.from ?? 650,
    to = o.to ?? 950,
    step = o.step ?? 0.5;
  const shape: LineShape = { kind: 'SGL', m: (o.eta ?? 0.5) * 100 };
  const n = Math.round((to - from) / step) + 1;
  const x = Float64Array.from({ length: n }, (_, i) => from + i * step);
  const clean = Float64Array.from(
    x,
    (xi) => (o.baseline?.[0] ?? 100) + (o.baseline?.[1] ?? 0.05) * (xi - from) + bands.reduce((s, b) => s + peakValue(shape, xi, b.centre, b.fwhm, b.area), 0),
  );
  let peak = 0;
  for (const v of clean) peak = Math.max(peak, v);
  const g = gauss(o.seed ?? 1);
  const y = Float64Array.from(clean, (v) => v + (o.noise ?? 0.01) * peak * g());
  return { x, y };
}

export function vibRecord(x: Float64Array, y: Float64Array, meta: Record<string, unknown>, name = 'sample.txt'): CanonicalRecord {
  return {
    kind: 'vibrational-spectrum',
    meta,
    warnings: [],
    format: 'test',
    columns: [
      { name: 'Wavenumber', unit: 'cm-1', values: x },
      { name: 'Intensity', unit: 'counts', values: y },
    ],
    provenance: { path: name, size: 0, sha256: '', parser: 'test', parserVersion: '0', recordIndex: 0 },
  };
}
