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
        const o = await page.evaluate(() => ({
          body: document.body.scrollWidth,
          doc: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        expect(Math.max(o.body, o.doc), `page scroll width at ${width} px`).toBeLessThanOrEqual(o.client);
        await page.screenshot({ path: join(ARTIFACTS, `report-${width}.png`), fullPage: true });
      }
      // 5. the Files section of a campaign with failures: failures first, full paths wrapped, the reason
      //    beside each; its screenshot is docs/img/files-section.png (README)
      const long = 'instrument-exports/2026-11-30_bench-3/EIS after 40 cycles with a very long folder name/';
      const base = {
        format: null,
        kind: null,
        cell: null,
        records: 0,
        rows: 0,
        sha256: 'ab'.repeat(32),
        parser: null,
        parserVersion: null,
        warnings: [],
        duplicateOf: null,
      };
      const withFiles = {
        ...report,
        files: [
          {
            ...base,
            path: `${long}C07_after_cycling.DTA`,
            status: 'parsed' as const,
            format: 'gamry-dta',
            kind: 'eis',
            cell: 'C07',
            records: 1,
            rows: 60,
            parser: 'gamry-dta',
            parserVersion: '1.0.0',
            error: null,
            quarantined: null,
          },
          {
            ...base,
            path: `${long}C08_after_cycling_cut.DTA`,
            status: 'failed' as const,
            error: {
              type: 'bad-number',
              line: 23,
              offset: null,
              message: `${long}C08_after_cycling_cut.DTA:23: text in a numeric column [column 'Zimag'] (expected a number, found 1.2.3)`,
            },
            quarantined: `quarantine/${long}C08_after_cycling_cut.DTA`,
          },
          {
            ...base,
            path: 'notes/unknown-export.bin',
            status: 'failed' as const,
            error: {
              type: 'unrecognised',
              line: null,
              offset: 0,
              message:
                'notes/unknown-export.bin@0: not a recognised instrument file; closest formats: arbin-csv (no Arbin header), biologic-mpt (no EC-Lab header), gamry-dta (no EXPLAIN tag)',
            },
            quarantined: 'quarantine/notes/unknown-export.bin',
          },
        ],
      };
      const filesOut = await writeReport(join(ARTIFACTS, 'report-files'), withFiles as typeof report, {});
      await page.setViewportSize({ width: 1000, height: 900 });
      await page.goto(pathToFileURL(filesOut.html).href, { waitUntil: 'load' });
      const rowsText = await page.$$eval('h2#files ~ div table tr, h2#files ~ table tr', (trs) => trs.map((t) => t.textContent ?? ''));
      const at = (re: RegExp) => rowsText.findIndex((t) => re.test(t));
      expect(at(/C07_after_cycling\.DTA/)).toBeGreaterThan(at(/C08_after_cycling_cut\.DTA/)); // failures first
      expect(at(/C07_after_cycling\.DTA/)).toBeGreaterThan(at(/unknown-export\.bin/));
      expect(at(/C08_after_cycling_cut\.DTA/)).toBeGreaterThanOrEqual(0);
      const ov = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(ov.doc, 'the long paths wrap instead of widening the page').toBeLessThanOrEqual(ov.client);
      const files = await page.$('h2#files');
      const box = await files!.boundingBox();
      mkdirSync(resolve('docs/img'), { recursive: true });
      await page.screenshot({
        path: resolve('docs/img/files-section.png'),
        fullPage: true,
        clip: { x: 0, y: Math.max(0, box!.y - 8), width: 1000, height: 520 },
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
