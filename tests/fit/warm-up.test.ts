/** The watcher's warm-up spectrum is a real two-arc spectrum: the impedance fitter recovers its resistances. */
import { describe, expect, it } from 'vitest';
import { warmUpFitters, warmUpSpectrum } from '../../src/fit/warm-up.js';
import { fittersFor } from '../../src/fit/index.js';
import { resetWork, work } from '../../src/records/work.js';

describe('fitter warm-up', () => {
  it('fits R0 = 5 Ω, R_SEI = 40 Ω and counts no work', () => {
    resetWork();
    const [eis] = fittersFor('eis');
    const out = eis!.fit(warmUpSpectrum(), {});
    const v = (n: string): number | undefined => out.parameters.find((p) => p.name === n)?.value;
    expect(v('R_bulk')).toBeCloseTo(5, 3);
    expect(v('R_SEI')).toBeCloseTo(40, 2);
    expect(warmUpFitters()).toBe(fittersFor('eis').length);
    expect(work.fits).toEqual({});
  });
});
