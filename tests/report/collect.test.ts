import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignStore } from '../../src/store/store.js';
import { collectFigures, collectPlots } from '../../src/report/plots/collect.js';
import { renderHtml } from '../../src/report/html.js';
import { fillStore, syntheticReport } from './synthetic.js';
import { countItems } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function openStore(): Promise<CampaignStore> {
  const d = mkdtempSync(join(tmpdir(), 'ip-report-'));
  dirs.push(d);
  return CampaignStore.open(join(d, 'store.duckdb'));
}

describe('collectPlots', () => {
  it('returns {} for an empty store and an empty report', async () => {
    const store = await openStore();
    const logs: string[] = [];
    const empty = { ...syntheticReport(), cells: [], parameters: [] };
    expect(await collectPlots(empty, store, { log: (m) => logs.push(m) })).toEqual({});
    expect(logs).toEqual([]);
    store.close();
  });

  it('never throws, even when the store is closed under it', async () => {
    const store = await openStore();
    store.close();
    const logs: string[] = [];
    const plots = await collectPlots(syntheticReport(), store, { log: (m) => logs.push(m) });
    // Only the cycle-life plot needs nothing from the store.
    expect(Object.keys(plots)).toEqual(['Cycle life (Kaplan–Meier)']);
    expect(logs.length).toBeGreaterThan(0);
  });

  it('draws every plot whose data is in the store, with the stored values', async () => {
    const store = await openStore();
    await fillStore(store);
    const report = syntheticReport();
    const logs: string[] = [];
    const figs = await collectFigures(report, store, { log: (m) => logs.push(m) });
    expect(logs).toEqual([]);
    expect(figs.map((f) => f.title)).toEqual([
      'Discharge capacity vs cycle',
      'Coulombic efficiency vs cycle',
      'Cycle life (Kaplan–Meier)',
      'R_SEI and CPE α vs rest time',
      'R_SEI and CPE α vs cycle',
      'ToF-SIMS ratio map — B1',
      'P–E loops — B1',
      'Nyquist — A1',
      'Bode and KK residuals — A1',
      'Nyquist — A2',
      'Bode and KK residuals — A2',
      'Nyquist — B1',
      'Bode and KK residuals — B1',
    ]);
    const plots = await collectPlots(report, store);
    expect(Object.keys(plots)).toEqual(figs.map((f) => f.title));

    // Capacity: 2 groups → 2 mean lines, one band (control has 2 cells), 5 cycles × 2 groups points.
    const cap = plots['Discharge capacity vs cycle']!;
    expect(countItems(cap, 'line', 'mean_marks')).toBe(2);
    expect(countItems(cap, 'area', 'band_marks')).toBe(1);
    expect(countItems(cap, 'symbol')).toBe(10);
    expect(cap).toContain('Discharging Capacity / mAh');
    expect(cap).toContain('<figcaption>');
    // Capacity values in mAh: cycle 1 of B1 is 2 mAh × (1 − 0.03).
    const capSpec = figs[0]!.spec as unknown as { data: { values: { group: string; cycle: number; mean: number }[] } };
    expect(capSpec.data.values.find((v) => v.group === 'BTO-poled' && v.cycle === 1)!.mean).toBeCloseTo(1.94, 10);

    // KM: one curve per group, one censored tick (B1).
    expect(countItems(plots['Cycle life (Kaplan–Meier)']!, 'symbol', 'censored_marks')).toBe(1);

    // R_SEI trends: 6 spectra (2 per cell); areal R_SEI (area given to the fitter).
    const rest = plots['R_SEI and CPE α vs rest time']!;
    expect(countItems(rest, 'symbol', 'rSei_points_marks')).toBe(6);
    expect(rest).toContain('R_SEI / Ω*cm2');
    const cycleSpec = figs[4]!.spec as unknown as { data: { values: { x: number; rSei: number; cell: string }[] } };
    const a1 = cycleSpec.data.values.filter((v) => v.cell === 'A1').sort((p, q) => p.x - q.x);
    expect(a1.map((v) => v.x)).toEqual([1, 10]);
    expect(a1[0]!.rSei).toBeCloseTo(30 * 1.13, 3);
    expect(a1[1]!.rSei).toBeCloseTo(45 * 1.13, 3);

    // Nyquist: 2 spectra × 45 points, 2 fitted lines; Bode has KK residuals for both.
    expect(countItems(plots['Nyquist — A1']!, 'symbol', 'measured_marks')).toBe(90);
    expect(countItems(plots['Nyquist — A1']!, 'line', 'fit_marks')).toBe(2);
    expect(countItems(plots['Bode and KK residuals — A1']!, 'symbol', 'kk_residual_marks')).toBe(180);

    // SIMS: 32×32 map at the fitter's bin, H in the title.
    const sims = plots['ToF-SIMS ratio map — B1']!;
    const h = (await store.query(`SELECT value FROM parameters WHERE name = 'heterogeneity_index'`))[0]!.value as number;
    expect(sims).toContain(`H = ${h.toPrecision(3)}`);
    expect(countItems(sims, 'rect', 'pixels_marks')).toBeGreaterThan(0);

    // P–E: pristine and cycled loops.
    const pe = plots['P–E loops — B1']!;
    expect(countItems(pe, 'line')).toBe(2);
    expect(pe).toContain('pristine');
    expect(pe).toContain('cycled');
    store.close();
  });

  it('report.html with every plot stays small, offline and script-free', async () => {
    const store = await openStore();
    await fillStore(store);
    const report = syntheticReport();
    const plots = await collectPlots(report, store);
    store.close();
    const html = renderHtml(report, plots);
    const bytes = Buffer.byteLength(html);
    expect(bytes).toBeLessThan(2_500_000);
    expect((html.match(/<svg\b/g) ?? []).length).toBe(Object.keys(plots).length);
    expect(html).not.toMatch(/<script|<link\b|@import|src="http|href="http/i);
    for (const svg of Object.values(plots)) expect(Buffer.byteLength(svg)).toBeLessThan(400_000);
  });
});

import { cellsToDraw } from '../../src/report/plots/collect.js';
describe('cellsToDraw', () => {
  it('draws every cell up to the cap, else round-robin over groups so every arm shows', () => {
    const cells = [...'ABCDEFGH'].map((x, i) => ({ id: x, group: i < 6 ? 'ctrl' : 'fd' }));
    const report = { cells } as unknown as Parameters<typeof cellsToDraw>[0];
    expect([...cellsToDraw(report, ['A', 'B'], 12).cells]).toEqual(['A', 'B']);
    const r = cellsToDraw(report, [...'ABCDEFGH'], 4);
    expect([...r.cells].sort()).toEqual(['A', 'B', 'G', 'H']);
    expect(r.note).toMatch(/4 of 8 cells/);
  });
});
