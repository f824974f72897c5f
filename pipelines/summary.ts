/**
 * Campaign-level assembly from the store: cells, files, per-cell parameters, fit quality, stages.
 * Reads only the store, so batch, watch and `report` produce the same document.
 */
import { fileParameterMeans, recordPaths, fitsWithRecords } from '../src/store/queries.js';
import { EMPTY_ANALYSIS, settingsRows } from '../src/campaign/analysis-options.js';
import { ferroelectricStatement } from '../src/hypotheses/engine.js';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { claimCoverage, surveyFolder, type FolderSurvey } from '../src/campaign/load.js';
import type { CellParameter, PathEntry, PathState } from '../src/report/types.js';
import { sha256 } from '../src/io/load.js';
import { join } from 'node:path';
import type { PipelineContext } from './context.js';
import type { CampaignReport, FileReport, FitReport, HypothesisReport, StageReport } from '../src/report/types.js';
import { analyseCampaign, impedanceHistory, parameterFromRow, type ReplayStageOutput, type HypothesisStageOutput } from './campaign-stages.js';
import { REPORT_SCHEMA_VERSION } from '../src/report/types.js';
import { HYPOTHESES } from '../src/hypotheses/catalog.js';
import { FITTERS } from '../src/fit/index.js';
import { INCOMPLETE_WARNING, RECORD_KINDS, type ParseWarning } from '../src/records/record.js';
import { VERSION } from '../src/version.js';
import { collectReportFigures } from '../src/report/plots/collect.js';
import { writeTables } from '../src/report/tables.js';
import { writeReport, type WrittenReport } from '../src/report/write.js';

/** What stages 5 and 6 produced (pipelines/campaign-stages.ts); computed here when not given. */
export interface CampaignAnalysis {
  readonly replay: ReplayStageOutput;
  readonly hypotheses: HypothesisStageOutput;
}

/** The one state of a stored file (issue #18): a parsed file whose header declares more than it holds is `incomplete`. */
function storedState(f: { status: string; sourceRemoved?: boolean; warnings?: readonly unknown[] }): PathState {
  if (f.sourceRemoved) return 'source removed';
  if (f.status === 'parsed' && incompleteOfFile(f.warnings)) return 'incomplete';
  return f.status === 'failed' ? 'quarantined' : f.status === 'sidecar' ? 'companion' : f.status === 'duplicate' ? 'duplicate' : 'parsed';
}

/** A parsed file's `incomplete` warnings (one per cut record), summed: declared vs read (issue #18). */
export function incompleteOfFile(warnings: readonly unknown[] | undefined): FileReport['incomplete'] | undefined {
  const cut = (warnings ?? []).filter(
    (w): w is ParseWarning => (w as ParseWarning | null)?.code === INCOMPLETE_WARNING && typeof (w as ParseWarning).declared === 'number',
  );
  if (!cut.length) return undefined;
  const declared = cut.reduce((a, w) => a + w.declared!, 0);
  const read = cut.reduce((a, w) => a + (w.read ?? 0), 0);
  const unit = cut[0]!.unit ?? 'points';
  return {
    declared,
    read,
    unit,
    message: cut.length === 1 ? cut[0]!.message : `incomplete: ${cut.length} records hold ${read} of ${declared} declared ${unit}`,
  };
}

/**
 * Every path in the folder in exactly one state, from the folder survey and the store: what was read
 * (parsed, companion, quarantined, duplicate), what was not and why (ignored, temporary, symlink, unreadable),
 * what is not read yet (pending), and every stored file whose source left the folder (source removed).
 */
export function pathStates(survey: FolderSurvey, rows: readonly FileReport[]): PathEntry[] {
  const byPath = new Map(rows.map((r) => [r.path, r]));
  const out: PathEntry[] = [];
  const seen = new Set<string>();
  for (const p of survey.files) {
    seen.add(p);
    const r = byPath.get(p);
    if (!r || r.sourceRemoved) out.push({ path: p, state: 'pending', detail: 'in the folder, not read yet' });
    else {
      const state = storedState(r);
      const detail = r.error
        ? r.error.message
        : r.duplicateOf
          ? `same bytes as ${r.duplicateOf}`
          : r.companionOf
            ? `companion of ${r.companionOf}`
            : r.incomplete
              ? r.incomplete.message
              : undefined;
      out.push({ path: p, state, ...(detail ? { detail } : {}) });
    }
  }
  for (const s of survey.skipped) {
    seen.add(s.path);
    out.push({ path: s.path, state: s.state, detail: s.detail });
  }
  for (const r of rows)
    if (!seen.has(r.path) && r.sourceRemoved)
      out.push({
        path: r.path,
        state: 'source removed',
        detail: `left the folder; its results are kept (batch --prune drops them)${r.status === 'failed' ? '; it had failed' : ''}`,
      });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Per-file parameters when the campaign has no cells (no manifest, or none valid): each file's fitted
 * values, so a folder without a manifest still reports its results.
 */
export async function fileParameters(ctx: PipelineContext): Promise<CellParameter[]> {
  const rows = await fileParameterMeans(ctx.store);
  return rows.map((p) => parameterFromRow(p, { cell: '', group: '', file: p.path as string }));
}

const LAST_GOOD = 'last-good';

/** A report.json on disk that was built from a manifest without problems and has cells. */
async function goodReportOnDisk(outDir: string): Promise<boolean> {
  try {
    const old = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as Partial<CampaignReport>;
    const hadProblems = old.manifestProblems ? old.manifestProblems.length > 0 : (old.problems?.length ?? 0) > 0;
    return !hadProblems && (old.cells?.length ?? 0) > 0;
  } catch {
    return false;
  }
}

/**
 * A report from a manifest with problems never silently replaces the last good one: that is kept in
 * last-good/ (linked from the banner); a report from a manifest without problems makes it obsolete.
 */
async function keepLastGoodReport(ctx: PipelineContext, report: CampaignReport): Promise<void> {
  const lastGood = join(ctx.outDir, LAST_GOOD);
  if (report.manifestProblems?.length) {
    if (await goodReportOnDisk(ctx.outDir)) {
      await mkdir(lastGood, { recursive: true });
      for (const f of ['report.html', 'report.json', 'report.md']) {
        if (existsSync(join(ctx.outDir, f))) await copyFile(join(ctx.outDir, f), join(lastGood, f));
      }
      ctx.log(`the manifest has problems: the previous report (built without them) is kept in ${lastGood}/`);
    }
  } else if (existsSync(lastGood)) await rm(lastGood, { recursive: true, force: true });
}

export async function buildCampaignReport(ctx: PipelineContext, problems: readonly string[] = [], given?: CampaignAnalysis): Promise<CampaignReport> {
  const fileRows = await ctx.store.allFiles();
  const files: FileReport[] = fileRows.map((f) => {
    const q = join(ctx.quarantineDir, f.path);
    const incomplete = f.status === 'parsed' ? incompleteOfFile(f.warnings) : undefined;
    return {
      state: storedState(f),
      ...(f.sourceRemoved ? { sourceRemoved: true } : {}),
      ...(incomplete ? { incomplete } : {}),
      path: f.path,
      status: f.status,
      format: f.format,
      kind: f.kind,
      cell: f.cellId,
      records: f.records,
      rows: f.rows,
      sha256: f.sha256,
      parser: f.format,
      parserVersion: f.parserVersion,
      warnings: f.warnings as FileReport['warnings'],
      error: f.status === 'failed' ? { type: f.errorType ?? 'invalid', line: f.errorLine, offset: f.errorOffset, message: f.errorMessage ?? '' } : null,
      duplicateOf: f.duplicateOf,
      quarantined: f.status === 'failed' && existsSync(q) ? q : null,
      companionOf: f.status === 'sidecar' ? (f.companionOf ?? null) : null,
      companionFields: f.status === 'sidecar' ? (f.companionFields ?? null) : null,
      companions: fileRows.filter((s) => s.status === 'sidecar' && s.companionOf === f.path).map((s) => s.path),
    };
  });
  const countOf = (s: FileReport['status']): number => files.filter((f) => f.status === s).length;
  const fileCounts = {
    total: files.length,
    parsed: countOf('parsed'),
    failed: countOf('failed'),
    duplicates: countOf('duplicate'),
    sidecars: countOf('sidecar'),
  };
  const analysis = given ?? (await analyseCampaign(ctx));
  // Campaign-level notes about a parsed file (a ToF-SIMS image without its partner) join its warnings.
  for (const w of analysis.replay.sims?.warnings ?? []) {
    const i = files.findIndex((f) => f.path === w.path);
    if (i >= 0) files[i] = { ...files[i]!, warnings: [...files[i]!.warnings, { code: w.code, message: w.message }] };
  }
  // No cells (no manifest, or none valid): the results are per file, never dropped.
  const perFile = (ctx.manifest?.cells.length ?? 0) === 0 ? await fileParameters(ctx) : [];
  const pathOf = new Map((await recordPaths(ctx.store)).map((r) => [r.record_id as string, r.path as string]));
  const parameters = [...analysis.replay.parameters, ...perFile].map((p) => ({ ...p, sourceFiles: [...new Set(p.sources.map((id) => pathOf.get(id) ?? id))] }));
  const survey = await surveyFolder(ctx.folder, ctx.manifest?.ignore, { exclude: [ctx.outDir] });
  const paths = pathStates(survey, files);
  const listed = new Set(survey.files);
  const stateCounts: Partial<Record<PathState, number>> = {};
  for (const p of paths) stateCounts[p.state] = (stateCounts[p.state] ?? 0) + 1;
  const lastGoodReport = problems.length
    ? (await goodReportOnDisk(ctx.outDir)) || existsSync(join(ctx.outDir, LAST_GOOD, 'report.html'))
      ? `${LAST_GOOD}/report.html`
      : null
    : null;
  const fitRows = await fitsWithRecords(ctx.store);
  const fits: FitReport[] = fitRows.map((f) => ({
    recordId: f.record_id as string,
    path: f.path as string,
    cell: (f.cell_id as string) ?? null,
    kind: f.kind as string,
    fitter: f.fitter as string,
    fitterVersion: f.fitter_version as string,
    ok: Boolean(f.ok),
    metrics: JSON.parse(f.metrics as string),
    messages: JSON.parse(f.messages as string),
    ...settingsOfFit(f.options as string | null),
  }));
  const kindsPresent = new Set(files.filter((f) => f.status === 'parsed').map((f) => f.kind));
  const stages: StageReport[] = [
    {
      name: 'detect + parse',
      status: 'done',
      detail: `${fileCounts.parsed} parsed, ${fileCounts.failed} unreadable (failed), ${fileCounts.duplicates} duplicates, ${fileCounts.sidecars} companion files (sidecars)`,
    },
    ...RECORD_KINDS.filter((k) => kindsPresent.has(k)).map((k): StageReport => {
      const fitters = FITTERS.filter((f) => f.kinds.includes(k));
      return fitters.length
        ? { name: `fit ${k}`, status: 'done', detail: fitters.map((f) => `${f.id} ${f.version}`).join(', ') }
        : { name: `fit ${k}`, status: 'not available', detail: `no fitter for ${k} records yet` };
    }),
    analysis.replay.replay.stage,
    ...(analysis.replay.impedance?.warnings.length
      ? [{ name: 'impedance history', status: 'done' as const, detail: analysis.replay.impedance.warnings.join('. ') }]
      : []),
    // cells whose files were stitched into one history: every join (gap, overlap) and how they were ordered
    ...analysis.replay.cycleTables
      .filter((h) => h.stitched)
      .map((h) => ({
        name: `cell history ${h.cellId}`,
        status: 'done' as const,
        detail: `${h.stitched!.paths.length} files stitched (${h.stitched!.orderedBy === 'clock' ? 'ordered by clock' : 'ordered by file name: no date places them'}): ${h.stitched!.joins.join('; ')}${h
          .stitched!.messages.filter((m) => m.startsWith('warning') || m.includes('carried over') || m.includes('not stitched'))
          .map((m) => `. ${m}`)
          .join('')}`,
      })),
    analysis.hypotheses.stage,
  ];
  const hypotheses: HypothesisReport[] = analysis.hypotheses.hypotheses.length
    ? [...analysis.hypotheses.hypotheses]
    : HYPOTHESES.map((h) => ({
        id: h.id,
        claim: h.claim,
        verdict: 'not available',
        reason: analysis.hypotheses.stage.detail,
        needs: h.needs,
        test: h.test,
        refutedIf: h.refutedIf,
      }));
  const cells = (ctx.manifest?.cells ?? []).map((c) => ({ ...c, fileCount: files.filter((f) => f.cell === c.id).length }));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    interphase: { version: VERSION },
    campaign: {
      name: ctx.manifest?.name ?? ctx.folder.split('/').pop() ?? 'campaign',
      folder: ctx.folder,
      manifest: ctx.manifest?.source ?? null,
      description: ctx.manifest?.description,
    },
    cells,
    files,
    fileCounts,
    stages,
    parameters,
    fits,
    hypotheses,
    ...(analysis.hypotheses.hypotheses.length
      ? { ferroelectricClaim: ferroelectricStatement(hypotheses as unknown as Parameters<typeof ferroelectricStatement>[0]) }
      : {}),
    problems,
    manifestProblems: [...problems],
    lastGoodReport,
    paths,
    pathStates: stateCounts,
    coverage: claimCoverage(
      ctx.manifest,
      [...ctx.assignments.values()].filter((a) => listed.has(a.file)),
    ),
    failures: files
      .filter((f) => f.status === 'failed' && !f.sourceRemoved)
      .map((f) => ({ path: f.path, message: f.error?.message ?? '', quarantined: f.quarantined })),
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

/**
 * Report files: HTML (interactive plots whose data exist, static SVG kept for print), one page per cell
 * in cells/, Markdown, JSON, and the XLSX/CSV tables.
 */
export async function writeCampaignReport(ctx: PipelineContext, report: CampaignReport): Promise<WrittenReport> {
  await keepLastGoodReport(ctx, report);
  const figures = await collectReportFigures(report, ctx.store, { log: ctx.log, cache: true });
  const written = await writeReport(ctx.outDir, report, figures, { vegaLite: ctx.settings.reportVegaLite });
  await writeTables(ctx.outDir, report, ctx.store);
  return written;
}

/** Campaigns up to this many cells and stored files get the report warm-up below (a larger one's refresh is dominated by its size). */
export const WARM_UP_REPORT_MAX = { cells: 48, files: 1000 } as const;

/**
 * The report built from the store and written once to a throw-away folder, then deleted: a watcher runs
 * it while idle after a start that reused the report on disk, so its first refresh after a file arrives
 * runs compiled code (issue #18: first spectrum → report ≤ 2 s; the V8 compilations otherwise compete
 * for the same two cores). It reads the store (the campaign analysis and figures from their caches) and
 * writes nothing there.
 */
export async function warmUpReport(ctx: PipelineContext, problems: readonly string[]): Promise<void> {
  if ((ctx.manifest?.cells.length ?? 0) > WARM_UP_REPORT_MAX.cells || (await ctx.store.allFiles()).length > WARM_UP_REPORT_MAX.files) return;
  const dir = await mkdtemp(join(tmpdir(), 'interphase-warm-up-'));
  try {
    const doc = await buildCampaignReport(ctx, problems);
    await writeCampaignReport({ ...ctx, outDir: dir, log: () => {} }, doc);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The store generation and manifest hash a report is built from. */
export async function reportInputs(ctx: PipelineContext): Promise<{ storeGeneration: number; manifestSha256: string | null; pathsSha256: string }> {
  let manifestSha256: string | null = null;
  if (ctx.manifest?.source) {
    try {
      manifestSha256 = sha256(new Uint8Array(await readFile(ctx.manifest.source)));
    } catch {
      manifestSha256 = null;
    }
  }
  // The folder's paths and their skip states: a new symlink or temp file changes the report too.
  const survey = await surveyFolder(ctx.folder, ctx.manifest?.ignore, { exclude: [ctx.outDir] });
  const pathsSha256 = sha256(new TextEncoder().encode(JSON.stringify(survey)));
  return { storeGeneration: await ctx.store.generation(), manifestSha256, pathsSha256 };
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
    if (old.inputs.storeGeneration !== now.storeGeneration || old.inputs.manifestSha256 !== now.manifestSha256 || old.inputs.pathsSha256 !== now.pathsSha256)
      return null;
    return { report: old, html };
  } catch {
    return null;
  }
}
