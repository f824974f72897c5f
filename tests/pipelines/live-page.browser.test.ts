/**
 * The live page of `watch --serve` in a real browser (playwright-core driving Debian's chromium):
 * files dropped into the watched folder appear on the open page — parsed, with their cell's card
 * updated — and a malformed file with its reason, all within 5 s and with no reload; the page makes no
 * request outside its own origin; after the watcher is restarted the page reconnects and catches up.
 * The screenshot is docs/img/live-page.png (shown in the README). Skipped with a message when
 * /usr/bin/chromium or playwright-core is missing.
 */
import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseServeAddress, startServedWatch, type ServedWatch } from '../../pipelines/serve.js';
import { smallArbin, tinyDta, MALFORMED_DTA } from './helpers.js';
import { browserMissing, CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

const SCREENSHOT = resolve('docs/img/live-page.png');

const missing = browserMissing('live page browser test');

describe.skipIf(missing.length > 0)('watch --serve: the live page in headless Chromium', () => {
  it('shows dropped files, their cell cards and a malformed file with its reason within 5 s, and survives a restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ip-live-'));
    const dir = join(root, 'lab');
    const out = join(root, 'out');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'campaign.yaml'),
      'campaign: live-demo\ncells:\n  - { id: C01, group: control }\n  - { id: C02, group: control }\n  - { id: C03, group: poled-FD }\n  - { id: C04, group: poled-FD }\n',
    );
    // Already there when the watcher starts: the catch-up stores it and the page lists it.
    writeFileSync(join(dir, 'C02_cycling.csv'), smallArbin(2, 12));
    // Default settle (1 s) and debounce (300 ms): the timing a lab gets.
    const opts = { outDir: out, workers: 0, log: () => {} };
    let served: ServedWatch | undefined = await startServedWatch(dir, opts, parseServeAddress('127.0.0.1:0'));
    await served.watch.ready;
    const port = served.server.port;
    const origin = `http://127.0.0.1:${port}`;

    const mod = 'playwright-core';
    const { chromium } = (await import(/* @vite-ignore */ mod)) as typeof import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'ip-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1400, height: 1000 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        // While the watcher is restarting, the browser logs the refused EventSource connection: expected.
        if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|api\/events/.test(m.text())) errors.push(m.text());
      });
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`);
      });
      page.on('request', (r) => {
        if (!r.url().startsWith(origin)) errors.push(`request outside the page's origin: ${r.url()}`);
      });
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      await page.waitForSelector('#conn.on', { timeout: 5000 });
      await page.waitForSelector('tr.feed-row[data-path="C02_cycling.csv"]', { timeout: 5000 });
      await page.waitForSelector('.card[data-cell="C02"] dd.cycles:text("12")', { timeout: 5000 });

      // Drop a cycling log for C01, a spectrum for C03 and a malformed file; no reload from here on.
      const t0 = Date.now();
      writeFileSync(join(dir, 'C01_cycling.csv'), smallArbin(1, 15));
      writeFileSync(join(dir, 'C03_eis_1.DTA'), tinyDta(3, 12));
      writeFileSync(join(dir, 'C04_broken.DTA'), MALFORMED_DTA);
      await page.waitForSelector('tr.feed-row[data-path="C01_cycling.csv"][data-state="parsed"]', { timeout: 5000 });
      await page.waitForSelector('.card[data-cell="C01"][data-files="1"]', { timeout: 5000 });
      const failed = await page.waitForSelector('tr.feed-row[data-path="C04_broken.DTA"][data-state="failed"]', { timeout: 5000 });
      const elapsed = Date.now() - t0;
      expect(elapsed, 'dropped → shown on the page').toBeLessThan(5000);
      // Cycles and CE come with the report rebuilt after the burst (debounced), a little later.
      await page.waitForSelector('.card[data-cell="C01"] dd.cycles:text("15")', { timeout: 10_000 });

      const row = await page.$eval('tr.feed-row[data-path="C01_cycling.csv"][data-state="parsed"]', (tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent),
      );
      expect(row[3]).toBe('C01');
      const reason = await failed.$eval('td.detail', (td) => td.textContent ?? '');
      const snap = (await (await page.request.get(`${origin}/api/snapshot`)).json()) as { feed: { path: string; state: string; detail: string }[] };
      const stored = snap.feed.find((f) => f.path === 'C04_broken.DTA' && f.state === 'failed')!;
      expect(stored.detail.length).toBeGreaterThan(5);
      expect(reason).toContain(stored.detail);
      await page.waitForSelector('tr.feed-row[data-path="C04_broken.DTA"][data-state="quarantined"] a[href$="C04_broken.DTA.reason.txt"]', { timeout: 5000 });
      await page.waitForSelector('.card[data-cell="C04"].flagged', { timeout: 5000 });
      const card = await page.$eval('.card[data-cell="C01"]', (c) => c.textContent ?? '');
      expect(card).toMatch(/control/);
      expect(card).toMatch(/CE mean\s*\d/);

      // Plots (server-rendered SVG): capacity and CE vs cycle, the Nyquist plot of the latest spectrum.
      await page.waitForFunction(() => [...document.querySelectorAll('figure.plot h3')].some((h) => /Nyquist/.test(h.textContent ?? '')), undefined, {
        timeout: 8000,
      });
      const plots = await page.$$eval('figure.plot', (fs) =>
        fs.map((f) => ({ title: f.querySelector('h3')?.textContent ?? '', w: f.querySelector('svg')?.getBoundingClientRect().width ?? 0 })),
      );
      expect(plots.map((p) => p.title)).toEqual(expect.arrayContaining(['Coulombic efficiency vs cycle', 'Nyquist — latest spectrum (C03)']));
      for (const p of plots) expect(p.w, p.title).toBeGreaterThan(100);
      expect(await page.$$eval('#hypotheses tbody tr', (r) => r.length)).toBeGreaterThan(0);
      expect(await page.$eval('#hypotheses', (t) => t.textContent ?? '')).toMatch(/add: /);

      mkdirSync(resolve('docs/img'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: false });

      // Restart the watcher on the same port: the page reconnects by itself and catches up.
      await served.close();
      served = undefined;
      await page.waitForSelector('#conn.off', { timeout: 5000 });
      served = await startServedWatch(dir, opts, parseServeAddress(`127.0.0.1:${port}`));
      await served.watch.ready;
      await page.waitForSelector('#conn.on', { timeout: 8000 });
      writeFileSync(join(dir, 'C03_cycling.csv'), smallArbin(3, 6));
      await page.waitForSelector('tr.feed-row[data-path="C03_cycling.csv"][data-state="parsed"]', { timeout: 5000 });
      // Caught up from the new watcher's snapshot: the earlier files are listed again from the store.
      await page.waitForSelector('tr.feed-row[data-path="C01_cycling.csv"]', { timeout: 5000 });
      await page.waitForSelector('.card[data-cell="C03"] dd.cycles:text("6")', { timeout: 5000 });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await served?.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
