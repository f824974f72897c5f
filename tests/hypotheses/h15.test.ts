/**
 * H15 (the layer raises t₊ over the control) on small hand-built campaigns: supported with a planted
 * effect (an effect of the layer, the poled − non-polar layer contrast reported beside it), inconclusive
 * without one, not testable without control cells (naming the cells to add) or without any t₊.
 */
import { describe, expect, it } from 'vitest';
import type { CellSpec } from '../../src/campaign/manifest.js';
import type { CellParameter } from '../../src/report/types.js';
import { evaluateHypotheses, ferroelectricStatement, type HypothesisResult } from '../../src/hypotheses/engine.js';

const cell = (id: string, poling: CellSpec['poling']): CellSpec => ({
  id,
  group: poling ?? 'none',
  poling,
  ferroelectric: poling === 'none' ? undefined : 'BaTiO3',
  restHours: 0,
  files: [],
});
const tp = (c: string, value: number): CellParameter => ({
  cell: c,
  group: '',
  name: 'transference_number',
  value,
  unit: '1',
  stderr: 0.01,
  ci95: null,
  censored: null,
  n: 1,
  fitter: 'transference',
  fitOk: true,
  sources: [],
});
const h15 = (cells: CellSpec[], params: CellParameter[]): HypothesisResult =>
  evaluateHypotheses(cells, params, { tukeyCi: false }).find((r) => r.id === 'H15')!;

const noise = [-0.01, 0.005, 0.012, -0.007];
const arm = (prefix: string, poling: CellSpec['poling'], mean: number, n = 4) =>
  Array.from({ length: n }, (_, i) => ({ c: cell(`${prefix}${i + 1}`, poling), v: mean + noise[i]! }));

describe('H15: the layer raises t₊ over the control', () => {
  it('supported with a planted layer effect; reason says it is a layer effect, poled − unpoled reported as an endpoint', () => {
    const all = [...arm('C', 'none', 0.3), ...arm('P', 'poled', 0.45), ...arm('U', 'unpoled', 0.43)];
    const r = h15(
      all.map((x) => x.c),
      all.map((x) => tp(x.c.id, x.v)),
    );
    expect(r.verdict).toBe('supported');
    expect(r.effect!.value).toBeCloseTo(0.15, 10);
    expect(r.reason).toMatch(/an effect of the layer; polarisation is H8's question/);
    expect(r.reason).toMatch(/poled − unpoled layer Δt₊ = 0\.020/);
    const fe = r.endpoints.find((e) => e.name.startsWith('t₊ poled − unpoled layer'))!;
    expect(fe.effect!.value).toBeCloseTo(0.02, 10);
    expect(r.n).toEqual({ control: 4, FD: 4, unpoled: 4 });
    // a layer effect, not a ferroelectric claim
    const all2 = evaluateHypotheses(
      all.map((x) => x.c),
      all.map((x) => tp(x.c.id, x.v)),
      { tukeyCi: false },
    );
    expect(ferroelectricStatement(all2)).toMatch(/^No ferroelectric claim is made.*H15/);
  });
  it('without a planted effect: not supported', () => {
    const all = [...arm('C', 'none', 0.3), ...arm('P', 'poled', 0.3)];
    const r = h15(
      all.map((x) => x.c),
      all.map((x) => tp(x.c.id, x.v)),
    );
    expect(['inconclusive', 'refuted']).toContain(r.verdict);
    expect(r.reason).toMatch(/no layer without net polarisation has t₊/);
  });
  it('not testable without control cells, naming the cells to add', () => {
    const all = [...arm('P', 'poled', 0.45), ...arm('U', 'unpoled', 0.4)];
    const r = h15(
      all.map((x) => x.c),
      all.map((x) => tp(x.c.id, x.v)),
    );
    expect(r.verdict).toBe('not testable');
    expect(r.toAdd.join(' ')).toMatch(/bare control cells \(poling: none\)/);
    expect(r.toAdd.join(' ')).toMatch(/Bruce–Vincent t₊/);
  });
  it('not testable when no cell has a t₊, and a t₊ with fitOk false (I_ss not steady) is not used', () => {
    const all = [...arm('C', 'none', 0.3), ...arm('P', 'poled', 0.45)];
    expect(
      h15(
        all.map((x) => x.c),
        [],
      ).verdict,
    ).toBe('not testable');
    const unsteady = all.map((x) => ({ ...tp(x.c.id, x.v), fitOk: false }));
    expect(
      h15(
        all.map((x) => x.c),
        unsteady,
      ).reason,
    ).toMatch(/no cell has a Bruce–Vincent t₊/);
  });
});
