/** Writing the report files: each written to a temporary file and renamed, so a failed write keeps the previous report. */
import { join } from 'node:path';
import { readdir, unlink } from 'node:fs/promises';
import type { CampaignReport } from './types.js';
import { cellPageName, renderCellHtml, renderHtml, type PageScriptOptions } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { ReportFigure } from './interactive.js';
import { writeAtomic } from '../io/atomic.js';

export interface WrittenReport {
  readonly html: string;
  readonly json: string;
  readonly markdown: string;
  /** cells/<id>.html per cell (when the figures were given as `ReportFigures`), in report.cells order. */
  readonly cells?: readonly string[];
}

/** What `collectReportFigures` builds: campaign figures for report.html, per-cell figures for cells/<id>.html. */
export interface ReportFigures {
  readonly campaign: readonly ReportFigure[];
  readonly cells: ReadonlyMap<string, readonly ReportFigure[]>;
}

/**
 * report.json, report.md and report.html. `plots` (title → static SVG) gives the static page of before;
 * `figures` gives the interactive page plus one page per cell in `cells/` (every cell of the report and
 * every cell that has figures; pages of cells no longer in the report are removed). `o`: what the
 * interactive pages inline.
 */
export async function writeReport(
  outDir: string,
  report: CampaignReport,
  plots: Readonly<Record<string, string>> | ReportFigures = {},
  o: PageScriptOptions = {},
): Promise<WrittenReport> {
  const paths = { html: join(outDir, 'report.html'), json: join(outDir, 'report.json'), markdown: join(outDir, 'report.md') };
  await writeAtomic(paths.json, JSON.stringify(report, null, 2));
  await writeAtomic(paths.markdown, renderMarkdown(report));
  if (!isFigures(plots)) {
    await writeAtomic(paths.html, renderHtml(report, plots));
    return paths;
  }
  const ids = [...new Set([...report.cells.map((c) => c.id), ...plots.cells.keys()])];
  const dir = join(outDir, 'cells');
  const cells: string[] = [];
  for (const id of ids) {
    const p = join(dir, cellPageName(id));
    await writeAtomic(p, renderCellHtml(report, id, plots.cells.get(id) ?? [], o));
    cells.push(p);
  }
  const keep = new Set(ids.map(cellPageName));
  for (const f of await readdir(dir).catch(() => [] as string[])) if (f.endsWith('.html') && !keep.has(f)) await unlink(join(dir, f)).catch(() => {});
  await writeAtomic(paths.html, renderHtml(report, {}, { ...o, figures: plots.campaign, cellPages: ids.length > 0 }));
  return { ...paths, cells };
}

function isFigures(p: Readonly<Record<string, string>> | ReportFigures): p is ReportFigures {
  return Array.isArray((p as ReportFigures).campaign) && (p as ReportFigures).cells instanceof Map;
}
