import { describe, expect, it } from 'vitest';
import { cycleFitter } from '../../../src/fit/cycles/fitter.js';
import { analyzeCycles } from '../../../src/fit/cycles/analyze-cycles.js';
import { logCe } from '../../../src/fit/cycles/cycle-metrics.js';
import { syntheticCyclerRecord, anodeFreeSteps, liCuSteps } from '../../../src/fit/cycles/synthetic.js';
import type { FitOutcome } from '../../../src/fit/types.js';

const param = (o: FitOutcome, name: string) => o.parameters.find((p) => p.name === name);

describe('DOMAIN §2.2: CE → cycles to 80 % on synthetic anode-free cells', () => {
  // Table: 0.99 → 22, 0.995 → 45, 0.999 → 223 (= round(ln 0.8 / ln CE)).
  for (const [ce, expected, cycles] of [
    [0.99, 22, 40],
    [0.995, 45, 70],
    [0.999, 223, 260],
  ] as const) {
    it(`CE ${ce} → ${expected} cycles`, () => {
      const rec = syntheticCyclerRecord(anodeFreeSteps({ cycles, q0Ah: 2e-3, currentA: 1e-3, ce }), { sampleS: 60 });
      const out = cycleFitter.fit(rec, { cellType: 'anode-free' });
      const life = param(out, 'cycle_life_80')!;
      expect(life.censored).toBe(false);
      expect(Math.round(life.value)).toBe(expected);
      expect(life.value).toBeCloseTo(Math.log(0.8) / Math.log(ce), 1);
      expect(param(out, 'ce_mean')!.value).toBeCloseTo(ce, 10);
      expect(param(out, 'lce_mean')!.value).toBeCloseTo(-Math.log10(1 - ce), 6);
      expect(param(out, 'discharge_capacity_first')!.value).toBeCloseTo(2e-3 * ce, 12);
      expect(param(out, 'short_circuit_cycle')).toBeUndefined();
    });
  }

  it('is right-censored when the test ends before 80 %', () => {
    const rec = syntheticCyclerRecord(anodeFreeSteps({ cycles: 15, q0Ah: 2e-3, currentA: 1e-3, ce: 0.99 }), { sampleS: 60 });
    const life = param(cycleFitter.fit(rec, { cellType: 'anode-free' }), 'cycle_life_80')!;
    expect(life.censored).toBe(true);
    expect(life.value).toBe(14); // cycles 1 → 15 observed, reference cycle 1
  });

  it('uses the max of cycles 1–5 as the reference (capacity rising during formation)', () => {
    // Discharge of cycles 1..3 rises (0.8, 0.9, 1.0 mAh at CE 1 of a fixed charge) then fades at 0.99.
    const ce = (k: number): number => (k <= 3 ? [0, 0.8, 0.9, 1][k]! : 0.99);
    const steps = [] as ReturnType<typeof anodeFreeSteps>;
    let q = 1e-3;
    for (let k = 1; k <= 40; k++) {
      steps.push({ cycle: k, currentA: 1e-3, capacityAh: k <= 3 ? 1e-3 : q, voltage: [3.5, 4.2] });
      const qd = (k <= 3 ? 1e-3 : q) * ce(k);
      steps.push({ cycle: k, currentA: -1e-3, capacityAh: qd, voltage: [4.1, 3.2] });
      q = qd;
    }
    const a = analyzeCycles(syntheticCyclerRecord(steps, { sampleS: 60 }), { cellType: 'full' });
    expect(a.life!.referenceCycle).toBe(3);
    expect(a.retention[2]).toBeCloseTo(1, 12);
    expect(a.retention[0]).toBeCloseTo(0.8, 12);
    expect(a.life!.value).toBeCloseTo(Math.log(0.8) / Math.log(0.99), 1);
  });
});

describe('Li||Cu sign convention and LCE', () => {
  it('CE = Q_strip(I>0) / Q_plate(I<0); the first cycle is excluded from ce_mean', () => {
    const ces = [0, 0.8, 0.96, 0.97, 0.98, 0.99];
    const rec = syntheticCyclerRecord(liCuSteps({ cycles: 5, platedAh: 1e-3, currentA: 1e-3, ce: (k) => ces[k]! }), { sampleS: 30 });
    const out = cycleFitter.fit(rec, { cellType: 'Li||Cu' });
    const ceMean = param(out, 'ce_mean')!;
    expect(ceMean.value).toBeCloseTo((0.96 + 0.97 + 0.98 + 0.99) / 4, 10); // 0.975
    // sd of (0.96..0.99) = 0.0129099; se = 0.0064550; t(3) = 3.182 → ± 0.020540
    expect(ceMean.stderr!).toBeCloseTo(0.006455, 6);
    expect(ceMean.ci95![1] - ceMean.value).toBeCloseTo(3.182 * 0.006455, 5);
    expect(param(out, 'lce_mean')!.value).toBeCloseTo(-Math.log10(0.025), 8); // 1.60206
    expect(param(out, 'discharge_capacity_first')!.value).toBeCloseTo(1e-3, 12); // plated
    // Reading the same file as a cathode cell inverts the ratio: CE = plate/strip > 1 → flagged short.
    const wrong = cycleFitter.fit(rec, { cellType: 'full' });
    expect(param(wrong, 'short_circuit_cycle')).toBeDefined();
  });

  it('LCE is NaN with a flag when CE ≥ 1, and CE > 1.02 flags a short', () => {
    const ces = [0, 0.98, 0.99, 1.0, 1.05, 0.99];
    const rec = syntheticCyclerRecord(liCuSteps({ cycles: 5, platedAh: 1e-3, currentA: 1e-3, ce: (k) => ces[k]! }), { sampleS: 30 });
    const out = cycleFitter.fit(rec, { cellType: 'Li||Cu' });
    const t = Object.fromEntries(out.tables!.cycles!.map((c) => [c.name, Array.from(c.values)]));
    expect(t['LCE Undefined']).toEqual([0, 0, 1, 1, 0]);
    expect(Number.isNaN(t['LCE']![2])).toBe(true);
    expect(t['LCE']![1]).toBeCloseTo(2, 8);
    expect(t['Short Circuit Flag']).toEqual([0, 0, 0, 1, 0]);
    expect(param(out, 'short_circuit_cycle')!.value).toBe(4);
    // ce_mean stops before the short: cycles 2 and 3 → (0.99 + 1.0)/2.
    expect(param(out, 'ce_mean')!.value).toBeCloseTo(0.995, 10);
    expect(logCe(1)).toBeNaN();
  });
});
