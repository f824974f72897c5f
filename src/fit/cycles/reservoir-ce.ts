/**
 * Average CE by the reservoir method of Adams et al. 2018 (DOI 10.1002/aenm.201702097; DOMAIN §2.1).
 *
 * Step pattern on Li||Cu half cycles (rests ignored): [formation plate, formation strip]? then a
 * reservoir plate Q_T, n ≥ 2 cycles of strip Q_C / plate Q_C, and a final strip of everything, Q_S.
 * CE_avg = (n·Q_C + Q_S) / (n·Q_C + Q_T). The measured strip and plate sums of the n cycles replace
 * n·Q_C (identical for capacity-limited steps, and still a charge balance when they differ slightly).
 */
import type { HalfCycles } from './summarize-cycles.js';

export interface ReservoirCe {
  readonly ceAvg: number;
  readonly n: number;
  /** Mean cycling capacity Q_C (Ah). */
  readonly qCycle: number;
  readonly qReservoir: number;
  readonly qFinalStrip: number;
  readonly withFormation: boolean;
}

export interface ReservoirOptions {
  /** Cycling half cycles must lie within this relative band of their median. @default 0.05 */
  readonly tolerance?: number;
  /** The reservoir must exceed Q_C by this factor. @default 1.5 */
  readonly minReservoirRatio?: number;
  /** @default 2 */
  readonly minCycles?: number;
}

/** Recognise the protocol in the half cycles of a Li||Cu record (plating = sign −1). */
export function reservoirCe(h: HalfCycles, o: ReservoirOptions = {}): ReservoirCe | undefined {
  const tol = o.tolerance ?? 0.05;
  const ratio = o.minReservoirRatio ?? 1.5;
  const minCycles = o.minCycles ?? 2;
  let maxQ = 0;
  for (let j = 0; j < h.count; j++) if (h.capacity[j]! > maxQ) maxQ = h.capacity[j]!;
  const sign: number[] = [];
  const q: number[] = [];
  for (let j = 0; j < h.count; j++) {
    if (h.capacity[j]! <= 1e-6 * maxQ) continue; // a stray blip is not a half cycle
    // Consecutive same-sign pieces (e.g. a rest split that survived) are one half cycle.
    if (sign.length && sign[sign.length - 1] === h.sign[j]) q[q.length - 1]! += h.capacity[j]!;
    else {
      sign.push(h.sign[j]!);
      q.push(h.capacity[j]!);
    }
  }
  const m = sign.length;
  for (const k of [2, 0]) {
    if (k === 2 && !(sign[0] === -1 && sign[1] === 1)) continue;
    if (sign[k] !== -1 || sign[m - 1] !== 1) continue;
    const mid = m - 1 - (k + 1);
    if (mid < 2 * minCycles || mid % 2 !== 0) continue;
    let alternating = true;
    for (let j = k + 1; j < m - 1; j++) if (sign[j] !== ((j - k - 1) % 2 === 0 ? 1 : -1)) alternating = false;
    if (!alternating) continue;
    const cyc = q.slice(k + 1, m - 1);
    const sorted = [...cyc].sort((a, b) => a - b);
    const med = (sorted[(mid - 1) >> 1]! + sorted[mid >> 1]!) / 2;
    if (!cyc.every((x) => Math.abs(x - med) <= tol * med)) continue;
    const qT = q[k]!;
    if (qT < ratio * med) continue;
    let stripped = 0;
    let plated = 0;
    for (let j = k + 1; j < m - 1; j++) {
      if (sign[j] === 1) stripped += q[j]!;
      else plated += q[j]!;
    }
    const qS = q[m - 1]!;
    const n = mid / 2;
    return {
      ceAvg: (stripped + qS) / (plated + qT),
      n,
      qCycle: plated / n,
      qReservoir: qT,
      qFinalStrip: qS,
      withFormation: k === 2,
    };
  }
  return undefined;
}
