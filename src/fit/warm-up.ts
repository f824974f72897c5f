/**
 * A fit run once while a watcher is idle, so the first spectrum a lab writes after starting it is
 * fitted by compiled code, not by the interpreter (issue #18: first spectrum → report ≤ 2 s). The
 * spectrum is a plain two-arc one computed here (R0 + R1‖C1 + R2‖C2, 40 points, 100 kHz–0.1 Hz); the
 * result is discarded and nothing is counted as work.
 */
import { EIS } from '../records/names.js';
import type { CanonicalRecord } from '../records/record.js';
import { fittersFor } from './index.js';
import { parseCircuit } from './eis/circuit.js';
import { simulate } from './eis/evaluate.js';

export function warmUpSpectrum(): CanonicalRecord {
  const n = 40;
  const f = Float64Array.from({ length: n }, (_, i) => 10 ** (5 - (6 * i) / (n - 1)));
  const { re, im } = simulate(parseCircuit('R0-p(R1,C1)-p(R2,C2)'), [5, 40, 2e-6, 120, 1e-4], f);
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
