import { describe, expect, it } from 'vitest';
import type { CellSpec } from '../../src/campaign/manifest.js';
import type { CellParameter, HypothesisReport } from '../../src/report/types.js';
import { HYPOTHESES } from '../../src/hypotheses/catalog.js';
import { evaluateHypotheses, type HypothesisResult } from '../../src/hypotheses/engine.js';
import { CampaignData } from '../../src/hypotheses/data.js';
import { createRng, simulateCampaign } from '../../src/hypotheses/simulate.js';

const cell = (id: string, poling: CellSpec['poling'], extra: Partial<CellSpec> = {}): CellSpec => ({
  id,
  group: extra.group ?? poling,
  poling,
  files: [],
  ...extra,
});
const p = (c: string, name: string, value: number, censored: boolean | null = null): CellParameter => ({
  cell: c,
  group: '',
  name,
  value,
  unit: '1',
  stderr: null,
  ci95: null,
  censored,
  n: 1,
  fitter: 't',
  fitOk: true,
  sources: [],
});
const byId = (r: HypothesisResult[], id: string) => r.find((x) => x.id === id)!;

describe('evaluateHypotheses: shape', () => {
  const { cells, params } = simulateCampaign(createRng(11), { effect: 1.2 });
  const res = evaluateHypotheses(cells, params, { tukeyCi: false });
  it('one result per catalogue hypothesis, ids kept, in order', () => {
    expect(res.map((r) => r.id)).toEqual(HYPOTHESES.map((h) => h.id));
    for (const r of res) expect(['supported', 'refuted', 'inconclusive', 'not testable', 'not available']).toContain(r.verdict);
  });
  it('is JSON-serialisable without loss and assignable to HypothesisReport', () => {
    expect(JSON.parse(JSON.stringify(res))).toEqual(res);
    const reports: HypothesisReport[] = res; // compile-time check
    expect(reports.length).toBe(HYPOTHESES.length);
  });
  it('every tested hypothesis carries n, effect with CI or model evidence, p with Holm and BH, power / MDE and the deciding rule', () => {
    for (const r of res.filter((x) => x.verdict !== 'not testable')) {
      expect(r.rule.length).toBeGreaterThan(20);
      expect(r.reason.length).toBeGreaterThan(10);
      expect(Object.keys(r.n).length).toBeGreaterThan(0);
      expect(r.effect).not.toBeNull();
      if (r.p !== null) {
        expect(r.pHolm).not.toBeNull();
        expect(r.pBH).not.toBeNull();
        expect(r.pHolm!).toBeGreaterThanOrEqual(r.pBH! - 1e-12);
        expect(r.pBH!).toBeGreaterThanOrEqual(r.p - 1e-12);
        expect(r.power).not.toBeNull();
      }
    }
    expect(byId(res, 'H14').effect!.ci95).not.toBeNull();
    // MDE on the contrast's own scale: the composite's SD is ≈ 1, so a 4-cell-per-arm design detects ≈ 2 SD
    expect(byId(res, 'H14').power!.mde).toBeGreaterThan(0.3);
    expect(byId(res, 'H14').power!.mde).toBeLessThan(3);
  });
  it('cycle life is analysed with censoring (KM + log-rank and Cox endpoints in H14)', () => {
    const names = byId(res, 'H14').endpoints.map((e) => e.name);
    expect(names.some((n) => n.includes('Kaplan–Meier'))).toBe(true);
    expect(names.some((n) => n.includes('Cox'))).toBe(true);
  });
  it('H5 is honestly not testable without the replay model, and testable with it', () => {
    const h5 = byId(res, 'H5');
    expect(h5.verdict).toBe('not testable');
    expect(h5.reason).toMatch(/replay model/);
    const withModel = byId(evaluateHypotheses(cells, params, { tukeyCi: false, replay: { deltaAicCoupling: 6 } }), 'H5');
    expect(withModel.verdict).not.toBe('not testable');
    expect(withModel.effect!.name).toMatch(/indirect/);
  });
  it('does not mutate its inputs', () => {
    const c2 = structuredClone(cells);
    const p2 = structuredClone(params);
    evaluateHypotheses(c2, p2, { tukeyCi: false });
    expect(c2).toEqual(cells);
    expect(p2).toEqual(params);
  });
});

describe('not testable: names what to add', () => {
  it('a bare FD-vs-control campaign without rest, XPS, SIMS, unpoled or anion arms', () => {
    const cells = [
      ...Array.from({ length: 4 }, (_, i) => cell(`C${i}`, 'none', { restHours: 0 })),
      ...Array.from({ length: 4 }, (_, i) => cell(`F${i}`, 'poled', { restHours: 0 })),
    ];
    const params = cells.map((c, i) => p(c.id, 'lce_mean', 1.7 + 0.05 * (i % 4)));
    const r = evaluateHypotheses(cells, params);
    expect(byId(r, 'H1').verdict).toBe('not testable');
    expect(byId(r, 'H1').reason).toMatch(/rest_hours/);
    expect(byId(r, 'H2').reason).toMatch(/rest_loss_fraction/);
    expect(byId(r, 'H3').reason).toMatch(/ToF-SIMS/);
    expect(byId(r, 'H6').reason).toMatch(/XPS/);
    expect(byId(r, 'H8').reason).toMatch(/unpoled/);
    expect(byId(r, 'H12').toAdd.join(' ')).toMatch(/FD\+anion|pre-adsorbed/);
    expect(byId(r, 'H12').toAdd.join(' ')).toMatch(/preadsorbed_anion/);
    expect(byId(r, 'H14').verdict).not.toBe('not testable');
  });
  it('2 vs 3 cells is testable (residual df 3), 1 control cell is not, and the message names the cells to add', () => {
    const cells = [cell('C1', 'none'), cell('C2', 'none'), cell('F1', 'poled'), cell('F2', 'poled'), cell('F3', 'poled')];
    const r = evaluateHypotheses(
      cells,
      cells.map((c, i) => p(c.id, 'lce_mean', 1.7 + 0.01 * i)),
    );
    expect(byId(r, 'H14').verdict).toBe('inconclusive');
    expect(byId(r, 'H14').n).toEqual({ control: 2, FD: 3 });
    const one = cells.filter((c) => c.id !== 'C2');
    const r1 = evaluateHypotheses(
      one,
      one.map((c) => p(c.id, 'lce_mean', 1.7)),
    );
    expect(byId(r1, 'H14').verdict).toBe('not testable');
    expect(byId(r1, 'H14').toAdd.join(' ')).toMatch(/bare control cells \(poling: none\)/);
  });
  it('no parameters at all: every hypothesis is not testable, nothing throws', () => {
    const r = evaluateHypotheses([cell('C1', 'none')], []);
    expect(r.every((x) => x.verdict === 'not testable')).toBe(true);
  });
});

describe('verdict logic', () => {
  const arms = (n: number, fdShift: number, sd: number, seed: number) => {
    const rng = createRng(seed);
    const cells: CellSpec[] = [];
    const params: CellParameter[] = [];
    for (let i = 0; i < n; i++) {
      for (const [id, pol, shift] of [
        [`C${i}`, 'none', 0],
        [`F${i}`, 'poled', fdShift],
      ] as const) {
        cells.push(cell(id, pol, { restHours: 0 }));
        const l = 1.7 + shift + sd * rng.normal();
        params.push(p(id, 'lce_mean', l));
        const life = Math.round(150 * Math.exp(shift * 2 + 0.1 * rng.normal()));
        params.push(p(id, 'cycle_life_80', Math.min(life, 300), life > 300));
      }
    }
    return { cells, params };
  };
  it('a large FD benefit is supported (H14)', () => {
    const { cells, params } = arms(6, 0.3, 0.1, 1);
    expect(byId(evaluateHypotheses(cells, params), 'H14').verdict).toBe('supported');
  });
  it('a large FD harm is refuted (significant in the opposite direction)', () => {
    const { cells, params } = arms(6, -0.3, 0.1, 2);
    const h = byId(evaluateHypotheses(cells, params), 'H14');
    expect(h.verdict).toBe('refuted');
    expect(h.reason).toMatch(/opposite/);
  });
  it('no effect with many cells is refuted by TOST equivalence, not by non-significance', () => {
    const { cells, params } = arms(60, 0, 0.1, 3);
    const h = byId(evaluateHypotheses(cells, params, { nPerm: 999 }), 'H14');
    expect(h.verdict).toBe('refuted');
    expect(h.reason).toMatch(/equivalence shown/);
    expect(h.equivalence!.equivalent).toBe(true);
  });
  it('no effect with few cells is inconclusive', () => {
    const { cells, params } = arms(4, 0, 0.1, 4);
    expect(byId(evaluateHypotheses(cells, params), 'H14').verdict).toBe('inconclusive');
  });
  it('Holm is never more permissive than BH or raw', () => {
    const { cells, params } = simulateCampaign(createRng(5), { effect: 1.2 });
    const count = (d: 'raw' | 'holm' | 'bh') =>
      evaluateHypotheses(cells, params, { decideWith: d, tukeyCi: false }).filter((r) => r.verdict === 'supported').length;
    const [raw, bh, ho] = [count('raw'), count('bh'), count('holm')];
    expect(ho).toBeLessThanOrEqual(bh);
    expect(bh).toBeLessThanOrEqual(raw);
  });
  it('rejects bad options with a message', () => {
    expect(() => evaluateHypotheses([], [], { alpha: 0.7 })).toThrow(/alpha must be in/);
    expect(() => evaluateHypotheses([], [], { decideWith: 'bonferroni' as 'raw' })).toThrow(/decideWith/);
  });
});

describe('arm mapping', () => {
  it('poled → FD, poled + anion → FD+anion, none + anion electrolyte → anion-in-electrolyte, none → control', () => {
    const cells = [
      cell('A', 'poled'),
      cell('B', 'poled', { preadsorbedAnion: 'NO3-' }),
      cell('C', 'none', { electrolyte: '1M LiPF6 + 2% LiNO3' }),
      cell('D', 'none', { electrolyte: '1M LiPF6 EC/DEC' }),
      cell('E', 'unpoled'),
      cell('F', 'paraelectric'),
    ];
    const d = new CampaignData(cells, []);
    expect(cells.map((c) => d.armOf(c))).toEqual(['FD', 'FD+anion', 'anion-in-electrolyte', 'control', 'unpoled', 'paraelectric']);
  });
  it('LCE falls back to −log10(1 − ce_mean); censored life keeps its flag; failed fits are ignored', () => {
    const d = new CampaignData(
      [cell('A', 'none')],
      [p('A', 'ce_mean', 0.99), p('A', 'cycle_life_80', 200, true), { ...p('A', 'heterogeneity_index', 5), fitOk: false }],
    );
    expect(d.lce('A')).toBeCloseTo(2, 12);
    expect(d.life('A')).toEqual({ time: 200, event: 0 });
    expect(d.value('A', 'heterogeneity_index')).toBeNull();
  });
});

describe('replay-model bridge for H5', () => {
  it('ΔAIC coupling = AIC(M0) − AIC(M1) from a campaign fit; missing variants → null', async () => {
    const { replayEvidenceFromCampaignFit } = await import('../../src/hypotheses/replay.js');
    expect(
      replayEvidenceFromCampaignFit({
        variants: [
          { variant: 'M0', aic: 120 },
          { variant: 'M1', aic: 110.5 },
          { variant: 'M2', aic: 100 },
        ],
      }),
    ).toEqual({ deltaAicCoupling: 9.5 });
    expect(replayEvidenceFromCampaignFit({ variants: [{ variant: 'M2', aic: 1 }] })).toBeNull();
  });
});

describe('XPS comparisons at a matched sputter protocol (DOMAIN §3.2)', () => {
  // 6 FD and 6 control cells; FD f̄ 0.6, control 0.4. Two FD and two control cells were profiled with a
  // longer sputter protocol (more sputter-made LiF: f̄ inflated to 0.9).
  const cells: CellSpec[] = [];
  const params: CellParameter[] = [];
  for (let i = 0; i < 6; i++) {
    for (const [arm, poling, f] of [
      ['F', 'poled', 0.6],
      ['C', 'none', 0.4],
    ] as const) {
      const id = `${arm}${i}`;
      cells.push(cell(id, poling, { group: arm }));
      const long = i >= 4;
      params.push(p(id, 'sei_inorganic_fraction', long ? 0.9 : f + 0.01 * (i % 3)));
      params.push(p(id, 'xps_profile_sputter_s', long ? 1200 : 600));
      params.push(p(id, 'xps_profile_levels', long ? 20 : 10));
    }
  }
  const res = evaluateHypotheses(cells, params, { tukeyCi: false });
  it('H6 uses every cell with the sputter protocol as a factor: the arm effect comes from within-protocol differences', () => {
    const h6 = byId(res, 'H6');
    expect(h6.n).toEqual({ control: 6, FD: 6 });
    expect(h6.test, h6.test).toMatch(/sputter protocol:600 s\/10 levels|sputter protocol:1\.2e\+3 s|sputter protocol/);
    // within the 600 s protocol Δf = 0.2 (4 vs 4 cells), within the 1200 s protocol 0 (2 vs 2): the
    // additive model weights them n1·n2/(n1+n2) = 2 : 1 → (2·0.2 + 1·0)/3
    expect(h6.effect!.value).toBeCloseTo(0.4 / 3, 10);
  });
  it('without sputter times the mismatch cannot be checked, and the report says so', () => {
    const noTimes = params.filter((x) => x.name !== 'xps_profile_sputter_s');
    const h6 = byId(evaluateHypotheses(cells, noTimes, { tukeyCi: false }), 'H6');
    expect(h6.n).toEqual({ control: 6, FD: 6 });
    expect(h6.test).toMatch(/state no sputter times: a matched sputter dose could not be checked/);
  });
});
