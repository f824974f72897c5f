/** The demo campaign keeps its layout and its manifest validates; its cells come from the replay model. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildDemoCampaign } from '../../fixtures/virtual-lab/demo.js';
import { validateManifest } from '../../src/campaign/manifest.js';
import type { CampaignTruth } from '../../fixtures/virtual-lab/campaign.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-'));
  await buildDemoCampaign(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('buildDemoCampaign', () => {
  it('writes campaign.yaml (ignoring truth.json), 18 Arbin CSVs and Gamry DTAs, SIMS images, XPS depth profiles, P–E loops and truth.json', async () => {
    expect((await readdir(join(dir, 'cycling'))).filter((f) => /^[CDEPQRUVW]0\d_.*\.csv$/.test(f)).length).toBe(18);
    expect((await readdir(join(dir, 'eis'))).filter((f) => /^[CDEPQRUVW]0\d_after_cycling\.DTA$/.test(f)).length).toBe(18);
    expect((await readdir(join(dir, 'eis'))).length).toBe(54); // + the Bruce–Vincent cells' spectra before / after
    expect((await readdir(join(dir, 'transference'))).length).toBe(18);
    expect((await readdir(join(dir, 'raman'))).length).toBe(18);
    expect((await readdir(join(dir, 'pfm'))).length).toBe(12);
    expect((await readdir(join(dir, 'xps'))).filter((f) => /^[CDEPQRUVW]0\d_depth_profile\.vms$/.test(f)).length).toBe(18);
    expect((await readdir(join(dir, 'pe'))).length).toBe(12); // pristine + cycled loop for each poled cell
    const m = validateManifest(parse(await readFile(join(dir, 'campaign.yaml'), 'utf8')), 'campaign.yaml');
    expect(m.ignore).toEqual(['truth.json']);
    const groups = m.cells.map((c) => c.group);
    expect(m.cells.filter((c) => c.cellType === 'Li||Li')).toHaveLength(18); // one Bruce–Vincent Li‖Li cell per Li‖Cu cell
    expect(groups.filter((g) => g === 'control')).toHaveLength(12);
    expect(groups.filter((g) => g === 'BTO-poled')).toHaveLength(12);
    expect(groups.filter((g) => g === 'BTO-unpoled')).toHaveLength(12);
    for (const g of ['control', 'BTO-poled', 'BTO-unpoled'])
      expect(
        m.cells
          .filter((c) => c.group === g && c.cellType === 'Li||Cu')
          .map((c) => c.restHours)
          .sort((a, b) => a! - b!),
        g,
      ).toEqual([0, 0, 24, 24, 72, 72]);
    expect(m.cells.filter((c) => c.restHours! > 0).every((c) => c.restPosition === 'before-cycling')).toBe(true);
    expect(m.cells.find((c) => c.id === 'P01')).toMatchObject({
      poling: 'poled',
      ferroelectric: 'BaTiO3',
      restHours: 0,
      cellType: 'Li||Cu',
      filmThicknessNm: 400,
    });
  });
  it("plants the perspective's effects: poled arm with higher CE and lower R_SEI, the unpoled arm a little above control; a rest-loss in cycle 2 for every resting cell", async () => {
    const t = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as CampaignTruth;
    expect(t.design).toMatchObject({ parameterSet: 'Gunnarsdottir2020_carbonate_FEC', variant: 'M2', cycles: 40 });
    const arm = (g: string, f: (c: CampaignTruth['cells'][string]) => number): number => {
      const xs = Object.values(t.cells)
        .filter((c) => c.group === g)
        .map(f);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const meanCe = (c: CampaignTruth['cells'][string]): number => c.ce.slice(1).reduce((a, b) => a + b, 0) / (c.ce.length - 1);
    expect(arm('BTO-poled', meanCe)).toBeGreaterThan(arm('control', meanCe) + 0.005);
    console.log(
      `mean CE: control ${arm('control', meanCe).toFixed(4)}, poled ${arm('BTO-poled', meanCe).toFixed(4)}, unpoled ${arm('BTO-unpoled', meanCe).toFixed(4)}`,
    );
    expect(arm('BTO-unpoled', meanCe)).toBeGreaterThan(arm('control', meanCe));
    expect(arm('BTO-unpoled', meanCe) - arm('control', meanCe)).toBeLessThan((arm('BTO-poled', meanCe) - arm('control', meanCe)) / 2);
    expect(arm('BTO-poled', (c) => c.rSei)).toBeLessThan(arm('control', (c) => c.rSei));
    for (const [id, c] of Object.entries(t.cells)) {
      if (!/^[DEQRVW]/.test(id)) continue; // the cells resting 24 or 72 h (after the first cycle, before cycling)
      expect(c.restLossFraction).toBeGreaterThan(0.005);
      expect(c.ce[1]!).toBeLessThan(c.ce[0]! - 0.005);
    }
  });
  it('is deterministic for a seed', async () => {
    const other = await mkdtemp(join(tmpdir(), 'demo2-'));
    await buildDemoCampaign(other);
    expect(await readFile(join(other, 'cycling', 'P02_LiCu_cycling.csv'), 'utf8')).toBe(await readFile(join(dir, 'cycling', 'P02_LiCu_cycling.csv'), 'utf8'));
    expect(await readFile(join(other, 'xps', 'P02_depth_profile.vms'), 'utf8')).toBe(await readFile(join(dir, 'xps', 'P02_depth_profile.vms'), 'utf8'));
    await rm(other, { recursive: true, force: true });
  });
});
