/**
 * Campaign stages 5 and 6 over the store: per-cell parameters (measured, and derived across records:
 * P–E retention), the replay-model fit, and the hypothesis tests. Reads the store; writes only verdicts.
 */
import {
  cellParameterMeans,
  peLoopParameters,
  simsImageRecords,
  cyclingRecords,
  cycleTableColumns,
  cellCyclerFormats,
  impedanceRecordsWithParameters,
  recordMeta,
} from '../src/store/queries.js';
import type { PipelineContext } from './context.js';
import type { CellParameter, HypothesisReport, StageReport } from '../src/report/types.js';
import { pairLoops, manifestPr, manifestTitration, type LoopPr } from '../src/derived/pe-pairs.js';
import { runReplayStage, type CellCycleTable, type ReplayStageResult } from '../src/derived/replay-stage.js';
import { runHypothesisStage } from '../src/hypotheses/stage.js';
import { referencedRestLoss, type CycleSeries } from '../src/derived/rest-loss-reference.js';
import type { CellSeries, PerCycleInput, PolarisationSeries } from '../src/hypotheses/per-cycle.js';
import { blobToColumn } from '../src/store/columns.js';
import { linkSpectra, isoToUnix, impedanceStageParameters, type SpectrumAt, type CycleLog, type SpectrumHistory } from '../src/derived/eis-history.js';
import { PARAMETERS } from '../src/records/parameters.js';
import { pairSimsImages, type SimsIonImage, type SimsPairWarning } from '../src/derived/sims-pairs.js';
import { stitchCyclerRecords, type StitchPiece } from '../src/derived/stitch.js';
import { cycleFitter, CYCLE_FITTER_ID } from '../src/fit/cycles/index.js';
import { transferenceStage } from './transference.js';
import type { FittedParameter } from '../src/fit/types.js';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { deserialize, serialize } from 'node:v8';
import { codeSalt } from '../src/records/code-salt.js';
import { work } from '../src/records/work.js';

/** Per-cell parameters from the store: the mean over a cell's records of each (fitter, name). */
export async function measuredParameters(ctx: PipelineContext): Promise<CellParameter[]> {
  const groupOf = new Map((ctx.manifest?.cells ?? []).map((c) => [c.id, c.group]));
  // stddev over values scaled by their largest magnitude: a diverged fit (1e270) must not overflow the
  // sum of squares and take the whole report down (DuckDB: "STDDEV_SAMP is out of range").
  const rows = await cellParameterMeans(ctx.store);
  return rows.map((p) => parameterFromRow(p, { cell: p.cell_id as string, group: groupOf.get(p.cell_id as string) ?? '' }));
}

async function loopPrs(ctx: PipelineContext): Promise<LoopPr[]> {
  const rows = await peLoopParameters(ctx.store, [PARAMETERS.pr.name]);
  return rows.map((r) => {
    const meta = JSON.parse((r.meta as string) ?? '{}') as { startTime?: string };
    const t = meta.startTime ? Date.parse(meta.startTime.endsWith('Z') ? meta.startTime : `${meta.startTime}Z`) / 1000 : NaN;
    return {
      cell: r.cell_id as string,
      recordId: r.record_id as string,
      path: r.path as string,
      time: t,
      pr: Number(r.value),
      stderr: r.stderr === null ? null : Number(r.stderr),
    };
  });
}

/** Single-ion ToF-SIMS images (one file per ion) with their counts, slices summed, for the campaign pairing. */
async function simsIonImages(ctx: PipelineContext): Promise<SimsIonImage[]> {
  const rows = await simsImageRecords(ctx.store);
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
      cell,
      recordId: r.record_id as string,
      path: r.path as string,
      ion: ions[0],
      polarity: typeof meta.polarity === 'string' ? meta.polarity : null,
      ionInFileName: typeof meta.ionInFileName === 'string' ? meta.ionInFileName : null,
      fovUm: num(meta.fovUm),
      fovHeightUm: num(meta.fovHeightUm),
      width: W,
      height: H,
      counts,
    });
  }
  return out;
}

/** A cell's cycling history: its per-cycle table, and how it was assembled from the cell's files. */
export interface CellHistory extends CellCycleTable {
  /** Record ids joined, in stitched order (one id: a single file). */
  readonly records: readonly string[];
  /** Set when several files were stitched: the joins (gaps, overlaps), ordering and the stitched fit. */
  readonly stitched?: {
    readonly paths: readonly string[];
    readonly orderedBy: 'clock' | 'file name';
    readonly joins: readonly string[];
    readonly messages: readonly string[];
    readonly parameters: readonly FittedParameter[];
    readonly ok: boolean;
  };
}

/**
 * The per-cycle table of each cell's cycling history. One cycler record: its stored table. Several: they
 * are stitched in time order (src/derived/stitch.ts) and the stitched record is fitted, so the cell's
 * cycle table, CE, LCE and cycle life span all its files. A cell with no raw record uses its longest
 * per-cycle table (`cycle-summary` record: a cycle/step-layer export).
 */
export async function cellCycleTables(ctx: PipelineContext): Promise<CellHistory[]> {
  const recs = await cyclingRecords(ctx.store);
  const byCell = new Map<string, { id: string; path: string; kind: string; rows: number; meta: Record<string, unknown> }[]>();
  for (const r of recs) {
    const list = byCell.get(r.cell_id as string) ?? [];
    list.push({
      id: r.record_id as string,
      path: r.path as string,
      kind: r.kind as string,
      rows: Number(r.rows),
      meta: JSON.parse((r.meta as string) ?? '{}'),
    });
    byCell.set(r.cell_id as string, list);
  }
  const spec = new Map((ctx.manifest?.cells ?? []).map((c) => [c.id, c]));
  const out: CellHistory[] = [];
  for (const [cellId, list] of byCell) {
    const raw = list.filter((r) => r.kind === 'cycler' && !r.meta.readInPieces);
    if (raw.length >= 2) {
      const pieces: StitchPiece[] = [];
      for (const r of raw) {
        const start = isoToUnix(typeof r.meta.startTime === 'string' ? r.meta.startTime : undefined);
        pieces.push({
          id: r.id,
          path: r.path,
          columns: await ctx.store.recordColumns(r.id),
          ...(Number.isFinite(start) ? { startUnix: start } : {}),
          timeOfDayOnly: r.meta.timeOfDayOnly === true,
        });
      }
      try {
        const s = stitchCyclerRecords(pieces);
        const fitted = cycleFitter.fit(
          {
            kind: 'cycler',
            format: 'stitched',
            meta: {},
            columns: s.columns,
            warnings: [],
            provenance: { path: s.order.join('+'), size: 0, sha256: '', parser: 'stitch', parserVersion: '1', recordIndex: 0 },
          },
          { cellId, cellType: spec.get(cellId)?.cellType },
        );
        const note = `stitched from ${s.order.length} files (${s.orderedBy === 'clock' ? 'ordered by clock' : 'ordered by file name'})`;
        out.push({
          cellId,
          recordId: s.order[0]!,
          records: s.order,
          columns: fitted.tables?.cycles ?? [],
          stitched: {
            paths: s.order.map((id) => pieces.find((p) => p.id === id)!.path),
            orderedBy: s.orderedBy,
            joins: s.joins.map((j) => j.message),
            messages: s.messages,
            ok: fitted.quality.ok,
            parameters: fitted.parameters.map((p) => ({ ...p, note: `${p.note ?? ''}; ${note}` })),
          },
        });
        continue;
      } catch (e) {
        ctx.log?.(`cell ${cellId}: files not stitched (${(e as Error).message}); its longest record is used`);
      }
    }
    // one file (or stitching impossible): the longest raw record, else the longest per-cycle table
    const pick = [...(raw.length ? raw : list.filter((r) => r.kind === 'cycler').length ? list.filter((r) => r.kind === 'cycler') : list)].sort(
      (a, b) => b.rows - a.rows,
    )[0]!;
    const cols = await cycleTableColumns(ctx.store, [pick.id]);
    if (!cols.length) continue;
    out.push({
      cellId,
      recordId: pick.id,
      records: [pick.id],
      columns: cols.map((c) => ({ name: c.name as string, unit: c.unit as string, values: blobToColumn(c.data as Uint8Array, (c.dtype as string) ?? 'f64') })),
    });
  }
  return out;
}

/** Per-cell cycle parameters of stitched cells replace the per-file means (which would average pieces of one test). */
function withStitchedParameters(measured: readonly CellParameter[], histories: readonly CellHistory[], groupOf: (id: string) => string): CellParameter[] {
  const stitched = histories.filter((h) => h.stitched);
  if (!stitched.length) return [...measured];
  const cells = new Set(stitched.map((h) => h.cellId));
  const kept = measured.filter((p) => !(p.fitter === CYCLE_FITTER_ID && cells.has(p.cell)));
  for (const h of stitched) {
    for (const p of h.stitched!.parameters) {
      kept.push({
        cell: h.cellId,
        group: groupOf(h.cellId),
        name: p.name,
        value: p.value,
        unit: p.unit,
        stderr: p.stderr ?? null,
        ci95: p.ci95 ? [p.ci95[0], p.ci95[1]] : null,
        censored: p.censored ?? null,
        n: 1,
        fitter: CYCLE_FITTER_ID,
        fitOk: h.stitched!.ok,
        sources: [...h.records],
        note: p.note,
      });
    }
  }
  return kept;
}

export interface ReplayStageOutput {
  /** Measured and derived per-cell parameters plus the replay model's. */
  readonly parameters: readonly CellParameter[];
  readonly replay: ReplayStageResult;
  /** The per-cycle tables read for the replay (reused for the impedance history). */
  readonly cycleTables: readonly CellHistory[];
  /** Each spectrum placed in its cell's history, and what could not be placed (the stage parameters are in `parameters`). */
  readonly impedance?: { readonly history: readonly SpectrumHistory[]; readonly warnings: readonly string[] };
  /** ToF-SIMS single-ion images paired per cell (parameters are in `parameters`); warnings name files. */
  readonly sims?: { readonly pairs: number; readonly warnings: readonly SimsPairWarning[] };
}

function cycleSeriesOf(t: CellCycleTable): CycleSeries | null {
  const col = (n: string) => t.columns.find((c) => c.name === n)?.values;
  const cycle = col('Cycle Count');
  const ce = col('Coulombic Efficiency');
  const restS = col('Rest Time');
  return cycle && ce && restS ? { cellId: t.cellId, recordId: t.recordId, cycle, ce, restS } : null;
}

/** Stage 5: derived parameters, then every cell replayed and fitted in the model. */
export async function replayCampaign(ctx: PipelineContext): Promise<ReplayStageOutput> {
  const cells = ctx.manifest?.cells ?? [];
  const groupOf = (id: string): string => cells.find((c) => c.id === id)?.group ?? '';
  const histories = cells.length ? await cellCycleTables(ctx) : [];
  const measured = withStitchedParameters(await measuredParameters(ctx), histories, groupOf);
  const loops = await loopPrs(ctx);
  const paired = pairLoops(loops, groupOf);
  const withLoops = new Set(loops.map((l) => l.cell));
  // Pr of a cell is its pristine loop's (the plain mean over pristine and cycled loops would mean nothing).
  const binUm = ctx.manifest?.analysis?.campaign.tofsims?.bin_um;
  const simsPairing = pairSimsImages(await simsIonImages(ctx), groupOf, binUm !== undefined ? { binUm } : {});
  const sims = { pairs: simsPairing.pairs.length, warnings: simsPairing.warnings };
  const base0 = [
    ...measured.filter((p) => !(p.name === PARAMETERS.pr.name && withLoops.has(p.cell))),
    ...paired,
    ...manifestPr(cells, withLoops),
    ...manifestTitration(cells),
    ...simsPairing.parameters,
  ];
  // A rest at the start of cycling has no unaffected cycles before it: where the group has cells that did
  // not rest, their CE at the same cycle is the reference (the cycles fitter's own value is replaced).
  const withOwnRestLoss = new Set(measured.filter((p) => p.name === PARAMETERS.restLossFraction.name).map((p) => p.cell));
  const restRef = referencedRestLoss(
    cells.filter((c) => withOwnRestLoss.has(c.id) || c.restHours === 0),
    histories.map(cycleSeriesOf).filter((x): x is CycleSeries => x !== null),
    (c) => c.restHours ?? null,
  );
  const referenced = new Set(restRef.map((p) => p.cell));
  const base = [...base0.filter((p) => !(p.name === PARAMETERS.restLossFraction.name && referenced.has(p.cell))), ...restRef];
  if (cells.length === 0) {
    return {
      parameters: base,
      cycleTables: [],
      sims,
      replay: {
        stage: {
          name: 'model replay',
          status: 'not available',
          detail: 'no campaign manifest: the replay needs cells with their type, area and current density',
        },
        parameters: [],
        fit: null,
        variants: [],
      },
    };
  }
  const cycleTables = histories;
  // impedance series stay series: stage-labelled R_SEI / α per cell, beside the plain per-cell mean
  const history = await impedanceHistory(ctx, cycleTables);
  const stagesOfEis = impedanceStageParameters(history, groupOf);
  const tplus = await transferenceStage(ctx, groupOf); // Bruce–Vincent t₊ per polarisation step (R₀/R_ss from the spectra around it)
  let replay: ReplayStageResult;
  try {
    replay = runReplayStage(cells, base, cycleTables);
  } catch (e) {
    replay = { stage: { name: 'model replay', status: 'failed', detail: (e as Error).message }, parameters: [], fit: null, variants: [] };
  }
  await ctx.store.replaceCampaignParameters(replay.parameters);
  return {
    parameters: [...base, ...stagesOfEis.parameters, ...tplus.parameters, ...replay.parameters],
    replay,
    cycleTables,
    impedance: { history, warnings: [...stagesOfEis.warnings, ...tplus.warnings] },
    sims,
  };
}

export interface HypothesisStageOutput {
  readonly stage: StageReport;
  readonly hypotheses: readonly HypothesisReport[];
}

/** The cycler that ran each cell (the format of its longest cycling record): a blocking factor of the hypothesis models. */
async function cellCyclers(ctx: PipelineContext): Promise<Record<string, { cycler: string }>> {
  const rows = await cellCyclerFormats(ctx.store);
  return Object.fromEntries(rows.map((r) => [r.cell_id as string, { cycler: String(r.format) }]));
}

/** Stage 6: H1–H17 over the parameters; verdicts are stored. */
export async function testHypotheses(ctx: PipelineContext, r: ReplayStageOutput): Promise<HypothesisStageOutput> {
  const cells = ctx.manifest?.cells ?? [];
  let out: HypothesisStageOutput;
  try {
    out = runHypothesisStage(
      cells,
      r.parameters,
      r.replay.fit,
      await cellCyclers(ctx),
      await perCycleInput(ctx, r.cycleTables),
      ctx.manifest?.analysis?.campaign.statistics,
    );
  } catch (e) {
    out = { stage: { name: 'hypothesis tests', status: 'failed', detail: (e as Error).message }, hypotheses: [] };
  }
  await ctx.store.saveVerdicts(out.hypotheses.map((h) => ({ id: h.id, verdict: h.verdict, detail: h })));
  return out;
}

/** Each impedance spectrum placed in its cell's cycling history (cycles completed, hours at rest). */
export async function impedanceHistory(ctx: PipelineContext, known?: readonly CellCycleTable[]): Promise<SpectrumHistory[]> {
  const specs = await impedanceRecordsWithParameters(ctx.store);
  if (!specs.length) return [];
  const spectra: SpectrumAt[] = specs.map((r) => {
    const meta = JSON.parse((r.meta as string) ?? '{}') as { startTime?: string };
    return {
      recordId: r.record_id as string,
      cell: r.cell_id as string,
      path: r.path as string,
      time: isoToUnix(meta.startTime),
      rSei: r.r_sei === null || r.r_sei === undefined ? null : Number(r.r_sei),
      alpha: r.alpha === null || r.alpha === undefined ? null : Number(r.alpha),
      rSeiStderr: r.r_sei_se === null || r.r_sei_se === undefined ? null : Number(r.r_sei_se),
      alphaStderr: r.alpha_se === null || r.alpha_se === undefined ? null : Number(r.alpha_se),
    };
  });
  return linkSpectra(spectra, await cycleLogs(ctx, known ?? (await cellCycleTables(ctx))));
}

/** Each cell's cycling clock: the log's start (wall clock) and when each cycle ended. */
async function cycleLogs(ctx: PipelineContext, tables: readonly CellCycleTable[]): Promise<CycleLog[]> {
  const logs: CycleLog[] = [];
  for (const t of tables) {
    const rows = await recordMeta(ctx.store, [t.recordId]);
    const start = isoToUnix((JSON.parse((rows[0]?.meta as string) ?? '{}') as { startTime?: string }).startTime);
    const ends = t.columns.find((c) => c.name === 'End Time');
    const cyc = t.columns.find((c) => c.name === 'Cycle Count');
    if (Number.isFinite(start) && ends && cyc) logs.push({ cell: t.cellId, start, cycleEnds: ends.values, cycleNumbers: cyc.values });
  }
  return logs;
}

/**
 * H10's per-cycle input: each cell's per-cycle CE, and its P–E loops placed in its cycling history
 * (cycles completed when each loop was measured, from the loop's time and the log's clock).
 */
export async function perCycleInput(ctx: PipelineContext, tables: readonly CellCycleTable[]): Promise<PerCycleInput> {
  const ce: Record<string, CellSeries> = {};
  for (const t of tables) {
    const cyc = t.columns.find((c) => c.name === 'Cycle Count');
    const eff = t.columns.find((c) => c.name === 'Coulombic Efficiency');
    if (cyc && eff) ce[t.cellId] = { cycle: Array.from(cyc.values, Number), ce: Array.from(eff.values, Number) };
  }
  const loops = await loopPrs(ctx);
  const placed = linkSpectra(
    loops.map((l) => ({ recordId: l.recordId, cell: l.cell, path: l.path, time: l.time, rSei: l.pr, alpha: null })),
    await cycleLogs(ctx, tables),
  );
  const polarisation: Record<string, PolarisationSeries> = {};
  for (const x of placed) {
    if (x.cyclesBefore === null || x.rSei === null) continue;
    const s = (polarisation[x.cell] ??= { cycle: [], pr: [] }) as { cycle: number[]; pr: number[] };
    s.cycle.push(x.cyclesBefore);
    s.pr.push(x.rSei);
  }
  return { ce, polarisation };
}

/** `derived.kind` of the campaign analysis (stages 5 and 6) cached under what it read. */
const ANALYSIS_KIND = 'analysis';
/** `derived.kind` naming the analysis whose campaign parameters and verdicts are in the store. */
const ANALYSIS_STORED_KIND = 'analysis-stored';

async function markStored(ctx: PipelineContext, key: string): Promise<void> {
  await ctx.store.pruneDerived(ANALYSIS_STORED_KIND, new Set());
  await ctx.store.putDerived([{ recordId: null, kind: ANALYSIS_STORED_KIND, key, value: 1 }]);
}

/** What stages 5 and 6 read: the store (its generation), the manifest's bytes, and the code. */
async function analysisKey(ctx: PipelineContext): Promise<string> {
  let manifest = '';
  if (ctx.manifest?.source)
    manifest = createHash('sha256')
      .update(await readFile(ctx.manifest.source).catch(() => new Uint8Array()))
      .digest('hex');
  return createHash('sha256')
    .update(`${codeSalt()}\u0000${await ctx.store.generation()}\u0000${manifest}\u0000${ctx.manifest ? 'm' : '-'}`)
    .digest('hex');
}

/**
 * Stages 5 and 6 (replay, then hypotheses), or, when nothing they read has changed since they last ran
 * (same store generation, manifest and code), their output as it was (issue #18: `report` with nothing
 * changed). Kept exactly (v8 structured clone: typed arrays, NaN, ±Infinity); the campaign parameters
 * and verdicts are written to the store either way. `ctx.force` always recomputes.
 */
export async function analyseCampaign(
  ctx: PipelineContext,
  lap: (stage: 'replay' | 'hypotheses') => void = () => {},
): Promise<{ replay: ReplayStageOutput; hypotheses: HypothesisStageOutput; reused: boolean }> {
  let key: string | null = null;
  try {
    key = await analysisKey(ctx);
    const hit = ctx.force ? undefined : (await ctx.store.derivedEntries<string>(ANALYSIS_KIND, [key]))[0];
    if (hit) {
      const { replay, hypotheses } = deserialize(Buffer.from(hit.value, 'base64')) as { replay: ReplayStageOutput; hypotheses: HypothesisStageOutput };
      // The store's campaign parameters and verdicts are this analysis's unless another ran since (a
      // manifest edited and edited back): then they are written again.
      if (!(await ctx.store.derivedEntries(ANALYSIS_STORED_KIND, [key])).length) {
        await ctx.store.replaceCampaignParameters(replay.replay.parameters);
        await ctx.store.saveVerdicts(hypotheses.hypotheses.map((h) => ({ id: h.id, verdict: h.verdict, detail: h })));
        await markStored(ctx, key);
      }
      lap('replay');
      lap('hypotheses');
      return { replay, hypotheses, reused: true };
    }
  } catch (e) {
    ctx.log?.(`campaign analysis cache not read: ${(e as Error)?.message ?? String(e)}`);
  }
  work.analyses++;
  const replay = await replayCampaign(ctx);
  lap('replay');
  const hypotheses = await testHypotheses(ctx, replay);
  lap('hypotheses');
  if (key) {
    try {
      // one entry: the last analysis (an older one is never current again, the generation only grows)
      await ctx.store.pruneDerived(ANALYSIS_KIND, new Set());
      await ctx.store.putDerived([{ recordId: null, kind: ANALYSIS_KIND, key, value: serialize({ replay, hypotheses }).toString('base64') }]);
      await markStored(ctx, key);
    } catch (e) {
      ctx.log?.(`campaign analysis not cached: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  return { replay, hypotheses, reused: false };
}

/**
 * One aggregated parameter row of the store (cellParameterMeans / fileParameterMeans) as a report
 * parameter of a cell, or of a file (`file`, no cell) when the folder has no cells.
 */
export function parameterFromRow(p: Record<string, unknown>, where: { cell: string; group: string; file?: string }): CellParameter {
  return {
    ...where,
    name: p.name as string,
    value: p.value === null ? null : Number(p.value),
    unit: p.unit as string,
    stderr: p.stderr === null || p.stderr === undefined ? null : Number(p.stderr),
    ci95: p.ci_low === null || p.ci_low === undefined ? null : [Number(p.ci_low), Number(p.ci_high)],
    censored: (p.censored as boolean | null) ?? null,
    n: Number(p.n),
    fitter: p.fitter as string,
    fitOk: Boolean(p.ok),
    sources: p.sources as string[],
    // a status other than fitted (e.g. a record fitter's non-identifiable value) only when all the rows agree
    ...(p.status_min === p.status_max && p.status_min !== 'fitted' ? { status: p.status_min as CellParameter['status'] } : {}),
  };
}
