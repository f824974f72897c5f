/**
 * Campaign-level assembly from the store: cells, files, per-cell parameters, fit quality, stages.
 * Reads only the store, so batch, watch and `report` produce the same document.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineContext } from './context.js';
import type { CampaignReport, CellParameter, FileReport, FitReport, HypothesisReport, StageReport } from '../src/report/types.js';
import { REPORT_SCHEMA_VERSION } from '../src/report/types.js';
import { HYPOTHESES } from '../src/core/hypotheses/catalog.js';
import { FITTERS } from '../src/fit/index.js';
import { RECORD_KINDS } from '../src/model/record.js';
import { VERSION } from '../src/version.js';

/** Stages produced outside the store (batch stages 5 and 6); absent → "not available". */
export interface ExtraStages {
  readonly replay?: StageReport;
  readonly hypotheses?: StageReport;
}

export const REPLAY_NOT_AVAILABLE: StageReport = { name: 'model replay', status: 'not available', detail: 'the replay model (issue: core model) is not built yet' };
export const HYPOTHESES_NOT_AVAILABLE: StageReport = { name: 'hypothesis tests', status: 'not available', detail: 'the hypothesis engine is not built yet' };

export async function buildCampaignReport(ctx: PipelineContext, problems: readonly string[] = [], extra: ExtraStages = {}): Promise<CampaignReport> {
  const fileRows = await ctx.store.allFiles();
  const files: FileReport[] = fileRows.map((f) => {
    const q = join(ctx.quarantineDir, f.path);
    return {
      path: f.path, status: f.status, format: f.format, kind: f.kind, cell: f.cellId, records: f.records, rows: f.rows,
      sha256: f.sha256, parser: f.format, parserVersion: f.parserVersion, warnings: f.warnings as FileReport['warnings'],
      error: f.status === 'failed' ? { type: f.errorType ?? 'invalid', line: f.errorLine, offset: f.errorOffset, message: f.errorMessage ?? '' } : null,
      duplicateOf: f.duplicateOf,
      quarantined: f.status === 'failed' && existsSync(q) ? q : null,
    };
  });
  const groupOf = new Map((ctx.manifest?.cells ?? []).map((c) => [c.id, c.group]));
  // stddev over values scaled by their largest magnitude: a diverged fit (1e270) must not overflow the
  // sum of squares and take the whole report down (DuckDB: "STDDEV_SAMP is out of range").
  const params = await ctx.store.query(`
    WITH p AS (
      SELECT *, nullif(max(abs(value)) OVER (PARTITION BY cell_id, fitter, name, unit), 0) AS scale
      FROM parameters WHERE cell_id IS NOT NULL AND scope IS NULL)
    SELECT cell_id, fitter, name, unit, count(*) AS n, avg(value) AS value,
           CASE WHEN count(*) = 1 THEN any_value(stderr) ELSE stddev_samp(value / scale) * any_value(scale) / sqrt(count(*)) END AS stderr,
           CASE WHEN count(*) = 1 THEN any_value(ci_low) END AS ci_low,
           CASE WHEN count(*) = 1 THEN any_value(ci_high) END AS ci_high,
           bool_or(censored) AS censored, bool_and(fit_ok) AS ok, list(record_id ORDER BY record_id) AS sources
    FROM p
    GROUP BY cell_id, fitter, name, unit ORDER BY cell_id, fitter, name`);
  const parameters: CellParameter[] = params.map((p) => ({
    cell: p.cell_id as string, group: groupOf.get(p.cell_id as string) ?? '', name: p.name as string,
    value: p.value === null ? null : Number(p.value), unit: p.unit as string,
    stderr: p.stderr === null || p.stderr === undefined ? null : Number(p.stderr),
    ci95: p.ci_low === null || p.ci_low === undefined ? null : [Number(p.ci_low), Number(p.ci_high)],
    censored: (p.censored as boolean | null) ?? null, n: Number(p.n), fitter: p.fitter as string, fitOk: Boolean(p.ok),
    sources: p.sources as string[],
  }));
  const fitRows = await ctx.store.query(`SELECT f.*, r.path, r.kind FROM fits f JOIN records r USING (record_id) ORDER BY r.path, f.record_id`);
  const fits: FitReport[] = fitRows.map((f) => ({
    recordId: f.record_id as string, path: f.path as string, cell: (f.cell_id as string) ?? null, kind: f.kind as string,
    fitter: f.fitter as string, fitterVersion: f.fitter_version as string, ok: Boolean(f.ok),
    metrics: JSON.parse(f.metrics as string), messages: JSON.parse(f.messages as string),
  }));
  const kindsPresent = new Set(files.filter((f) => f.status === 'parsed').map((f) => f.kind));
  const stages: StageReport[] = [
    { name: 'detect + parse', status: 'done', detail: `${files.filter((f) => f.status === 'parsed').length} parsed, ${files.filter((f) => f.status === 'failed').length} failed, ${files.filter((f) => f.status === 'duplicate').length} duplicates` },
    ...RECORD_KINDS.filter((k) => kindsPresent.has(k)).map((k): StageReport => {
      const fitters = FITTERS.filter((f) => f.kinds.includes(k));
      return fitters.length
        ? { name: `fit ${k}`, status: 'done', detail: fitters.map((f) => `${f.id} ${f.version}`).join(', ') }
        : { name: `fit ${k}`, status: 'not available', detail: `no fitter for ${k} records yet` };
    }),
    extra.replay ?? REPLAY_NOT_AVAILABLE,
    extra.hypotheses ?? HYPOTHESES_NOT_AVAILABLE,
  ];
  const hypotheses: HypothesisReport[] = HYPOTHESES.map((h) => ({
    id: h.id, claim: h.claim, verdict: 'not available', reason: 'hypothesis engine not built yet', needs: h.needs, test: h.test, refutedIf: h.refutedIf,
  }));
  const cells = (ctx.manifest?.cells ?? []).map((c) => ({ ...c, fileCount: files.filter((f) => f.cell === c.id).length }));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    interphase: { version: VERSION },
    campaign: { name: ctx.manifest?.name ?? ctx.folder.split('/').pop() ?? 'campaign', folder: ctx.folder, manifest: ctx.manifest?.source ?? null, description: ctx.manifest?.description },
    cells, files, stages, parameters, fits, hypotheses, problems,
  };
}
