// Small fixed-seed version of `npm run calibrate` (bench/calibrate.ts, 200 campaigns): 40 virtual
// campaigns with no true effect and 40 with a planted d = 1.2 at 8 cells per arm.
// Tolerances account for Monte-Carlo error: with 40 campaigns the SE of a rate p is √(p(1−p)/40).
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../../src/core/hypotheses/calibration.js';
import { powerTwoSampleT } from '../../../src/core/stats/power.js';

const N = 40;
const se = (p: number) => Math.sqrt((p * (1 - p)) / N);

describe('engine calibration (40 campaigns, fixed seeds)', () => {
  const nul = calibrate({ campaigns: N, seed: 101, effect: 0 });
  const alt = calibrate({ campaigns: N, seed: 202, effect: 1.2 });
  const rate = (rows: typeof nul, id: string) => rows.find((r) => r.id === id)!.rate;

  it('no true effect: every hypothesis is called supported in ≤ 5 % of campaigns (+ 2 Monte-Carlo SE)', () => {
    for (const r of nul) expect(r.rate, r.id).toBeLessThanOrEqual(0.05 + 2 * se(0.05));
  });
  it('H5 is not testable in every campaign (no replay model supplied)', () => {
    expect(nul.find((r) => r.id === 'H5')!.verdicts['not testable']).toBe(N);
  });
  it('planted d = 1.2: regression / model hypotheses reach ≥ 80 % power (− 2 SE)', () => {
    for (const id of ['H2', 'H3', 'H4', 'H13']) expect(rate(alt, id), id).toBeGreaterThanOrEqual(0.8 - 2 * se(0.8));
  });
  it('planted d = 1.2: multi-endpoint group comparisons (H7, H8) near the 200-campaign power (~75 %)', () => {
    for (const id of ['H7', 'H8']) expect(Math.abs(rate(alt, id) - 0.75), id).toBeLessThanOrEqual(3 * se(0.75) + 0.02);
  });
  it('single-endpoint group comparisons cannot beat a level-α Welch test (power ≤ 61 % at 8 vs 8) and do detect the effect', () => {
    const cap = powerTwoSampleT(1.2, 8, 8);
    for (const id of ['H1', 'H6']) {
      expect(rate(alt, id), id).toBeLessThanOrEqual(cap + 3 * se(cap));
      expect(rate(alt, id), id).toBeGreaterThanOrEqual(0.2);
    }
  });
  it('planted effect raises the supported rate of every testable hypothesis above its null rate', () => {
    for (const r of alt) if (r.id !== 'H5') expect(r.rate, r.id).toBeGreaterThan(rate(nul, r.id));
  });
});
