import { describe, it, expect } from 'vitest';
import { pairLoops, manifestPr } from '../../src/derived/pe-pairs.js';
import { validateManifest } from '../../src/campaign/manifest.js';

const loop = (cell: string, path: string, pr: number, time = NaN, stderr: number | null = null) => ({ cell, recordId: `${path}:0`, path, time, pr, stderr });

describe('P–E loop pairing', () => {
  it('retention = Pr(after)/Pr(pristine), told apart by name, with the stderr propagated', () => {
    const out = pairLoops([loop('P1', 'pe/P1_after_cycling.tsv', 12, NaN, 0.12), loop('P1', 'pe/P1_pristine.tsv', 16, NaN, 0.16)], () => 'BTO');
    const pr = out.find((p) => p.name === 'Pr')!;
    const ret = out.find((p) => p.name === 'polarisation_retention')!;
    expect(pr.value).toBe(16);
    expect(ret.value).toBeCloseTo(0.75, 12);
    expect(ret.stderr).toBeCloseTo(0.75 * Math.hypot(0.01, 0.01), 12);
    expect(ret.sources).toEqual(['pe/P1_pristine.tsv:0', 'pe/P1_after_cycling.tsv:0']);
  });
  it('by measurement time when the names do not say, earliest = pristine', () => {
    const out = pairLoops([loop('A', 'pe/A_2.tsv', 9, 2000), loop('A', 'pe/A_1.tsv', 10, 1000), loop('A', 'pe/A_3.tsv', 8, 3000)], () => 'g');
    expect(out.find((p) => p.name === 'Pr')!.value).toBe(10);
    expect(out.find((p) => p.name === 'polarisation_retention')!.value).toBeCloseTo(0.8, 12);
  });
  it('one loop: Pr only; manifest Pr only for cells without a loop', () => {
    expect(pairLoops([loop('A', 'a.tsv', 7)], () => 'g').map((p) => p.name)).toEqual(['Pr']);
    const m = validateManifest(
      {
        cells: [
          { id: 'A', group: 'g', ferroelectric: 'PZT', poling: 'poled', pr_uC_cm2: 25, pr_source: 'datasheet' },
          { id: 'B', group: 'g', ferroelectric: 'PZT', poling: 'poled', pr_uC_cm2: 20 },
        ],
      },
      'c.yaml',
    );
    const p = manifestPr(m.cells, new Set(['A']));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ cell: 'B', name: 'Pr', value: 20, fitter: 'manifest' });
  });
});
