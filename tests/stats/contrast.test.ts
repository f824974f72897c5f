// Linear contrasts of a whole-campaign model against statsmodels OLSResults.t_test.
//   `/usr/bin/python3 tests/stats/ref/contrast.py > tests/stats/ref/contrast.json`
//   (Debian bookworm python3-statsmodels 0.13.5, numpy 1.24.2)
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ols } from '../../src/stats/ols.js';
import { contrastTest, estimableColumns } from '../../src/stats/contrast.js';

const ref = JSON.parse(readFileSync(new URL('./ref/contrast.json', import.meta.url), 'utf8')) as {
  rows: [string, number, string][];
  y: number[];
  names: string[];
  contrasts: Record<string, { weights: Record<string, number>; estimate: number; se: number; t: number; p: number; df: number; ci: [number, number] }>;
};
const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThan(tol);

function columns(extra: boolean) {
  const arms = ['FD', 'unpoled', 'FD+anion'];
  const cols: { name: string; values: number[] }[] = [];
  for (const a of arms) cols.push({ name: `arm:${a}`, values: ref.rows.map(([arm]) => (arm === a ? 1 : 0)) });
  for (const a of ['control', ...arms]) cols.push({ name: `rest:${a}`, values: ref.rows.map(([arm, r]) => (arm === a ? Math.sqrt(r) : 0)) });
  cols.push({ name: 'block:biologic', values: ref.rows.map(([, , b]) => (b === 'biologic' ? 1 : 0)) });
  // a column the design cannot separate from the ones before it (FD + FD+anion = "any poled layer")
  if (extra) cols.push({ name: 'arm:poled-any', values: ref.rows.map(([arm]) => (arm === 'FD' || arm === 'FD+anion' ? 1 : 0)) });
  return cols;
}

describe('contrastTest vs statsmodels t_test', () => {
  for (const extra of [false, true]) {
    it(`${extra ? 'rank-deficient candidate set: the confounded column is dropped by name and every contrast still matches' : 'full-rank design'} (1e-9)`, () => {
      const d = estimableColumns([{ name: '(Intercept)', values: ref.y.map(() => 1) }, ...columns(extra)]);
      expect(d.dropped).toEqual(extra ? ['arm:poled-any'] : []);
      const fit = ols(ref.y, Object.fromEntries(d.kept.map((c) => [c.name, c.values])), { intercept: false });
      expect(fit.dfResid).toBe(15);
      for (const [name, c] of Object.entries(ref.contrasts)) {
        const r = contrastTest(fit, c.weights);
        close(r.estimate, c.estimate);
        close(r.se, c.se);
        close(r.t, c.t, 1e-8);
        close(r.p, c.p);
        close(r.ci[0], c.ci[0]);
        close(r.ci[1], c.ci[1]);
        expect(r.df, name).toBe(c.df);
      }
    });
  }
  it('a contrast naming a coefficient the model does not have is an error, not a zero', () => {
    const fit = ols(ref.y, { x: ref.rows.map(([, r]) => r) });
    expect(() => contrastTest(fit, { 'arm:FD': 1 })).toThrow(/not a coefficient/);
  });
});
