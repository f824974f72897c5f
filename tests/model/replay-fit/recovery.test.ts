/**
 * Parameter recovery on virtual campaigns (fixtures/virtual-lab): the staged fit must find the planted
 * per-cell values — median over cells within 5 % of truth and every cell within 15 % for each
 * parameter its profile calls identifiable — and model comparison must pick the generating variant.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fdStudyDesign, type CampaignDesign } from '../../../fixtures/virtual-lab/design.js';
import { simulateCampaign, type VirtualCell } from '../../../fixtures/virtual-lab/simulate.js';
import { fitCampaign, type CampaignFitResult, type CellFitResult } from '../../../src/model/replay-fit/index.js';
import type { ParameterName } from '../../../src/model/params/index.js';

function ratios(
  fits: readonly CellFitResult[],
  cells: readonly VirtualCell[],
  skip: readonly ParameterName[] = [],
): Map<ParameterName, { cell: string; ratio: number }[]> {
  const out = new Map<ParameterName, { cell: string; ratio: number }[]>();
  for (const f of fits) {
    const c = cells.find((x) => x.id === f.cellId)!;
    for (const v of f.values) {
      if (v.identifiability !== 'identifiable' || skip.includes(v.name)) continue;
      const list = out.get(v.name) ?? [];
      list.push({ cell: f.cellId, ratio: v.value / c.truth[v.name] });
      out.set(v.name, list);
    }
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function expectRecovered(map: Map<ParameterName, { cell: string; ratio: number }[]>, report: string[]): void {
  for (const [name, list] of map) {
    const med = median(list.map((l) => l.ratio));
    const worst = list.reduce((a, b) => (Math.abs(b.ratio - 1) > Math.abs(a.ratio - 1) ? b : a));
    report.push(`${name}: n=${list.length} median ${(100 * (med - 1)).toFixed(1)} %, worst ${worst.cell} ${(100 * (worst.ratio - 1)).toFixed(1)} %`);
    expect(Math.abs(med - 1), `${name} median`).toBeLessThan(0.05);
    for (const l of list) expect(Math.abs(l.ratio - 1), `${name} ${l.cell}`).toBeLessThan(0.15);
  }
}

describe('FD study (M2 truth, 3 arms × 5 cells, 60 cycles, 24 h rests after cycles 5 and 30)', () => {
  let design: CampaignDesign;
  let cells: VirtualCell[];
  let res: CampaignFitResult;
  beforeAll(() => {
    design = fdStudyDesign({ cellsPerGroup: 5 });
    cells = simulateCampaign(design);
    res = fitCampaign(
      cells.map((c) => c.observations),
      { base: design.parameterSet.values },
    );
  });

  it('recovers every identifiable per-cell parameter (median ±5 %, each cell ±15 %)', () => {
    const m2 = res.variants.find((v) => v.variant === 'M2')!;
    const report: string[] = [];
    // Δf_FD per cell is confounded with that cell's own f₀ (only f at the end is measured): checked below with f₀ noise off
    // s₀ (SEI repair, free where a rest-loss protocol separates dead Li from SEI Li) is read off the small
    // rest losses: its profile CI must cover the truth and its median sit within 10 % (checked here, not at ±15 % per cell)
    expectRecovered(ratios(m2.fits, cells, ['FD inorganic fraction gain [1]', 'SEI repair base fraction [1]']), report);
    const s0 = ratios(m2.fits, cells).get('SEI repair base fraction [1]')!;
    report.push(
      `SEI repair base fraction [1]: n=${s0.length} median ${(100 * (median(s0.map((l) => l.ratio)) - 1)).toFixed(1)} %, ratios ${s0.map((l) => l.ratio.toFixed(3)).join(' ')}`,
    );
    console.log(`recovery (M2 staged fit):\n  ${report.join('\n  ')}`);
    expect(s0.length).toBeGreaterThanOrEqual(10);
    expect(Math.abs(median(s0.map((l) => l.ratio)) - 1)).toBeLessThan(0.1);
    let covered = 0;
    for (const f of m2.fits) {
      const v = f.values.find((x) => x.name === 'SEI repair base fraction [1]' && x.identifiability === 'identifiable');
      if (
        v &&
        v.ci95![0] <= cells.find((c) => c.id === f.cellId)!.truth['SEI repair base fraction [1]'] &&
        v.ci95![1] >= cells.find((c) => c.id === f.cellId)!.truth['SEI repair base fraction [1]']
      )
        covered++;
    }
    console.log(`s₀ profile CI covers the truth in ${covered} of ${s0.length} cells`);
    expect(covered / s0.length).toBeGreaterThanOrEqual(0.7);
    for (const f of m2.fits) {
      expect(f.converged).toBe(true);
      expect(f.r2.ce!).toBeGreaterThan(0.95);
    }
  });

  it('gives each FD cell a Δf_FD whose truth is covered once the f₀ spread of the controls is added', () => {
    const m2 = res.variants.find((v) => v.variant === 'M2')!;
    const f0 = m2.fits.filter((f) => f.group === 'control').map((f) => f.values.find((v) => v.name === 'Initial inorganic fraction [1]')!.value);
    const sdF0 = Math.sqrt(f0.reduce((s, x) => s + (x - f0.reduce((a, b) => a + b, 0) / f0.length) ** 2, 0) / (f0.length - 1));
    for (const f of m2.fits.filter((x) => x.group === 'BTO-poled')) {
      const c = cells.find((x) => x.id === f.cellId)!;
      const v = f.values.find((x) => x.name === 'FD inorganic fraction gain [1]')!;
      const pN = c.replay.traces.polarisation[c.replay.cycles - 1]!;
      expect(Math.abs(v.value - c.truth['FD inorganic fraction gain [1]'])).toBeLessThan((3 * sdF0) / pN + 0.01);
    }
  });

  it('prefers the generating variant M2 by AIC and BIC; M0 (no coupling) is far worse; LOCO error is reported', () => {
    const by = Object.fromEntries(res.variants.map((v) => [v.variant, v]));
    console.log(
      `AIC M0 ${by.M0!.aic.toFixed(0)}  M1 ${by.M1!.aic.toFixed(0)}  M2 ${by.M2!.aic.toFixed(0)};  LOCO RMSE(CE) M0 ${by.M0!.locoRmseCe!.toExponential(2)}  M1 ${by.M1!.locoRmseCe!.toExponential(2)}  M2 ${by.M2!.locoRmseCe!.toExponential(2)}`,
    );
    expect(res.preferred).toEqual({ aic: 'M2', bic: 'M2' });
    expect(by.M1!.aic).toBeLessThan(by.M0!.aic - 100);
    expect(by.M2!.locoRmseCe!).toBeLessThan(by.M0!.locoRmseCe!);
    expect(res.shared['Corrosion heterogeneity gain [1]']!).toBeCloseTo(design.parameterSet.values['Corrosion heterogeneity gain [1]'], 2);
  });
});

describe('FD gain with no cell-to-cell spread in f₀ and a precise XPS (σ_f = 0.002)', () => {
  // With σ_f = 0.005 the per-cell precision of Δf_FD is σ_f / (P_N) ≈ 0.005 / 0.7 ≈ ±6 % of 0.12, so the
  // 15 % / 5 % criterion needs the better XPS; the profile CI reports that precision either way.
  it('recovers Δf_FD per poled cell (median ±5 %, each ±15 %)', () => {
    const base = fdStudyDesign({ cellsPerGroup: 4, seed: 7 });
    const design: CampaignDesign = {
      ...base,
      groups: base.groups.filter((g) => g.name !== 'BTO-unpoled'),
      cellNoise: { ...base.cellNoise, 'Initial inorganic fraction [1]': 0 },
      measurementNoise: { ...base.measurementNoise, inorganicFractionAbs: 0.002 },
    };
    const cells = simulateCampaign(design);
    const res = fitCampaign(
      cells.map((c) => c.observations),
      { base: design.parameterSet.values, variants: ['M2'], loco: false },
    );
    const map = ratios(res.variants[0]!.fits, cells);
    expect(map.get('FD inorganic fraction gain [1]')?.length).toBe(4);
    const report: string[] = [];
    expectRecovered(new Map([['FD inorganic fraction gain [1]', map.get('FD inorganic fraction gain [1]')!]]), report);
    console.log(report.join('\n'));
  });
});

describe('a campaign without the coupling (M0 truth, γ_H = 0)', () => {
  it('is not explained better by M1: M0 wins by BIC (H5 can come out refuted)', () => {
    const base = fdStudyDesign({ cellsPerGroup: 4, seed: 11 });
    const design: CampaignDesign = {
      ...base,
      variant: 'M0',
      groups: base.groups.filter((g) => g.name === 'control'),
      parameterSet: { ...base.parameterSet, values: { ...base.parameterSet.values, 'Corrosion heterogeneity gain [1]': 0 } },
    };
    const cells = simulateCampaign(design);
    const res = fitCampaign(
      cells.map((c) => c.observations),
      { base: design.parameterSet.values, variants: ['M0', 'M1'], loco: false, intervals: 'covariance' },
    );
    expect(res.preferred.bic).toBe('M0');
  });
});
