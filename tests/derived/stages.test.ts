/**
 * The campaign stages on the demo campaign: files written by the virtual lab → parsers → cycle fitter →
 * replay fit (parameters recovered against truth.json) → hypotheses (H1–H14 all evaluated).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoCampaign } from '../../fixtures/virtual-lab/demo.js';
import { readManifest } from '../../src/campaign/load.js';
import { loadFile } from '../../src/io/load.js';
import { cycleFitter } from '../../src/fit/cycles/index.js';
import { runReplayStage, type CellCycleTable } from '../../src/derived/replay-stage.js';
import { runHypothesisStage } from '../../src/hypotheses/stage.js';
import type { CellParameter } from '../../src/report/types.js';
import type { Manifest } from '../../src/campaign/manifest.js';

let manifest: Manifest;
let tables: CellCycleTable[];
let params: CellParameter[];
let truth: { cells: Record<string, { parameters: Record<string, number>; restLossFraction: number; group: string }> };

beforeAll(async () => {
  const dir = await buildDemoCampaign(join(mkdtempSync(join(tmpdir(), 'ip-an-')), 'camp'));
  manifest = await readManifest(join(dir, 'campaign.yaml'), 'camp');
  truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  tables = [];
  params = [];
  for (const f of readdirSync(join(dir, 'cycling'))) {
    const id = f.slice(0, 3);
    const cell = manifest.cells.find((c) => c.id === id)!;
    const { records } = await loadFile(join(dir, 'cycling', f));
    const out = cycleFitter.fit(records[0]!, { cellType: cell.cellType, electrodeAreaCm2: cell.electrodeAreaCm2 });
    tables.push({ cellId: id, recordId: `${id}:0`, columns: out.tables!.cycles! });
    for (const p of out.parameters)
      params.push({
        cell: id,
        group: cell.group,
        name: p.name,
        value: p.value,
        unit: p.unit,
        stderr: p.stderr ?? null,
        ci95: p.ci95 ?? null,
        censored: p.censored ?? null,
        n: 1,
        fitter: out.fitter,
        fitOk: out.quality.ok,
        sources: [],
      });
  }
});

describe('model replay stage', () => {
  it('is not available without cycle tables, and says why', () => {
    const r = runReplayStage(manifest.cells, [], []);
    expect(r.stage.status).toBe('not available');
    expect(r.parameters).toEqual([]);
  });

  it('fits every demo cell from its own files and recovers the planted dead-Li fraction and corrosion constant', () => {
    const r = runReplayStage(manifest.cells, params, tables);
    expect(r.stage.status).toBe('done');
    expect(r.stage.detail).toMatch(/18 cell\(s\) fitted from parameter set Gunnarsdottir2020_carbonate_FEC/);
    expect(r.variants.map((v) => v.variant)).toEqual(['M0', 'M1', 'M2']);
    const errs: number[] = [];
    for (const id of Object.keys(truth.cells)) {
      for (const name of ['Dead Li base fraction [1]', 'Parabolic corrosion constant [nm2.h-1]']) {
        const got = r.parameters.find((p) => p.cell === id && p.name === name);
        expect(got, `${id} ${name}`).toBeDefined();
        if (!(truth.cells[id]!.restLossFraction > 0)) {
          // Only the D/E/Q/R/V/W cells rest. Without a rest the corrosion constant does not enter the data, and CE alone
          // cannot split 1 − CE into dead Li and SEI Li (s₀ at its prior): both not identifiable, no ± / CI.
          expect(got, `${id} ${name}`).toMatchObject({ status: 'not identifiable', value: null, stderr: null, ci95: null });
          expect(r.parameters.find((p) => p.cell === id && p.name === 'dead_li_fraction_cycle1')).toMatchObject({ status: 'not identifiable', value: null });
          expect(r.parameters.find((p) => p.cell === id && p.name === 'SEI repair base fraction [1]')).toMatchObject({ status: 'prior-fixed', stderr: null });
          continue;
        }
        expect(got!.status, `${id} ${name}: ${got!.provenance ?? ''}`).toBe('fitted');
        const e = Math.abs(got!.value! / truth.cells[id]!.parameters[name]! - 1);
        // Control cells: the model's other parameters are the set's, so φ₀ and k_p0 come back tightly.
        // Layer cells: their held FD parameters (f₀ at the control median, FD terms at the set's values)
        // differ from the planted ones, and φ₀ / k_p0 absorb that (measured: up to 32 %).
        if (truth.cells[id]!.group === 'control') errs.push(e);
        else expect(e, `${id} ${name}`).toBeLessThan(0.4);
      }
    }
    errs.sort((a, b) => a - b);
    expect(errs.length).toBe(8); // 4 resting control cells × (φ₀, k_p0), the rest loss separating dead Li from SEI Li
    expect(errs[errs.length >> 1]!).toBeLessThan(0.05);
    expect(errs[errs.length - 1]!).toBeLessThan(0.15);
  });

  it("a titrated dead-Li amount from the manifest (dead_li_titration_mAh_cm2) makes a no-rest cell's dead-Li fraction identifiable", async () => {
    const { manifestTitration } = await import('../../src/derived/pe-pairs.js');
    const c01 = { ...manifest.cells.find((c) => c.id === 'C01')!, deadLiTitrationMahCm2: 0.4 };
    const t = manifestTitration([c01]);
    expect(t).toMatchObject([{ cell: 'C01', name: 'dead_li_titration', value: 0.4, unit: 'mAh/cm2', fitter: 'manifest' }]);
    const without = runReplayStage([manifest.cells.find((c) => c.id === 'C01')!], params, tables);
    const withT = runReplayStage([c01], [...params, ...t], tables);
    const phi = (r: typeof without) => r.parameters.find((p) => p.cell === 'C01' && p.name === 'Dead Li base fraction [1]')!;
    expect(phi(without).status).toBe('not identifiable');
    expect(phi(withT).status).toBe('fitted');
  });

  it("uses each poled cell's measured Pr for P₀, the manifest pr_uC_cm2 without a loop, and says which", () => {
    const poled = manifest.cells
      .filter((c) => c.poling === 'poled' && c.cellType !== 'Li||Li')
      .map((c) => c.id)
      .sort(); // the Bruce–Vincent Li‖Li cells do not cycle
    expect(poled.length).toBeGreaterThanOrEqual(3);
    const cellsHere = manifest.cells.filter((c) => poled.includes(c.id) || c.id.startsWith('C'));
    const pr = (cell: string, value: number): CellParameter => ({
      cell,
      group: 'BTO-poled',
      name: 'Pr',
      value,
      unit: 'uC/cm2',
      stderr: 0.2,
      ci95: null,
      censored: null,
      n: 1,
      fitter: 'pe-pairing',
      fitOk: true,
      sources: [`${cell}:pe`],
    });
    // two loops with different Pr; the third poled cell only has the manifest's pr_uC_cm2
    const r = runReplayStage(cellsHere, [...params, pr(poled[0]!, 6), pr(poled[1]!, 14)], tables);
    const p0 = (id: string) => r.parameters.find((p) => p.cell === id && p.name === 'Initial polarisation retention [1]')!;
    expect(p0(poled[0]!)).toMatchObject({ status: 'input', value: 0.3, stderr: null });
    expect(p0(poled[1]!)).toMatchObject({ status: 'input', value: 0.7 });
    expect(p0(poled[0]!).provenance).toMatch(/measured Pr \(pe-pairing/);
    const spec = manifest.cells.find((c) => c.id === poled[2])!;
    expect(spec.prUcCm2).toBeDefined();
    expect(p0(poled[2]!).value).toBeCloseTo(Math.min(1, spec.prUcCm2! / 20), 12);
    expect(p0(poled[2]!).provenance).toMatch(/manifest pr_uC_cm2/);
    expect(r.stage.detail).toMatch(new RegExp(`P₀ \\(Pr_ref 20 µC cm⁻²\\): ${poled[0]} 0\\.3 \\(measured Pr\\)`));
    const fits = r.fit!.variants.find((v) => v.variant === 'M2')!.fits;
    expect(fits.find((f) => f.cellId === poled[0])!.parameters['Initial polarisation retention [1]']).toBeCloseTo(0.3, 12);
    expect(fits.find((f) => f.cellId === poled[1])!.parameters['Initial polarisation retention [1]']).toBeCloseTo(0.7, 12);
  });
});

describe('hypothesis stage', () => {
  it('evaluates H1–H14 on the demo parameters; H14 (FD improves CE) is decided from the planted effect', () => {
    const replay = runReplayStage(manifest.cells, params, tables);
    const r = runHypothesisStage(manifest.cells, [...params, ...replay.parameters], replay.fit);
    expect(r.stage.status).toBe('done');
    expect(r.hypotheses.map((h) => h.id).slice(0, 14)).toEqual(Array.from({ length: 14 }, (_, i) => `H${i + 1}`)); // H15+ (issue #20) follow
    const verdict = (id: string) => r.hypotheses.find((h) => h.id === id)!.verdict;
    // The planted effects: a poled ferroelectric improves CE/life and homogenises the SEI; the benefit
    // needs the remanent polarisation (unpoled ≈ control); corrosion during rest raises heterogeneity.
    // Only the cycling files are read here (the whole campaign is in tests/pipelines/demo.test.ts).
    expect(verdict('H14')).toBe('supported');
    expect(verdict('H2')).toBe('not testable'); // one rest duration only
    expect(verdict('H7')).toBe('not testable'); // no ToF-SIMS / EIS parameters given to this test
    expect(verdict('H6')).toBe('not testable'); // no XPS parameters given to this test (the demo's XPS: tests/pipelines/demo.test.ts)
  });
});
