/**
 * The campaign stages on the demo campaign: files written by the virtual lab → parsers → cycle fitter →
 * replay fit (parameters recovered against truth.json) → hypotheses (H1–H14 all evaluated).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoCampaign } from '../../../fixtures/virtual-lab/demo.js';
import { readManifest } from '../../../src/campaign/load.js';
import { loadFile } from '../../../src/io/load.js';
import { cycleFitter } from '../../../src/fit/cycles/index.js';
import { runReplayStage, type CellCycleTable } from '../../../src/core/analysis/replay-stage.js';
import { runHypothesisStage } from '../../../src/core/analysis/hypothesis-stage.js';
import type { CellParameter } from '../../../src/report/types.js';
import type { Manifest } from '../../../src/campaign/manifest.js';

let manifest: Manifest;
let tables: CellCycleTable[];
let params: CellParameter[];
let truth: { cells: Record<string, { parameters: Record<string, number> }> };

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
    for (const p of out.parameters) params.push({ cell: id, group: cell.group, name: p.name, value: p.value, unit: p.unit, stderr: p.stderr ?? null, ci95: p.ci95 ?? null, censored: p.censored ?? null, n: 1, fitter: out.fitter, fitOk: out.quality.ok, sources: [] });
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
    expect(r.stage.detail).toMatch(/20 cell\(s\) fitted from parameter set Gunnarsdottir2020_carbonate_FEC/);
    expect(r.variants.map((v) => v.variant)).toEqual(['M0', 'M1', 'M2']);
    const errs: number[] = [];
    const controlErrs: number[] = [];
    for (const id of Object.keys(truth.cells)) {
      for (const name of ['Dead Li base fraction [1]', 'Parabolic corrosion constant [nm2.h-1]']) {
        const got = r.parameters.find((p) => p.cell === id && p.name === name);
        if (name.startsWith('Parabolic') && !id.startsWith('C')) {
          expect(got, `${id} has no rest: its corrosion constant is not fitted`).toBeUndefined(); // only C cells rest
          continue;
        }
        expect(got, `${id} ${name}`).toBeDefined();
        if (got!.value === null) continue; // reported as non-identifiable: not fitted to noise
        const e = Math.abs(got!.value / truth.cells[id]!.parameters[name]! - 1);
        errs.push(e);
        if (/^[CN]/.test(id)) controlErrs.push(e);
      }
    }
    errs.sort((a, b) => a - b);
    controlErrs.sort((a, b) => a - b);
    expect(errs.length).toBeGreaterThanOrEqual(24);
    // Control cells (no FD term to trade off against; XPS f is not given to this replay): as tight as the model issue asks.
    expect(controlErrs[controlErrs.length >> 1]!).toBeLessThan(0.05);
    expect(controlErrs[controlErrs.length - 1]!).toBeLessThan(0.15);
    // Ferroelectric cells: φ₀ trades off against the FD terms when f is not measured; looser, stated.
    expect(errs[errs.length >> 1]!).toBeLessThan(0.1);
    expect(errs[errs.length - 1]!).toBeLessThan(0.3);
  });
});

describe('hypothesis stage', () => {
  it('evaluates H1–H14 on the demo parameters; H14 (FD improves CE) is decided from the planted effect', () => {
    const replay = runReplayStage(manifest.cells, params, tables);
    const r = runHypothesisStage(manifest.cells, [...params, ...replay.parameters], replay.fit);
    expect(r.stage.status).toBe('done');
    expect(r.hypotheses.map((h) => h.id)).toEqual(Array.from({ length: 14 }, (_, i) => `H${i + 1}`));
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
