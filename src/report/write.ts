/** Writing the report files: each written to a temporary file and renamed, so a failed write keeps the previous report. */
import { join } from 'node:path';
import type { CampaignReport } from './types.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { writeAtomic } from '../io/atomic.js';

export interface WrittenReport {
  readonly html: string;
  readonly json: string;
  readonly markdown: string;
}

export async function writeReport(outDir: string, report: CampaignReport, plots: Readonly<Record<string, string>> = {}): Promise<WrittenReport> {
  const paths = { html: join(outDir, 'report.html'), json: join(outDir, 'report.json'), markdown: join(outDir, 'report.md') };
  await writeAtomic(paths.json, JSON.stringify(report, null, 2));
  await writeAtomic(paths.markdown, renderMarkdown(report));
  await writeAtomic(paths.html, renderHtml(report, plots));
  return paths;
}
