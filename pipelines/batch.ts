/**
 * `interphase batch <campaign>`: the whole campaign, in numbered stages, each a plain function.
 *   1. open the campaign (manifest, files, store)
 *   2. detect → parse → fit → store, per changed file (unchanged files are not even read)
 *   3. forget files that left the folder
 *   4. assemble the campaign document from the store (parameters per cell, stages, hypotheses)
 *   5. write the report (HTML, Markdown, JSON)
 */
import { openCampaign, type OpenOptions } from './campaign.js';
import { processFile, type FileOutcome } from './process-file.js';
import { buildCampaignReport } from './summary.js';
import { writeReport } from '../src/report/write.js';
import type { CampaignReport } from '../src/report/types.js';

export interface BatchOptions extends OpenOptions {
  readonly onProgress?: (done: number, total: number, outcome: FileOutcome) => void;
}

export interface BatchSummary {
  readonly cells: number;
  readonly files: { parsed: number; failed: number; skipped: number; quarantined: number; duplicates: number; vanished: number };
  readonly parameters: CampaignReport['parameters'];
  readonly hypotheses: CampaignReport['hypotheses'];
  readonly report: string;
  readonly outDir: string;
  readonly failures: readonly { path: string; message: string }[];
  readonly problems: readonly string[];
}

export async function runBatch(folder: string, o: BatchOptions = {}): Promise<{ summary: BatchSummary; report: CampaignReport }> {
  // 1
  const { ctx, files, problems } = await openCampaign(folder, o);
  try {
    // 2
    const outcomes: FileOutcome[] = [];
    for (let i = 0; i < files.length; i++) {
      const out = await processFile(ctx, files[i]!);
      outcomes.push(out);
      o.onProgress?.(i + 1, files.length, out);
      if (out.status === 'failed') ctx.log(`FAILED ${out.error.message}`);
    }
    // 3
    const present = new Set(files);
    for (const f of await ctx.store.allFiles()) if (!present.has(f.path)) await ctx.store.removeFile(f.path);
    // 4
    const report = await buildCampaignReport(ctx, problems);
    // 5
    const written = await writeReport(ctx.outDir, report);
    const failedNow = report.files.filter((f) => f.status === 'failed');
    const summary: BatchSummary = {
      cells: report.cells.length,
      files: {
        parsed: outcomes.filter((x) => x.status === 'parsed').length,
        failed: failedNow.length,
        skipped: outcomes.filter((x) => x.status === 'skipped').length,
        quarantined: failedNow.filter((f) => f.quarantined).length,
        duplicates: outcomes.filter((x) => x.status === 'duplicate').length,
        vanished: outcomes.filter((x) => x.status === 'vanished').length,
      },
      parameters: report.parameters,
      hypotheses: report.hypotheses,
      report: written.html,
      outDir: ctx.outDir,
      failures: failedNow.map((f) => ({ path: f.path, message: f.error?.message ?? '' })),
      problems,
    };
    return { summary, report };
  } finally {
    ctx.store.close();
  }
}

/**
 * `interphase report <campaign>`: bring the store up to date (unchanged files are not read, so this is
 * cheap) and rewrite the report. Running it on a campaign never batched before just does the batch.
 */
export async function runReport(folder: string, o: OpenOptions = {}): Promise<{ path: string; report: CampaignReport }> {
  const { summary, report } = await runBatch(folder, o);
  return { path: summary.report, report };
}
