/**
 * Synthetic canonical cycler records with known truth, for tests and benchmarks: a list of
 * constant-current or rest steps becomes typed columns sampled every `sampleS` seconds.
 *
 * Each step logs a row at its start and at its exact end, and the next step starts at the same
 * instant (as real cyclers log a step-end and a step-start point), so the trapezoid over Test Time
 * reproduces |I|·duration exactly and the truth needs no tolerance beyond rounding.
 */
import type { CanonicalRecord, Column } from '../../records/record.js';
import { CYCLER } from '../../records/names.js';
import { mulberry32 } from '../../stats/rng.js';

export type VoltageShape = readonly [start: number, end: number] | ((fraction: number) => number);

export interface SyntheticStep {
  /** A, positive = charge (names.ts). 0 = rest. */
  readonly currentA: number;
  /** s; for current steps `capacityAh` may be given instead. */
  readonly durationS?: number;
  readonly capacityAh?: number;
  /** Voltage over the step, linear between [start, end] or a function of the elapsed fraction. */
  readonly voltage: VoltageShape;
  readonly cycle: number;
}

export type CounterMode = 'none' | 'cumulative' | 'per-step' | 'per-cycle';

export interface SyntheticOptions {
  /** @default 10 */
  readonly sampleS?: number;
  /** How charge/discharge capacity columns count, or 'none' to omit them. @default 'none' */
  readonly capacityCounters?: CounterMode;
  /** @default 'none' */
  readonly energyCounters?: CounterMode;
  /** Include Cycle Count. @default true */
  readonly cycleColumn?: boolean;
  /** Log this internal resistance (ohm) on every row. @default undefined (no column) */
  readonly internalResistanceOhm?: number;
}

function stepDuration(s: SyntheticStep): number {
  if (s.durationS !== undefined) return s.durationS;
  if (s.capacityAh !== undefined && s.currentA !== 0) return (s.capacityAh * 3600) / Math.abs(s.currentA);
  throw new Error('a synthetic step needs durationS, or capacityAh with a non-zero current');
}

function voltageAt(shape: VoltageShape, f: number): number {
  return typeof shape === 'function' ? shape(f) : shape[0] + (shape[1] - shape[0]) * f;
}

export function syntheticCyclerRecord(steps: readonly SyntheticStep[], o: SyntheticOptions = {}): CanonicalRecord {
  const dt = o.sampleS ?? 10;
  const durations = steps.map(stepDuration);
  const samples = durations.map((d) => Math.max(1, Math.ceil(d / dt - 1e-9)) + 1);
  const n = samples.reduce((a, b) => a + b, 0);
  const time = new Float64Array(n);
  const voltage = new Float64Array(n);
  const current = new Float64Array(n);
  const cycle = new Int32Array(n);
  const stepCol = new Int32Array(n);
  const qc = new Float64Array(n);
  const qd = new Float64Array(n);
  const ec = new Float64Array(n);
  const ed = new Float64Array(n);
  let row = 0;
  let t0 = 0;
  // Running totals since the counter's last reset, per mode.
  let cq = 0,
    dq = 0,
    ceE = 0,
    deE = 0;
  let lastCycle = steps[0]?.cycle;
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k]!;
    const D = durations[k]!;
    const m = samples[k]!;
    if (o.capacityCounters === 'per-step') cq = dq = 0;
    if (o.energyCounters === 'per-step') ceE = deE = 0;
    if (s.cycle !== lastCycle) {
      if (o.capacityCounters === 'per-cycle') cq = dq = 0;
      if (o.energyCounters === 'per-cycle') ceE = deE = 0;
      lastCycle = s.cycle;
    }
    let prevV = NaN;
    let prevTau = 0;
    for (let j = 0; j < m; j++) {
      const tau = j === m - 1 ? D : j * dt;
      const v = voltageAt(s.voltage, D > 0 ? tau / D : 1);
      time[row] = t0 + tau;
      voltage[row] = v;
      current[row] = s.currentA;
      cycle[row] = s.cycle;
      stepCol[row] = k + 1;
      if (j > 0) {
        const h = tau - prevTau;
        const dQ = (Math.abs(s.currentA) * h) / 3600;
        const dE = (Math.abs(s.currentA) * (v + prevV) * h) / 7200;
        if (s.currentA > 0) {
          cq += dQ;
          ceE += dE;
        } else if (s.currentA < 0) {
          dq += dQ;
          deE += dE;
        }
      }
      qc[row] = cq;
      qd[row] = dq;
      ec[row] = ceE;
      ed[row] = deE;
      prevV = v;
      prevTau = tau;
      row++;
    }
    t0 += D;
  }
  const columns: Column[] = [
    { ...CYCLER.testTime, values: time },
    { ...CYCLER.voltage, values: voltage },
    { ...CYCLER.current, values: current },
  ];
  if (o.cycleColumn ?? true) columns.push({ ...CYCLER.cycle, values: cycle });
  columns.push({ ...CYCLER.step, values: stepCol });
  if ((o.capacityCounters ?? 'none') !== 'none') {
    columns.push({ ...CYCLER.chargeCapacity, values: qc }, { ...CYCLER.dischargeCapacity, values: qd });
  }
  if ((o.energyCounters ?? 'none') !== 'none') {
    columns.push({ ...CYCLER.chargeEnergy, values: ec }, { ...CYCLER.dischargeEnergy, values: ed });
  }
  if (o.internalResistanceOhm !== undefined) {
    columns.push({ ...CYCLER.internalResistance, values: new Float64Array(n).fill(o.internalResistanceOhm) });
  }
  return {
    kind: 'cycler',
    format: 'synthetic',
    meta: { instrument: 'synthetic' },
    columns,
    warnings: [],
    provenance: { path: 'synthetic', size: 0, sha256: '', parser: 'synthetic', parserVersion: '0', recordIndex: 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// Protocol builders (truth is in the arguments).

export interface LiCuProtocol {
  readonly cycles: number;
  readonly platedAh: number;
  readonly currentA: number;
  /** CE of cycle k (1-based): strip = ce(k) × plated. */
  readonly ce: (k: number) => number;
  /** Rest (s) between plating and stripping of cycle k, with the OCV drifting from restOcv[0] to [1]. */
  readonly restAfterPlateS?: (k: number) => number;
  readonly restOcv?: readonly [number, number];
  /** Voltage of the plating step of cycle k. @default [-0.02, -0.03] */
  readonly plateVoltage?: (k: number) => VoltageShape;
}

/** Li||Cu: plate on Cu with negative current, optional OCV rest, strip with positive current. */
export function liCuSteps(p: LiCuProtocol): SyntheticStep[] {
  const I = Math.abs(p.currentA);
  const out: SyntheticStep[] = [];
  for (let k = 1; k <= p.cycles; k++) {
    out.push({ cycle: k, currentA: -I, capacityAh: p.platedAh, voltage: p.plateVoltage?.(k) ?? [-0.02, -0.03] });
    const rest = p.restAfterPlateS?.(k) ?? 0;
    if (rest > 0) out.push({ cycle: k, currentA: 0, durationS: rest, voltage: p.restOcv ?? [0.0, 0.004] });
    out.push({ cycle: k, currentA: I, capacityAh: p.platedAh * p.ce(k), voltage: [0.02, 0.1] });
  }
  return out;
}

export interface AnodeFreeProtocol {
  readonly cycles: number;
  /** Charge capacity of cycle 1 (Ah). */
  readonly q0Ah: number;
  readonly currentA: number;
  readonly ce: number | ((k: number) => number);
  /** Rest (s) after each discharge, with the OCV relaxing from restOcv[0] to [1]. */
  readonly restS?: number;
  readonly restOcv?: readonly [number, number];
}

/**
 * Anode-free (Cu||cathode): all cyclable Li comes from the cathode, so the charge of cycle k is what the
 * previous discharge returned: Q_ch,k = Q_dis,k−1 and Q_dis,k = CE_k·Q_ch,k (DOMAIN §2.2, Q_n = Q₀·CEⁿ).
 */
export function anodeFreeSteps(p: AnodeFreeProtocol): SyntheticStep[] {
  const ceOf = p.ce;
  const ce = (k: number): number => (typeof ceOf === 'number' ? ceOf : ceOf(k));
  const I = Math.abs(p.currentA);
  const out: SyntheticStep[] = [];
  let q = p.q0Ah;
  for (let k = 1; k <= p.cycles; k++) {
    out.push({ cycle: k, currentA: I, capacityAh: q, voltage: [3.5, 4.2] });
    const qd = q * ce(k);
    out.push({ cycle: k, currentA: -I, capacityAh: qd, voltage: [4.1, 3.2] });
    if (p.restS) out.push({ cycle: k, currentA: 0, durationS: p.restS, voltage: p.restOcv ?? [3.3, 3.35] });
    q = qd;
  }
  return out;
}

export interface ReservoirProtocol {
  readonly currentA: number;
  /** Formation plate/strip (Ah); strip = formationAh × formationCe. Omit for no formation. */
  readonly formationAh?: number;
  readonly formationCe?: number;
  readonly reservoirAh: number;
  readonly cycleAh: number;
  readonly n: number;
  readonly finalStripAh: number;
}

/** Adams 2018: [formation plate, strip], reservoir plate Q_T, n × (strip Q_C, plate Q_C), final strip Q_S. */
export function reservoirSteps(p: ReservoirProtocol): SyntheticStep[] {
  const I = Math.abs(p.currentA);
  const out: SyntheticStep[] = [];
  let c = 1;
  const plate = (q: number): void => void out.push({ cycle: c, currentA: -I, capacityAh: q, voltage: [-0.02, -0.03] });
  const strip = (q: number): void => void out.push({ cycle: c, currentA: I, capacityAh: q, voltage: [0.02, 0.08] });
  if (p.formationAh !== undefined) {
    plate(p.formationAh);
    strip(p.formationAh * (p.formationCe ?? 0.95));
    c++;
  }
  plate(p.reservoirAh);
  for (let k = 0; k < p.n; k++) {
    strip(p.cycleAh);
    c++;
    plate(p.cycleAh);
  }
  strip(p.finalStripAh);
  return out;
}

export interface LiLiProtocol {
  readonly cycles: number;
  readonly capacityAh: number;
  readonly currentA: number;
  /** Plateau overpotential (V) of cycle k. */
  readonly eta: (k: number) => number;
  /** From this cycle on, |V| collapses to 1 mV halfway through the stripping half (a short). */
  readonly shortAtCycle?: number;
}

/** Li||Li symmetric: plate on the working electrode at −η, strip at +η, equal capacities. */
export function liLiSteps(p: LiLiProtocol): SyntheticStep[] {
  const I = Math.abs(p.currentA);
  const out: SyntheticStep[] = [];
  for (let k = 1; k <= p.cycles; k++) {
    const eta = p.eta(k);
    const shorted = p.shortAtCycle !== undefined && k >= p.shortAtCycle;
    out.push({ cycle: k, currentA: -I, capacityAh: p.capacityAh, voltage: [-eta, -eta] });
    out.push({
      cycle: k,
      currentA: I,
      capacityAh: p.capacityAh,
      voltage: shorted ? (f: number): number => (f < 0.5 ? eta : 0.001) : [eta, eta],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Voltage-profile truth (issue #20 §1): a nucleation dip, Li||Li traces, a cathode with dV/dQ features.

/**
 * A plating step of `durationS` with a nucleation dip: V(t) = V_pl − η·(t/t_min)·e^(1 − t/t_min), whose
 * minimum is exactly V_pl − η at t = t_min and which returns to the plateau V_pl (≈ 1e-3·η left at 10 t_min).
 */
export function nucleationDip(p: { plateauV: number; etaNuc: number; tMinS: number; durationS: number }): (f: number) => number {
  return (f) => {
    const x = (f * p.durationS) / p.tMinS;
    return p.plateauV - p.etaNuc * x * Math.exp(1 - x);
  };
}

/** Seeded uniform(0,1) stream (mulberry32, the project's one implementation), so synthetic noise is reproducible. */
export const seededUniform = (seed: number): (() => number) => mulberry32(seed);

export interface CathodeFeatures {
  /** Cathode capacity between full lithiation and the top-of-charge state (Ah). */
  readonly qTopAh: number;
  /** Feature centres (Ah of cathode delithiation from full lithiation) and widths (Ah). */
  readonly centresAh: readonly number[];
  readonly widthAh: number;
  /** Step height of each feature (V). @default 0.15 */
  readonly stepV?: number;
}

/** Cathode OCV vs delithiation x (Ah): a linear slope plus tanh steps, so dV/dQ has sech² peaks at the centres. */
export function cathodeOcv(c: CathodeFeatures): (x: number) => number {
  const h = c.stepV ?? 0.15;
  return (x) => 3.6 + (0.3 * x) / c.qTopAh + c.centresAh.reduce((s, x0) => s + h * Math.tanh((x - x0) / c.widthAh), 0);
}

/**
 * Anode-free (or Li-metal) full cell whose Li negative is flat (0 V), so V_cell = U_cathode (MECHANISMS §3.4):
 * cycle k charges the cathode from its deficit L_k to the top-of-charge state and discharges back to
 * L_{k+1} = L_k + lossAh(k). The charge curve's dV/dQ features therefore sit at centre − L_k: the planted
 * Li-inventory loss since cycle 1 is L_k.
 */
export function anodeFreeFeatureSteps(p: { cycles: number; currentA: number; cathode: CathodeFeatures; lossAh: (k: number) => number; ohmicV?: number }): {
  steps: SyntheticStep[];
  deficit: number[];
} {
  const U = cathodeOcv(p.cathode);
  const I = Math.abs(p.currentA);
  const r = p.ohmicV ?? 0.02;
  const out: SyntheticStep[] = [];
  const deficit: number[] = [];
  let L = 0;
  for (let k = 1; k <= p.cycles; k++) {
    deficit.push(L);
    const qc = p.cathode.qTopAh - L;
    const L0 = L;
    out.push({ cycle: k, currentA: I, capacityAh: qc, voltage: (f) => U(L0 + f * qc) + r });
    const L1 = L + p.lossAh(k);
    const qd = p.cathode.qTopAh - L1;
    out.push({ cycle: k, currentA: -I, capacityAh: qd, voltage: (f) => U(p.cathode.qTopAh - f * qd) - r });
    L = L1;
  }
  return { steps: out, deficit };
}
