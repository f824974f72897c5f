/**
 * The fitter on a real depth profile (PHI .pro of SnO2 on Si, not an SEI): only C 1s has species in
 * the library, so the other regions must be reported as not fitted, the adventitious C–C found on the
 * surface and lost with sputtering (no silent inventing of a reference), and the record's sputter
 * times carried into the per-level scopes.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';
import { parsePhi } from '../../../parsers/xps/phi.js';
import { fitXpsRecord, xpsFitter } from '../../../src/fit/xps/fitter.js';

describe.skipIf(!HAVE_REAL_DATA)('xps fitter on a real PHI depth profile', () => {
  // parsed at collection only when the file is there (a skipped suite's body still runs)
  const rec = HAVE_REAL_DATA ? parsePhi({ path: 'SnO2_10nm_1.pro', bytes: readReal('xps/phi-pro/pynxtools__SnO2_10nm_1.pro') })[0]! : (undefined as never);

  it('declares the XPS kinds', () => {
    expect(xpsFitter.kinds).toEqual(['xps-spectrum', 'xps-depth-profile']);
  });

  it('fits C 1s at all 21 levels, names the regions it cannot fit, references the surface on C–C', () => {
    const out = fitXpsRecord(rec);
    expect(out.levels).toHaveLength(21);
    expect(out.quality.messages[0]).toBe('regions not fitted (no core level in the species library): Su1s, Si2p, Sn3d5');
    for (const L of out.levels) expect([...L.fits.keys()]).toEqual(['C 1s']);
    const surface = out.levels[0]!;
    expect(surface.referenceUsed).toMatch(/C-C:C1s @ 284.8/);
    expect(Math.abs(surface.shift)).toBeLessThan(3);
    // Adventitious carbon dominates the as-received surface.
    const cc = surface.shares.find((s) => s.id === 'C-C:C1s')!;
    expect(cc.atomicPercent).toBeGreaterThan(40);
    const shifts = out.parameters.filter((p) => p.name === 'charge_shift');
    expect(shifts).toHaveLength(21);
    expect(shifts[20]!.scope).toBe('etch level 20 (600 s)');
    // No Li 1s in the file: no thickness parameter is invented.
    expect(out.parameters.find((p) => p.name.startsWith('sei_thickness'))).toBeUndefined();
  });
});
