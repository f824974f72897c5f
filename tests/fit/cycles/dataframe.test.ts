import { describe, expect, it } from 'vitest';
import { columnsToDataFrame } from '../../../src/fit/cycles/dataframe.js';
import { cycleFitter } from '../../../src/fit/cycles/fitter.js';
import { syntheticCyclerRecord, liCuSteps } from '../../../src/fit/cycles/synthetic.js';

describe('per-cycle table → danfojs DataFrame', () => {
  it('keeps labels, shape and values', async () => {
    const rec = syntheticCyclerRecord(liCuSteps({ cycles: 3, platedAh: 1e-3, currentA: 1e-3, ce: (k) => 0.9 + 0.02 * k }), { sampleS: 30 });
    const table = cycleFitter.fit(rec, { cellType: 'Li||Cu' }).tables!.cycles!;
    const df = await columnsToDataFrame(table);
    expect(df.shape).toEqual([3, table.length]);
    expect(df.columns).toContain('Coulombic Efficiency / 1');
    const ce = df.column('Coulombic Efficiency / 1').values as number[];
    expect(ce[0]).toBeCloseTo(0.92, 10);
    expect(ce[2]).toBeCloseTo(0.96, 10);
    const bare = await columnsToDataFrame([{ name: 'Step Type', unit: '', values: Int32Array.from([1, 0]), levels: ['rest', 'cc'] }], { labels: 'name' });
    expect(bare.column('Step Type').values).toEqual(['cc', 'rest']);
  }, 60_000);
});
