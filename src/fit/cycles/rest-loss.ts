/**
 * Rest-then-strip corrosion test (Boyle et al. 2021, DOMAIN §1.1, §2.1 calendar variant): capacity lost
 * across an open-circuit rest between plating and stripping, as a fraction of the capacity plated.
 *
 * A cycle with a long rest (≥ restLossMinS) between its opening and closing halves loses its normal
 * cycling loss plus the rest loss, so the rest loss is CE_ref − CE_rest, with CE_ref the median CE of
 * the complete no-rest cycles (first cycle excluded: formation). Without reference cycles the gross
 * loss 1 − CE_rest is reported and the note says it includes the cycling loss.
 */
import type { CycleMetrics } from './cycle-metrics.js';
import type { CycleSummary } from './summarize-cycles.js';

export interface RestLossCycle {
  readonly cycle: number;
  readonly restDurationS: number;
  readonly ce: number;
  readonly loss: number;
}

export interface RestLoss {
  /** Mean loss fraction over the rest cycles. */
  readonly value: number;
  readonly referenceCe: number;
  readonly referenceCycles: number;
  readonly cycles: readonly RestLossCycle[];
  readonly note: string;
}

export function restLoss(s: CycleSummary, m: CycleMetrics, restLossMinS: number, shortCycleIndex: number): RestLoss | undefined {
  const restDur = new Float64Array(s.cycles);
  let c = 0;
  for (let j = 0; j < s.rests.count; j++) {
    if (!s.rests.midCycle[j] || s.rests.duration[j]! < restLossMinS) continue;
    const row = s.rests.startRow[j]!;
    while (c < s.cycles - 1 && s.endRow[c]! <= row) c++;
    restDur[c] = restDur[c]! + s.rests.duration[j]!;
  }
  const refCe: number[] = [];
  const restCycles: number[] = [];
  const end = shortCycleIndex >= 0 ? shortCycleIndex : s.cycles;
  for (let k = 0; k < end; k++) {
    if (!m.complete[k] || !Number.isFinite(m.ce[k]!)) continue;
    if (restDur[k]! > 0) restCycles.push(k);
    else if (k > 0) refCe.push(m.ce[k]!);
  }
  if (restCycles.length === 0) return undefined;
  const sorted = refCe.sort((a, b) => a - b);
  const ref = sorted.length ? (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2 : NaN;
  const haveRef = sorted.length > 0;
  const cycles = restCycles.map((k) => ({
    cycle: s.cycle[k]!, restDurationS: restDur[k]!, ce: m.ce[k]!, loss: (haveRef ? ref : 1) - m.ce[k]!,
  }));
  const value = cycles.reduce((a, x) => a + x.loss, 0) / cycles.length;
  return {
    value, referenceCe: ref, referenceCycles: sorted.length, cycles,
    note: haveRef
      ? `CE_ref ${ref.toFixed(5)} (median of ${sorted.length} no-rest cycles) − CE of ${cycles.length} rest cycle(s)`
      : `no no-rest reference cycles: gross loss 1 − CE, includes the ordinary cycling loss`,
  };
}
