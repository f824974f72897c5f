import { describe, expect, it } from 'vitest';
import { analyzeCycles } from '../../../src/fit/cycles/analyze-cycles.js';
import { syntheticCyclerRecord, liCuSteps, anodeFreeSteps, type CounterMode } from '../../../src/fit/cycles/synthetic.js';
import { CYCLER } from '../../../src/records/names.js';
import type { CanonicalRecord, Column } from '../../../src/records/record.js';

const protocol = liCuSteps({
  cycles: 4,
  platedAh: 1e-3,
  currentA: 5e-4,
  ce: (k) => [0, 0.9, 0.95, 0.97, 0.98][k]!,
  restAfterPlateS: (k) => (k === 3 ? 7200 : 0),
  restOcv: [0.01, 0.016],
});

describe('per-cycle capacities from a synthetic Li||Cu record', () => {
  const modes: CounterMode[] = ['none', 'cumulative', 'per-step', 'per-cycle'];
  for (const mode of modes) {
    it(`recovers plated/stripped Ah and CE with capacity counters '${mode}'`, () => {
      const rec = syntheticCyclerRecord(protocol, { sampleS: 7, capacityCounters: mode, energyCounters: mode });
      const a = analyzeCycles(rec, { cellType: 'Li||Cu' });
      const s = a.summary;
      expect(s.capacitySource).toBe(mode === 'none' ? 'integrated-current' : 'counters');
      expect(s.cycles).toBe(4);
      expect(Array.from(s.cycle)).toEqual([1, 2, 3, 4]);
      // Plating = negative current = discharge of the Cu working electrode.
      for (let c = 0; c < 4; c++) expect(s.dischargeCapacity[c]).toBeCloseTo(1e-3, 12);
      const strips = [0.9e-3, 0.95e-3, 0.97e-3, 0.98e-3];
      strips.forEach((q, c) => expect(s.chargeCapacity[c]).toBeCloseTo(q, 12));
      expect(Array.from(a.metrics.ce).map((x) => +x.toFixed(10))).toEqual([0.9, 0.95, 0.97, 0.98]);
      if (mode === 'per-step' || mode === 'per-cycle') expect(s.counterResets).toBeGreaterThan(0);
    });
  }

  it('integrates energy: constant I with linear V gives I·mean(V)·t', () => {
    const rec = syntheticCyclerRecord(protocol, { sampleS: 13 });
    const a = analyzeCycles(rec, { cellType: 'Li||Cu' });
    // Plating 1 mAh at V from −0.02 to −0.03 V: E = Q·mean(V) = 1e-3 × (−0.025) Wh.
    expect(a.summary.dischargeEnergy[0]).toBeCloseTo(-2.5e-5, 14);
    expect(a.metrics.meanDischargeVoltage[0]).toBeCloseTo(-0.025, 10);
    // Stripping 0.9 mAh at 0.02 → 0.1 V: mean 0.06 V.
    expect(a.summary.chargeEnergy[0]).toBeCloseTo(0.9e-3 * 0.06, 14);
    expect(a.metrics.meanChargeVoltage[0]).toBeCloseTo(0.06, 10);
  });

  it('finds the 2 h rest with its OCV drift and dV/dt, and marks it mid-cycle', () => {
    const rec = syntheticCyclerRecord(protocol, { sampleS: 10 });
    const a = analyzeCycles(rec, { cellType: 'Li||Cu' });
    const r = a.summary.rests;
    expect(r.count).toBe(1);
    expect(r.cycle[0]).toBe(3);
    expect(r.duration[0]).toBeCloseTo(7200, 9);
    expect(r.drift[0]).toBeCloseTo(0.006, 12);
    expect(r.slope[0]).toBeCloseTo(0.006 / 7200, 15);
    expect(r.midCycle[0]).toBe(1);
    expect(a.summary.restTime[2]).toBeCloseTo(7200, 9);
    expect(a.summary.restTime[0]).toBe(0);
  });

  it('derives the same cycles from the current sign when there is no Cycle Count column', () => {
    const rec = syntheticCyclerRecord(protocol, { sampleS: 10, cycleColumn: false });
    const a = analyzeCycles(rec, { cellType: 'Li||Cu' });
    expect(a.summary.cycleSource).toBe('current-sign');
    expect(a.summary.cycles).toBe(4);
    expect(Array.from(a.metrics.ce).map((x) => +x.toFixed(10))).toEqual([0.9, 0.95, 0.97, 0.98]);
  });

  it('splits the trapezoid exactly at a current zero crossing (hand computation)', () => {
    // t = 0, 10 s; I from +2 A to −2 A: the linear current crosses 0 at 5 s.
    // Charge area = ½·2·5 = 5 A·s, discharge area = 5 A·s → 5/3600 Ah each.
    const cols: Column[] = [
      { ...CYCLER.testTime, values: Float64Array.from([0, 10]) },
      { ...CYCLER.voltage, values: Float64Array.from([4, 3]) },
      { ...CYCLER.current, values: Float64Array.from([2, -2]) },
    ];
    const a = analyzeCycles({ columns: cols }, { cellType: 'full' }, { restCurrentA: 0.01 });
    expect(a.summary.chargeCapacity[0]).toBeCloseTo(5 / 3600, 15);
    expect(a.summary.dischargeCapacity[0]).toBeCloseTo(5 / 3600, 15);
    // Power is split at the crossing too: charge ½·(2·4)·5 s = 20 W·s, discharge ½·(2·3)·5 s = 15 W·s.
    expect(a.summary.chargeEnergy[0]).toBeCloseTo(20 / 3600, 15);
    expect(a.summary.dischargeEnergy[0]).toBeCloseTo(15 / 3600, 15);
  });

  it('treats a cumulative counter that starts at an offset (real Arbin files) as increments only', () => {
    // Charge counter starts at 0.88 Ah (carried over from an earlier test), then rises by 0.01 Ah.
    const cols: Column[] = [
      { ...CYCLER.testTime, values: Float64Array.from([0, 10, 20, 30, 40]) },
      { ...CYCLER.voltage, values: Float64Array.from([3.3, 3.4, 3.5, 3.4, 3.3]) },
      { ...CYCLER.current, values: Float64Array.from([1, 1, 1, -1, -1]) },
      { ...CYCLER.chargeCapacity, values: Float64Array.from([0.88, 0.885, 0.89, 0.89, 0.89]) },
      { ...CYCLER.dischargeCapacity, values: Float64Array.from([0, 0, 0, 0.004, 0.008]) },
    ];
    const a = analyzeCycles({ columns: cols }, { cellType: 'full' });
    expect(a.summary.chargeCapacity[0]).toBeCloseTo(0.01, 12);
    expect(a.summary.dischargeCapacity[0]).toBeCloseTo(0.008, 12);
    expect(a.metrics.ce[0]).toBeCloseTo(0.8, 10);
  });

  it('averages the logged internal resistance per cycle', () => {
    const rec = syntheticCyclerRecord(anodeFreeSteps({ cycles: 2, q0Ah: 1e-3, currentA: 1e-3, ce: 0.99 }), { internalResistanceOhm: 12.5 });
    const a = analyzeCycles(rec, { cellType: 'anode-free' });
    expect(Array.from(a.summary.internalResistance)).toEqual([12.5, 12.5]);
  });

  it('does not mutate the record', () => {
    const rec: CanonicalRecord = syntheticCyclerRecord(protocol, { capacityCounters: 'per-step' });
    const before = rec.columns.map((c) => Array.from(c.values));
    analyzeCycles(rec, { cellType: 'Li||Cu' });
    expect(rec.columns.map((c) => Array.from(c.values))).toEqual(before);
  });
});
