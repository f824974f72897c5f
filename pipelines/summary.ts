/**
 * Campaign-level assembly from the store: cells, files, per-cell parameters, fit quality, stages.
 * Reads only the store, so batch, watch and `report` produce the same document.
 */
import { EMPTY_ANALYSIS, settingsRows } from '../src/campaign/analysis-options.js';
import { ferroelectricStatement } from '../src/core/hypotheses/engine.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { sha256 } from '../src/io/load.js';
import { join } from 'node:path';
import type { PipelineContext } from './context.js';
import type { CampaignReport, FileReport, FitReport, HypothesisReport, StageReport } from '../src/report/types.js';
import { replayCampaign, testHypotheses, impedanceHistory, type ReplayStageOutput, type HypothesisStageOutput } from './analysis.js';
import { REPORT_SCHEMA_VERSION } from '../src/report/types.js';
import { HYPOTHESES } from '../src/core/hypotheses/catalog.js';
import { FITTERS } from '../src/fit/index.js';
import { RECORD_KINDS } from '../src/model/record.js';
import { VERSION } from '../src/version.js';
import { collectPlots } from '../src/report/plots/collect.js';
import { writeTables } from '../src/report/tables.js';
import { writeReport, type WrittenReport } from '../src/report/write.js';

/** What stages 5 and 6 produced (pipelines/analysis.ts); computed here when not given. */
export interface CampaignAnalysis {
  readonly replay: ReplayStageOutput;
  readonly hypotheses: HypothesisStageOutput;
}

export async function buildCampaignReport(ctx: PipelineContext, problems: readonly string[] = [], given?: CampaignAnalysis): Promise<CampaignReport> {
  const fileRows = await ctx.store.allFiles();
  const files: FileReport[] = fileRows.map((f) => {
    const q = join(ctx.quarantineDir, f.path);
    return {
      path: f.path, status: f.status, format: f.format, kind: f.kind, cell: f.cellId, records: f.records, rows: f.rows,
      sha256: f.sha256, parser: f.format, parserVersion: f.parserVersion, warnings: f.warnings as FileReport['warnings'],
      error: f.status === 'failed' ? { type: f.errorType ?? 'invalid', line: f.errorLine, offset: f.errorOffset, message: f.errorMessage ?? '' } : null,
      duplicateOf: f.duplicateOf,
      quarantined: f.status === 'failed' && existsSync(q) ? q : null,
      companionOf: f.status === 'sidecar' ? (f.companionOf ?? null) : null,
      companionFields: f.status === 'sidecar' ? (f.companionFields ?? null) : null,
      companions: fileRows.filter((s) => s.status === 'sidecar' && s.companionOf === f.path).map((s) => s.path),
    };
  });
  const countOf = (s: FileReport['status']): number => files.filter((f) => f.status === s).length;
  const fileCounts = { total: files.length, parsed: countOf('parsed'), failed: countOf('failed'), duplicates: countOf('duplicate'), sidecars: countOf('sidecar') };
  const analysis = given ?? (await (async () => {
    const replay = await replayCampaign(ctx);
    return { replay, hypotheses: await testHypotheses(ctx, replay) };
  })());
  // Campaign-level notes about a parsed file (a ToF-SIMS image without its partner) join its warnings.
  for (const w of analysis.replay.sims?.warnings ?? []) {
    const i = files.findIndex((f) => f.path === w.path);
    if (i >= 0) files[i] = { ...files[i]!, warnings: [...files[i]!.warnings, { code: w.code, message: w.message }] };
  }
  const parameters = [...analysis.replay.parameters];
  const fitRows = await ctx.store.query(`SELECT f.*, r.path, r.kind FROM fits f JOIN records r USING (record_id) ORDER BY r.path, f.record_id`);
  const fits: FitReport[] = fitRows.map((f) => ({
    recordId: f.record_id as string, path: f.path as string, cell: (f.cell_id as string) ?? null, kind: f.kind as string,
    fitter: f.fitter as string, fitterVersion: f.fitter_version as string, ok: Boolean(f.ok),
    metrics: JSON.parse(f.metrics as string), messages: JSON.parse(f.messages as string),
    ...settingsOfFit(f.options as string | null),
  }));
  const kindsPresent = new Set(files.filter((f) => f.status === 'parsed').map((f) => f.kind));
  const stages: StageReport[] = [
    { name: 'detect + parse', status: 'done', detail: `${fileCounts.parsed} parsed, ${fileCounts.failed} unreadable (failed), ${fileCounts.duplicates} duplicates, ${fileCounts.sidecars} companion files (sidecars)` },
    ...RECORD_KINDS.filter((k) => kindsPresent.has(k)).map((k): StageReport => {
      const fitters = FITTERS.filter((f) => f.kinds.includes(k));
      return fitters.length
        ? { name: `fit ${k}`, status: 'done', detail: fitters.map((f) => `${f.id} ${f.version}`).join(', ') }
        : { name: `fit ${k}`, status: 'not available', detail: `no fitter for ${k} records yet` };
    }),
    analysis.replay.replay.stage,
    ...(analysis.replay.impedance?.warnings.length ? [{ name: 'impedance history', status: 'done' as const, detail: analysis.replay.impedance.warnings.join('. ') }] : []),
    // cells whose files were stitched into one history: every join (gap, overlap) and how they were ordered
    ...analysis.replay.cycleTables.filter((h) => h.stitched).map((h) => ({
      name: `cell history ${h.cellId}`, status: 'done' as const,
      detail: `${h.stitched!.paths.length} files stitched (${h.stitched!.orderedBy === 'clock' ? 'ordered by clock' : 'ordered by file name: no date places them'}): ${h.stitched!.joins.join('; ')}${h.stitched!.messages.filter((m) => m.startsWith('warning') || m.includes('carried over') || m.includes('not stitched')).map((m) => `. ${m}`).join('')}`,
    })),
    analysis.hypotheses.stage,
  ];
  const hypotheses: HypothesisReport[] = analysis.hypotheses.hypotheses.length
    ? [...analysis.hypotheses.hypotheses]
    : HYPOTHESES.map((h) => ({
        id: h.id, claim: h.claim, verdict: 'not available', reason: analysis.hypotheses.stage.detail, needs: h.needs, test: h.test, refutedIf: h.refutedIf,
      }));
  const cells = (ctx.manifest?.cells ?? []).map((c) => ({ ...c, fileCount: files.filter((f) => f.cell === c.id).length }));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    interphase: { version: VERSION },
    campaign: { name: ctx.manifest?.name ?? ctx.folder.split('/').pop() ?? 'campaign', folder: ctx.folder, manifest: ctx.manifest?.source ?? null, description: ctx.manifest?.description },
    cells, files, fileCounts, stages, parameters, fits, hypotheses,
    ...(analysis.hypotheses.hypotheses.length ? { ferroelectricClaim: ferroelectricStatement(hypotheses as unknown as Parameters<typeof ferroelectricStatement>[0]) } : {}),
    problems,
    settings: settingsRows(ctx.manifest?.analysis ?? EMPTY_ANALYSIS),
    impedanceHistory: analysis.replay.impedance ? [...analysis.replay.impedance.history] : await impedanceHistory(ctx, analysis.replay.cycleTables),
    inputs: await reportInputs(ctx),
  };
}

/** The `analysis:` settings a stored fit ran with (fits.options.analysis), for its report entry. */
function settingsOfFit(options: string | null): { settings?: Record<string, unknown> } {
  if (!options || !options.includes('"analysisKey"')) return {};
  const o = JSON.parse(options) as { analysis?: Record<string, unknown> };
  return o.analysis ? { settings: o.analysis } : {};
}

/** Report files: HTML (with the plots whose data exist), Markdown, JSON, and the XLSX/CSV tables. */
export async function writeCampaignReport(ctx: PipelineContext, report: CampaignReport): Promise<WrittenReport> {
  const plots = await collectPlots(report, ctx.store, { log: ctx.log });
  const written = await writeReport(ctx.outDir, report, plots);
  await writeTables(ctx.outDir, report, ctx.store);
  return written;
}

/** The store generation and manifest hash a report is built from. */
export async function reportInputs(ctx: PipelineContext): Promise<{ storeGeneration: number; manifestSha256: string | null }> {
  let manifestSha256: string | null = null;
  if (ctx.manifest?.source) {
    try {
      manifestSha256 = sha256(new Uint8Array(await readFile(ctx.manifest.source)));
    } catch {
      manifestSha256 = null;
    }
  }
  return { storeGeneration: await ctx.store.generation(), manifestSha256 };
}

/**
 * The report already on disk, if it was built from exactly these inputs and all its files are there:
 * a batch that changed nothing does not re-render hundreds of plots.
 */
export async function currentReport(ctx: PipelineContext): Promise<{ report: CampaignReport; html: string } | null> {
  const json = join(ctx.outDir, 'report.json');
  const html = join(ctx.outDir, 'report.html');
  if (!['report.json', 'report.html', 'report.md', 'tables.xlsx'].every((f) => existsSync(join(ctx.outDir, f)))) return null;
  try {
    const old = JSON.parse(await readFile(json, 'utf8')) as CampaignReport;
    const now = await reportInputs(ctx);
    if (old.schemaVersion !== REPORT_SCHEMA_VERSION || old.interphase?.version !== VERSION || !old.inputs) return null;
    if (old.inputs.storeGeneration !== now.storeGeneration || old.inputs.manifestSha256 !== now.manifestSha256) return null;
    return { report: old, html };
  } catch {
    return null;
  }
}
