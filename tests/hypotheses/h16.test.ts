/**
 * H16 (the layer raises the anion share of the Li⁺ sheath) on small hand-built campaigns: samples of
 * electrolyte with the layer powder (poled, unpoled) vs bare (control), per the manifest's arms.
 */
import { describe, expect, it } from 'vitest';
import type { CellSpec } from '../../src/campaign/manifest.js';
import type { CellParameter } from '../../src/report/types.js';
import { evaluateHypotheses, ferroelectricStatement, type HypothesisResult } from '../../src/hypotheses/engine.js';
import { vibFitter } from '../../src/fit/vibrational/index.js';
import { spectrum, vibRecord } from '../fit/vibrational/synthetic.js';

const cell = (id: string, poling: CellSpec['poling'], extra: Partial<CellSpec> = {}): CellSpec => ({
  id,
  group: poling === 'none' ? 'control' : `BTO-${poling}`,
  poling,
  files: [],
  electrolyte: '1 M LiFSI in DME',
  ...extra,
});
const p = (c: string, value: number): CellParameter => ({
  cell: c,
  group: '',
  name: 'anion_sheath_fraction',
  value,
  unit: '1',
  stderr: 0.01,
  ci95: null,
  censored: null,
  n: 1,
  fitter: 'vibrational-bands',
  fitOk: true,
  sources: [],
});
const h16 = (r: HypothesisResult[]) => r.find((x) => x.id === 'H16')!;

function campaign(
  levels: Record<'none' | 'poled' | 'unpoled', number>,
  jitter = [0.01, -0.012, 0.004, -0.002],
): { cells: CellSpec[]; params: CellParameter[] } {
  const cells: CellSpec[] = [];
  const params: CellParameter[] = [];
  for (const [poling, v] of Object.entries(levels) as ['none' | 'poled' | 'unpoled', number][]) {
    for (let i = 0; i < 4; i++) {
      const id = `${poling[0]!.toUpperCase()}${i + 1}`;
      cells.push(cell(id, poling, { ferroelectric: poling === 'none' ? undefined : 'BaTiO3' }));
      params.push(p(id, v + jitter[i]!));
    }
  }
  return { cells, params };
}

describe('H16 on a hand-built campaign', () => {
  it('a layer that raises CIP + AGG by 0.12 is supported, as an effect of the layer, with poled − non-polar reported', () => {
    const { cells, params } = campaign({ none: 0.4, poled: 0.55, unpoled: 0.49 });
    const r = h16(evaluateHypotheses(cells, params, { tukeyCi: false }));
    expect(r.verdict, r.reason).toBe('supported');
    expect(r.reason).toMatch(/an effect of the layer; polarisation is H8's question/);
    expect(r.test).toMatch(/layer \(mean of FD, unpoled\) − control/);
    expect(r.effect!.value).toBeCloseTo((0.55 + 0.49) / 2 - 0.4, 2);
    const fe = r.endpoints.find((e) => /poled − unpoled layer/.test(e.name))!;
    expect(fe.effect!.value).toBeCloseTo(0.06, 2);
    expect(r.endpoints.some((e) => /FD − control/.test(e.name))).toBe(true);
    expect(ferroelectricStatement(evaluateHypotheses(cells, params, { tukeyCi: false }))).not.toMatch(/A ferroelectric claim is made.*H16/);
  });
  it('no difference → not supported (refuted by equivalence or inconclusive)', () => {
    const { cells, params } = campaign({ none: 0.4, poled: 0.4, unpoled: 0.4 });
    expect(['refuted', 'inconclusive']).toContain(h16(evaluateHypotheses(cells, params, { tukeyCi: false })).verdict);
  });
  it('a lower sheath fraction with the layer is refuted', () => {
    const { cells, params } = campaign({ none: 0.5, poled: 0.38, unpoled: 0.4 });
    expect(h16(evaluateHypotheses(cells, params, { tukeyCi: false })).verdict).toBe('refuted');
  });
  it('without spectra, or without bare samples, it is not testable and says what to add', () => {
    const { cells, params } = campaign({ none: 0.4, poled: 0.55, unpoled: 0.49 });
    const none = h16(evaluateHypotheses(cells, [], { tukeyCi: false }));
    expect(none.verdict).toBe('not testable');
    expect(none.toAdd.join(' ')).toMatch(/Raman\/FTIR spectra of the electrolyte in contact with the layer powder/);
    const noCtl = h16(
      evaluateHypotheses(
        cells,
        params.filter((x) => !x.cell.startsWith('N')),
        { tukeyCi: false },
      ),
    );
    expect(noCtl.verdict).toBe('not testable');
    expect(noCtl.toAdd.join(' ')).toMatch(/bare control/);
  });
});

describe('H16 from fitted spectra (parser-free: synthetic spectra → vibrational fitter → engine)', () => {
  it('planted sheath fractions 0.45 (bare) vs 0.60 (poled) are recovered and decided', () => {
    const cells: CellSpec[] = [];
    const params: CellParameter[] = [];
    const plant = { none: 0.45, poled: 0.6 } as const;
    let seed = 1;
    for (const [poling, sheath] of Object.entries(plant) as ['none' | 'poled', number][]) {
      for (let i = 0; i < 4; i++) {
        const id = `${poling === 'none' ? 'C' : 'P'}${i + 1}`;
        cells.push(cell(id, poling));
        const cip = sheath * 0.7,
          agg = sheath * 0.3;
        const s = spectrum(
          [
            { centre: 718, area: 1000 * (1 - sheath), fwhm: 9 },
            { centre: 728, area: 1000 * cip, fwhm: 9 },
            { centre: 740, area: 1000 * agg, fwhm: 9 },
          ],
          { seed: seed++, noise: 0.01 },
        );
        const out = vibFitter.fit(vibRecord(s.x, s.y, { technique: 'raman', title: '1 M LiFSI in DME' }, `${id}_raman.txt`), {});
        for (const q of out.parameters)
          params.push({
            cell: id,
            group: '',
            name: q.name,
            value: q.value,
            unit: q.unit,
            stderr: q.stderr ?? null,
            ci95: q.ci95 ?? null,
            censored: null,
            n: 1,
            fitter: out.fitter,
            fitOk: out.quality.ok,
            sources: [],
          });
      }
    }
    const r = h16(evaluateHypotheses(cells, params, { tukeyCi: false }));
    expect(r.verdict, r.reason).toBe('supported');
    expect(Math.abs(r.effect!.value - 0.15)).toBeLessThan(0.03);
  });
});
