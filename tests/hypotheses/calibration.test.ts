/**
 * The engine on campaigns it was not built for, generated at the measurement level by an independent
 * lab (fixtures/measurement-lab: per-cycle CE series, f, H, Pr with fatigue, rest loss, Bruce–Vincent t₊
 * on sister cells, Raman sheath fractions, XPS Ti³⁺ that grows with cycling and rest; equations the
 * engine does not fit). Fixed seeds; `npm run calibrate` runs 200 campaigns per family.
 */
import { describe, expect, it } from 'vitest';
import { evaluateHypotheses, ferroelectricStatement, FERROELECTRIC_IDS, type HypothesisResult } from '../../src/hypotheses/engine.js';
import { createRng } from '../../src/stats/rng.js';
import { labDesign24, manifestCells, randomDesign, type DesignCell, type Family } from '../../fixtures/measurement-lab/design.js';
import { generateLab, TRUTH, type Planted } from '../../fixtures/measurement-lab/generate.js';
import { calibrateFamily, FAMILIES, mcSe } from '../../fixtures/measurement-lab/calibrate.js';

function lab24(family: Family, seed: number): HypothesisResult[] {
  return run(labDesign24(), family, seed);
}
function run(d: DesignCell[], family: Family, seed: number, planted?: Partial<Planted>): HypothesisResult[] {
  const rng = createRng(seed);
  const { params } = generateLab(rng, d, family, { coverage: 1, ...(planted ? { planted } : {}) });
  return evaluateHypotheses(manifestCells(d), params, { tukeyCi: false, nPerm: 999, bootstrapB: 199 });
}
const verdict = (r: HypothesisResult[], id: string) => r.find((x) => x.id === id)!;
/** Seeds 1–20 of one campaign kind, evaluated once. */
const cache = new Map<string, HypothesisResult[][]>();
function seeds(key: string, f: (s: number) => HypothesisResult[]): HypothesisResult[][] {
  if (!cache.has(key))
    cache.set(
      key,
      Array.from({ length: 20 }, (_, i) => f(i + 1)),
    );
  return cache.get(key)!;
}
/** The seeds (1–20) in which `id` is supported. */
const supportedIn = (runs: HypothesisResult[][], id: string): number[] => runs.flatMap((r, i) => (verdict(r, id).verdict === 'supported' ? [i + 1] : []));
const corr = (x: readonly number[], y: readonly number[]): number => {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
};

describe("issue #23's campaign: 4 arms × rest 0/24/72 h before cycling × 2 cells, half Arbin half BioLogic", () => {
  // Seed 2 is the first of seeds 1–20 in which all nine are supported (11 of the 20 are; 10 before H15–H17 joined
  // the BH adjustment); per-hypothesis power in this layout over 200 campaigns is in the README (H11 76 %, H12 72 %,
  // H13 64 %, the others ≥ 94 %).
  const eff = lab24('effects', 2);
  it('every planted effect the design can test is supported: H1, H3, H6, H7, H8, H11, H13, H14, and H12 in part', () => {
    for (const id of ['H1', 'H3', 'H6', 'H7', 'H8', 'H11', 'H13', 'H14', 'H12'])
      expect(verdict(eff, id).verdict, `${id}: ${verdict(eff, id).reason}`).toBe('supported');
    expect(verdict(eff, 'H12').reason).toMatch(
      /tested in part: FD\+anion vs FD; "beyond the anion alone" needs the missing arm \(add ≥ 3 control cells with the same anion dosed in the electrolyte/,
    );
  });
  it('uses every cell: the models have all 24 cells with rest as a dose and the cycler as a block', () => {
    for (const id of ['H1', 'H11', 'H14']) {
      const m = verdict(eff, id).endpoints.find((e) => e.name === 'whole-campaign model')!;
      expect(m.n.cells, id).toBe(24);
      expect(String(m.details!.formula), id).toMatch(/rest:control/);
      expect(String(m.details!.formula), id).toMatch(/cycler:biologic/);
    }
    expect(verdict(eff, 'H1').test).toMatch(/rest from manifest \(manifest rest_hours\), dose √\(rest h\)/);
  });
  it('H2 is not testable with two rest durations, and says what to add', () => {
    expect(verdict(eff, 'H2').verdict).toBe('not testable');
    expect(verdict(eff, 'H2').toAdd.join(' ')).toMatch(/≥ 4 rest durations/);
  });
  it('the report sentence names the ferroelectric evidence', () => {
    expect(ferroelectricStatement(eff)).toMatch(/^A ferroelectric claim is made, on H8 \(poled beats the same layer without net polarisation\)/);
  });
  it('its null version gets no "supported" (fixed seed), and at most 1 over 20 seeds', () => {
    expect(lab24('null', 2).filter((r) => r.verdict === 'supported')).toEqual([]);
    let n = 0;
    for (let s = 1; s <= 20; s++) n += lab24('null', s).filter((r) => r.verdict === 'supported').length;
    expect(n).toBeLessThanOrEqual(1);
  });
  it('its dielectric version (every layer helps equally, poled or not) gets no ferroelectric claim, but the layer effects are found', () => {
    const d = lab24('dielectric', 2);
    for (const id of FERROELECTRIC_IDS) expect(verdict(d, id).verdict, id).not.toBe('supported');
    for (const id of ['H6', 'H7', 'H14']) expect(verdict(d, id).verdict, id).toBe('supported');
    expect(ferroelectricStatement(d)).toMatch(
      /^No ferroelectric claim is made: H8 \(poled vs an equal layer without net polarisation\) is (inconclusive|refuted); H6, H7, H11, H14 are effects of the layer, which a non-polar layer could explain\.$/,
    );
    let fe = 0;
    for (let s = 1; s <= 20; s++)
      fe += lab24('dielectric', s).filter((r) => (FERROELECTRIC_IDS as readonly string[]).includes(r.id) && r.verdict === 'supported').length;
    expect(fe).toBeLessThanOrEqual(2); // 200-campaign rate 2.5 % (README)
  });
});

describe('randomised designs, every family (30 campaigns each, fixed seeds)', () => {
  const rows = FAMILIES.flatMap((f, i) => calibrateFamily(f, { campaigns: 30, seed: 777 + i }));
  it('false "supported" ≤ 5 % + 2 Monte-Carlo SE wherever the family makes the claim false', () => {
    for (const r of rows.filter((x) => !x.claimTrue)) {
      const rate = r.supported / r.campaigns;
      expect(rate, `${r.family} ${r.id}`).toBeLessThanOrEqual(0.05 + 2 * Math.max(mcSe(2, r.campaigns), mcSe(r.supported, r.campaigns)));
    }
  });
  it('the truth table is what the families plant', () => {
    expect([...TRUTH.dielectric].some((id) => (FERROELECTRIC_IDS as readonly string[]).includes(id))).toBe(false);
    expect([...TRUTH.effects]).toEqual(expect.arrayContaining(['H8', 'H9', 'H10', 'H15', 'H16']));
    // fillers raise t₊ whatever their polarisation; only the reduction family makes Ti³⁺ cost the benefit
    expect(FAMILIES.filter((f) => TRUTH[f].has('H15'))).toEqual(['effects', 'dielectric', 'reduction']);
    expect(FAMILIES.filter((f) => TRUTH[f].has('H16'))).toEqual(['effects', 'reduction']);
    expect(FAMILIES.filter((f) => TRUTH[f].has('H17'))).toEqual(['reduction']);
    expect([...TRUTH.reduction].sort()).toEqual([...TRUTH.effects, 'H17'].sort());
  });
  it('power in the effects family is at least 0.85 × the best single test of the same contrast (− 3 SE), where both ran', () => {
    for (const r of rows.filter((x) => x.family === 'effects' && x.claimTrue && x.single && x.paired.campaigns >= 10)) {
      const n = r.paired.campaigns;
      const e = r.paired.engine / n;
      const s = r.paired.single / n;
      expect(e, `${r.id}: engine ${e}, single ${s} over ${n}`).toBeGreaterThanOrEqual(0.85 * s - 3 * Math.max(mcSe(r.paired.single, n), 0.05));
    }
  });
  it('a planted effect is found more often than under the null, for every hypothesis the designs could test', () => {
    const eff = rows.filter((r) => r.family === 'effects');
    const nul = rows.filter((r) => r.family === 'null');
    for (const r of eff.filter((x) => x.claimTrue && x.testable > 5 && x.id !== 'H2'))
      expect(r.supported, r.id).toBeGreaterThan(nul.find((x) => x.id === r.id)!.supported);
  });
});

describe('H15–H17 on the measurement lab (t₊ on sister cells, Raman sheath fractions, XPS Ti³⁺)', () => {
  const l24 = (family: Family) => seeds(`lab24 ${family}`, (s) => lab24(family, s));
  it('the lab plants the confound H17 must resist in every family: Ti³⁺ rises with the cycles run, and LCE tracks them too', () => {
    // 10 randomised campaigns per family (seed 11), titanate layer cells with XPS; no family here makes Ti³⁺ cost LCE
    const r: Record<string, { tiN: number; lceN: number; lceTi: number; n: number }> = {};
    for (const family of ['null', 'corrosion', 'dielectric', 'nonfe'] as const) {
      const rng = createRng(11);
      const ti: number[] = [];
      const n: number[] = [];
      const l: number[] = [];
      for (let k = 0; k < 10; k++) {
        const d = randomDesign(rng, family);
        const { params } = generateLab(rng, d, family);
        const v = (cell: string, name: string) => params.find((p) => p.cell === cell && p.name === name)?.value ?? null;
        for (const c of d.filter((x) => x.material)) {
          const t = v(c.id, 'ti3_fraction');
          if (t === null) continue;
          ti.push(t);
          n.push(v(c.id, 'cycles_completed')!);
          l.push(v(c.id, 'lce_mean')!);
        }
      }
      r[family] = { tiN: corr(ti, n), lceN: corr(l, n), lceTi: corr(l, ti), n: ti.length };
    }
    for (const [family, x] of Object.entries(r)) {
      expect(x.n, family).toBeGreaterThan(100);
      expect(x.tiN, family).toBeGreaterThan(0.2); // 0.26 null … 0.66 corrosion
      expect(Math.abs(x.lceN), family).toBeGreaterThan(0.1); // survivors ran longer; drift and rest act on both
    }
    // read naively, the dielectric family "shows" the claimed erosion (r = −0.25) and corrosion its opposite (+0.47)
    expect(r.dielectric!.lceTi).toBeLessThan(-0.15);
    expect(r.corrosion!.lceTi).toBeGreaterThan(0.3);
  });
  it('24-cell layout, null family: no "supported" on H15, H16 or H17 in 20 seeds', () => {
    for (const id of ['H15', 'H16', 'H17']) expect(supportedIn(l24('null'), id), id).toEqual([]);
  });
  it('24-cell layout, effects family: H15 and H16 found in a stated share of seeds (both on seed 14); H17 (false there) at most once', () => {
    // t₊ and the sheath fraction on half the cells (≈ 3 per arm): 200-campaign power 45 % (H15) and 72 % (H16), docs/hypotheses.md
    const e = l24('effects');
    expect(supportedIn(e, 'H15').length).toBeGreaterThanOrEqual(5);
    expect(supportedIn(e, 'H16').length).toBeGreaterThanOrEqual(8);
    expect(verdict(e[13]!, 'H15').verdict).toBe('supported');
    expect(verdict(e[13]!, 'H16').verdict).toBe('supported');
    expect(verdict(e[13]!, 'H15').effect!.value).toBeGreaterThan(0.03);
    expect(supportedIn(e, 'H17').length).toBeLessThanOrEqual(1);
  });
  it('24-cell layout, dielectric family: any layer raises t₊ (H15 found), the sheath and Ti³⁺ claims are not, and no ferroelectric claim', () => {
    const d = l24('dielectric');
    expect(supportedIn(d, 'H15').length).toBeGreaterThanOrEqual(3);
    expect(supportedIn(d, 'H16')).toEqual([]);
    expect(supportedIn(d, 'H17')).toEqual([]);
    for (const id of FERROELECTRIC_IDS) expect(supportedIn(d, id).length, id).toBeLessThanOrEqual(1);
  });
  describe('H17 where reduction does take back the benefit (reduction family), on 30 BaTiO3 cells (12 poled, 12 unpoled, 6 control, 100/150/200 cycles planned)', () => {
    const design = (): DesignCell[] => {
      const out: DesignCell[] = [];
      for (const [arm, material, k] of [
        ['control', null, 6],
        ['poled', 'BaTiO3', 12],
        ['unpoled', 'BaTiO3', 12],
      ] as const)
        for (let r = 0; r < k; r++)
          out.push({
            id: `T${String(out.length + 1).padStart(2, '0')}`,
            arm,
            material,
            restHours: 0,
            restPosition: 'before-cycling',
            cycler: 'arbin',
            batch: 'b1',
            plannedCycles: [100, 150, 200][r % 3]!,
          });
      return out;
    };
    // a strong erosion (benefit gone at Ti³⁺ ≈ 0.48) and layers that differ more in how fast they reduce (sd of ln τ 1.0)
    const strong: Partial<Planted> = { ti3Erode: 3, sdTi3LnTau: 1 };
    const slopes = (runs: HypothesisResult[][]) => runs.map((r) => verdict(r, 'H17').effect!.value);
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    it('a strong planted erosion is found (7 of 20 seeds) and the slope is negative on average; the same Ti³⁺ spread without erosion is never called supported', () => {
      const red = seeds('T30 reduction strong', (s) => run(design(), 'reduction', s, strong));
      expect(supportedIn(red, 'H17').length).toBeGreaterThanOrEqual(5);
      expect(mean(slopes(red))).toBeLessThan(-0.15);
      for (const family of ['null', 'corrosion', 'dielectric'] as const) {
        const r = seeds(`T30 ${family} spread`, (s) => run(design(), family, s, { sdTi3LnTau: 1 }));
        expect(supportedIn(r, 'H17'), family).toEqual([]);
        expect(Math.abs(mean(slopes(r))), family).toBeLessThan(0.1);
      }
    });
    it('at the planted size (PLANTED: lost share = Ti³⁺^1.5) the slope is negative on average but rarely significant: H17 has little power', () => {
      const red = seeds('T30 reduction', (s) => run(design(), 'reduction', s));
      expect(mean(slopes(red))).toBeLessThan(-0.03);
      expect(supportedIn(red, 'H17').length).toBeLessThanOrEqual(3);
    });
  });
});

describe('H17 and the rest × run-length confound (corrosion only, no reduction effect)', () => {
  // 35 cells: control 1, poled 3, unpoled 3 BaTiO3 cells at each of five rests (0/6/24/72/168 h) taken between
  // cycles (after cycle 10), 100/150/200 cycles planned. A rest between cycles is paid for by the cycles
  // after it, so LCE's relation to run length differs between rest levels, and Ti³⁺ grows with both.
  const design = (): DesignCell[] => {
    const out: DesignCell[] = [];
    for (const [arm, material, k] of [
      ['control', null, 1],
      ['poled', 'BaTiO3', 3],
      ['unpoled', 'BaTiO3', 3],
    ] as const)
      for (const h of [0, 6, 24, 72, 168])
        for (let r = 0; r < k; r++)
          out.push({
            id: `M${out.length + 1}`,
            arm,
            material,
            restHours: h,
            restPosition: 'mid-cycling',
            cycler: 'arbin',
            batch: 'b1',
            plannedCycles: [100, 150, 200][r % 3]!,
          });
    return out;
  };
  it('at raw p, H17 is called supported in at most 4 of 40 campaigns (13 of 40 with rest as levels but one n slope; 21 with a √t rest slope)', () => {
    let sup = 0;
    let testable = 0;
    for (let s = 1; s <= 40; s++) {
      const d = design();
      const { params } = generateLab(createRng(s), d, 'corrosion', { coverage: 1 });
      const h = verdict(evaluateHypotheses(manifestCells(d), params, { tukeyCi: false, nPerm: 99, bootstrapB: 49, decideWith: 'raw' }), 'H17');
      if (h.verdict !== 'not testable') testable++;
      if (h.verdict === 'supported') sup++;
      if (s === 1) expect(h.test).toMatch(/rest as levels .*; model .*cycles run × rest 168 h mid-cycling/);
    }
    expect(testable).toBe(40);
    expect(sup).toBeLessThanOrEqual(4);
  });
});
