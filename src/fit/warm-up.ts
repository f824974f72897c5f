/**
 * A fit run once while a watcher is idle, so the first spectrum a lab writes after starting it is
 * fitted by compiled code, not by the interpreter (issue #18: first spectrum → report ≤ 2 s). The
 * spectrum is a plain two-arc one computed here (R0 + R1‖C1 + R2‖C2, 40 points, 100 kHz–0.1 Hz); the
 * result is discarded and nothing is counted as work.
 */
import { EIS } from '../records/names.js';
import type { CanonicalRecord } from '../records/record.js';
import { fittersFor } from './index.js';

export function warmUpSpectrum(): CanonicalRecord {
  const n = 40;
  const f = new Float64Array(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    f[i] = 10 ** (5 - (6 * i) / (n - 1));
    const w = 2 * Math.PI * f[i]!;
    // Z = R0 + R1/(1 + jωR1C1) + R2/(1 + jωR2C2)
    let zr = 5;
    let zi = 0;
    for (const [r, c] of [
      [40, 2e-6],
      [120, 1e-4],
    ] as const) {
      const d = 1 + (w * r * c) ** 2;
      zr += r / d;
      zi -= (w * r * r * c) / d;
    }
    re[i] = zr;
    im[i] = zi;
  }
  return {
    kind: 'eis',
    meta: {},
    columns: [
      { name: EIS.frequency.name, unit: EIS.frequency.unit, values: f },
      { name: EIS.zReal.name, unit: EIS.zReal.unit, values: re },
      { name: EIS.zImag.name, unit: EIS.zImag.unit, values: im },
    ],
    warnings: [],
    format: 'warm-up',
    provenance: { path: '(warm-up)', size: 0, sha256: '', parser: 'warm-up', parserVersion: '0', recordIndex: 0 },
  };
}

/** Run every impedance fitter once on the warm-up spectrum; returns how many fitted without error. */
export function warmUpFitters(): number {
  const rec = warmUpSpectrum();
  let ok = 0;
  for (const f of fittersFor('eis')) {
    try {
      f.fit(rec, {});
      ok++;
    } catch {
      /* a warm-up never fails the watcher */
    }
  }
  return ok;
}
