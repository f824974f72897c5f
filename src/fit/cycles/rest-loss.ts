/**
 * Rest-then-strip corrosion test (Boyle et al. 2021, DOMAIN §1.1, §2.1 calendar variant): capacity lost
 * across an open-circuit rest between plating and stripping, as a fraction of the capacity plated.
 *
 * A cycle with a long rest (≥ restLossMinS) between its opening and closing halves loses its normal
 * cycling loss plus the rest loss, so the rest loss is CE_ref − CE_rest. CE_ref must be the CE the
 * cell would have had in that cycle without the rest, so it comes only from cycles the rest did not
 * touch:
 *
 *   eligible  = complete cycles with a finite CE, not the 1st (formation), no long rest of their own,
 *               before any short-circuit signature, and not among the `restRecoveryCycles` cycles
 *               that follow ANY rest cycle (the recovery transient: fresh SEI on the exposed Li,
 *               reconnection of stranded Li, both shift CE for a few cycles);
 *   CE_ref(k) = mean CE of the last `restReferenceCycles` eligible cycles BEFORE rest cycle k;
 *               when no eligible cycle precedes it, the first `restReferenceCycles` eligible cycles
 *               after it (which are, by the rule above, ≥ restRecoveryCycles + 1 cycles later).
 *
 * The median of all no-rest cycles (the earlier estimator) is biased low: it mixes in the depressed
 * post-rest cycles and the ageing drift of the whole test (≈ 20 % low on the virtual-lab demo).
 * Without any eligible cycle the gross loss 1 − CE_rest is reported and the note says it includes the
 * cycling loss. The standard error is the reference cycles' CE scatter, which enters both CE_ref
 * (÷ n) and the single rest cycle's CE: sd·√(1 + 1/n), averaged over the rest cycles.
 */
import type { CycleMetrics } from './cycle-metrics.js';
import type { CycleSummary } from './summarize-cycles.js';

export interface RestLossCycle {
  readonly cycle: number;
  readonly restDurationS: number;
  readonly ce: number;
  readonly loss: number;
  /** CE_ref used for this rest cycle (NaN when there was none). */
  readonly referenceCe: number;
  /** Cycle numbers whose CE formed CE_ref. */
  readonly referenceCycles: readonly number[];
  /** Where the reference came from. */
  readonly referenceSide: 'before' | 'after' | 'none';
}

export interface RestLoss {
  /** Mean loss fraction over the rest cycles. */
  readonly value: number;
  /** 1σ, from the scatter of the reference cycles' CE; NaN with fewer than 2 reference cycles. */
  readonly stderr: number;
  /** Mean of the per-rest-cycle CE_ref. */
  readonly referenceCe: number;
  /** Number of distinct cycles used as references. */
  readonly referenceCycles: number;
  readonly cycles: readonly RestLossCycle[];
  readonly note: string;
}

export interface RestLossOptions {
  readonly restLossMinS: number;
  /** Cycles averaged into CE_ref. */
  readonly restReferenceCycles: number;
  /** Cycles after a rest cycle that are never a reference (recovery transient). */
  readonly restRecoveryCycles: number;
}

export function restLoss(s: CycleSummary, m: CycleMetrics, o: RestLossOptions, shortCycleIndex: number): RestLoss | undefined {
  const restDur = new Float64Array(s.cycles);
  let c = 0;
  for (let j = 0; j < s.rests.count; j++) {
    if (!s.rests.midCycle[j] || s.rests.duration[j]! < o.restLossMinS) continue;
    const row = s.rests.startRow[j]!;
    while (c < s.cycles - 1 && s.endRow[c]! <= row) c++;
    restDur[c] = restDur[c]! + s.rests.duration[j]!;
  }
  const end = shortCycleIndex >= 0 ? shortCycleIndex : s.cycles;
  const usable = (k: number): boolean => m.complete[k] === 1;
  const restCycles: number[] = [];
  for (let k = 0; k < end; k++) if (restDur[k]! > 0 && usable(k) && Number.isFinite(m.ce[k]!)) restCycles.push(k);
  if (restCycles.length === 0) return undefined;
  // Every cycle touched by a rest: the rest cycle itself and the recovery window after it.
  const touched = new Uint8Array(s.cycles);
  for (let k = 0; k < s.cycles; k++) {
    if (restDur[k]! > 0) for (let j = k; j <= Math.min(s.cycles - 1, k + o.restRecoveryCycles); j++) touched[j] = 1;
  }
  const eligible: number[] = [];
  for (let k = 1; k < end; k++) if (!touched[k] && usable(k) && Number.isFinite(m.ce[k]!)) eligible.push(k);

  const used = new Set<number>();
  let varSum = 0;
  let varOk = true;
  const cycles: RestLossCycle[] = restCycles.map((k) => {
    const before = eligible.filter((j) => j < k);
    const after = eligible.filter((j) => j > k);
    const side: RestLossCycle['referenceSide'] = before.length ? 'before' : after.length ? 'after' : 'none';
    const ref = side === 'before' ? before.slice(-o.restReferenceCycles) : side === 'after' ? after.slice(0, o.restReferenceCycles) : [];
    ref.forEach((j) => used.add(j));
    const ces = ref.map((j) => m.ce[j]!);
    const n = ces.length;
    const mean = n ? ces.reduce((a, b) => a + b, 0) / n : NaN;
    if (n >= 2) {
      const sd2 = ces.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
      varSum += sd2 * (1 + 1 / n);
    } else varOk = false;
    return {
      cycle: s.cycle[k]!,
      restDurationS: restDur[k]!,
      ce: m.ce[k]!,
      loss: (n ? mean : 1) - m.ce[k]!,
      referenceCe: mean,
      referenceCycles: ref.map((j) => s.cycle[j]!),
      referenceSide: side,
    };
  });
  const value = cycles.reduce((a, x) => a + x.loss, 0) / cycles.length;
  const stderr = varOk ? Math.sqrt(varSum) / cycles.length : NaN;
  const withRef = cycles.filter((x) => x.referenceSide !== 'none');
  const referenceCe = withRef.length ? withRef.reduce((a, x) => a + x.referenceCe, 0) / withRef.length : NaN;
  const span = (xs: readonly number[]): string => (xs.length > 1 ? `${xs[0]}–${xs[xs.length - 1]}` : `${xs[0]}`);
  const parts = cycles.map((x) =>
    x.referenceSide === 'none'
      ? `cycle ${x.cycle}: no unaffected reference cycle, gross loss 1 − CE (includes the ordinary cycling loss)`
      : `cycle ${x.cycle}: CE_ref ${x.referenceCe.toFixed(5)} (mean of cycle${x.referenceCycles.length > 1 ? 's' : ''} ${span(x.referenceCycles)}, ${x.referenceSide} the rest${x.referenceSide === 'after' ? `, > ${o.restRecoveryCycles} cycles after it` : ''}) − CE ${x.ce.toFixed(5)}`,
  );
  return {
    value,
    stderr,
    referenceCe,
    referenceCycles: used.size,
    cycles,
    note: `${parts.join('; ')}${cycles.length > 1 ? `; mean of ${cycles.length} rest cycles` : ''}`,
  };
}
