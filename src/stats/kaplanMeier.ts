/**
 * Kaplan–Meier survival with Greenwood variance. CIs as R survival::survfit: conf.type 'log'
 * (default, S·exp(±z·σ) with σ² = Σ d/(n(n−d))), 'plain' or 'log-log'. The median is the first time
 * S ≤ 0.5 (the midpoint to the next event time when S is exactly 0.5, as R).
 * `event` is 1 (failure observed) or 0 (right-censored).
 */
import { normalQuantile } from './distributions.js';

export interface KmStep {
  readonly time: number;
  readonly nRisk: number;
  readonly nEvent: number;
  readonly nCensor: number;
  readonly surv: number;
  /** Greenwood standard error of S(t). */
  readonly stdErr: number;
  readonly lower: number;
  readonly upper: number;
}

export interface KaplanMeierResult {
  readonly method: string;
  readonly n: number;
  readonly events: number;
  readonly steps: readonly KmStep[];
  readonly median: number | null;
  readonly confType: 'log' | 'plain' | 'log-log';
}

export function kaplanMeier(
  time: readonly number[],
  event: readonly (0 | 1 | boolean)[],
  opts: { confLevel?: number; confType?: 'log' | 'plain' | 'log-log' } = {},
): KaplanMeierResult {
  const n = time.length;
  const confType = opts.confType ?? 'log';
  const z = normalQuantile(1 - (1 - (opts.confLevel ?? 0.95)) / 2);
  const times = [...new Set(time)].sort((a, b) => a - b);
  let s = 1;
  let gw = 0;
  const steps: KmStep[] = [];
  let events = 0;
  for (const t of times) {
    let nRisk = 0;
    let d = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (time[i]! >= t) nRisk++;
      if (time[i] === t) {
        if (event[i]) d++;
        else c++;
      }
    }
    events += d;
    if (d > 0) {
      s *= 1 - d / nRisk;
      gw += nRisk === d ? Infinity : d / (nRisk * (nRisk - d));
    }
    const se = Math.sqrt(gw);
    let lower: number;
    let upper: number;
    if (s === 0 || !Number.isFinite(gw)) {
      lower = NaN;
      upper = NaN;
    } else if (confType === 'log') {
      lower = s * Math.exp(-z * se);
      upper = Math.min(1, s * Math.exp(z * se));
    } else if (confType === 'plain') {
      lower = Math.max(0, s - z * se * s);
      upper = Math.min(1, s + z * se * s);
    } else {
      const ll = Math.log(-Math.log(s));
      const sl = se / Math.abs(Math.log(s));
      lower = Math.exp(-Math.exp(ll + z * sl));
      upper = Math.exp(-Math.exp(ll - z * sl));
    }
    steps.push({ time: t, nRisk, nEvent: d, nCensor: c, surv: s, stdErr: s * se, lower, upper });
  }
  let median: number | null = null;
  const evSteps = steps.filter((st) => st.nEvent > 0);
  for (let i = 0; i < evSteps.length; i++) {
    const st = evSteps[i]!;
    if (Math.abs(st.surv - 0.5) < 1e-12) {
      median = i + 1 < evSteps.length ? (st.time + evSteps[i + 1]!.time) / 2 : st.time;
      break;
    }
    if (st.surv < 0.5) {
      median = st.time;
      break;
    }
  }
  return { method: `Kaplan–Meier, Greenwood ${confType} CI`, n, events, steps, median, confType };
}
