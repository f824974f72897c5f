/**
 * Fitter speed, against the issues' budgets: one 60-point impedance fit (default Li-metal circuit,
 * automatic start), a 20-level × 6-region XPS depth profile, a 256 × 256 × 50 ToF-SIMS stack.
 * Inputs are the same synthetic generators the tests use. Medians over repeats; never a test.
 */
import type { BenchSuite, CaseOutcome } from './types.js';
import { fitCircuit } from '../src/fit/eis/fit-circuit.js';
import { LI_METAL_CIRCUIT } from '../src/fit/eis/li-metal.js';
import { synthetic, logFrequencies } from '../tests/fit/eis/synthetic.js';
import { xpsFitter } from '../src/fit/xps/fitter.js';
import { synthRecord, type SynthLevel } from '../tests/fit/xps/synth.js';
import { simsFitter } from '../src/fit/sims/fitter.js';
import { countMaps, tileField } from '../tests/fit/sims/synthetic.js';
import type { CanonicalRecord } from '../src/records/record.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function eisCase(): CaseOutcome {
  const f = logFrequencies(1e5, 0.1, 60);
  const times: number[] = [];
  for (let k = 0; k < 60; k++) {
    const s = synthetic(LI_METAL_CIRCUIT, [3.2, 40, 2e-5, 0.78, 18, 8e-4, 0.88], f, 0.005, 100 + k);
    const spec = { frequency: Float64Array.from(s.frequency), re: Float64Array.from(s.re), im: Float64Array.from(s.im) };
    const t = performance.now();
    fitCircuit(LI_METAL_CIRCUIT, spec);
    times.push(performance.now() - t);
  }
  const steady = times.slice(10);
  return {
    status: 'ok',
    ms: median(steady),
    note: `median ${median(steady).toFixed(2)} ms of ${steady.length} fits after 10 warm-ups; min ${Math.min(...steady).toFixed(1)} ms (target < 5 ms)`,
  };
}

function xpsCase(): CaseOutcome {
  const levels: SynthLevel[] = Array.from({ length: 20 }, (_, i) => {
    const metal = 1 / (1 + Math.exp(-(i * 30 - 300) / 60));
    const sei = 1 - metal;
    return {
      sputterTime: i * 30,
      atoms: {
        'C-C:C1s': 30 * sei * Math.exp(-i / 3) + 0.5,
        'C-O:C1s': 12 * sei,
        'C=O:C1s': 5 * sei,
        'ROCO2Li:C1s': 8 * sei,
        'Li2CO3:C1s': 6 * sei,
        'Li2O:O1s': 6 + 4 * sei,
        'Li2CO3:O1s': 18 * sei,
        'O-C=O:O1s': 6 * sei,
        'O-C-O:O1s': 10 * sei,
        'LiF:F1s': (20 + i) * sei + 1,
        'LixPOyFz:F1s': 6 * sei,
        'Li3N:N1s': 2 * sei + 0.2,
        'LiNxOy:N1s': 3 * sei + 0.2,
        'Li3PO4:P2p': 1 * sei + 0.1,
        'LixPOyFz:P2p': 2 * sei + 0.1,
        'Li0:Li1s': 80 * metal + 1,
        'Li+:Li1s': 80 * sei + 10,
      },
      centres: { 'LiF:F1s': 685.0 },
    };
  });
  const rec = synthRecord(levels, {
    seed: 42,
    scale: 400,
    shift: 0,
    step: 0.1,
    regions: ['C1s', 'O1s', 'F1s', 'N1s', 'Li1s', 'P2p'],
  }) as unknown as CanonicalRecord;
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    xpsFitter.fit(rec, {});
    times.push(performance.now() - t);
  }
  return { status: 'ok', ms: median(times), note: 'median of 3 (target < 2 s)' };
}

function simsCase(): CaseOutcome {
  const W = 256;
  const H = 256;
  const S = 50;
  const plane = W * H;
  const I = new Float64Array(plane * S);
  const O = new Float64Array(plane * S);
  const field = tileField(W, H, 16, 9);
  for (let z = 0; z < S; z++) {
    const m = countMaps(field, (0.4 * z) / S, 0.5, 10, 1000 + z);
    I.set(m.I, z * plane);
    O.set(m.O, z * plane);
  }
  const rec: CanonicalRecord = {
    kind: 'sims-image',
    format: 'bench',
    warnings: [],
    meta: { width: W, height: H, slices: S, ions: ['LiF2-', 'C2H-'] },
    columns: [
      { name: 'LiF2-', unit: 'counts', values: I },
      { name: 'C2H-', unit: 'counts', values: O },
    ],
    provenance: { path: 'bench', size: 0, sha256: '', parser: 'bench', parserVersion: '0', recordIndex: 0 },
  };
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    simsFitter.fit(rec, {});
    times.push(performance.now() - t);
  }
  return { status: 'ok', ms: median(times), note: "median of 3, 999 permutations for Moran's I (target < 1 s)" };
}

export const fitsBench: BenchSuite = {
  id: 'fits',
  title: 'Fitters: impedance, XPS depth profile, ToF-SIMS stack',
  prepare: async () => ({}),
  cases: () => [
    { id: 'eis-60', input: 'one 60-point spectrum, R0-p(R1,CPE1)-p(R2,CPE2)', tool: 'interphase fitCircuit' },
    { id: 'xps-20x6', input: 'XPS depth profile 20 levels × 6 regions', tool: 'interphase xpsFitter' },
    { id: 'sims-256x256x50', input: 'ToF-SIMS stack 256 × 256 × 50', tool: 'interphase simsFitter' },
  ],
  run: async (caseId): Promise<CaseOutcome> => (caseId === 'eis-60' ? eisCase() : caseId === 'xps-20x6' ? xpsCase() : simsCase()),
};
