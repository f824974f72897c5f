/**
 * Campaign stages 5 and 6 over the store: per-cell parameters (measured, and derived across records:
 * P–E retention), the replay-model fit, and the hypothesis tests. Reads the store; writes only verdicts.
 */
import type { PipelineContext } from './context.js';
import type { CellParameter, HypothesisReport, StageReport } from '../src/report/types.js';
import { pairLoops, manifestPr, type LoopPr } from '../src/core/analysis/pe-pairs.js';
import { runReplayStage, type CellCycleTable, type ReplayStageResult } from '../src/core/analysis/replay-stage.js';
import { runHypothesisStage } from '../src/core/analysis/hypothesis-stage.js';
import { blobToColumn } from '../src/store/columns.js';
import { linkSpectra, isoToUnix, impedanceStageParameters, type SpectrumAt, type CycleLog, type SpectrumHistory } from '../src/core/analysis/eis-history.js';
import { PARAMETERS } from '../src/fit/parameters.js';
import { pairSimsImages, type SimsIonImage, type SimsPairWarning } from '../src/core/analysis/sims-pairs.js';
import type { Column } from '../src/model/record.js';

/** Per-cell parameters from the store: the mean over a cell's records of each (fitter, name). */
export async function measuredParameters(ctx: PipelineContext): Promise<CellParameter[]> {
  const groupOf = new Map((ctx.manifest?.cells ?? []).map((c) => [c.id, c.group]));
  // stddev over values scaled by their largest magnitude: a diverged fit (1e270) must not overflow the
  // sum of squares and take the whole report down (DuckDB: "STDDEV_SAMP is out of range").
  const rows = await ctx.store.query(`
    WITH p AS (
      SELECT *, nullif(max(abs(value)) OVER (PARTITION BY cell_id, fitter, name, unit), 0) AS scale
      FROM parameters WHERE cell_id IS NOT NULL AND scope IS NULL)
    SELECT cell_id, fitter, name, unit, count(*) AS n, avg(value) AS value,
           CASE WHEN count(*) = 1 THEN any_value(stderr) ELSE stddev_samp(value / scale) * any_value(scale) / sqrt(count(*)) END AS stderr,
           CASE WHEN count(*) = 1 THEN any_value(ci_low) END AS ci_low,
           CASE WHEN count(*) = 1 THEN any_value(ci_high) END AS ci_high,
           bool_or(censored) AS censored, bool_and(fit_ok) AS ok, list(record_id ORDER BY record_id) AS sources,
           min(coalesce(status, 'fitted')) AS status_min, max(coalesce(status, 'fitted')) AS status_max
    FROM p
    GROUP BY cell_id, fitter, name, unit ORDER BY cell_id, fitter, name`);
  return rows.map((p) => ({
    cell: p.cell_id as string, group: groupOf.get(p.cell_id as string) ?? '', name: p.name as string,
    value: p.value === null ? null : Number(p.value), unit: p.unit as string,
    stderr: p.stderr === null || p.stderr === undefined ? null : Number(p.stderr),
    ci95: p.ci_low === null || p.ci_low === undefined ? null : [Number(p.ci_low), Number(p.ci_high)],
    censored: (p.censored as boolean | null) ?? null, n: Number(p.n), fitter: p.fitter as string, fitOk: Boolean(p.ok),
    sources: p.sources as string[],
    // a status other than fitted (e.g. a record fitter's non-identifiable value) only when all the rows agree
    ...(p.status_min === p.status_max && p.status_min !== 'fitted' ? { status: p.status_min as CellParameter['status'] } : {}),
  }));
}

async function loopPrs(ctx: PipelineContext): Promise<LoopPr[]> {
  const rows = await ctx.store.query(
    `SELECT p.cell_id, p.record_id, p.value, p.stderr, r.path, r.meta FROM parameters p JOIN records r USING (record_id)
     WHERE p.name = $1 AND p.scope IS NULL AND p.cell_id IS NOT NULL AND r.kind = 'pe-loop' AND p.value IS NOT NULL`,
    [PARAMETERS.pr.name],
  );
  return rows.map((r) => {
    const meta = JSON.parse((r.meta as string) ?? '{}') as { startTime?: string };
    const t = meta.startTime ? Date.parse(meta.startTime.endsWith('Z') ? meta.startTime : `${meta.startTime}Z`) / 1000 : NaN;
    return { cell: r.cell_id as string, recordId: r.record_id as string, path: r.path as string, time: t, pr: Number(r.value), stderr: r.stderr === null ? null : Number(r.stderr) };
  });
}

/** Single-ion ToF-SIMS images (one file per ion) with their counts, slices summed, for the campaign pairing. */
async function simsIonImages(ctx: PipelineContext): Promise<SimsIonImage[]> {
  const rows = await ctx.store.query(`SELECT record_id, cell_id, path, meta FROM records WHERE kind = 'sims-image' ORDER BY path, record_id`);
  const out: SimsIonImage[] = [];
  for (const r of rows) {
    const meta = JSON.parse((r.meta as string) ?? '{}') as Record<string, unknown>;
    const ions = Array.isArray(meta.ions) ? meta.ions : [];
    if (ions.length !== 1 || typeof ions[0] !== 'string') continue;
    const W = Number(meta.width);
    const H = Number(meta.height);
    const plane = W * H;
    const cell = (r.cell_id as string | null) ?? null;
    let counts: Float64Array | null = null;
    if (cell !== null && plane > 0) {
      const c = (await ctx.store.recordColumns(r.record_id as string)).find((x) => x.name === ions[0]);
      if (c && c.values.length > 0 && c.values.length % plane === 0) {
        counts = new Float64Array(plane);
        for (let k = 0; k < c.values.length; k++) counts[k % plane]! += c.values[k]!;
      }
    }
    const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    out.push({
      cell, recordId: r.record_id as string, path: r.path as string, ion: ions[0], polarity: typeof meta.polarity === 'string' ? meta.polarity : null,
      ionInFileName: typeof meta.ionInFileName === 'string' ? meta.ionInFileName : null, fovUm: num(meta.fovUm), fovHeightUm: num(meta.fovHeightUm), width: W, height: H, counts,
    });
  }
  return out;
}

/** The per-cycle table of each cell's longest cycler record. */
export async function cellCycleTables(ctx: PipelineContext): Promise<CellCycleTable[]> {
  const rows = await ctx.store.query(`
    SELECT t.record_id, t.cell_id, t.col_index, t.name, t.unit, t.dtype, t.data, r.rows
    FROM fit_tables t JOIN records r USING (record_id)
    WHERE t.table_name = 'cycles' AND t.cell_id IS NOT NULL AND r.kind = 'cycler'
    ORDER BY t.cell_id, r.rows DESC, t.record_id, t.col_index`);
  const byCell = new Map<string, { recordId: string; columns: Column[] }>();
  for (const r of rows) {
    const cell = r.cell_id as string;
    const id = r.record_id as string;
    let t = byCell.get(cell);
    if (!t) byCell.set(cell, (t = { recordId: id, columns: [] }));
    if (t.recordId !== id) continue; // a shorter record of the same cell
    t.columns.push({ name: r.name as string, unit: r.unit as string, values: blobToColumn(r.data as Uint8Array, (r.dtype as string) ?? 'f64') });
  }
  return [...byCell].map(([cellId, t]) => ({ cellId, recordId: t.recordId, columns: t.columns }));
}

export interface ReplayStageOutput {
  /** Measured and derived per-cell parameters plus the replay model's. */
  readonly parameters: readonly CellParameter[];
  readonly replay: ReplayStageResult;
  /** The per-cycle tables read for the replay (reused for the impedance history). */
  readonly cycleTables: readonly CellCycleTable[];
  /** Each spectrum placed in its cell's history, and what could not be placed (the stage parameters are in `parameters`). */
  readonly impedance?: { readonly history: readonly SpectrumHistory[]; readonly warnings: readonly string[] };
  /** ToF-SIMS single-ion images paired per cell (parameters are in `parameters`); warnings name files. */
  readonly sims?: { readonly pairs: number; readonly warnings: readonly SimsPairWarning[] };
}

/** Stage 5: derived parameters, then every cell replayed and fitted in the model. */
export async function replayCampaign(ctx: PipelineContext): Promise<ReplayStageOutput> {
  const cells = ctx.manifest?.cells ?? [];
  const groupOf = (id: string): string => cells.find((c) => c.id === id)?.group ?? '';
  const measured = await measuredParameters(ctx);
  const loops = await loopPrs(ctx);
  const paired = pairLoops(loops, groupOf);
  const withLoops = new Set(loops.map((l) => l.cell));
  // Pr of a cell is its pristine loop's (the plain mean over pristine and cycled loops would mean nothing).
  const simsPairing = pairSimsImages(await simsIonImages(ctx), groupOf);
  const sims = { pairs: simsPairing.pairs.length, warnings: simsPairing.warnings };
  const base = [...measured.filter((p) => !(p.name === PARAMETERS.pr.name && withLoops.has(p.cell))), ...paired, ...manifestPr(cells, withLoops), ...simsPairing.parameters];
  if (cells.length === 0) {
    return { parameters: base, cycleTables: [], sims, replay: { stage: { name: 'model replay', status: 'not available', detail: 'no campaign manifest: the replay needs cells with their type, area and current density' }, parameters: [], fit: null, variants: [] } };
  }
  const cycleTables = await cellCycleTables(ctx);
  // impedance series stay series: stage-labelled R_SEI / α per cell, beside the plain per-cell mean
  const history = await impedanceHistory(ctx, cycleTables);
  const stagesOfEis = impedanceStageParameters(history, groupOf);
  let replay: ReplayStageResult;
  try {
    replay = runReplayStage(cells, base, cycleTables);
  } catch (e) {
    replay = { stage: { name: 'model replay', status: 'failed', detail: (e as Error).message }, parameters: [], fit: null, variants: [] };
  }
  await ctx.store.replaceCampaignParameters(replay.parameters);
  return { parameters: [...base, ...stagesOfEis.parameters, ...replay.parameters], replay, cycleTables, impedance: { history, warnings: stagesOfEis.warnings }, sims };
}

export interface HypothesisStageOutput {
  readonly stage: StageReport;
  readonly hypotheses: readonly HypothesisReport[];
}

/** The cycler that ran each cell (the format of its longest cycling record): a blocking factor of the hypothesis models. */
async function cellCyclers(ctx: PipelineContext): Promise<Record<string, { cycler: string }>> {
  const rows = await ctx.store.query(`SELECT cell_id, arg_max(format, rows) AS format FROM records WHERE kind = 'cycler' AND cell_id IS NOT NULL GROUP BY cell_id`);
  return Object.fromEntries(rows.map((r) => [r.cell_id as string, { cycler: String(r.format) }]));
}

/** Stage 6: H1–H14 over the parameters; verdicts are stored. */
export async function testHypotheses(ctx: PipelineContext, r: ReplayStageOutput): Promise<HypothesisStageOutput> {
  const cells = ctx.manifest?.cells ?? [];
  let out: HypothesisStageOutput;
  try {
    out = runHypothesisStage(cells, r.parameters, r.replay.fit, await cellCyclers(ctx));
  } catch (e) {
    out = { stage: { name: 'hypothesis tests', status: 'failed', detail: (e as Error).message }, hypotheses: [] };
  }
  await ctx.store.saveVerdicts(out.hypotheses.map((h) => ({ id: h.id, verdict: h.verdict, detail: h })));
  return out;
}

/** Each impedance spectrum placed in its cell's cycling history (cycles completed, hours at rest). */
export async function impedanceHistory(ctx: PipelineContext, known?: readonly CellCycleTable[]): Promise<SpectrumHistory[]> {
  const specs = await ctx.store.query(`
    SELECT r.record_id, r.cell_id, r.path, r.meta,
           max(CASE WHEN p.name = 'R_SEI' THEN p.value END) AS r_sei,
           max(CASE WHEN p.name = 'CPE_SEI_alpha' THEN p.value END) AS alpha,
           max(CASE WHEN p.name = 'R_SEI' THEN p.stderr END) AS r_sei_se,
           max(CASE WHEN p.name = 'CPE_SEI_alpha' THEN p.stderr END) AS alpha_se
    FROM records r LEFT JOIN parameters p ON p.record_id = r.record_id AND p.scope IS NULL
    WHERE r.kind = 'eis' AND r.cell_id IS NOT NULL
    GROUP BY r.record_id, r.cell_id, r.path, r.meta ORDER BY r.cell_id, r.path, r.record_id`);
  if (!specs.length) return [];
  const spectra: SpectrumAt[] = specs.map((r) => {
    const meta = JSON.parse((r.meta as string) ?? '{}') as { startTime?: string };
    return {
      recordId: r.record_id as string, cell: r.cell_id as string, path: r.path as string, time: isoToUnix(meta.startTime),
      rSei: r.r_sei === null || r.r_sei === undefined ? null : Number(r.r_sei), alpha: r.alpha === null || r.alpha === undefined ? null : Number(r.alpha),
      rSeiStderr: r.r_sei_se === null || r.r_sei_se === undefined ? null : Number(r.r_sei_se), alphaStderr: r.alpha_se === null || r.alpha_se === undefined ? null : Number(r.alpha_se),
    };
  });
  const tables = known ?? (await cellCycleTables(ctx));
  const logs: CycleLog[] = [];
  for (const t of tables) {
    const rows = await ctx.store.query(`SELECT meta FROM records WHERE record_id = $1`, [t.recordId]);
    const start = isoToUnix((JSON.parse((rows[0]?.meta as string) ?? '{}') as { startTime?: string }).startTime);
    const ends = t.columns.find((c) => c.name === 'End Time');
    const cyc = t.columns.find((c) => c.name === 'Cycle Count');
    if (Number.isFinite(start) && ends && cyc) logs.push({ cell: t.cellId, start, cycleEnds: ends.values, cycleNumbers: cyc.values });
  }
  return linkSpectra(spectra, logs);
}
