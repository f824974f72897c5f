/**
 * Report bench (issue #21 §2): a 96-cell virtual-lab campaign (the pipeline bench's files, with shorter
 * cycler logs: BENCH_REPORT_ROWS rows, default 20,000) is processed once by `runBatch` while preparing;
 * then
 *  - `report-write`: the report rebuilt from the store (`runReport`: figures collected, report.html with
 *    inline vega bundles and static SVG, one cells/<id>.html per cell), with the sizes written;
 *  - `load-main`: report.html opened in headless Chromium until every plot is drawn by vega-embed
 *    (median of 3 fresh pages);
 *  - `load-cells`: BENCH_REPORT_PAGES cell pages (default 12, evenly spaced) the same way: median and max.
 * Targets: report.html < 5 MB, each cell page drawn in < 1 s. Never a test: it prints numbers.
 * Needs /usr/bin/chromium and playwright-core for the load cases (otherwise "not available").
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchCase, BenchSuite, CaseOutcome } from './types.js';
import { writeCampaign } from './pipeline.js';
import { settingsFromEnv } from '../src/settings.js';

const CELLS = Number(process.env.BENCH_CELLS ?? 96);
const ROWS = Number(process.env.BENCH_REPORT_ROWS ?? 20_000);
const PAGES = Number(process.env.BENCH_REPORT_PAGES ?? 12);
const CHROMIUM = '/usr/bin/chromium';

const mb = (b: number): string => (b / 1e6).toFixed(2);

function sizes(out: string): { main: number; cells: number[]; names: string[] } {
  const dir = join(out, 'cells');
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.html'))
        .sort()
    : [];
  return { main: statSync(join(out, 'report.html')).size, cells: names.map((f) => statSync(join(dir, f)).size), names };
}

async function reportCase(ctx: Readonly<Record<string, string>>): Promise<CaseOutcome> {
  const { runReport } = await import('../pipelines/batch.js');
  const t0 = performance.now();
  await runReport(ctx.campaign!, { outDir: ctx.out! });
  const ms = performance.now() - t0;
  const s = sizes(ctx.out!);
  const total = s.cells.reduce((a, b) => a + b, 0);
  return {
    status: 'ok',
    ms,
    note: `report.html ${mb(s.main)} MB (target < 5 MB); ${s.cells.length} cell pages, ${mb(total)} MB in all, largest ${mb(Math.max(0, ...s.cells))} MB`,
  };
}

/** Open each page in a fresh tab: time from navigation to every plot drawn (`plots-done`). */
async function loadTimes(urls: readonly string[], repeat: number): Promise<{ ms: number[]; cpu: number[]; failed: number; errors: string[] } | string> {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found`;
  let pw: typeof import('playwright-core');
  try {
    pw = (await import('playwright-core')) as typeof import('playwright-core');
  } catch {
    return 'playwright-core not installed';
  }
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const ms: number[] = [];
  const cpu: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  try {
    const warm = await browser.newPage();
    await warm.goto('about:blank');
    for (const url of urls)
      for (let r = 0; r < repeat; r++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        // main-thread busy time of the page (CDP TaskDuration): less sensitive to other load on the machine than wall time
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const busy = async (): Promise<number> =>
          ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN) * 1000;
        const b0 = await busy();
        const t0 = performance.now();
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForFunction(() => document.documentElement.classList.contains('plots-done'), undefined, { timeout: 60_000 });
        ms.push(performance.now() - t0);
        cpu.push((await busy()) - b0);
        failed += await page.locator('figure.plot.live-failed').count();
        await page.close();
      }
  } finally {
    await browser.close();
  }
  return { ms, cpu, failed, errors };
}

const median = (x: readonly number[]): number => {
  const s = [...x].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

async function loadCase(ctx: Readonly<Record<string, string>>, which: 'main' | 'cells'): Promise<CaseOutcome> {
  const out = ctx.out!;
  const s = sizes(out);
  const pick =
    which === 'main'
      ? [join(out, 'report.html')]
      : Array.from({ length: Math.min(PAGES, s.names.length) }, (_, k) =>
          join(out, 'cells', s.names[Math.round((k * (s.names.length - 1)) / Math.max(1, Math.min(PAGES, s.names.length) - 1))]!),
        );
  const r = await loadTimes(
    pick.map((p) => pathToFileURL(p).href),
    which === 'main' ? 3 : 1,
  );
  if (typeof r === 'string') return { status: 'not-available', note: r };
  const med = median(r.ms);
  const max = Math.max(...r.ms);
  const bytes = pick.map((p) => statSync(p).size);
  return {
    status: 'ok',
    ms: med,
    note: `${which === 'main' ? 'report.html' : `${pick.length} of ${s.names.length} cell pages`} (${mb(Math.max(...bytes))} MB${which === 'cells' ? ' largest' : ''}): median ${med.toFixed(0)} ms, max ${max.toFixed(0)} ms to every plot drawn (main-thread busy: median ${median(r.cpu).toFixed(0)} ms, max ${Math.max(...r.cpu).toFixed(0)} ms)${which === 'cells' ? ' (target < 1 s each)' : ''}; failed figures ${r.failed}; console errors ${r.errors.length}${r.errors.length ? ` (${r.errors[0]!.slice(0, 80)})` : ''}`,
  };
}

export const reportBench: BenchSuite = {
  id: 'report',
  title: `Report: ${CELLS}-cell campaign (${ROWS.toLocaleString('en-US')}-row cycler logs, 3 EIS, XPS, ToF-SIMS, P–E per cell) → report.html + cells/*.html, sizes and Chromium load times`,
  async prepare(dir) {
    const campaign = join(dir, 'campaign');
    await mkdir(campaign, { recursive: true });
    const w = await writeCampaign(campaign, CELLS, ROWS);
    const out = join(dir, 'out');
    const { runBatch } = await import('../pipelines/batch.js');
    await runBatch(campaign, { outDir: out, force: true, settings: settingsFromEnv(process.env) });
    return { campaign, out, files: String(w.files), mb: (w.bytes / 1e6).toFixed(0) };
  },
  cases(ctx): BenchCase[] {
    const input = `${CELLS} cells, ${ctx.files} files`;
    return [
      { id: 'report-write', input, tool: 'report rebuild (figures + pages)' },
      { id: 'load-main', input, tool: 'Chromium: report.html drawn' },
      { id: 'load-cells', input, tool: 'Chromium: cell page drawn' },
    ];
  },
  async run(caseId, ctx) {
    if (caseId === 'report-write') return reportCase(ctx);
    if (caseId === 'load-main') return loadCase(ctx, 'main');
    if (caseId === 'load-cells') return loadCase(ctx, 'cells');
    return { status: 'not-available', note: `no case '${caseId}'` };
  },
};
