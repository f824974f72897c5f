/**
 * Kaplan–Meier survival curves with censoring marks.
 * `kaplanMeier` turns per-cell (time, event) pairs into the step data; `kmSpec` draws steps, a
 * Greenwood log–log 95 % band and a tick at each censored time. The builder takes the steps, so a
 * hypothesis engine that computes its own KM can pass its numbers straight in.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, PANEL, SCHEMA } from './theme.js';
import { caption, type PlotSpec } from './figure.js';

export interface SurvivalSubject {
  readonly group: string;
  readonly time: number;
  /** true = the event (e.g. 80 % capacity) was observed; false = censored at `time`. */
  readonly event: boolean;
}

/** One step of a KM curve: survival from `time` until the next step. */
export interface KmStep {
  readonly group: string;
  readonly time: number;
  readonly survival: number;
  /** Greenwood log–log 95 % limits. */
  readonly lower: number;
  readonly upper: number;
  /** At risk just before `time`. */
  readonly atRisk: number;
}

export interface KmCensorTick {
  readonly group: string;
  readonly time: number;
  /** Survival at that time (where the tick sits on the curve). */
  readonly survival: number;
}

export interface KmData {
  readonly steps: readonly KmStep[];
  readonly censored: readonly KmCensorTick[];
}

/** Product-limit estimate per group (events before censorings at tied times). Pure. */
export function kaplanMeier(subjects: readonly SurvivalSubject[]): KmData {
  const steps: KmStep[] = [];
  const censored: KmCensorTick[] = [];
  const groups = [...new Set(subjects.map((s) => s.group))].sort();
  for (const g of groups) {
    const xs = subjects
      .filter((s) => s.group === g && Number.isFinite(s.time))
      .slice()
      .sort((a, b) => a.time - b.time);
    let atRisk = xs.length;
    let s = 1;
    let gw = 0; // Greenwood sum Σ d / (n (n − d))
    steps.push({ group: g, time: 0, survival: 1, lower: 1, upper: 1, atRisk });
    let i = 0;
    while (i < xs.length) {
      const t = xs[i]!.time;
      let d = 0;
      let c = 0;
      while (i < xs.length && xs[i]!.time === t) {
        if (xs[i]!.event) d++;
        else c++;
        i++;
      }
      if (d > 0) {
        s *= 1 - d / atRisk;
        gw += atRisk - d > 0 ? d / (atRisk * (atRisk - d)) : Infinity;
        const [lower, upper] = logLogCi(s, gw);
        steps.push({ group: g, time: t, survival: s, lower, upper, atRisk });
      }
      if (c > 0) censored.push({ group: g, time: t, survival: s });
      atRisk -= d + c;
    }
    // Carry the last level to the last observed time so the curve reaches censored tails.
    const last = xs[xs.length - 1];
    const prev = steps[steps.length - 1]!;
    if (last && last.time > prev.time) steps.push({ ...prev, time: last.time, atRisk });
  }
  return { steps, censored };
}

function logLogCi(s: number, greenwood: number): [number, number] {
  if (s <= 0 || s >= 1 || !Number.isFinite(greenwood)) return [s <= 0 ? 0 : s, s >= 1 ? 1 : s];
  const se = Math.sqrt(greenwood) / Math.abs(Math.log(s));
  const lo = s ** Math.exp(1.96 * se);
  const hi = s ** Math.exp(-1.96 * se);
  return [lo, hi];
}

export interface KmOptions {
  readonly title: string;
  /** e.g. `Cycles to 80 % capacity`. */
  readonly timeTitle: string;
  readonly source: string;
}

export function kmSpec(km: KmData, o: KmOptions): PlotSpec {
  const steps = km.steps.map((s) => ({ ...s }));
  const ticks = km.censored.map((c) => ({ ...c }));
  const spec = {
    $schema: SCHEMA,
    config: CONFIG,
    width: PANEL.width + 160,
    height: PANEL.height,
    encoding: {
      x: { field: 'time', type: 'quantitative', title: o.timeTitle },
      color: { field: 'group', type: 'nominal', title: 'group' },
    },
    layer: [
      {
        name: 'ci',
        data: { values: steps },
        mark: { type: 'area', interpolate: 'step-after', opacity: 0.15 },
        encoding: {
          y: { field: 'lower', type: 'quantitative', title: 'Survival', scale: { domain: [0, 1] } },
          y2: { field: 'upper' },
          color: { field: 'group', type: 'nominal' },
        },
      },
      {
        name: 'curve',
        data: { values: steps },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: { y: { field: 'survival', type: 'quantitative' } },
      },
      {
        name: 'censored',
        data: { values: ticks },
        mark: { type: 'point', shape: 'M0,-1L0,1', size: 70, strokeWidth: 1.6, filled: false },
        encoding: { y: { field: 'survival', type: 'quantitative' } },
      },
    ],
  } as unknown as TopLevelSpec;
  const groups = [...new Set(km.steps.map((s) => s.group))];
  const n = groups
    .map((g) => `${g}: n=${km.steps.find((s) => s.group === g)?.atRisk ?? 0}, censored ${km.censored.filter((c) => c.group === g).length}`)
    .join('; ');
  return {
    title: o.title,
    spec,
    caption: caption(
      `${o.source}. Kaplan–Meier product-limit estimate per group; band: 95 % Greenwood log–log interval; vertical ticks: censored cells (test ended before the event). ${n}.`,
    ),
  };
}
