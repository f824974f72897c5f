/**
 * Whole-campaign linear models: one model over every cell that carries the response, with the
 * design's factors as terms, so a hypothesis uses all 24 cells of a 4-arm × 3-rest × 2-replicate
 * campaign instead of the 4 that share a rest level.
 *
 * Terms, in the order they claim the design's information (a later column confounded with earlier
 * ones is dropped and named, see stats/contrast.ts `estimableColumns`):
 *   intercept (the reference arm: control when present) · arm dummies · rest slopes on √(rest h)
 *   (one per arm with ≥ 2 rest levels, or one common slope) · covariates of interest · extra
 *   factors (material, sputter protocol) · blocks (cycler, batch) · log current density when it varies.
 *
 * Rest is the open-circuit exposure before the first cycle or between cycles (DOMAIN §1: assembly,
 * resting, storage), from the manifest's rest_hours or the log's initial OCV step; √t is the fixed
 * dose transform (passivating growth, DOMAIN §2.1) and is stated in every test line.
 */
import type { CellSpec } from '../campaign/manifest.js';
import { ols, type OlsResult } from '../stats/ols.js';
import { estimableColumns, type DesignColumn } from '../stats/contrast.js';
import { compareModels } from '../stats/modelSelection.js';
import { ARM_ORDER, type ArmName, type CampaignData } from './data.js';
import type { EndpointResult } from './types.js';

export const REST_DOSE = { label: '√(rest h)', of: (h: number): number => Math.sqrt(h) } as const;

export interface Covariate {
  readonly name: string;
  readonly value: (c: CellSpec) => number | null;
}
export interface Factor {
  readonly name: string;
  readonly level: (c: CellSpec) => string | null;
}

export interface ModelRequest {
  readonly yName: string;
  readonly y: (c: CellSpec) => number | null;
  /** Cells the model may use (default: every cell). */
  readonly cells?: readonly CellSpec[];
  /** 'per-arm': each arm with ≥ 2 rest levels gets its own slope; 'common': one slope; 'none'. */
  readonly rest: 'per-arm' | 'common' | 'none';
  /** Arm factor. @default true */
  readonly arms?: boolean;
  readonly covariates?: readonly Covariate[];
  readonly factors?: readonly Factor[];
  /** Blocking factors (cycler, batch) and current density. @default true */
  readonly blocks?: boolean;
}

export interface CampaignModel {
  readonly fit: OlsResult;
  readonly yName: string;
  readonly cells: readonly CellSpec[];
  readonly y: readonly number[];
  readonly arms: readonly ArmName[];
  readonly reference: ArmName | null;
  /** Rest levels (h) of each arm among the cells used. */
  readonly restLevels: ReadonlyMap<ArmName, readonly number[]>;
  /** Columns the design could not separate from earlier ones. */
  readonly dropped: readonly string[];
  /** Nuisance terms confounded with a term of interest (e.g. every FD cell on one cycler). */
  readonly confounded: readonly string[];
  /** Cells left out, with why (no response, no rest time, no covariate). */
  readonly leftOut: readonly string[];
  readonly restSource: string;
  /** The model in words for the test line. */
  readonly formula: string;
  has(coef: string): boolean;
}

export type ModelOutcome = { readonly ok: true; readonly model: CampaignModel } | { readonly ok: false; readonly reason: string; readonly cells: number };

const armCol = (a: ArmName): string => `arm:${a}`;
export const restCol = (a: ArmName | 'all'): string => (a === 'all' ? 'rest' : `rest:${a}`);

/** Fit one whole-campaign model; `ok: false` when fewer cells than terms + minDf remain. */
export function fitCampaignModel(data: CampaignData, req: ModelRequest, minDf: number): ModelOutcome {
  const leftOut: string[] = [];
  const pool = req.cells ?? data.cells;
  const cells: CellSpec[] = [];
  const y: number[] = [];
  const anyRest = req.rest !== 'none' && pool.some((c) => data.rest(c) !== null);
  for (const c of pool) {
    const v = req.y(c);
    if (v === null || !Number.isFinite(v)) continue;
    if (anyRest && data.rest(c) === null) {
      leftOut.push(`${c.id} (rest time unknown)`);
      continue;
    }
    const missCov = (req.covariates ?? []).find((k) => {
      const x = k.value(c);
      return x === null || !Number.isFinite(x);
    });
    if (missCov) {
      leftOut.push(`${c.id} (no ${missCov.name})`);
      continue;
    }
    cells.push(c);
    y.push(v);
  }
  const n = cells.length;
  const useArms = req.arms !== false;
  const armsPresent = useArms ? ARM_ORDER.filter((a) => cells.some((c) => data.armOf(c) === a)) : [];
  const reference = armsPresent[0] ?? null;
  const dose = (c: CellSpec): number => REST_DOSE.of(data.rest(c)?.hours ?? 0);
  const restLevels = new Map<ArmName, number[]>();
  for (const a of ARM_ORDER) {
    const lv = data.restLevels(cells.filter((c) => data.armOf(c) === a));
    if (lv.length) restLevels.set(a, lv);
  }
  const key: DesignColumn[] = [{ name: '(Intercept)', values: cells.map(() => 1) }];
  for (const a of armsPresent.slice(1)) key.push({ name: armCol(a), values: cells.map((c) => (data.armOf(c) === a ? 1 : 0)) });
  if (anyRest && req.rest === 'per-arm') {
    for (const a of armsPresent)
      if ((restLevels.get(a)?.length ?? 0) >= 2) key.push({ name: restCol(a), values: cells.map((c) => (data.armOf(c) === a ? dose(c) : 0)) });
  } else if (anyRest && req.rest === 'common' && data.restLevels(cells).length >= 2) {
    key.push({ name: restCol('all'), values: cells.map(dose) });
  }
  for (const k of req.covariates ?? []) key.push({ name: k.name, values: cells.map((c) => k.value(c)!) });
  const nuisance: DesignColumn[] = [];
  const addFactor = (name: string, level: (c: CellSpec) => string | null): void => {
    const lv = cells.map((c) => level(c) ?? 'not stated');
    const levels = [...new Set(lv)].sort();
    for (const l of levels.slice(1)) nuisance.push({ name: `${name}:${l}`, values: lv.map((x) => (x === l ? 1 : 0)) });
  };
  for (const f of req.factors ?? []) addFactor(f.name, f.level);
  if (req.blocks !== false) {
    addFactor('cycler', (c) => data.cycler(c));
    addFactor('batch', (c) => c.batch ?? null);
    const cd = cells.map((c) => c.currentDensityMaCm2);
    if (cd.every((v) => v !== undefined && v > 0) && new Set(cd).size > 1) nuisance.push({ name: 'log current density', values: cd.map((v) => Math.log(v!)) });
  }
  const design = estimableColumns([...key, ...nuisance]);
  // A nuisance term that the key terms absorb is confounded with them: say which key term it would displace.
  const confounded: string[] = [];
  for (const nu of nuisance.filter((c) => design.dropped.includes(c.name))) {
    const rev = estimableColumns([key[0]!, nu, ...key.slice(1)]);
    const lost = rev.dropped.filter((d) => d !== nu.name);
    if (lost.length) confounded.push(`${nu.name} with ${lost.join(', ')}`);
  }
  const k = design.kept.length;
  const restSources = [...new Set(cells.map((c) => data.rest(c)?.source).filter(Boolean))];
  const terms = design.kept.map((c) => c.name).filter((t) => t !== '(Intercept)');
  const formula = `${req.yName} ~ ${terms.length ? terms.join(' + ') : '1'}${reference && useArms ? ` (reference arm ${reference})` : ''}`;
  if (n - k < minDf)
    return { ok: false, reason: `${n} cells with ${req.yName} for ${k} model terms (${formula}): needs ≥ ${minDf} residual degrees of freedom`, cells: n };
  const fit = ols(y, Object.fromEntries(design.kept.map((c) => [c.name, c.values])), { intercept: false });
  const names = new Set(fit.coefficients.map((c) => c.name));
  return {
    ok: true,
    model: {
      fit,
      yName: req.yName,
      cells,
      y,
      arms: armsPresent,
      reference,
      restLevels,
      dropped: design.dropped,
      confounded,
      leftOut,
      restSource: anyRest
        ? `rest from ${restSources.join(' and ') || 'nowhere'} (${restSources.includes('log') ? "the log's initial OCV step where the manifest has no rest_hours" : 'manifest rest_hours'}), dose ${REST_DOSE.label}`
        : 'rest not varied',
      formula,
      has: (c) => names.has(c),
    },
  };
}

/** Mean of arm `a` at rest dose s in model coefficients (null when the model cannot give it). */
function armMean(m: CampaignModel, a: ArmName, s: number): Record<string, number> | null {
  if (!m.arms.includes(a)) return null;
  const w: Record<string, number> = { '(Intercept)': 1 };
  if (a !== m.reference) {
    if (!m.has(armCol(a))) return null;
    w[armCol(a)] = 1;
  }
  if (m.has(restCol(a))) w[restCol(a)] = s;
  else if (m.has(restCol('all'))) w[restCol('all')] = s;
  else if ((m.restLevels.get(a)?.length ?? 0) > 1) return null; // rest varies in this arm but its slope was not estimable
  return w;
}

export interface ArmContrast {
  readonly weights: Readonly<Record<string, number>>;
  /** The rest dose (√h) the arms are compared at, and the note saying so. */
  readonly note: string;
}

/**
 * Weights of mean(arms A) − mean(arms B), each side averaged over its arms, at a common rest dose:
 * the mean dose of the cells of both sides when every arm has its own (or the common) slope;
 * otherwise the rest level of the arm without a slope. Null + reason when rest is confounded with arm.
 */
export function armContrast(m: CampaignModel, data: CampaignData, a: readonly ArmName[], b: readonly ArmName[]): ArmContrast | { readonly error: string } {
  const A = a.filter((x) => m.arms.includes(x));
  const B = b.filter((x) => m.arms.includes(x));
  if (!A.length || !B.length) return { error: `the model has no ${!A.length ? a.join('/') : b.join('/')} cells` };
  const all = [...A, ...B];
  const sloped = (x: ArmName): boolean => m.has(restCol(x)) || m.has(restCol('all'));
  const fixed = all.filter((x) => !sloped(x));
  const fixedLevels = [...new Set(fixed.flatMap((x) => m.restLevels.get(x) ?? [0]))];
  let s: number;
  if (fixedLevels.length > 1)
    return { error: `rest time is confounded with arm (${fixed.map((x) => `${x} only at ${(m.restLevels.get(x) ?? [0]).join('/')} h`).join('; ')})` };
  if (fixedLevels.length === 1) s = REST_DOSE.of(fixedLevels[0]!);
  else {
    const cs = m.cells.filter((c) => all.includes(data.armOf(c)));
    s = cs.reduce((acc, c) => acc + REST_DOSE.of(data.rest(c)?.hours ?? 0), 0) / Math.max(1, cs.length);
  }
  const w: Record<string, number> = {};
  for (const [side, sign] of [
    [A, 1],
    [B, -1],
  ] as const) {
    for (const x of side) {
      const mw = armMean(m, x, s);
      if (!mw) return { error: `the ${x} arm's effect is not estimable in this design (dropped: ${m.dropped.join(', ') || 'none'})` };
      for (const [k, v] of Object.entries(mw)) w[k] = (w[k] ?? 0) + (sign * v) / side.length;
    }
  }
  for (const k of Object.keys(w)) if (Math.abs(w[k]!) < 1e-15) delete w[k];
  const restVaries = [...m.restLevels.values()].some((l) => l.length > 1) || new Set([...m.restLevels.values()].flat()).size > 1;
  return {
    weights: w,
    note: restVaries
      ? `arms compared at rest dose ${REST_DOSE.label} = ${s.toFixed(2)} (${(s * s).toFixed(1)} h${fixedLevels.length ? ', the level of the arm without a rest slope' : ', the mean dose of their cells'})`
      : '',
  };
}

/**
 * The cycles each cell ran (the cycles fitter's count, else its cycle-life observation: event or
 * censoring) as two covariates, n and ln n, for slope hypotheses whose quantity also grows with cycling
 * (fatigue, reduction) while CE drifts: whichever shape links them, a run-length effect is not read as
 * the quantity's. `covariates` is empty when more than one of `cells` lacks a count.
 */
export function runLengthCovariates(
  data: CampaignData,
  cells: readonly CellSpec[],
): { readonly ran: (c: CellSpec) => number | null; readonly covariates: readonly Covariate[] } {
  const ran = (c: CellSpec): number | null => data.value(c.id, 'cycles_completed') ?? data.life(c.id)?.time ?? null;
  const haveRan = cells.filter((c) => (ran(c) ?? 0) > 0).length >= cells.length - 1;
  if (!haveRan) return { ran, covariates: [] };
  return {
    ran,
    covariates: [
      { name: 'cycles run', value: ran },
      {
        name: 'log cycles run',
        value: (c: CellSpec) => {
          const n = ran(c);
          return n && n > 0 ? Math.log(n) : null;
        },
      },
    ],
  };
}

/**
 * ΔAIC endpoint of a slope hypothesis: the LCE model `m` (first covariate = the term tested) against the
 * same cells and covariates without that term, fitted with `m`'s rest terms and factors (`model`:
 * default one common rest slope). `labels.endpoint` names it, `labels.effect` says what a positive ΔAIC
 * means, `labels.same` what both models share. Null when the smaller model cannot be fitted.
 */
export function termAicEndpoint(
  data: CampaignData,
  m: CampaignModel,
  covariates: readonly Covariate[],
  labels: { readonly endpoint: string; readonly effect: string; readonly same?: string },
  model: Pick<ModelRequest, 'rest' | 'factors'> = { rest: 'common' },
): EndpointResult | null {
  const without = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), cells: m.cells, ...model, covariates: covariates.slice(1) }, 1);
  if (!without.ok) return null;
  const cmp = compareModels([
    { name: 'without', logLik: without.model.fit.logLik, k: without.model.fit.k, n: m.fit.n },
    { name: 'with', logLik: m.fit.logLik, k: m.fit.k, n: m.fit.n },
  ]);
  return {
    name: `AIC: LCE with vs without ${labels.endpoint} (${labels.same ?? 'same covariates'})`,
    method: 'Gaussian log-likelihood',
    n: { cells: m.fit.n },
    effect: { name: labels.effect, value: cmp.find((c) => c.name === 'without')!.aic - cmp.find((c) => c.name === 'with')!.aic, ci95: null },
    p: null,
  };
}
