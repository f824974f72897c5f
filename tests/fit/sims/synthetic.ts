/** Synthetic ToF-SIMS maps with known patchiness: Poisson counts around a known share field. */
import { mulberry32 } from '../../../src/stats/rng.js';

export function poisson(lambda: number, rnd: () => number): number {
  if (lambda < 30) {
    const L = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= rnd();
    } while (p > L);
    return k - 1;
  }
  // Normal approximation is plenty for λ ≥ 30 in these tests (rounded, clipped at 0).
  const u = Math.max(rnd(), 1e-12);
  const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * g));
}

/**
 * Balanced ±1 tile field (tile × tile pixels): mean exactly 0 and SD exactly 1 over the image when the
 * tile count is even, so a share s = s0(1 + a·f) has CV exactly a.
 */
export function tileField(W: number, H: number, tile: number, seed: number): Float64Array {
  const tw = Math.ceil(W / tile);
  const th = Math.ceil(H / tile);
  const signs: number[] = Array.from({ length: tw * th }, (_, k) => (k % 2 === 0 ? 1 : -1));
  const rnd = mulberry32(seed);
  for (let i = signs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [signs[i], signs[j]] = [signs[j]!, signs[i]!];
  }
  const f = new Float64Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) f[y * W + x] = signs[Math.floor(y / tile) * tw + Math.floor(x / tile)]!;
  return f;
}

/** Inorganic and organic count maps for share s0(1 + a·f), total counts per pixel `n`. */
export function countMaps(f: Float64Array, a: number, s0: number, n: number, seed: number): { I: Float64Array; O: Float64Array } {
  const rnd = mulberry32(seed);
  const I = new Float64Array(f.length);
  const O = new Float64Array(f.length);
  for (let k = 0; k < f.length; k++) {
    const s = s0 * (1 + a * f[k]!);
    I[k] = poisson(n * s, rnd);
    O[k] = poisson(n * (1 - s), rnd);
  }
  return { I, O };
}
