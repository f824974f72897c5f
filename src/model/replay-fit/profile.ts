/**
 * Profile likelihood of one parameter: step ln θ_i away from the optimum, re-optimise the others, and
 * find where Δχ² (scaled by the reduced χ² when the fit is worse than its noise) crosses the threshold.
 * No crossing on either side inside the bounds = a flat profile = non-identifiable.
 */
import { fitObjective, type Objective } from './objective.js';

export interface ProfileOutcome {
  /** 95 % bounds in θ (null where the profile stays below the threshold up to the bound). */
  readonly lower: number | null;
  readonly upper: number | null;
  /** Bound values reached without crossing. */
  readonly lowerReached: number;
  readonly upperReached: number;
}

const OFFSETS = [0.03, 0.1, 0.25, 0.6, 1.4, 2.8];

export function profileParameter(obj: Objective, uOpt: Float64Array, chi2Opt: number, i: number, threshold: number, scale: number): ProfileOutcome {
  const k = uOpt.length;
  const others = Array.from({ length: k }, (_, j) => j).filter((j) => j !== i);
  const side = (dir: -1 | 1): { cross: number | null; reached: number } => {
    let prevD = 0;
    let prevDelta = 0;
    let warm: Float64Array = Float64Array.from(others, (j) => uOpt[j]!);
    const bound = dir < 0 ? obj.lower[i]! : obj.upper[i]!;
    for (const d of OFFSETS) {
      let ui = uOpt[i]! + dir * d;
      const atBound = dir < 0 ? ui <= bound : ui >= bound;
      if (atBound) ui = bound;
      const sub = {
        lower: Float64Array.from(others, (j) => obj.lower[j]!),
        upper: Float64Array.from(others, (j) => obj.upper[j]!),
        residuals: (v: Float64Array): Float64Array => {
          const u = new Float64Array(k);
          u[i] = ui;
          others.forEach((j, a) => (u[j] = v[a]!));
          return obj.residuals(u);
        },
      };
      const r = fitObjective(sub, warm, 12);
      warm = r.u;
      const delta = (r.chi2 - chi2Opt) / scale;
      const dd = Math.abs(ui - uOpt[i]!);
      if (delta >= threshold) {
        const t = (threshold - prevDelta) / Math.max(1e-12, delta - prevDelta);
        return { cross: uOpt[i]! + dir * (prevD + t * (dd - prevD)), reached: ui };
      }
      prevD = dd;
      prevDelta = Math.max(0, delta);
      if (atBound) return { cross: null, reached: ui };
    }
    return { cross: null, reached: uOpt[i]! + dir * OFFSETS[OFFSETS.length - 1]! };
  };
  const lo = side(-1);
  const hi = side(1);
  return {
    lower: lo.cross === null ? null : Math.exp(lo.cross),
    upper: hi.cross === null ? null : Math.exp(hi.cross),
    lowerReached: Math.exp(lo.reached),
    upperReached: Math.exp(hi.reached),
  };
}
