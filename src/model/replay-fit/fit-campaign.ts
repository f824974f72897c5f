/**
 * Staged campaign fit (DOMAIN.md §7.6) and model comparison:
 *   1. control cells (P₀ = 0): φ₀, the corrosion rate, R_b, f₀, H₀ and (M1/M2) γ_H per cell;
 *   2. shared values from the controls: median f₀ and γ_H (the electrolyte's, not the layer's);
 *   3. FD cells (M2): φ₀, rate, R_b, H₀, Δf_FD and ε_H with f₀ and γ_H fixed from stage 2
 *      (n_P from each cell's measured polarisation retention, P₀ from its Pr).
 * Every variant in `variants` is fitted to every cell; AIC/BIC are summed per campaign, and a
 * leave-one-cell-out (LOCO) prediction error is computed from the other cells of the same group.
 */
import type { ParameterName, ReplayParameterValues } from '../params/types.js';
import { withValues } from '../params/resolve.js';
import type { PassivationId } from '../corrosion/index.js';
import { buildModel, type ModelVariant } from '../variants.js';
import { buildObjective, cellBase } from './objective.js';
import { fitCell } from './fit-cell.js';
import { freeParametersFor, isFdCell } from './free-parameters.js';
import type { CellFitResult, CellObservations, IntervalMethod } from './types.js';

export interface CampaignFitOptions {
  readonly base: ReplayParameterValues;
  /** @default 'parabolic' */
  readonly passivation?: PassivationId;
  /** @default ['M0', 'M1', 'M2'] */
  readonly variants?: readonly ModelVariant[];
  /** @default 'profile' */
  readonly intervals?: IntervalMethod;
  /** @default true */
  readonly loco?: boolean;
  /** Intervals for the comparison-only variants (M0, M1 when M2 is fitted). @default 'covariance' */
  readonly comparisonIntervals?: IntervalMethod;
  /** Where `base` comes from (provenance of prior-fixed values), e.g. `parameter set Gunnarsdottir2020_carbonate`. */
  readonly priorSource?: string;
}

export interface VariantSummary {
  readonly variant: ModelVariant;
  readonly fits: readonly CellFitResult[];
  readonly aic: number;
  readonly bic: number;
  readonly chi2: number;
  readonly k: number;
  /** Mean over cells of the CE RMSE when a cell is predicted from the median parameters of the other cells of its group. */
  readonly locoRmseCe: number | null;
  readonly locoPerCell: readonly { readonly cellId: string; readonly rmseCe: number }[];
}

export interface CampaignFitResult {
  readonly passivation: PassivationId;
  /** Stage-2 shared values (median over controls). */
  readonly shared: Readonly<Partial<Record<ParameterName, number>>>;
  readonly variants: readonly VariantSummary[];
  /** Lowest summed AIC / BIC. */
  readonly preferred: { readonly aic: ModelVariant; readonly bic: ModelVariant };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function identifiedValue(fit: CellFitResult, name: ParameterName): number | undefined {
  const v = fit.values.find((x) => x.name === name);
  return v && v.status === 'fitted' && v.identifiability !== 'non-identifiable' && v.identifiability !== 'fixed' ? v.value : undefined;
}

function locoRmse(
  obs: readonly CellObservations[],
  fits: readonly CellFitResult[],
  variant: ModelVariant,
  passivation: PassivationId,
  base: ReplayParameterValues,
): { cellId: string; rmseCe: number }[] {
  const model = buildModel({ variant, passivation });
  return obs.map((o, idx) => {
    const peers = fits.filter((f, j) => j !== idx && f.group === o.group);
    const pool = peers.length > 0 ? peers : fits.filter((_, j) => j !== idx);
    const names = new Set<ParameterName>();
    for (const f of pool) for (const v of f.values) names.add(v.name);
    const over: Record<string, number> = {};
    for (const n of names) {
      const vals = pool.map((f) => f.values.find((v) => v.name === n)?.value).filter((x): x is number => x !== undefined);
      if (vals.length) over[n] = median(vals);
    }
    const v = withValues(base, over);
    const obj = buildObjective(o, model, cellBase(v, o), []);
    const r = obj.replay(cellBase(v, o));
    let s = 0;
    let c = 0;
    for (let i = 0; i < r.cycles; i++)
      if (Number.isFinite(o.ce[i]!)) {
        s += (r.ce[i]! - o.ce[i]!) ** 2;
        c++;
      }
    return { cellId: o.cellId, rmseCe: c ? Math.sqrt(s / c) : NaN };
  });
}

export function fitCampaign(cells: readonly CellObservations[], options: CampaignFitOptions): CampaignFitResult {
  const passivation = options.passivation ?? 'parabolic';
  const variants = options.variants ?? ['M0', 'M1', 'M2'];
  const intervals = options.intervals ?? 'profile';
  const controls = cells.filter((c) => !isFdCell(c));
  const fdCells = cells.filter((c) => isFdCell(c));
  const fitsByVariant = new Map<ModelVariant, CellFitResult[]>();
  const shared: Partial<Record<ParameterName, number>> = {};
  // M0 and M1: every cell as if it had no FD term
  const final = variants[variants.length - 1];
  for (const variant of variants.filter((v) => v !== 'M2')) {
    const iv = variant === final ? intervals : (options.comparisonIntervals ?? 'covariance');
    fitsByVariant.set(
      variant,
      cells.map((c) =>
        fitCell(c, {
          variant,
          passivation,
          intervals: iv,
          base: options.base,
          stage: 'control',
          priorSource: options.priorSource,
          free: freeParametersFor(c, { variant, passivation, stage: 'control' }),
        }),
      ),
    );
  }
  if (variants.includes('M2')) {
    // stage 1: controls
    const stage1 = controls.map((c) =>
      fitCell(c, {
        variant: 'M2',
        passivation,
        intervals,
        base: options.base,
        stage: 'control',
        priorSource: options.priorSource,
        free: freeParametersFor(c, { variant: 'M2', passivation, stage: 'control' }),
      }),
    );
    // stage 2: shared electrolyte values
    const heldFrom: Partial<Record<ParameterName, string>> = {};
    for (const name of ['Initial inorganic fraction [1]', 'Corrosion heterogeneity gain [1]'] as const) {
      const vals = stage1.map((f) => identifiedValue(f, name)).filter((x): x is number => x !== undefined);
      if (vals.length) {
        shared[name] = median(vals);
        heldFrom[name] = `median of the fitted values of ${vals.length} control cell(s) (campaign stage 2)`;
      }
    }
    const base3 = withValues(options.base, shared as Record<string, number>);
    // stage 3: FD cells
    const stage3 = fdCells.map((c) =>
      fitCell(c, {
        variant: 'M2',
        passivation,
        intervals,
        base: base3,
        stage: 'fd',
        priorSource: options.priorSource,
        heldFrom,
        free: freeParametersFor(c, { variant: 'M2', passivation, stage: 'fd' }),
      }),
    );
    const byId = new Map([...stage1, ...stage3].map((f) => [f.cellId, f]));
    fitsByVariant.set(
      'M2',
      cells.map((c) => byId.get(c.cellId)!),
    );
  }
  const summaries: VariantSummary[] = variants.map((variant) => {
    const fits = fitsByVariant.get(variant)!;
    const loco =
      options.loco === false
        ? []
        : locoRmse(cells, fits, variant, passivation, variant === 'M2' ? withValues(options.base, shared as Record<string, number>) : options.base);
    const finite = loco.map((l) => l.rmseCe).filter(Number.isFinite);
    return {
      variant,
      fits,
      aic: fits.reduce((s, f) => s + f.aic, 0),
      bic: fits.reduce((s, f) => s + f.bic, 0),
      chi2: fits.reduce((s, f) => s + f.chi2, 0),
      k: fits.reduce((s, f) => s + f.k, 0),
      locoRmseCe: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null,
      locoPerCell: loco,
    };
  });
  const best = (key: 'aic' | 'bic'): ModelVariant => summaries.reduce((a, b) => (b[key] < a[key] ? b : a)).variant;
  return { passivation, shared, variants: summaries, preferred: { aic: best('aic'), bic: best('bic') } };
}
