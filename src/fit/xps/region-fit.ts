/**
 * Constrained multi-peak fit of one core-level region: background first (fixed), then components by
 * Levenberg–Marquardt (`lm.ts`) with every centre bounded to its species window
 * (shifted by the charge correction), one FWHM shared by all components of the region (bounded by the
 * intersection of the species' FWHM ranges) and non-negative areas. Standard errors come from the
 * covariance s²(JᵀJ)⁻¹ at the optimum (s² = RSS/(n − p)) with the analytic Jacobian (see lm.ts for
 * why the loop is ours and not ml-levenberg-marquardt).
 */
import { Matrix, inverse } from 'ml-matrix';
import { levenbergMarquardtBounded } from './lm.js';
import { linearBackground, shirleyBackground, tougaardBackground, UNIVERSAL_TOUGAARD } from './backgrounds.js';
import { parseLineShape, peakValue, shapeAndSlope, shapeValue, unitArea, type LineShape } from './lineshapes.js';
import type { SpeciesEntry } from './species.js';

export type BackgroundKind = 'shirley' | 'linear' | 'tougaard';

export interface RegionFitOptions {
  /** @default 'shirley' (DOMAIN §3.1 convention for Li 1s / F 1s / O 1s; fine for C 1s). */
  readonly background: BackgroundKind;
  /** Points averaged at each end for the background levels. @default 3 */
  readonly endpointAverage: number;
  /** @default 200 */
  readonly maxIterations: number;
}

export const DEFAULT_REGION_FIT_OPTIONS: RegionFitOptions = { background: 'shirley', endpointAverage: 3, maxIterations: 200 };

export interface FittedComponent {
  readonly id: string;
  readonly species: string;
  readonly area: number;
  readonly areaStderr: number;
  /** Centre on the file's energy scale and after subtracting the charge shift. */
  readonly center: number;
  readonly centerReferenced: number;
  readonly centerStderr: number;
  /** Centre sits on a window edge: the assignment or the referencing is suspect. */
  readonly pinned: boolean;
}

export interface RegionFit {
  readonly components: readonly FittedComponent[];
  readonly fwhm: number;
  readonly fwhmStderr: number;
  readonly background: Float64Array;
  readonly model: Float64Array;
  readonly rss: number;
  readonly dof: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly backgroundConverged: boolean;
  readonly messages: readonly string[];
}

export function fitRegion(
  x: ArrayLike<number>, y: ArrayLike<number>, comps: readonly SpeciesEntry[], shift: number,
  opts: RegionFitOptions = DEFAULT_REGION_FIT_OPTIONS,
): RegionFit {
  const n = x.length;
  const messages: string[] = [];
  let bg: Float64Array;
  let bgOk = true;
  if (opts.background === 'linear') bg = linearBackground(x, y, opts.endpointAverage);
  else if (opts.background === 'tougaard') bg = tougaardBackground(x, y, UNIVERSAL_TOUGAARD, opts.endpointAverage).background;
  else {
    const s = shirleyBackground(x, y, { endpointAverage: opts.endpointAverage });
    bg = s.background;
    bgOk = s.converged;
    if (!s.converged) messages.push(`Shirley background did not converge in ${s.iterations} iterations`);
  }
  const net = new Float64Array(n);
  for (let i = 0; i < n; i++) net[i] = y[i]! - bg[i]!;
  const k = comps.length;
  const shapes: LineShape[] = comps.map((c) => parseLineShape(c.shape));
  let fLo = Math.max(...comps.map((c) => c.fwhm[0]));
  let fHi = Math.min(...comps.map((c) => c.fwhm[1]));
  if (fLo > fHi) {
    messages.push(`FWHM ranges of ${comps.map((c) => c.id).join(', ')} do not intersect; using their union`);
    fLo = Math.min(...comps.map((c) => c.fwhm[0]));
    fHi = Math.max(...comps.map((c) => c.fwhm[1]));
  }
  const lo = [fLo, ...comps.map((c) => c.window[0] + shift), ...comps.map(() => 0)];
  const hi = [fHi, ...comps.map((c) => c.window[1] + shift), ...comps.map(() => Number.MAX_VALUE)];
  const f0 = (fLo + fHi) / 2;
  const c0 = comps.map((c) => (c.window[0] + c.window[1]) / 2 + shift);
  const a0 = initialAreas(x, net, shapes, c0, f0);
  const maxA = Math.max(1, ...a0);
  for (let j = 0; j < k; j++) hi[1 + k + j] = 50 * maxA + 10 * Math.abs(trapz(x, net));

  const norm = shapes.map((sh) => 1 / unitArea(sh));
  const xs = Float64Array.from(x as ArrayLike<number>);
  const P = 1 + 2 * k;
  const evaluate = (th: Float64Array, f: Float64Array, J: Float64Array | null) => {
    const F = th[0]!;
    f.fill(0);
    if (J) J.fill(0);
    for (let j = 0; j < k; j++) {
      const c = th[1 + j]!;
      const A = th[1 + k + j]!;
      const nf = norm[j]! / F;
      for (let i = 0; i < n; i++) {
        const u = (xs[i]! - c) / F;
        if (u > 60 || u < -60) {
          // Far tails: value only (slopes negligible), keeps the loop cheap on wide regions.
          const v = shapeValue(shapes[j]!, xs[i]!, c, F) * nf;
          f[i]! += A * v;
          if (J) J[i * P + 1 + k + j] = v;
          continue;
        }
        const [sv, ds] = shapeAndSlope(shapes[j]!, u);
        f[i]! += A * nf * sv;
        if (J) {
          const r = i * P;
          J[r + 1 + k + j] = nf * sv;
          J[r + 1 + j] = (-A * nf * ds) / F;
          J[r]! += (-A * nf * (sv + u * ds)) / F;
        }
      }
    }
  };
  const res = levenbergMarquardtBounded({ n, p: P, evaluate, y: net, lower: lo, upper: hi }, [f0, ...c0, ...a0], opts.maxIterations);
  const p = Array.from(res.theta);
  const fitted = new Float64Array(n);
  evaluate(res.theta, fitted, null);
  const rss = res.rss;
  const dof = Math.max(1, n - P);
  const se = Array.from({ length: P }, (_, j) => Math.sqrt(Math.max(0, (rss / dof) * res.jtjInverse[j * P + j]!)));
  if (!res.converged) messages.push(`peak fit stopped at ${res.iterations} iterations without converging`);
  const components: FittedComponent[] = comps.map((c, j) => {
    const center = p[1 + j]!;
    const span = c.window[1] - c.window[0];
    const pinned = span > 0 && (center - lo[1 + j]! < 1e-3 * Math.max(1, span) || hi[1 + j]! - center < 1e-3 * Math.max(1, span));
    return {
      id: c.id, species: c.species, area: p[1 + k + j]!, areaStderr: se[1 + k + j]!, center,
      centerReferenced: center - shift, centerStderr: se[1 + j]!, pinned: pinned && p[1 + k + j]! > 0,
    };
  });
  for (let i = 0; i < n; i++) fitted[i] = fitted[i]! + bg[i]!;
  return { components, fwhm: p[0]!, fwhmStderr: se[0]!, background: bg, model: fitted, rss, dof, iterations: res.iterations, converged: res.converged, backgroundConverged: bgOk, messages };
}

/** Non-negative least-squares areas at fixed centres/width: a good LM start (projected normal equations). */
function initialAreas(x: ArrayLike<number>, net: ArrayLike<number>, shapes: LineShape[], c: number[], F: number): number[] {
  const k = c.length;
  const n = x.length;
  const A = new Matrix(n, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) A.set(i, j, peakValue(shapes[j]!, x[i]!, c[j]!, F, 1));
  const active = new Set(Array.from({ length: k }, (_, j) => j));
  let sol = new Array<number>(k).fill(0);
  for (let round = 0; round < k && active.size; round++) {
    const idx = [...active];
    const Aa = new Matrix(n, idx.length);
    for (let i = 0; i < n; i++) idx.forEach((j, q) => Aa.set(i, q, A.get(i, j)));
    const At = Aa.transpose();
    const M = At.mmul(Aa);
    for (let q = 0; q < idx.length; q++) M.set(q, q, M.get(q, q) * (1 + 1e-9) + 1e-12);
    let s: Matrix;
    try {
      s = inverse(M).mmul(At.mmul(Matrix.columnVector(Array.from(net))));
    } catch {
      break;
    }
    sol = new Array<number>(k).fill(0);
    let neg = false;
    idx.forEach((j, q) => {
      const v = s.get(q, 0);
      if (v <= 0) {
        active.delete(j);
        neg = true;
      } else sol[j] = v;
    });
    if (!neg) break;
  }
  const total = Math.max(1e-9, trapz(x, net));
  return sol.map((v) => (v > 0 ? v : 1e-3 * total));
}

export function trapz(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += 0.5 * (y[i]! + y[i - 1]!) * (x[i]! - x[i - 1]!);
  return s;
}
