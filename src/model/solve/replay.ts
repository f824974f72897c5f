/**
 * replayCell(model, parameters, protocol, options): the one place where model, parameter values,
 * protocol and solver meet (STYLE.md "absorb" §8). The model is a per-cycle map, so the "solver" is an
 * explicit cycle-by-cycle iteration with failure detection and right-censoring.
 */
import type { ReplayParameterValues } from '../params/types.js';
import { resolveParameters, type ResolvedParameters } from '../params/resolve.js';
import type { Protocol } from '../protocol/types.js';
import type { ReplayModel } from '../variants.js';
import type { CellState } from '../state.js';
import { cycleStep } from '../cycle.js';
import { seiResistance } from '../resistance.js';
import { checkFailure, crossing, type Failure, type FailureMode } from '../failure.js';
import { resolveSolverOptions, type SolverOptions } from './options.js';

export interface StateTraces {
  readonly inventory_mAh_cm2: Float64Array;
  readonly seiThickness_nm: Float64Array;
  readonly inorganicFraction: Float64Array;
  readonly heterogeneity: Float64Array;
  readonly roughness: Float64Array;
  readonly polarisation: Float64Array;
  readonly deadLi_mAh_cm2: Float64Array;
  readonly rSei_Ohm_cm2: Float64Array;
}

export interface ReplayResult {
  readonly model: string;
  /** Cycles actually replayed (≤ protocol length; fewer when stopped at failure). */
  readonly cycles: number;
  readonly ce: Float64Array;
  readonly plated_mAh_cm2: Float64Array;
  /** Strip (discharge) capacity per cycle. */
  readonly capacity_mAh_cm2: Float64Array;
  readonly retention: Float64Array;
  readonly overpotential_V: Float64Array;
  readonly amplification: Float64Array;
  readonly phiDead: Float64Array;
  readonly phiSei: Float64Array;
  readonly restLoss_mAh_cm2: Float64Array;
  readonly qCorr_mAh_cm2: Float64Array;
  readonly reconnected_mAh_cm2: Float64Array;
  /** State after each cycle (empty arrays when options.traces is false). */
  readonly traces: StateTraces;
  readonly failure: Failure;
  readonly finalState: CellState;
}

export function initialState(p: ResolvedParameters): CellState {
  return {
    cycle: 0,
    inventory_mAh_cm2: p.Q0,
    seiThickness_nm: p.L0,
    inorganicFraction: p.f0,
    heterogeneity: p.H0,
    roughness: p.A0,
    polarisation: p.P0,
    deadLiCycling_mAh_cm2: 0,
    deadLiRest_mAh_cm2: 0,
    rSei_Ohm_cm2: seiResistance(p.rhoOrg, p.rhoInorg, p.f0, p.L0, p.A0),
  };
}

export function replayCell(model: ReplayModel, values: ReplayParameterValues, protocol: Protocol, options: Partial<SolverOptions> = {}): ReplayResult {
  return replayResolved(model, resolveParameters(values), protocol, resolveSolverOptions(options));
}

/** The hot path for fits: parameters and options already resolved. */
export function replayResolved(model: ReplayModel, p: ResolvedParameters, protocol: Protocol, o: SolverOptions): ReplayResult {
  const N = protocol.cycles.length;
  const arr = (): Float64Array => new Float64Array(N);
  const ce = arr(),
    plated = arr(),
    cap = arr(),
    ret = arr(),
    eta = arr(),
    amp = arr(),
    pd = arr(),
    ps = arr(),
    rl = arr(),
    qc = arr(),
    rc = arr();
  const T = o.traces ? N : 0;
  const tr: StateTraces = {
    inventory_mAh_cm2: new Float64Array(T),
    seiThickness_nm: new Float64Array(T),
    inorganicFraction: new Float64Array(T),
    heterogeneity: new Float64Array(T),
    roughness: new Float64Array(T),
    polarisation: new Float64Array(T),
    deadLi_mAh_cm2: new Float64Array(T),
    rSei_Ohm_cm2: new Float64Array(T),
  };
  const enabled = new Set<FailureMode>(o.failureModes);
  const limits = { retention: p.retentionLimit, mCrit: p.mCrit, etaLimit: p.etaLimit };
  let s = initialState(p);
  let ref = NaN;
  let prevRet = 1;
  let failure: Failure | null = null;
  let n = 0;
  for (; n < N; n++) {
    const out = cycleStep(s, protocol.cycles[n]!, model, p, o.cellType);
    s = out.state;
    ce[n] = out.ce;
    plated[n] = out.plated_mAh_cm2;
    cap[n] = out.stripped_mAh_cm2;
    eta[n] = out.overpotential_V;
    amp[n] = out.amplification;
    pd[n] = out.phiDead;
    ps[n] = out.phiSei;
    rl[n] = out.restLoss_mAh_cm2;
    qc[n] = out.qCorr_mAh_cm2;
    rc[n] = out.reconnected_mAh_cm2;
    if (n === 0) ref = o.capacityReference === 'initial-charge' ? out.plated_mAh_cm2 : out.stripped_mAh_cm2;
    else if (o.capacityReference === 'max-first-5' && n < 5) ref = Math.max(ref, out.stripped_mAh_cm2);
    const r = ref > 0 ? out.stripped_mAh_cm2 / ref : 0;
    ret[n] = r;
    if (T) {
      tr.inventory_mAh_cm2[n] = s.inventory_mAh_cm2;
      tr.seiThickness_nm[n] = s.seiThickness_nm;
      tr.inorganicFraction[n] = s.inorganicFraction;
      tr.heterogeneity[n] = s.heterogeneity;
      tr.roughness[n] = s.roughness;
      tr.polarisation[n] = s.polarisation;
      tr.deadLi_mAh_cm2[n] = s.deadLiCycling_mAh_cm2 + s.deadLiRest_mAh_cm2;
      tr.rSei_Ohm_cm2[n] = s.rSei_Ohm_cm2;
    }
    if (!failure) {
      // 'max-first-5' cannot judge capacity before its reference is complete
      const capacityReady = o.capacityReference !== 'max-first-5' || n >= 4;
      const mode = checkFailure(
        {
          retention: capacityReady ? r : 1,
          prevRetention: prevRet,
          amplification: out.amplification,
          overpotential_V: out.overpotential_V,
          inventoryShort: out.inventoryShort,
        },
        limits,
        enabled,
      );
      if (mode) {
        const prev = n === 0 ? (o.capacityReference === 'initial-charge' ? 1 : r) : prevRet;
        failure = { mode, cycle: n + 1, cycleFractional: mode === 'capacity' ? crossing(n + 1, prev, r, limits.retention) : null, censored: false };
        if (o.stopAtFailure) {
          n++;
          break;
        }
      }
    }
    prevRet = r;
  }
  const cut = <A extends Float64Array>(a: A): Float64Array => (n < N ? a.subarray(0, n) : a);
  return {
    model: model.id,
    cycles: n,
    ce: cut(ce),
    plated_mAh_cm2: cut(plated),
    capacity_mAh_cm2: cut(cap),
    retention: cut(ret),
    overpotential_V: cut(eta),
    amplification: cut(amp),
    phiDead: cut(pd),
    phiSei: cut(ps),
    restLoss_mAh_cm2: cut(rl),
    qCorr_mAh_cm2: cut(qc),
    reconnected_mAh_cm2: cut(rc),
    traces: T && n < N ? (Object.fromEntries(Object.entries(tr).map(([k, v]) => [k, (v as Float64Array).subarray(0, n)])) as unknown as StateTraces) : tr,
    failure: failure ?? { mode: null, cycle: n, cycleFractional: null, censored: true },
    finalState: s,
  };
}

/** Calendar loss of one rest: fraction of `deposit_mAh_cm2` lost (irreversible + stranded) in `hours`. */
export function restLossFraction(
  model: ReplayModel,
  values: ReplayParameterValues,
  hours: number,
  deposit_mAh_cm2 = 1,
): { irreversible: number; total: number } {
  const p = resolveParameters(values);
  const protocol: Protocol = {
    steps: [],
    source: 'code',
    cycles: [
      {
        restBefore_h: 0,
        plateCurrent_mA_cm2: p.jRef,
        plateCapacity_mAh_cm2: deposit_mAh_cm2,
        restAfterPlate_h: hours,
        stripCurrent_mA_cm2: p.jRef,
        stripMode: 'voltage',
        stripCapacity_mAh_cm2: 0,
      },
    ],
  };
  const r = replayResolved(model, p, protocol, resolveSolverOptions({ traces: false, stopAtFailure: false }));
  return { irreversible: r.qCorr_mAh_cm2[0]! / deposit_mAh_cm2, total: r.restLoss_mAh_cm2[0]! / deposit_mAh_cm2 };
}
