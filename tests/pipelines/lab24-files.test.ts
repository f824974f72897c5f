/**
 * Issue #16's "done when", on the campaign shape of issue #23: 24 Li||Cu cells in four arms (bare,
 * poled BaTiO3, unpoled BaTiO3, poled BaTiO3 + pre-adsorbed NO3⁻) × rests of 0, 24 and 72 h before
 * cycling, half on an Arbin (CSV + BEEP `_Metadata.csv` sidecar), half on a BioLogic (.mpt), impedance
 * after the rest and after cycling, XPS depth profiles, ToF-SIMS as one file per ion and P–E loops before
 * and after cycling for every layer cell. One batch: 0 failed files, 12 sidecars whose fields are in each
 * Arbin record's meta, a heterogeneity index per cell from the paired ion images, and the hypotheses
 * this design can test are tested (testability only: the engine's verdicts are not pinned here).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildLab24Campaign, labCampaignDesign, LAB24_ANION } from '../../fixtures/virtual-lab/lab24.js';
import { campaignYaml, type CampaignTruth } from '../../fixtures/virtual-lab/campaign.js';
import { simulateCampaign } from '../../fixtures/virtual-lab/simulate.js';
import { writeArbinMetadata } from '../../fixtures/virtual-lab/writers/arbin-metadata.js';
import { matchCompanion, readCompanion } from '../../parsers/companions.js';
import { runBatch, type BatchSummary } from '../../pipelines/batch.js';
import { openCampaign } from '../../pipelines/campaign.js';
import { isoToUnix } from '../../src/derived/eis-history.js';
import type { CampaignReport, CellParameter } from '../../src/report/types.js';

let root: string;
let camp: string;
let out: string;
let written: string[];
let truth: CampaignTruth;
let summary: BatchSummary;
let report: CampaignReport;
let json: CampaignReport;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const CELLS = labCampaignDesign().groups.flatMap((g) => [1, 2].map((k) => `${g.prefix}${String(k).padStart(2, '0')}`));
const LAYER = CELLS.filter((id) => !/^[CDE]/.test(id));
const ARBIN = CELLS.filter((id) => id.endsWith('01')); // 'alternate': the first cell of each pair on the Arbin
const param = (cell: string, name: string): CellParameter | undefined => report.parameters.find((p) => p.cell === cell && p.name === name);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ip-lab24-'));
  camp = join(root, 'campaign');
  out = join(root, 'out');
  truth = (await buildLab24Campaign(camp)).truth;
  written = walk(camp)
    .map((p) => relative(camp, p).split('\\').join('/'))
    .filter((p) => p !== 'campaign.yaml' && p !== 'truth.json')
    .sort();
  const r = await runBatch(camp, { outDir: out, workers: 0 });
  summary = r.summary;
  report = r.report;
  json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CampaignReport;
}, 240_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the 24-cell lab campaign (issue #23) as files', () => {
  it('design: 4 arms × 3 rests × 2 cells; the manifest carries rest_position and the pre-adsorbed anion', () => {
    expect(CELLS).toHaveLength(24);
    expect(Object.keys(truth.cells).sort()).toEqual([...CELLS].sort());
    const yaml = campaignYaml(labCampaignDesign(), simulateCampaign(labCampaignDesign()));
    expect(yaml).toContain('  - { id: C01, group: control, poling: none, rest_hours: 0 }');
    expect(yaml).toContain('  - { id: E02, group: control, poling: none, rest_hours: 72, rest_position: before-cycling }');
    expect(yaml).toContain(
      `  - { id: M01, group: BTO-poled-NO3, poling: poled, ferroelectric: BaTiO3, preadsorbed_anion: ${LAB24_ANION}, rest_hours: 24, rest_position: before-cycling,`,
    );
    expect(yaml.match(/preadsorbed_anion: NO3-/g)).toHaveLength(6);
    expect(readFileSync(join(camp, 'campaign.yaml'), 'utf8')).toBe(yaml);
  });

  it('writes every file kind per cell: 12 Arbin CSV + 12 sidecars, 12 .mpt, 48 spectra, 24 XPS, 48 ion images, 36 P–E loops', () => {
    const count = (re: RegExp): number => written.filter((p) => re.test(p)).length;
    expect(written).toHaveLength(192);
    expect(count(/^cycling\/[A-Z]\d\d_LiCu_cycling\.csv$/)).toBe(12);
    expect(count(/^cycling\/[A-Z]\d\d_LiCu_cycling_Metadata\.csv$/)).toBe(12);
    expect(count(/^cycling\/[A-Z]\d\d_LiCu_cycling\.mpt$/)).toBe(12);
    expect(
      written
        .filter((p) => p.endsWith('_Metadata.csv'))
        .map((p) => p.slice(8, 11))
        .sort(),
    ).toEqual([...ARBIN].sort());
    expect(count(/^eis\/[A-Z]\d\d_after_rest\.DTA$/)).toBe(24);
    expect(count(/^eis\/[A-Z]\d\d_after_cycling\.DTA$/)).toBe(24);
    expect(count(/^xps\/[A-Z]\d\d_depth_profile\.vms$/)).toBe(24);
    expect(count(/^tofsims\/[A-Z]\d\d_neg_LiF2-_500um\.txt$/)).toBe(24);
    expect(count(/^tofsims\/[A-Z]\d\d_neg_C2H-_500um\.txt$/)).toBe(24);
    expect(count(/^pe\/[A-Z]\d\d_(pristine|after_cycling)_Table1\.tsv$/)).toBe(36);
    expect(
      written
        .filter((p) => p.startsWith('pe/'))
        .map((p) => p.slice(3, 6))
        .sort(),
    ).toEqual([...LAYER, ...LAYER].sort());
  });

  it('the metadata writer gives the layout the companion rule reads', () => {
    const text = writeArbinMetadata({
      testId: 7,
      deviceId: '60369001',
      channel: 3,
      startUnix: 1_781_503_600,
      endUnix: 1_781_600_000,
      schedule: 'virtual-lab\\X.sdu',
      itemId: 'VL-X',
    });
    const bytes = new TextEncoder().encode(text);
    const m = matchCompanion('cycling/X_Metadata.csv', bytes);
    expect(m?.rule.id).toBe('arbin-metadata-csv');
    expect(readCompanion(m!.rule, bytes)).toMatchObject({
      testId: 7,
      device: '60369001',
      channel: 3,
      startTime: '2026-06-15T06:06:40.000Z',
      lastEndTime: '2026-06-16T08:53:20.000Z',
      lastResumeTime: null,
      resumedTimes: 0,
      schedule: 'virtual-lab\\X.sdu',
      itemId: 'VL-X',
      databases: ['ArbinResult_1'],
    });
  });
});

describe('one batch of the 24-cell campaign', () => {
  it('reads every file: total = the number written, 0 failed, 12 sidecars', () => {
    expect(summary.failures).toEqual([]);
    expect(summary.files).toMatchObject({ parsed: 180, failed: 0, sidecars: 12, quarantined: 0, duplicates: 0 });
    expect(json.fileCounts).toEqual({ total: written.length, parsed: 180, failed: 0, duplicates: 0, sidecars: 12 });
    expect(json.files.map((f) => f.path).sort()).toEqual(written);
    const side = json.files.filter((f) => f.status === 'sidecar');
    expect(side.map((f) => [f.path, f.companionOf])).toEqual(
      [...ARBIN].sort().map((id) => [`cycling/${id}_LiCu_cycling_Metadata.csv`, `cycling/${id}_LiCu_cycling.csv`]),
    );
    for (const f of json.files.filter((x) => x.path.endsWith('_LiCu_cycling.csv')))
      expect(f.companions, f.path).toEqual([f.path.replace('.csv', '_Metadata.csv')]);
    expect(json.files.filter((f) => f.status === 'failed')).toEqual([]);
  });

  it('every Arbin data record holds its sidecar fields in meta (test id, channel, start time = the CSV clock, schedule, item id)', async () => {
    const { ctx } = await openCampaign(camp, { outDir: out });
    let rows: { path: string; meta: Record<string, unknown> }[];
    try {
      rows = (await ctx.store.query(`SELECT path, meta FROM records WHERE path LIKE 'cycling/%' ORDER BY path`)).map((r) => ({
        path: r.path as string,
        meta: JSON.parse(r.meta as string),
      }));
    } finally {
      ctx.store.close();
    }
    const arbin = rows.filter((r) => r.path.endsWith('.csv'));
    const mpt = rows.filter((r) => r.path.endsWith('.mpt'));
    expect(arbin.map((r) => r.path.slice(8, 11))).toEqual([...ARBIN].sort());
    expect(mpt).toHaveLength(12);
    for (const r of mpt) expect(r.meta, r.path).not.toHaveProperty('sidecar');
    const ids = CELLS; // cell i (0-based, design order) has test id 1000 + i, channel i mod 16
    for (const r of arbin) {
      const id = r.path.slice(8, 11);
      const i = ids.indexOf(id);
      const s = r.meta.sidecar as { file: string; rule: string; fields: Record<string, unknown> };
      expect(s.file, id).toBe(`cycling/${id}_LiCu_cycling_Metadata.csv`);
      expect(s.rule).toBe('arbin-metadata-csv');
      expect(s.fields, id).toMatchObject({
        testId: 1000 + i,
        channel: i % 16,
        schedule: `virtual-lab\\${id}_LiCu_plate-strip.sdu`,
        itemId: `VL-${id}`,
        resumedTimes: 0,
        databases: ['ArbinResult_1'],
      });
      // the sidecar's start time is the data CSV's own clock (1 h apart per cell, from mid-June 2026)
      expect(s.fields.startTime, id).toBe(new Date((1_781_500_000 + (i + 1) * 3600) * 1000).toISOString());
      expect(isoToUnix(r.meta.startTime as string) * 1000, id).toBe(Date.parse(s.fields.startTime as string));
    }
  });

  it('heterogeneity_index for all 24 cells from the paired single-ion images, at the planted CV', () => {
    for (const id of CELLS) {
      const p = param(id, 'heterogeneity_index');
      expect(p, id).toBeDefined();
      expect(p!.fitter, id).toBe('sims-pairing');
      expect(p!.sources, id).toHaveLength(2);
      expect(Math.abs(p!.value! - truth.cells[id]!.simsFieldCv!), id).toBeLessThan(0.015);
    }
  });

  it('sei_inorganic_fraction for 24 cells, near the planted f', () => {
    const off: number[] = [];
    for (const id of CELLS) {
      const p = param(id, 'sei_inorganic_fraction');
      expect(p?.fitter, id).toBe('xps-sei');
      expect(p?.fitOk, id).toBe(true);
      off.push(p!.value! - truth.cells[id]!.final.inorganicFraction);
      expect(Math.abs(off[off.length - 1]!), id).toBeLessThan(0.05);
    }
    // The depth average includes the surface level's adventitious C–C (organic to the fitter, absent from
    // the planted SEI): every cell reads ~0.025 low alike (demo.test.ts). One profile of this seed (M01)
    // reads 0.02 high, with a LiF peak fitted on its window edge and a huge stderr: see the report.
    off.sort((a, b) => a - b);
    const median = (off[11]! + off[12]!) / 2;
    expect(median).toBeGreaterThan(-0.035);
    expect(median).toBeLessThan(-0.015);
    expect(off.filter((x) => x > -0.01 || x < -0.04).length).toBeLessThanOrEqual(1);
  });

  it('R_SEI_after_rest and R_SEI_after_cycling for every cell, each from its own spectrum, at the planted values', () => {
    const hist = report.impedanceHistory!;
    expect(hist).toHaveLength(48);
    for (const id of CELLS) {
      const rest = param(id, 'R_SEI_after_rest');
      const cyc = param(id, 'R_SEI_after_cycling');
      expect(rest?.fitter, id).toBe('eis-history');
      expect(cyc?.fitter, id).toBe('eis-history');
      const hRest = hist.find((h) => h.cell === id && h.path === `eis/${id}_after_rest.DTA`)!;
      const hCyc = hist.find((h) => h.cell === id && h.path === `eis/${id}_after_cycling.DTA`)!;
      expect(rest!.sources, id).toEqual([hRest.recordId]);
      expect(cyc!.sources, id).toEqual([hCyc.recordId]);
      expect(hRest.cyclesBefore, id).toBe(0);
      expect(hCyc.cyclesBefore, id).toBe(30);
      expect(Math.abs(rest!.value! / truth.cells[id]!.rSeiAfterRest! - 1), id).toBeLessThan(0.05);
      expect(Math.abs(cyc!.value! / truth.cells[id]!.rSei - 1), id).toBeLessThan(0.05);
    }
    // rested cells: the spectrum is taken during the rest after the first plating (2 h), 10 min before it ends
    const restOf = (id: string): number =>
      (({ C: 0, D: 24, E: 72, P: 0, Q: 24, R: 72, U: 0, V: 24, W: 72, N: 0, M: 24, K: 72 }) as Record<string, number>)[id[0]!]!;
    for (const h of hist.filter((x) => x.path.endsWith('_after_rest.DTA'))) {
      if (restOf(h.cell) === 0)
        expect(h.restHours, h.cell).toBeNull(); // before the log starts
      else expect(h.restHours!, h.cell).toBeCloseTo(2 + restOf(h.cell) - 1 / 6, 1);
    }
    // a longer rest before cycling leaves a larger SEI arc, in every arm
    const mean = (ids: string[]): number => ids.reduce((a, id) => a + param(id, 'R_SEI_after_rest')!.value!, 0) / ids.length;
    for (const [a, b, c] of [
      ['C', 'D', 'E'],
      ['P', 'Q', 'R'],
      ['U', 'V', 'W'],
      ['N', 'M', 'K'],
    ] as const) {
      const m = (p: string): number => mean([`${p}01`, `${p}02`]);
      expect(m(b), a).toBeGreaterThan(m(a));
      expect(m(c), a).toBeGreaterThan(m(b));
    }
  });

  it('Pr and polarisation_retention for the 18 layer cells from their P–E loop pairs; the unpoled layer shows a 10 % residual Pr', () => {
    const prs = report.parameters.filter((p) => p.name === 'Pr');
    expect(prs.map((p) => p.cell).sort()).toEqual([...LAYER].sort());
    expect(
      report.parameters
        .filter((p) => p.name === 'polarisation_retention')
        .map((p) => p.cell)
        .sort(),
    ).toEqual([...LAYER].sort());
    for (const id of LAYER) {
      const pr = param(id, 'Pr')!;
      const ret = param(id, 'polarisation_retention')!;
      expect(pr.fitter, id).toBe('pe-pairing');
      expect(ret.fitter, id).toBe('pe-pairing');
      const t = truth.cells[id]!;
      expect(Math.abs(pr.value! / t.prLoops!.pristine - 1), id).toBeLessThan(0.03);
      if (/^[UVW]/.test(id)) {
        expect(pr.value!, id).toBeGreaterThan(1.8);
        expect(pr.value!, id).toBeLessThan(2.2);
        expect(Math.abs(ret.value! - 1), id).toBeLessThan(0.05);
      } else {
        expect(pr.value!, id).toBeGreaterThan(19);
        expect(pr.value!, id).toBeLessThan(21);
        expect(Math.abs(ret.value! / t.final.polarisationRetention! - 1), id).toBeLessThan(0.06);
      }
    }
  });

  it('the hypotheses this design can test are testable; H12 is tested in part (no anion-in-electrolyte arm)', () => {
    const h = Object.fromEntries(json.hypotheses.map((x) => [x.id, x]));
    for (const id of ['H1', 'H3', 'H6', 'H7', 'H8', 'H11', 'H13', 'H14']) {
      expect(h[id], id).toBeDefined();
      expect(h[id]!.verdict, id).not.toBe('not testable');
    }
    expect(h.H12!.verdict).not.toBe('not testable');
    expect((h.H12 as unknown as { reason: string }).reason).toContain('tested in part');
  });
});
