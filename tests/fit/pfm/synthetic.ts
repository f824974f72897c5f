/** Synthetic PFM images with planted up/down domains (stripes), phase offset, noise and amplitude. */
import { mulberry32 } from '../../../src/stats/rng.js';

export interface PfmSynth {
  readonly width: number;
  readonly height: number;
  readonly phase: Float64Array;
  readonly amplitude: Float64Array;
  /** Planted up pixels / all pixels. */
  readonly upFraction: number;
}

/**
 * Up domains at phase `upDeg`, down at upDeg + 180 (wrapped); Gaussian phase noise `noiseDeg`;
 * amplitude 1 ± 0.05 except 1-pixel walls at 0.02 (below 3σ) so walls leave N_valid.
 */
export function pfmImage(o: { width: number; height: number; upFraction: number; upDeg: number; noiseDeg: number; seed: number; walls?: boolean }): PfmSynth {
  const rnd = mulberry32(o.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(1e-12, rnd()))) * Math.cos(2 * Math.PI * rnd());
  const n = o.width * o.height;
  const phase = new Float64Array(n);
  const amplitude = new Float64Array(n);
  const cut = Math.round(o.upFraction * o.width);
  let up = 0;
  for (let j = 0; j < o.height; j++) {
    for (let i = 0; i < o.width; i++) {
      const k = j * o.width + i;
      const isUp = i < cut;
      if (isUp) up++;
      const p = (isUp ? o.upDeg : o.upDeg + 180) + o.noiseDeg * gauss();
      phase[k] = ((p % 360) + 360) % 360;
      amplitude[k] = o.walls && (i === cut || i === 0) ? 0.02 : 1 + 0.05 * gauss();
    }
  }
  return { width: o.width, height: o.height, phase, amplitude, upFraction: up / n };
}
