/**
 * Heterogeneity index, Moran's I and hot-spot fraction on synthetic maps with known patchiness, plus the
 * 256×256×50 stack timing (measured and printed, not asserted).
 */
import { describe, expect, it } from 'vitest';
import { analyseMap, bin, chooseBin, cvTrue, moransI, ratioMap } from '../../../src/fit/sims/image.js';
import { simsFitter, createSimsFitter } from '../../../src/fit/sims/fitter.js';
import type { CanonicalRecord, Column } from '../../../src/records/record.js';
import { countMaps, tileField } from './synthetic.js';

const W = 256;
const H = 256;

function imageRecord(I: Float64Array, O: Float64Array, w: number, h: number, s: number, names = ['LiF2-', 'C2H-']): CanonicalRecord {
  const cols: Column[] = [
    { name: names[0]!, unit: 'counts', values: I },
    { name: names[1]!, unit: 'counts', values: O },
  ];
  return {
    kind: 'sims-image',
    format: 'sims-image-text',
    meta: { width: w, height: h, slices: s, ions: names },
    columns: cols,
    warnings: [],
    provenance: { path: 'synthetic', size: 0, sha256: '', parser: 'test', parserVersion: '0', recordIndex: 0 },
  };
}

describe('heterogeneity index (CV_true of the inorganic share map)', () => {
  const f = tileField(W, H, 16, 7);

  it('is ~0 for a uniform Poisson image, with Moran I ~0 (|I| < 0.02) and a non-significant p', () => {
    const { I, O } = countMaps(f, 0, 0.5, 40, 11);
    const a = analyseMap(I, O, W, H, { permutations: 199, seed: 3 });
    expect(a.bin).toBe(1);
    expect(a.cv.cvObs).toBeGreaterThan(0.1); // counting noise alone: CV ≈ 1/√(N s/(1−s)) ≈ 0.16
    expect(a.cv.cvTrue).toBeLessThan(0.02);
    expect(Math.abs(a.moran.I)).toBeLessThan(0.02);
    expect(a.moran.pPermutation).toBeGreaterThan(0.01);
    // Hot spots of pure noise: close to the Gaussian tail 2.3 %.
    expect(a.hotspot).toBeGreaterThan(0.005);
    expect(a.hotspot).toBeLessThan(0.04);
  });

  it('the I/O ratio metric is also ~0 on a uniform image (delta-method noise term)', () => {
    const { I, O } = countMaps(f, 0, 0.5, 80, 12);
    const a = analyseMap(I, O, W, H, { metric: 'ratio', permutations: 0 });
    expect(a.cv.cvObs).toBeGreaterThan(0.15);
    expect(a.cv.cvTrue).toBeLessThan(0.05);
  });

  it('rises monotonically with patchiness and recovers the true CV of the share field', () => {
    const amps = [0, 0.05, 0.1, 0.2, 0.4];
    const hs = amps.map((a, k) => {
      const { I, O } = countMaps(f, a, 0.5, 40, 100 + k);
      return analyseMap(I, O, W, H, { permutations: 0 }).cv.cvTrue;
    });
    for (let k = 1; k < hs.length; k++) expect(hs[k]!).toBeGreaterThan(hs[k - 1]!);
    // The share CV is exactly `a` by construction; counting noise removed.
    for (let k = 2; k < amps.length; k++) expect(Math.abs(hs[k]! - amps[k]!) / amps[k]!).toBeLessThan(0.08);
  });

  it('patchy maps have clustered Moran I with a small permutation p-value', () => {
    const { I, O } = countMaps(f, 0.2, 0.5, 40, 21);
    const a = analyseMap(I, O, W, H, { permutations: 99, seed: 5 });
    expect(a.moran.I).toBeGreaterThan(0.3);
    expect(a.moran.pPermutation).toBeCloseTo(0.01, 5); // (1 + 0) / (1 + 99)
    // Same seed → same p; Moran I itself is deterministic.
    const b = analyseMap(I, O, W, H, { permutations: 99, seed: 5 });
    expect(b.moran).toEqual(a.moran);
  });

  it('bins low-count images to the stated minimum, and the binned map sums counts', () => {
    const { I, O } = countMaps(f, 0, 0.5, 3, 31);
    const b = chooseBin(I, O, W, H, { minCountsPerPixel: 20 });
    expect(b.factor).toBe(4); // 3 counts/px → 48 per 4×4 bin (2×2 gives 12)
    expect(b.reached).toBe(true);
    let tot = 0;
    for (const v of I) tot += v;
    let tb = 0;
    for (const v of b.I) tb += v;
    expect(tb).toBe(tot);
    const m = ratioMap(bin(I, O, W, H, 4));
    expect(cvTrue(m).cvTrue).toBeLessThan(0.05);
  });

  it('Moran I of a hand-computable 3×3 map', () => {
    // Values 1..9 row-major, rook edges: 12. Mean 5; Σz² = 60; Σ_edges z_a z_b = 36 (rows) + 4 (columns) = 40
    // → I = 9/12 · 40/60 = 0.5.
    const vals = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const r = moransI({ values: vals, noiseVar: new Float64Array(9), mask: new Uint8Array(9).fill(1), width: 3, height: 3, valid: 9 }, { permutations: 0 });
    expect(r.edges).toBe(12);
    expect(r.I).toBeCloseTo(0.5, 12);
    expect(r.expected).toBeCloseTo(-1 / 8, 12);
  });
});

describe('simsFitter on image records', () => {
  it('2D: names the parameters from PARAMETERS and states bin and noise', () => {
    const f = tileField(128, 128, 16, 2);
    const { I, O } = countMaps(f, 0.2, 0.4, 50, 41);
    const out = simsFitter.fit(imageRecord(I, O, 128, 128, 1), {});
    expect(out.quality.ok).toBe(true);
    const h = out.parameters.find((p) => p.name === 'heterogeneity_index')!;
    expect(h.value).toBeGreaterThan(0.17);
    expect(h.value).toBeLessThan(0.23);
    expect(h.note).toContain('bin 1×1');
    expect(out.parameters.find((p) => p.name === 'morans_i')!.value).toBeGreaterThan(0.3);
    expect(out.parameters.find((p) => p.name === 'hotspot_fraction')).toBeDefined();
  });

  it('fails cleanly (ok=false, message) without an organic marker ion', () => {
    const f = tileField(32, 32, 8, 2);
    const { I, O } = countMaps(f, 0, 0.5, 50, 1);
    const out = simsFitter.fit(imageRecord(I, O, 32, 32, 1, ['LiF2-', 'Xx-']), {});
    expect(out.quality.ok).toBe(false);
    expect(out.quality.messages.join()).toContain('organic');
  });

  it('3D 256×256×50 stack: per-slice table + one number per cell; timing printed', () => {
    const S = 50;
    const plane = W * H;
    const I = new Float64Array(plane * S);
    const O = new Float64Array(plane * S);
    const f = tileField(W, H, 16, 9);
    for (let z = 0; z < S; z++) {
      // Patchiness grows with depth: a = 0.4·z/S.
      const m = countMaps(f, (0.4 * z) / S, 0.5, 10, 1000 + z);
      I.set(m.I, z * plane);
      O.set(m.O, z * plane);
    }
    const rec = imageRecord(I, O, W, H, S);
    const t0 = performance.now();
    const out = createSimsFitter({ permutations: 999 }).fit(rec, {});
    const ms = performance.now() - t0;
    console.log(`[sims] 256×256×50 stack analysed in ${ms.toFixed(0)} ms (999 permutations on the cell map)`);
    expect(out.quality.ok).toBe(true);
    const slices = out.tables!.slices!;
    const h = Array.from(slices.find((c) => c.name === 'Heterogeneity Index')!.values);
    expect(h).toHaveLength(S);
    expect(h[0]!).toBeLessThan(0.05);
    expect(h[S - 1]!).toBeGreaterThan(0.3);
    expect(Array.from(slices.find((c) => c.name === 'Bin Factor')!.values)[0]).toBe(2); // 10 counts/px → 40 per 2×2
    const cell = out.parameters.find((p) => p.name === 'heterogeneity_index')!;
    expect(cell.scope).toContain('cell');
    // Projection of a depth-growing amplitude: mean amplitude ≈ 0.2.
    expect(cell.value).toBeGreaterThan(0.15);
    expect(cell.value).toBeLessThan(0.25);
  });
});
