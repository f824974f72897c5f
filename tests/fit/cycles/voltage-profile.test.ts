/**
 * Voltage-profile features (issue #20 §1; MECHANISMS.md §1–3): planted nucleation dips, Li||Li hysteresis
 * growth and soft shorts, and dV/dQ feature shifts are recovered within stated tolerances.
 */
import { describe, expect, it } from 'vitest';
import { makeCycleFitter, cycleFitter } from '../../../src/fit/cycles/fitter.js';
import { PARAMETERS, parameterSpec } from '../../../src/records/parameters.js';
import {
  anodeFreeFeatureSteps,
  liCuSteps,
  nucleationDip,
  seededUniform,
  syntheticCyclerRecord,
  type SyntheticStep,
} from '../../../src/fit/cycles/synthetic.js';
import { savitzkyGolay } from '../../../src/fit/cycles/differential.js';
import { SHORT_NOISE, SHORT_SHAPE, SHORT_STEP_DOWN } from '../../../src/fit/cycles/symmetric.js';
import type { FitOutcome } from '../../../src/fit/types.js';

const param = (o: FitOutcome, name: string) => o.parameters.find((p) => p.name === name);
const column = (o: FitOutcome, table: string, name: string) => o.tables![table]!.find((c) => c.name === name)!.values;

function registered(o: FitOutcome): void {
  for (const p of o.parameters) {
    const spec = parameterSpec(p.name);
    expect(spec, p.name).toBeDefined();
    expect(p.unit, p.name).toBe(spec!.unit);
  }
}

// ---- §1 nucleation ----------------------------------------------------------------------------------

const AREA = 1.13; // cm²
const J = 0.5; // mA/cm²
const I = (J * AREA) / 1000; // A
const PLATED = (1 * AREA) / 1000; // 1 mAh/cm² in Ah
const PLATE_S = (PLATED * 3600) / I; // 7200 s
// Planted: first plating η_nuc 80 mV on a −40 mV plateau, t_min 30 s; later platings 20 mV on −30 mV.
const TRUTH = { first: { eta: 0.08, plateau: -0.04 }, later: { eta: 0.02, plateau: -0.03 }, tMinS: 30 };

function liCuDip(sampleS: number, cycles = 4) {
  const steps = liCuSteps({
    cycles,
    platedAh: PLATED,
    currentA: I,
    ce: () => 0.98,
    plateVoltage: (k) => {
      const t = k === 1 ? TRUTH.first : TRUTH.later;
      return nucleationDip({ plateauV: t.plateau, etaNuc: t.eta, tMinS: TRUTH.tMinS, durationS: PLATE_S });
    },
  });
  return syntheticCyclerRecord(steps, { sampleS });
}

describe('nucleation overpotential (MECHANISMS §1)', () => {
  it('recovers a planted dip at 1 s logging (Δt ≤ t_min/20): η_nuc and η_pl within 0.5 mV', () => {
    const out = cycleFitter.fit(liCuDip(1), { cellType: 'Li||Cu', electrodeAreaCm2: AREA });
    registered(out);
    const first = param(out, PARAMETERS.nucleationOverpotentialFirst.name)!;
    expect(first.value).toBeCloseTo(TRUTH.first.eta, 3); // |error| < 0.5 mV
    expect(first.flags ?? []).toEqual([]);
    expect(first.note).toMatch(/resolved/);
    expect(param(out, PARAMETERS.plateauOverpotentialFirst.name)!.value).toBeCloseTo(Math.abs(TRUTH.first.plateau), 3);
    const mean = param(out, PARAMETERS.nucleationOverpotentialMean.name)!;
    expect(mean.value).toBeCloseTo(TRUTH.later.eta, 3);
    expect(mean.note).toMatch(/never averaged with the first/);
    // Per-plating values in the per-cycle table and in the nucleation table.
    const eta = column(out, 'cycles', 'Nucleation Overpotential');
    expect(Array.from(eta).map((x) => +x.toFixed(3))).toEqual([0.08, 0.02, 0.02, 0.02]);
    const tMin = column(out, 'nucleation', 'Time To Minimum');
    expect(Array.from(tMin)).toEqual([30, 30, 30, 30]);
    expect(column(out, 'nucleation', 'Current Density')[0]).toBeCloseTo(J, 6);
  });

  it('marks a dip logged at t_min/10 as marginal (reported, flagged)', () => {
    const out = cycleFitter.fit(liCuDip(3), { cellType: 'Li||Cu', electrodeAreaCm2: AREA });
    const first = param(out, PARAMETERS.nucleationOverpotentialFirst.name)!;
    expect(first.value).toBeCloseTo(TRUTH.first.eta, 3);
    expect(first.flags).toEqual(['marginal-logging-interval']);
  });

  it('refuses a dip logged every 60 s (Δt > t_min/5): NaN, flagged, and says so — the plateau is still reported', () => {
    const out = cycleFitter.fit(liCuDip(60), { cellType: 'Li||Cu', electrodeAreaCm2: AREA });
    registered(out);
    const first = param(out, PARAMETERS.nucleationOverpotentialFirst.name)!;
    expect(Number.isNaN(first.value)).toBe(true);
    expect(first.flags).toContain('logging-interval-too-coarse');
    expect(first.flags).toContain('non-identifiable');
    expect(first.note).toMatch(/not measured/);
    expect(out.quality.messages.join('\n')).toMatch(/too coarse|fewer than 5 points/);
    expect(param(out, PARAMETERS.plateauOverpotentialFirst.name)!.value).toBeCloseTo(0.04, 3);
    expect(param(out, PARAMETERS.nucleationOverpotentialMean.name)).toBeUndefined();
    expect(out.quality.messages.join('\n')).toMatch(/nucleation_overpotential_mean not reported: none of the 3 later platings/);
    expect(Array.from(column(out, 'cycles', 'Nucleation Status'))).toEqual([4, 4, 4, 4]); // too few points before V_min
  });

  it('without the electrode area the areal windows cannot be placed: no η_nuc, a message', () => {
    const out = cycleFitter.fit(liCuDip(1, 2), { cellType: 'Li||Cu' });
    expect(param(out, PARAMETERS.nucleationOverpotentialFirst.name)).toBeUndefined();
    expect(out.quality.messages.join('\n')).toMatch(/electrode area is not given/);
  });

  it('the options move the windows (Q ≤ dip window) and are honoured', () => {
    const f = makeCycleFitter({ profile: { nucleationPlateauQ: [0.5, 0.9] } });
    const out = f.fit(liCuDip(1, 2), { cellType: 'Li||Cu', electrodeAreaCm2: AREA });
    expect(param(out, PARAMETERS.nucleationOverpotentialFirst.name)!.note).toMatch(/Q 0.5–0.9 mAh/);
  });
});

// ---- §2 Li||Li hysteresis and soft shorts ----------------------------------------------------------

interface LiLiPlan {
  cycles: number;
  sampleS: number;
  eta: (k: number) => number;
  /** |V|/η over the half as a function of the fraction f. */
  shape: (k: number) => (f: number) => number;
  noise?: (k: number) => number;
  seed?: number;
}

function liLi(p: LiLiPlan) {
  const rnd = seededUniform(p.seed ?? 7);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const steps: SyntheticStep[] = [];
  const Ia = 1e-3;
  for (let k = 1; k <= p.cycles; k++) {
    const e = p.eta(k);
    const sh = p.shape(k);
    const sd = p.noise?.(k) ?? 0;
    for (const sign of [-1, 1]) {
      steps.push({ cycle: k, currentA: sign * Ia, capacityAh: 1e-3, voltage: (f) => sign * e * sh(f) + (sd ? sd * gauss() : 0) });
    }
  }
  return syntheticCyclerRecord(steps, { sampleS: p.sampleS });
}

const peaking =
  () =>
  (f: number): number =>
    1 + 0.3 * f ** 4; // s = 1.3/1.01875 ≈ 1.28 (> 1.1)
const flat = () => (): number => 1;
const SHORT_AT = 20;
// Median |V| over a half of the peaking shape = η·(1 + 0.3·0.5⁴): ΔV_pp = 2·1.01875·η.
const ETA = (k: number): number => 0.03 + 0.001 * k;
const GROWTH = 2 * 1.01875 * 0.001; // V/cycle

describe('Li||Li hysteresis and soft shorts (MECHANISMS §2)', () => {
  it('a healthy cell: ΔV_pp growth recovered within 1 %, no soft-short flag', () => {
    const out = cycleFitter.fit(liLi({ cycles: 30, sampleS: 30, eta: ETA, shape: peaking }), { cellType: 'Li||Li' });
    registered(out);
    const g = param(out, PARAMETERS.voltageHysteresisGrowth.name)!;
    expect(Math.abs(g.value / GROWTH - 1)).toBeLessThan(0.01);
    expect(param(out, PARAMETERS.voltageHysteresisFirst.name)!.value).toBeCloseTo(2 * 1.01875 * ETA(1), 3);
    expect(param(out, PARAMETERS.shortCircuit.name)).toBeUndefined();
    expect(out.quality.messages.join('\n')).toMatch(/noise flag .* not evaluated/);
    const shape = column(out, 'cycles', 'Shape Factor');
    expect(shape[0]).toBeGreaterThan(1.2);
  });

  it('flag 1: a planted hysteresis collapse (η × 0.4) at cycle 20 → short_circuit_cycle 20; growth from cycles before it', () => {
    const out = cycleFitter.fit(liLi({ cycles: 30, sampleS: 30, eta: (k) => (k >= SHORT_AT ? 0.4 : 1) * ETA(k), shape: peaking }), { cellType: 'Li||Li' });
    const sc = param(out, PARAMETERS.shortCircuit.name)!;
    expect(sc.value).toBe(SHORT_AT);
    expect(sc.note).toMatch(/step-down/);
    const flags = column(out, 'cycles', 'Short Circuit Flag');
    expect(flags[SHORT_AT - 1]! & SHORT_STEP_DOWN).toBeTruthy();
    expect(flags[SHORT_AT - 2]).toBe(0);
    const g = param(out, PARAMETERS.voltageHysteresisGrowth.name)!;
    expect(Math.abs(g.value / GROWTH - 1)).toBeLessThan(0.01);
    expect(g.note).toMatch(/19 complete cycles before the first short/);
  });

  it('flag 2: the trace turns rectangular at cycle 20 and stays (same median η) → flagged at 20', () => {
    // Same median |V| either way: flat at 1.01875 η.
    const out = cycleFitter.fit(
      liLi({ cycles: 30, sampleS: 30, eta: (k) => (k >= SHORT_AT ? 1.01875 : 1) * ETA(k), shape: (k) => (k >= SHORT_AT ? flat() : peaking()) }),
      { cellType: 'Li||Li' },
    );
    const flags = column(out, 'cycles', 'Short Circuit Flag');
    expect(flags[SHORT_AT - 1]! & SHORT_SHAPE).toBeTruthy();
    expect(Array.from(flags).filter((f) => f & SHORT_SHAPE)).toHaveLength(1);
    expect(param(out, PARAMETERS.shortCircuit.name)!.value).toBe(SHORT_AT);
  });

  it('flag 3: voltage noise × 10 from cycle 20 at 1 s logging → flagged at 20; not evaluated at 30 s', () => {
    const plan: LiLiPlan = { cycles: 24, sampleS: 1, eta: () => 0.05, shape: peaking, noise: (k) => (k >= SHORT_AT ? 5e-3 : 5e-4) };
    const out = cycleFitter.fit(liLi(plan), { cellType: 'Li||Li' });
    const flags = column(out, 'cycles', 'Short Circuit Flag');
    expect(flags[SHORT_AT - 1]! & SHORT_NOISE).toBeTruthy();
    expect(param(out, PARAMETERS.shortCircuit.name)!.value).toBe(SHORT_AT);
    const noise = column(out, 'symmetricHalves', 'Voltage Noise');
    expect(noise[0]).toBeGreaterThan(4e-4);
    expect(noise[0]).toBeLessThan(6e-4); // sd(ΔV)/√2 recovers the planted σ = 0.5 mV (±20 %)
    const coarse = cycleFitter.fit(liLi({ ...plan, sampleS: 30 }), { cellType: 'Li||Li' });
    const cf = column(coarse, 'cycles', 'Short Circuit Flag');
    expect(Array.from(cf).some((f) => f & SHORT_NOISE)).toBe(false);
  });
});

// ---- §3 dQ/dV and dV/dQ -------------------------------------------------------------------------------

describe('dQ/dV and dV/dQ (MECHANISMS §3)', () => {
  it('Savitzky–Golay reproduces a cubic and its derivative exactly (order 3), also at the ends', () => {
    const y = Float64Array.from({ length: 40 }, (_, i) => 0.5 * i ** 3 - 2 * i + 1);
    const s = savitzkyGolay(y, 11, 3, 0);
    const d = savitzkyGolay(y, 11, 3, 1);
    for (let i = 0; i < 40; i++) {
      expect(s[i]).toBeCloseTo(y[i]!, 6);
      expect(d[i]).toBeCloseTo(1.5 * i * i - 2, 6);
    }
  });

  const cathode = { qTopAh: 2e-3, centresAh: [0.7e-3, 1.4e-3], widthAh: 0.06e-3 };
  const LOSS = 1e-5; // Ah per cycle (0.5 % of the cathode capacity)

  it('anode-free: planted dV/dQ peak shift → apparent LLI within 2 % (1 % per cycle grid), spacing unchanged', () => {
    const { steps, deficit } = anodeFreeFeatureSteps({ cycles: 30, currentA: 1e-3, cathode, lossAh: () => LOSS });
    const out = cycleFitter.fit(syntheticCyclerRecord(steps, { sampleS: 10 }), { cellType: 'anode-free' });
    registered(out);
    const lli = param(out, PARAMETERS.lliApparentDvdq.name)!;
    const truth = deficit[29]!; // cycle 30 against cycle 1
    expect(Math.abs(lli.value / truth - 1)).toBeLessThan(0.02);
    expect(lli.note).toMatch(/Savitzky–Golay window 11, order 3/);
    expect(lli.note).toMatch(/2 tracked dV\/dQ features/);
    expect(lli.note).toMatch(/spacing changed by -?\d/);
    expect(param(out, PARAMETERS.lliApparentDvdqFraction.name)!.value).toBeCloseTo(truth / cathode.qTopAh, 3);
    // Per cycle: LLI_k = deficit_k within 2e-6 Ah (0.1 % of the capacity).
    const perCycle = column(out, 'cycles', 'LLI Apparent');
    for (const k of [5, 15, 30]) expect(Math.abs(perCycle[k - 1]! - deficit[k - 1]!)).toBeLessThan(2e-6);
    // Peaks: two charge features tracked through all 30 cycles at centre − L_k.
    const dir = column(out, 'dvdqPeaks', 'Direction');
    const track = column(out, 'dvdqPeaks', 'Track');
    const q = column(out, 'dvdqPeaks', 'Capacity');
    const cyc = column(out, 'dvdqPeaks', 'Cycle Count');
    let n = 0;
    for (let i = 0; i < dir.length; i++) {
      if (dir[i] !== 1 || track[i]! < 0) continue;
      n++;
      expect(Math.abs(q[i]! - (cathode.centresAh[track[i]!]! - deficit[cyc[i]! - 1]!))).toBeLessThan(3e-6);
    }
    expect(n).toBe(60);
    // Curves stored for ≤ 20 cycles × 2 directions × 201 points.
    const rows = column(out, 'differential', 'dV/dQ').length;
    expect(rows).toBe(20 * 2 * 201);
    expect(out.quality.messages.join('\n')).toMatch(/dQ\/dV, dV\/dQ: 60 constant-current curves/);
  });

  it('peak heights and widths: the sech² peak of a tanh step (FWHM 1.7627·w) is recovered within 5 %', () => {
    const { steps } = anodeFreeFeatureSteps({ cycles: 2, currentA: 1e-3, cathode, lossAh: () => 0 });
    const out = cycleFitter.fit(syntheticCyclerRecord(steps, { sampleS: 5 }), { cellType: 'anode-free' });
    const dir = column(out, 'dvdqPeaks', 'Direction');
    const fwhm = column(out, 'dvdqPeaks', 'FWHM');
    const area = column(out, 'dvdqPeaks', 'Area');
    for (let i = 0; i < dir.length; i++) {
      if (dir[i] !== 1) continue;
      expect(Math.abs(fwhm[i]! / (1.7627 * cathode.widthAh) - 1)).toBeLessThan(0.05);
      // Area above the base ≈ the step height 2·0.15 V (tails beyond the bases cut a few %).
      expect(area[i]!).toBeGreaterThan(0.25);
      expect(area[i]!).toBeLessThan(0.31);
    }
  });

  it('a full cell gets the same analysis with the Li-metal caveat in the note', () => {
    const { steps } = anodeFreeFeatureSteps({ cycles: 5, currentA: 1e-3, cathode, lossAh: () => LOSS });
    const out = cycleFitter.fit(syntheticCyclerRecord(steps, { sampleS: 10 }), { cellType: 'full' });
    expect(param(out, PARAMETERS.lliApparentDvdq.name)!.note).toMatch(/assumes a Li-metal negative/);
  });

  it('a linear V(Q) has no peaks and no LLI (no peaks from rounding noise)', () => {
    const steps: SyntheticStep[] = [];
    for (let k = 1; k <= 3; k++) {
      steps.push({ cycle: k, currentA: 1e-3, capacityAh: 1e-3, voltage: [3.5, 4.2] }, { cycle: k, currentA: -1e-3, capacityAh: 0.99e-3, voltage: [4.1, 3.2] });
    }
    const out = cycleFitter.fit(syntheticCyclerRecord(steps, { sampleS: 10 }), { cellType: 'anode-free' });
    expect(param(out, PARAMETERS.lliApparentDvdq.name)).toBeUndefined();
    expect(out.tables!.dvdqPeaks![0]!.values.length).toBe(0);
  });
});
