/**
 * The interactive report (issue #21 §2) in headless Chromium: report.html and a cell page draw every
 * plot with vega-embed (an SVG with marks inside each `.ip-live` container, none failed), tooltips show
 * on hover, legends exist and toggle, print shows the static SVG, no console errors and no network
 * request. Needs /usr/bin/chromium and playwright-core; skipped with a message when either is missing.
 * Not timed (load times are measured by `npm run bench`, suite `report`).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CampaignStore } from '../../src/store/store.js';
import { collectReportFigures } from '../../src/report/plots/collect.js';
import { writeReport } from '../../src/report/write.js';
import { fillStore, syntheticReport } from './synthetic.js';
import { browserMissing, CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

const ARTIFACTS = resolve('out/test-artifacts');

const missing = browserMissing('interactive report browser test');

type Page = import('playwright-core').Page;

/** Every figure of the page: drawn live (SVG inside the vega-embed box) with marks, and whether it has a legend. */
async function figures(page: Page) {
  await page.waitForFunction(() => document.documentElement.classList.contains('plots-done'), undefined, { timeout: 30_000 });
  return page.$$eval('figure.plot', (fs) =>
    fs.map((f) => {
      const live = f.querySelector('.ip-live');
      const svg = live?.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        title: f.previousElementSibling?.textContent ?? '',
        live: f.classList.contains('is-live'),
        error: f.getAttribute('data-error'),
        embed: !!live?.classList.contains('vega-embed') || !!live?.querySelector('.vega-embed'),
        renderer: svg ? 'svg' : live?.querySelector('canvas') ? 'canvas' : 'none',
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: svg ? svg.querySelectorAll('g.role-mark > path, g.role-mark > line').length : 0,
        legend: svg ? svg.querySelectorAll('g.role-legend').length : 0,
        staticShown: (() => {
          const s = f.querySelector('.ip-static');
          return s ? getComputedStyle(s).display !== 'none' : null;
        })(),
      };
    }),
  );
}

/** Hover the first point-like mark of figure `i` and return the tooltip text (empty when none showed). */
async function hoverTooltip(page: Page, i: number): Promise<string> {
  const marks = page.locator('figure.plot').nth(i).locator('.ip-live g.mark-symbol.role-mark > path, .ip-live g.mark-rect.role-mark > path');
  const n = await marks.count();
  for (let k = 0; k < Math.min(n, 12); k++) {
    await marks.nth(k).scrollIntoViewIfNeeded();
    const b = await marks.nth(k).boundingBox();
    if (!b || b.width === 0) continue;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    try {
      await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 1500 });
      const text = (await page.textContent('#vg-tooltip-element')) ?? '';
      await page.mouse.move(1, 1);
      return text;
    } catch {
      /* that one had no tooltip (a reference line): try the next */
    }
  }
  return '';
}

describe.skipIf(missing.length > 0)('interactive report and cell pages in headless Chromium', () => {
  it('draws every plot with vega-embed, with tooltips and legend toggles; print keeps the static SVG; no errors, no network', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ip-ibrowser-'));
    const store = await CampaignStore.open(join(work, 'store.duckdb'));
    await fillStore(store);
    const report = syntheticReport();
    const figs = await collectReportFigures(report, store);
    store.close();
    const outDir = join(ARTIFACTS, 'report-interactive');
    const written = await writeReport(outDir, report, figs);
    expect(figs.campaign.length).toBeGreaterThan(0);
    expect([...figs.cells.keys()].sort()).toEqual(['A1', 'A2', 'B1']);
    expect(written.cells?.map((p) => p.split('/').pop())).toEqual(['A1.html', 'A2.html', 'B1.html']);

    // offline: every script inline, no external reference
    for (const p of [written.html, ...written.cells!]) {
      const html = readFileSync(p, 'utf8');
      expect(html).not.toMatch(/<script[^>]*\ssrc=|<link\b|@import|src="http|href="http/i);
      expect((html.match(/vega-embed/g) ?? []).length).toBeGreaterThan(0);
    }

    const { chromium } = (await import(/* @vite-ignore */ 'playwright-core')) as typeof import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'ip-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) errors.push(`network request: ${r.url()}`);
      });

      // 1. report.html: campaign figures drawn live, static SVG hidden on screen
      await page.goto(pathToFileURL(written.html).href, { waitUntil: 'load' });
      const main = await figures(page);
      expect(main.map((f) => f.title)).toEqual(figs.campaign.map((f) => f.title));
      for (const f of main) {
        expect(f.error, f.title).toBeNull();
        expect(f.live, f.title).toBe(true);
        expect(f.embed, f.title).toBe(true);
        expect(f.renderer, f.title).toBe('svg');
        expect(f.width, f.title).toBeGreaterThan(100);
        expect(f.height, f.title).toBeGreaterThan(100);
        expect(f.marks, f.title).toBeGreaterThan(0);
        expect(f.staticShown, f.title).toBe(false);
      }
      // legends on the group-coloured plots; tooltip on hover names the group and the cycle
      const ce = main.findIndex((f) => /Coulombic efficiency/.test(f.title));
      expect(ce).toBeGreaterThanOrEqual(0);
      expect(main[ce]!.legend).toBeGreaterThan(0);
      const tip = await hoverTooltip(page, ce);
      expect(tip).toMatch(/group/);
      expect(tip).toMatch(/Cycle/);
      // the cell table links to every cell page
      const links = await page.$$eval('a[href^="cells/"]', (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
      expect(links.sort()).toEqual(['cells/A1.html', 'cells/A2.html', 'cells/B1.html']);

      // legend toggle: clicking a legend entry fades the other group's marks
      const legendEntry = page.locator('figure.plot').nth(ce).locator('.ip-live g.role-legend-symbol path').first();
      const faded = async () =>
        page
          .locator('figure.plot')
          .nth(ce)
          .locator('.ip-live g.role-mark > path')
          .evaluateAll(
            (ps) =>
              ps.filter(
                (p) =>
                  Number(p.getAttribute('opacity') ?? p.getAttribute('stroke-opacity') ?? p.getAttribute('fill-opacity') ?? 1) < 0.2 &&
                  Number(p.getAttribute('opacity') ?? 1) !== 0,
              ).length,
          );
      const before = await faded();
      await legendEntry.click();
      await page.waitForTimeout(200);
      expect(await faded()).toBeGreaterThan(before);

      // print: the static SVG shows, the live plot does not
      await page.emulateMedia({ media: 'print' });
      const printed = await page.$$eval('figure.plot', (fs) =>
        fs.map((f) => ({
          live: getComputedStyle(f.querySelector('.ip-live')!).display,
          stat: getComputedStyle(f.querySelector('.ip-static')!).display,
          svg: !!f.querySelector('.ip-static svg'),
        })),
      );
      for (const p of printed) expect(p).toEqual({ live: 'none', stat: 'block', svg: true });
      await page.emulateMedia({ media: 'screen' });
      await page.screenshot({ path: join(ARTIFACTS, 'report-interactive.png'), fullPage: true });

      // 2. a cell page: every per-cell figure drawn live with marks; tooltips on the Nyquist points
      await page.goto(pathToFileURL(join(outDir, 'cells', 'B1.html')).href, { waitUntil: 'load' });
      const cell = await figures(page);
      expect(cell.map((f) => f.title)).toEqual(figs.cells.get('B1')!.map((f) => f.title));
      expect(cell.some((f) => /Nyquist/.test(f.title))).toBe(true);
      expect(cell.some((f) => /P–E loops/.test(f.title))).toBe(true);
      expect(cell.some((f) => /ToF-SIMS/.test(f.title))).toBe(true);
      for (const f of cell) {
        expect(f.error, f.title).toBeNull();
        expect(f.live && f.embed, f.title).toBe(true);
        expect(f.marks, f.title).toBeGreaterThan(0);
        expect(f.width, f.title).toBeGreaterThan(100);
      }
      const nyq = cell.findIndex((f) => /Nyquist/.test(f.title));
      expect(cell[nyq]!.legend).toBeGreaterThan(0);
      const nyqTip = await hoverTooltip(page, nyq);
      expect(nyqTip).toMatch(/spectrum/);
      expect(nyqTip).toMatch(/Z′/);
      const cyc = cell.findIndex((f) => /Coulombic efficiency vs cycle — B1/.test(f.title));
      expect(cyc).toBeGreaterThanOrEqual(0);
      const cycTip = await hoverTooltip(page, cyc);
      expect(cycTip).toMatch(/cell\s*B1/);
      expect(cycTip).toMatch(/Cycle/);
      const back = await page.getAttribute('a[href="../report.html"]', 'href');
      expect(back).toBe('../report.html');
      await page.screenshot({ path: join(ARTIFACTS, 'cell-B1.png'), fullPage: true });

      expect(errors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
