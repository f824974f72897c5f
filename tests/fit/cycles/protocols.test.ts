import { describe, expect, it } from 'vitest';
import { cycleFitter, makeCycleFitter } from '../../../src/fit/cycles/fitter.js';
import { analyzeCycles } from '../../../src/fit/cycles/analyze-cycles.js';
import { syntheticCyclerRecord, reservoirSteps, liCuSteps, liLiSteps, anodeFreeSteps } from '../../../src/fit/cycles/synthetic.js';
import type { FitOutcome } from '../../../src/fit/types.js';

const param = (o: FitOutcome, name: string) => o.parameters.find((p) => p.name === name);

describe('Adams 2018 reservoir method', () => {
  it('recognises formation + Q_T + n·Q_C + Q_S and computes (n·Q_C + Q_S)/(n·Q_C + Q_T)', () => {
    // Q_T = 5, Q_C = 1, n = 10, Q_S = 4.9 mAh → (10 + 4.9)/(10 + 5) = 0.993333…
    const steps = reservoirSteps({ currentA: 5e-4, formationAh: 5e-3, formationCe: 0.9, reservoirAh: 5e-3, cycleAh: 1e-3, n: 10, finalStripAh: 4.9e-3 });
    const out = cycleFitter.fit(syntheticCyclerRecord(steps, { sampleS: 20 }), { cellType: 'Li||Cu' });
    const p = param(out, 'ce_avg_reservoir')!;
    expect(p.value).toBeCloseTo(14.9 / 15, 10);
    expect(p.note).toContain('n=10');
    expect(p.note).toContain('after formation');
  });

  it('works without formation and with cycles taken from the current sign', () => {
    const steps = reservoirSteps({ currentA: 5e-4, reservoirAh: 4e-3, cycleAh: 0.5e-3, n: 6, finalStripAh: 3.7e-3 });
    const rec = syntheticCyclerRecord(steps, { sampleS: 20, cycleColumn: false, capacityCounters: 'per-step' });
    const a = analyzeCycles(rec, { cellType: 'Li||Cu' });
    expect(a.reservoir!.withFormation).toBe(false);
    expect(a.reservoir!.n).toBe(6);
    expect(a.reservoir!.ceAvg).toBeCloseTo((3 + 3.7) / (3 + 4), 10);
  });

  it('does not claim a reservoir on plain Li||Cu cycling', () => {
    const rec = syntheticCyclerRecord(liCuSteps({ cycles: 8, platedAh: 1e-3, currentA: 1e-3, ce: () => 0.97 }), { sampleS: 30 });
    expect(param(cycleFitter.fit(rec, { cellType: 'Li||Cu' }), 'ce_avg_reservoir')).toBeUndefined();
  });
});

describe('rest-then-strip corrosion test', () => {
  it('rest loss = CE_ref − CE of the cycle with a 24 h rest between plate and strip', () => {
    // CE 0.98 everywhere; the 24 h-rest cycle 5 loses another 2.5 % of the plated charge.
    const rec = syntheticCyclerRecord(
      liCuSteps({
        cycles: 8,
        platedAh: 1e-3,
        currentA: 5e-4,
        ce: (k) => (k === 5 ? 0.955 : 0.98),
        restAfterPlateS: (k) => (k === 5 ? 86400 : 0),
        restOcv: [0.0, 0.012],
      }),
      { sampleS: 30 },
    );
    const out = cycleFitter.fit(rec, { cellType: 'Li||Cu' });
    expect(param(out, 'rest_loss_fraction')!.value).toBeCloseTo(0.025, 10);
    const rests = Object.fromEntries(out.tables!.rests!.map((c) => [c.name, Array.from(c.values)]));
    expect(rests['Rest Duration']).toEqual([86400]);
    expect(rests['OCV Drift']![0]).toBeCloseTo(0.012, 12);
    expect(rests['OCV Drift Rate']![0]).toBeCloseTo(0.012 / 86400, 16);
  });

  it('a rest after the discharge (between cycles) is not a rest-loss rest', () => {
    const rec = syntheticCyclerRecord(anodeFreeSteps({ cycles: 5, q0Ah: 1e-3, currentA: 1e-3, ce: 0.99, restS: 7200 }), { sampleS: 60 });
    const out = cycleFitter.fit(rec, { cellType: 'anode-free' });
    expect(param(out, 'rest_loss_fraction')).toBeUndefined();
    expect(out.tables!.rests![0]!.values.length).toBe(5);
  });
});

describe('Li||Li symmetric cells', () => {
  it('overpotential = plateau magnitude; failure at min(0.5 V, 5 × initial)', () => {
    // η_k = 20 mV · 1.2^(k−1): 5 × 20 mV = 0.1 V is exceeded first at k = 10 (0.1032 V).
    const eta = (k: number): number => 0.02 * 1.2 ** (k - 1);
    const rec = syntheticCyclerRecord(liLiSteps({ cycles: 14, capacityAh: 1e-3, currentA: 1e-3, eta }), { sampleS: 15 });
    const out = cycleFitter.fit(rec, { cellType: 'Li||Li' });
    const ov = out.tables!.cycles!.find((c) => c.name === 'Overpotential')!.values;
    for (let k = 1; k <= 14; k++) expect(ov[k - 1]).toBeCloseTo(eta(k), 12);
    const life = param(out, 'cycle_life_80')!;
    expect(life.censored).toBe(false);
    expect(life.value).toBe(9); // cycle 10 − reference cycle 1
    expect(life.note).toContain('overpotential');
    // Mean over cycles before any short (none here): mean of η_1..η_14.
    let m = 0;
    for (let k = 1; k <= 14; k++) m += eta(k) / 14;
    expect(param(out, 'overpotential_mean')!.value).toBeCloseTo(m, 12);
    expect(param(out, 'ce_mean')).toBeUndefined();
  });

  it('the absolute limit is configurable and censoring applies', () => {
    const eta = (k: number): number => 0.02 * 1.2 ** (k - 1);
    const rec = syntheticCyclerRecord(liLiSteps({ cycles: 14, capacityAh: 1e-3, currentA: 1e-3, eta }), { sampleS: 15 });
    const life = param(makeCycleFitter({ overpotentialFactor: 100, overpotentialLimitV: 0.5 }).fit(rec, { cellType: 'Li||Li' }), 'cycle_life_80')!;
    expect(life.censored).toBe(true); // η_14 = 0.178 V < 0.5 V
    expect(life.value).toBe(13);
  });

  it('flags a voltage collapse (short) with its cycle and ends the life there', () => {
    const rec = syntheticCyclerRecord(liLiSteps({ cycles: 12, capacityAh: 1e-3, currentA: 1e-3, eta: () => 0.03, shortAtCycle: 7 }), { sampleS: 15 });
    const out = cycleFitter.fit(rec, { cellType: 'Li||Li' });
    expect(param(out, 'short_circuit_cycle')!.value).toBe(7);
    expect(param(out, 'short_circuit_cycle')!.note).toContain('collapse');
    const life = param(out, 'cycle_life_80')!;
    expect(life.censored).toBe(false);
    expect(life.value).toBe(6);
  });

  it('no collapse is flagged on a clean Li||Li record', () => {
    const rec = syntheticCyclerRecord(liLiSteps({ cycles: 5, capacityAh: 1e-3, currentA: 1e-3, eta: () => 0.03 }), { sampleS: 15 });
    expect(param(cycleFitter.fit(rec, { cellType: 'Li||Li' }), 'short_circuit_cycle')).toBeUndefined();
  });
});

describe('full-cell voltage collapse', () => {
  it('a sudden drop at constant charge current flags the cycle', () => {
    const steps = anodeFreeSteps({ cycles: 6, q0Ah: 1e-3, currentA: 1e-3, ce: 0.995 });
    const i = steps.findIndex((s) => s.cycle === 4 && s.currentA > 0);
    steps[i] = { ...steps[i]!, voltage: (f: number) => (f < 0.6 ? 3.5 + 0.7 * f : 3.2) };
    const out = cycleFitter.fit(syntheticCyclerRecord(steps, { sampleS: 30 }), { cellType: 'full' });
    expect(param(out, 'short_circuit_cycle')!.value).toBe(4);
  });
});

describe('Li||Cu plating plateau', () => {
  it('the cycle table carries the plating plateau |V| (median of the I < 0 half) as Overpotential', () => {
    const rec = syntheticCyclerRecord(liCuSteps({ cycles: 5, platedAh: 1e-3, currentA: 1e-3, ce: () => 0.97 }), { sampleS: 10 });
    const a = analyzeCycles(rec, { cellType: 'Li||Cu' });
    // plating voltage runs linearly from −20 to −30 mV: median |V| = 25 mV
    for (let c = 0; c < 5; c++) expect(a.metrics.overpotential[c]).toBeCloseTo(0.025, 3);
  });
});
