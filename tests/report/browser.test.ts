/**
 * report.html in a real browser: every plot's SVG is laid out with its data marks, the console stays
 * clean, and the page has no horizontal overflow at 1280 px and 800 px. Screenshots go to
 * out/test-artifacts/. Needs /usr/bin/chromium and the devDependency playwright-core; skipped with a
 * message when either is missing.
 */
import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CampaignStore } from '../../src/store/store.js';
import { collectPlots } from '../../src/report/plots/collect.js';
import { writeReport } from '../../src/report/write.js';
import { fillStore, syntheticReport } from './synthetic.js';
import { countItems } from './helpers.js';
import { browserMissing, CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

const ARTIFACTS = resolve('out/test-artifacts');

const missing = browserMissing('report browser test');

describe.skipIf(missing.length > 0)('report.html in headless Chromium', () => {
  it('renders every plot with its data, logs no errors and does not overflow at 1280 / 800 px', async () => {
    // 1. a small synthetic campaign → plots → report.html
    const work = mkdtempSync(join(tmpdir(), 'ip-browser-'));
    const store = await CampaignStore.open(join(work, 'store.duckdb'));
    await fillStore(store);
    const report = syntheticReport();
    const plots = await collectPlots(report, store);
    store.close();
    const outDir = join(ARTIFACTS, 'report-browser');
    const written = await writeReport(outDir, report, plots);
    const expected = Object.values(plots).map((svg) => ['symbol', 'line', 'area', 'rect', 'rule'].reduce((n, t) => n + countItems(svg, t), 0));
    expect(expected.every((n) => n > 0)).toBe(true);

    // 2. open it in Chromium with a fresh profile
    const mod = 'playwright-core';
    const { chromium } = (await import(/* @vite-ignore */ mod)) as typeof import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'ip-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1280, height: 900 } });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) errors.push(`network request: ${r.url()}`);
      });
      await page.goto(pathToFileURL(written.html).href, { waitUntil: 'load' });

      // 3. each figure: an SVG with a real size, holding its data marks
      const figs = await page.$$eval('figure.plot', (fs) =>
        fs.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            title: f.previousElementSibling?.textContent ?? '',
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks: svg ? svg.querySelectorAll('g.role-mark > path, g.role-mark > line').length : 0,
          };
        }),
      );
      expect(figs.map((f) => f.title)).toEqual(Object.keys(plots));
      figs.forEach((f, i) => {
        expect(f.width, f.title).toBeGreaterThan(100);
        expect(f.height, f.title).toBeGreaterThan(100);
        expect(f.marks, f.title).toBe(expected[i]);
      });

      // 4. no horizontal overflow at both widths; screenshots as artefacts
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const width of [1280, 800]) {
        await page.setViewportSize({ width, height: 900 });
        const o = await page.evaluate(() => ({ body: document.body.scrollWidth, doc: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        expect(Math.max(o.body, o.doc), `page scroll width at ${width} px`).toBeLessThanOrEqual(o.client);
        await page.screenshot({ path: join(ARTIFACTS, `report-${width}.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
