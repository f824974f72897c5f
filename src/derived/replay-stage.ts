/**
 * Campaign stage "model replay": each cell's per-cycle table (from the cycle fitter) becomes a protocol
 * and observations; the cells are fitted together with M0/M1/M2 (src/model/replay-fit/fit-campaign.ts) and the
 * preferred variant's per-cell values become report parameters. Pure: plain data in, plain data out.
 *
 * P₀ of a poled cell is its measured Pr (P–E loop `Pr` row) or the manifest's pr_uC_cm2, over
 * Pr_ref (REFERENCE_PR_UC_CM2 unless `options.prRef_uC_cm2`); P₀ = 1 only for a poled cell with neither,
 * and then reported as prior-fixed. The source is the P₀ row's provenance and is named in the stage detail.
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { Column } from '../records/record.js';
import type { CellParameter, StageReport } from '../records/results.js';
import { protocolFromCycleColumns } from '../model/protocol/index.js';
import { fitCampaign, type CampaignFitResult } from '../model/replay-fit/fit-campaign.js';
import { measuredInputsFromParameters, REFERENCE_PR_UC_CM2 } from '../model/replay-fit/measured.js';
import { toCellParameters } from '../model/replay-fit/report.js';
import type { CellObservations } from '../model/replay-fit/types.js';
import { parameterSetForElectrolyte } from './parameter-set.js';

export interface CellCycleTable {
  readonly cellId: string;
  /** Record the table was derived from (provenance of the replay parameters). */
  readonly recordId: string;
  readonly columns: readonly Column[];
}

export interface ReplayStageResult {
  readonly stage: StageReport;
  readonly parameters: readonly CellParameter[];
  readonly fit: CampaignFitResult | null;
  /** Per-variant totals for the report (and H5). */
  readonly variants: readonly { variant: string; aic: number; bic: number; locoRmseCe: number | null }[];
}

function column(cols: readonly Column[], name: string): Float64Array | undefined {
  const c = cols.find((x) => x.name === name);
  return c ? Float64Array.from(c.values as ArrayLike<number>) : undefined;
}

export interface ReplayStageOptions {
  /** Pr_ref (µC cm⁻²) of P₀ = Pr/Pr_ref. @default REFERENCE_PR_UC_CM2 */
  readonly prRef_uC_cm2?: number;
}

export function runReplayStage(
  cells: readonly CellSpec[],
  params: readonly CellParameter[],
  tables: readonly CellCycleTable[],
  options: ReplayStageOptions = {},
): ReplayStageResult {
  const prRef = options.prRef_uC_cm2 ?? REFERENCE_PR_UC_CM2;
  const skipped: string[] = [];
  const obs: CellObservations[] = [];
  const sources = new Map<string, string[]>();
  for (const cell of cells) {
    const t = tables.find((x) => x.cellId === cell.id);
    if (!t) continue;
    if (cell.cellType !== 'Li||Cu' && cell.cellType !== 'anode-free') {
      skipped.push(`${cell.id}: cell type ${cell.cellType ?? 'not given'} (the replay fit handles Li||Cu and anode-free cells)`);
      continue;
    }
    if (!cell.electrodeAreaCm2 || !cell.currentDensityMaCm2) {
      skipped.push(`${cell.id}: needs electrode_area_cm2 and current_density_mA_cm2 in the manifest`);
      continue;
    }
    const ce = column(t.columns, 'Coulombic Efficiency');
    if (!ce || ce.length < 5) {
      skipped.push(`${cell.id}: fewer than 5 cycles with a CE`);
      continue;
    }
    try {
      const protocol = protocolFromCycleColumns(t.columns, { electrodeAreaCm2: cell.electrodeAreaCm2, currentDensityMaCm2: cell.currentDensityMaCm2 });
      obs.push({
        cellId: cell.id,
        group: cell.group,
        cellType: cell.cellType,
        protocol,
        ce,
        overpotential_V: column(t.columns, 'Overpotential'),
        measured: measuredInputsFromParameters(
          params.filter((p) => p.cell === cell.id),
          { poled: cell.poling === 'poled', prRef_uC_cm2: prRef, manifestPr_uC_cm2: cell.prUcCm2 },
        ),
      });
      sources.set(cell.id, [t.recordId]);
    } catch (e) {
      skipped.push(`${cell.id}: ${(e as Error).message}`);
    }
  }
  if (obs.length === 0) {
    return {
      stage: {
        name: 'model replay',
        status: 'not available',
        detail: `no cell has what the replay fit needs${skipped.length ? `: ${skipped.join('; ')}` : ' (a cycling log with a per-cycle table)'}`,
      },
      parameters: [],
      fit: null,
      variants: [],
    };
  }
  const electrolytes = new Set(cells.filter((c) => obs.some((o) => o.cellId === c.id)).map((c) => c.electrolyte ?? ''));
  const set = parameterSetForElectrolyte([...electrolytes][0]);
  const fit = fitCampaign(obs, { base: set.values, intervals: 'profile', loco: true, priorSource: `parameter set ${set.id}` });
  const best = fit.variants.find((v) => v.variant === fit.preferred.aic) ?? fit.variants[fit.variants.length - 1]!;
  const parameters = best.fits.flatMap((f) => toCellParameters(f, sources.get(f.cellId) ?? []));
  const variants = fit.variants.map((v) => ({ variant: v.variant, aic: v.aic, bic: v.bic, locoRmseCe: v.locoRmseCe }));
  const p0 = obs
    .filter((o) => o.measured.initialPolarisation)
    .map((o) => {
      const m = o.measured.initialPolarisation!;
      return `${o.cellId} ${Number(m.value.toPrecision(3))} (${m.kind === 'assumed' ? 'assumed: no Pr' : m.kind === 'manifest' ? 'manifest pr_uC_cm2' : 'measured Pr'})`;
    });
  const detail = [
    `${obs.length} cell(s) fitted from parameter set ${set.id}${electrolytes.size > 1 ? ' (several electrolytes: the first one chose the set)' : ''}`,
    `AIC ${variants.map((v) => `${v.variant} ${v.aic.toFixed(1)}`).join(', ')}; preferred by AIC ${fit.preferred.aic}, by BIC ${fit.preferred.bic}`,
    ...(p0.length ? [`P₀ (Pr_ref ${prRef} µC cm⁻²): ${p0.join('; ')}`] : []),
    ...(skipped.length ? [`not fitted: ${skipped.join('; ')}`] : []),
  ].join('. ');
  return { stage: { name: 'model replay', status: 'done', detail }, parameters, fit, variants };
}
