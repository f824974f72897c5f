/**
 * PFM domain fractions: planted up/down stripes (phase modes 180° apart, offset and noise) are
 * recovered: f_up within 0.01 of the planted pixel share, the net fraction (up − down)/(up + down)
 * within 0.02; walls with amplitude below 3σ_noise leave N_valid; the orientation calibration sets the
 * sign; an uncalibrated image gives the magnitude and says so; a phase in V is not interpreted.
 */
import { describe, expect, it } from 'vitest';
import { fitPfmRecord, pfmDomains, pfmFitter } from '../../../src/fit/pfm/index.js';
import { gwyddionGwy, writeGwy } from '../../../parsers/spm/gwy.js';
import type { CanonicalRecord, ParsedRecord } from '../../../src/records/record.js';
import { pfmImage } from './synthetic.js';

const canon = (r: ParsedRecord): CanonicalRecord => ({
  ...r,
  format: 'test',
  provenance: { path: 'x', size: 0, sha256: '', parser: 'test', parserVersion: '0', recordIndex: 0 },
});
const param = (o: { parameters: readonly { name: string; value: number }[] }, n: string) => o.parameters.find((p) => p.name === n)!.value;

describe('PFM up/down fraction', () => {
  for (const [f, upDeg] of [
    [0.7, 95],
    [0.25, 300],
    [0.5, 10],
  ] as const) {
    it(`planted f_up ${f} with the up mode at ${upDeg}° (calibrated)`, () => {
      const s = pfmImage({ width: 64, height: 32, upFraction: f, upDeg, noiseDeg: 12, seed: 3 });
      const d = pfmDomains(s.phase, s.amplitude, s.width, { upPhaseDeg: upDeg + 5 });
      expect(Math.abs(d.up / d.valid - s.upFraction)).toBeLessThan(0.01);
      expect(Math.abs((d.up - d.down) / (d.up + d.down) - (2 * s.upFraction - 1))).toBeLessThan(0.02);
      expect(Math.abs(d.separation - 180)).toBeLessThan(5);
      expect(d.calibrated).toBe(true);
    });
  }

  it('through a .gwy file and the RecordFitter: walls masked by the amplitude, magnitude when uncalibrated', async () => {
    const s = pfmImage({ width: 50, height: 20, upFraction: 0.3, upDeg: 120, noiseDeg: 8, seed: 9, walls: true });
    const b = writeGwy([
      { title: 'Phase', xres: s.width, yres: s.height, xreal: 5e-6, yreal: 2e-6, unitZ: 'deg', data: s.phase },
      { title: 'Amplitude', xres: s.width, yres: s.height, xreal: 5e-6, yreal: 2e-6, unitZ: 'V', data: s.amplitude },
    ]);
    const [r] = (await gwyddionGwy.parse({ path: 'p.gwy', bytes: b })) as ParsedRecord[];
    const out = pfmFitter.fit(canon(r!), {});
    expect(out.quality.ok).toBe(true);
    // two wall columns of 20 pixels are masked
    expect(param(out, 'pfm_valid_fraction')).toBeCloseTo(1 - 40 / 1000, 3);
    // planted: 15 up columns of which 1 wall, 35 down of which 1 wall → among valid: 14 vs 34
    const up = 14 / 48;
    // uncalibrated: "up" is the majority mode → the net fraction is |down − up| share
    expect(param(out, 'pfm_up_fraction')).toBeCloseTo(1 - up, 2);
    expect(param(out, 'pfm_net_polarisation')).toBeCloseTo(1 - 2 * up, 2);
    expect(out.parameters.find((p) => p.name === 'pfm_net_polarisation')!.flags).toContain('orientation-uncalibrated');
    const cal = fitPfmRecord(r!, { upPhaseDeg: 120 });
    expect(param(cal, 'pfm_net_polarisation')).toBeCloseTo(2 * up - 1, 2);
    expect(param(cal, 'pfm_net_polarisation_weighted')).toBeLessThan(0);
  });

  it('a single-domain (fully poled) image gives f_up = 1; a random (unpoled) one gives net ≈ 0', () => {
    const one = pfmImage({ width: 40, height: 40, upFraction: 1, upDeg: 60, noiseDeg: 10, seed: 4 });
    const d1 = pfmDomains(one.phase, one.amplitude, 40, { upPhaseDeg: 60 });
    expect(d1.singleDomain).toBe(true);
    expect(d1.up / d1.valid).toBe(1);
    const half = pfmImage({ width: 40, height: 40, upFraction: 0.5, upDeg: 60, noiseDeg: 10, seed: 5 });
    const d2 = pfmDomains(half.phase, null, 40, { upPhaseDeg: 60 });
    expect(Math.abs((d2.up - d2.down) / d2.valid)).toBeLessThan(0.02);
  });

  it('a phase in V or without a unit is not interpreted', () => {
    const rec = (unit: string): CanonicalRecord =>
      canon({ kind: 'pfm-image', meta: { width: 2 }, warnings: [], columns: [{ name: 'Phase', unit, values: Float64Array.of(1, 2, 3, 4) }] });
    expect(pfmFitter.fit(rec('V'), {}).quality.ok).toBe(false);
    expect(pfmFitter.fit(rec(''), {}).quality.messages.join()).toMatch(/not stated/);
  });
});
