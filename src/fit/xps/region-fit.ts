/**
 * Constrained multi-peak fit of one core-level region by Levenberg–Marquardt with every centre
 * bounded to its species window (shifted by the charge correction), one FWHM shared by all components
 * of the region (bounded by the intersection of the species' FWHM ranges) and non-negative areas.
 * Least squares are Poisson-weighted by default (var = counts, from the data for the first fit and then
 * from the fitted model); standard errors come from s²(JᵀWJ)⁻¹ at the optimum (s² = χ²/(n − p)) with
 * the analytic Jacobian. The engine is the project's bounded least squares (src/stats/least-squares.ts,
 * projected Marquardt with an active set; it says why not ml-levenberg-marquardt).
 *
 * Background. Linear and Tougaard are computed from the data first and held fixed. Shirley (the
 * default) is fitted WITH the peaks, as an "active" Shirley (Matsumoto et al., J. Electron Spectrosc.
 * Relat. Phenom. 207, 55 (2016): the end levels are fit parameters, the background is not forced
 * through the end points): B(x) = b₀ + s·Φ(x), Φ = ∫_{x0}^{x} P / ∫ P with P the fitted peak envelope;
 * b₀ (the low-BE level) and s (the step) are two more least-squares parameters, and Φ is computed from
 * the current peaks at every evaluation, its derivatives in the Jacobian, so peaks and background are
 * fitted jointly. At the optimum B is exactly the Shirley background of the fitted spectrum (the fixed
 * point of the Shirley map with the noise-free envelope in place of y − B). (Alternating — Φ from the
 * last fit's peaks, refit, repeat — was tried first: it crawls when the step is large against the peak
 * area and stopped 25 % off the closed form.)
 * Why not the classic data-driven iteration (`shirleyBackground`): it imposes B(x_N) = I_hi on end
 * levels averaged over a few points, and that condition fixes the background only through e^(−κℓ)
 * (κ = step / peak area, ℓ = peak to high-BE end). For weak lines with a large step and for low-count
 * levels, whose end levels are mostly Poisson noise, κℓ is large: the iteration oscillates or diverges
 * and the region was flagged unusable. Here the levels come from every point of the flat ends.
 */
import { Matrix, inverse } from 'ml-matrix';
import { leastSquares, PROJECTED_MARQUARDT, type LeastSquaresResult } from '../../stats/least-squares.js';
import { endLevels, linearBackground, shirleyBackground, tougaardBackground, UNIVERSAL_TOUGAARD } from './backgrounds.js';
import { parseLineShape, peakValue, shapeAndSlope, shapeValue, unitArea, type LineShape } from './lineshapes.js';
import type { SpeciesEntry } from './species.js';

export type BackgroundKind = 'shirley' | 'linear' | 'tougaard';

export interface RegionFitOptions {
  /** @default 'shirley' (DOMAIN §3.1 convention for Li 1s / F 1s / O 1s; fine for C 1s). */
  readonly background: BackgroundKind;
  /** Points averaged at each end for the background levels (linear, Tougaard; the Shirley start). @default 3 */
  readonly endpointAverage: number;
  /** Levenberg–Marquardt iterations per fit (the Poisson-weighted fit is run twice). @default 200 */
  readonly maxIterations: number;
  /**
   * 'poisson': weighted least squares with var = max(1, counts) (the data for the first fit, then the
   * fitted model), the likelihood of counting data; 'none': unweighted. @default 'poisson'
   */
  readonly weighting: 'poisson' | 'none';
}

export const DEFAULT_REGION_FIT_OPTIONS: RegionFitOptions = { background: 'shirley', endpointAverage: 3, maxIterations: 200, weighting: 'poisson' };

/** The active Shirley's fitted levels (absent for linear / Tougaard backgrounds). */
export interface ShirleyLevels {
  /** Background level at the low-BE end (b₀) and the step s to the high-BE end, counts. */
  readonly lo: number;
  readonly loStderr: number;
  readonly step: number;
  readonly stepStderr: number;
}

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
  /** Residual sum of squares, weighted (χ²) with the default Poisson weighting. */
  readonly rss: number;
  readonly dof: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly backgroundConverged: boolean;
  readonly shirley?: ShirleyLevels;
  readonly messages: readonly string[];
}

export function fitRegion(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  comps: readonly SpeciesEntry[],
  shift: number,
  options: Partial<RegionFitOptions> = DEFAULT_REGION_FIT_OPTIONS,
): RegionFit {
  const opts: RegionFitOptions = { ...DEFAULT_REGION_FIT_OPTIONS, ...options };
  const n = x.length;
  const messages: string[] = [];
  const active = opts.background === 'shirley';
  // Start (or, for linear/Tougaard, the fixed) background.
  let bg: Float64Array;
  if (opts.background === 'linear') bg = linearBackground(x, y, opts.endpointAverage);
  else if (opts.background === 'tougaard') bg = tougaardBackground(x, y, UNIVERSAL_TOUGAARD, opts.endpointAverage).background;
  else {
    const s = shirleyBackground(x, y, { endpointAverage: opts.endpointAverage });
    bg = s.converged ? s.background : linearBackground(x, y, Math.max(5, opts.endpointAverage));
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
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    ymin = Math.min(ymin, y[i]!);
    ymax = Math.max(ymax, y[i]!);
  }
  const range = Math.max(ymax - ymin, 1e-12);
  const lo = [fLo, ...comps.map((c) => c.window[0] + shift), ...comps.map(() => 0)];
  const hi = [fHi, ...comps.map((c) => c.window[1] + shift), ...comps.map(() => Number.MAX_VALUE)];
  const f0 = (fLo + fHi) / 2;
  const c0 = comps.map((c) => (c.window[0] + c.window[1]) / 2 + shift);
  const a0 = initialAreas(x, net, shapes, c0, f0);
  const maxA = Math.max(1, ...a0);
  for (let j = 0; j < k; j++) hi[1 + k + j] = 50 * maxA + 10 * Math.abs(trapz(x, net));
  const theta0 = [f0, ...c0, ...a0];
  if (active) {
    // b₀ and s: anywhere a background of this region could plausibly be (both signs of the step).
    const [eLo, eHi] = endLevels(y, Math.max(5, opts.endpointAverage));
    lo.push(ymin - range, -2 * range);
    hi.push(ymax + range, 2 * range);
    theta0.push(eLo, eHi - eLo);
  }

  const norm = shapes.map((sh) => 1 / unitArea(sh));
  const xs = Float64Array.from(x as ArrayLike<number>);
  const P = 1 + 2 * k + (active ? 2 : 0);
  // The active Shirley's Φ (from the current peaks) and its slopes; ramp when there is no peak area.
  const phi = new Float64Array(n);
  const cum = new Float64Array(n);
  const ramp = rampShape(xs);
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
    if (!active) return;
    // B = b₀ + s·Φ, Φ = C/T with C the running trapezoidal integral of the peak envelope f (so far the
    // peaks only) and T its total; ∂Φ/∂θ = (∂C/∂θ − Φ·∂T/∂θ)/T for every peak parameter.
    const b0 = th[1 + 2 * k]!;
    const st = th[2 + 2 * k]!;
    cum[0] = 0;
    for (let i = 1; i < n; i++) cum[i] = cum[i - 1]! + 0.5 * (f[i - 1]! + f[i]!) * (xs[i]! - xs[i - 1]!);
    const T = cum[n - 1]!;
    const usePeaks = T > 0;
    for (let i = 0; i < n; i++) phi[i] = usePeaks ? cum[i]! / T : ramp[i]!;
    if (J && usePeaks) {
      const dC = new Float64Array(n);
      for (let q = 0; q < 1 + 2 * k; q++) {
        dC[0] = 0;
        for (let i = 1; i < n; i++) dC[i] = dC[i - 1]! + 0.5 * (J[(i - 1) * P + q]! + J[i * P + q]!) * (xs[i]! - xs[i - 1]!);
        const dT = dC[n - 1]!;
        for (let i = 0; i < n; i++) J[i * P + q]! += (st * (dC[i]! - phi[i]! * dT)) / T;
      }
    }
    for (let i = 0; i < n; i++) {
      f[i]! += b0 + st * phi[i]!;
      if (J) {
        J[i * P + 1 + 2 * k] = 1;
        J[i * P + 2 + 2 * k] = phi[i]!;
      }
    }
  };

  // Poisson weights 1/var, var = counts floored at 1 (data scaled below one count are fitted
  // unweighted): from the data for a first fit, then from that fit's model for the final one.
  const W = opts.weighting === 'poisson' ? Float64Array.from({ length: n }, (_, i) => 1 / Math.max(1, y[i]!)) : undefined;
  const target = active ? y : net;
  const fitFrom = (start: ArrayLike<number>): LeastSquaresResult =>
    leastSquares({ evaluate, y: target, lower: lo, upper: hi, ...(W ? { weights: W } : {}) }, start, {
      ...PROJECTED_MARQUARDT,
      maxIterations: opts.maxIterations,
      ftol: 1e-7,
    });
  let res = fitFrom(theta0);
  if (W) {
    const model = new Float64Array(n);
    evaluate(res.x, model, null);
    if (!active) for (let i = 0; i < n; i++) model[i] = model[i]! + bg[i]!;
    for (let i = 0; i < n; i++) W[i] = 1 / Math.max(1, model[i]!);
    res = fitFrom(res.x);
  }
  // Iterations as this fit has always counted them: those before the converging one.
  const iterations = res.converged ? res.iterations - 1 : res.iterations;
  // The Shirley background is part of the fit: it converged when the fit did.
  const bgOk = active ? res.converged : true;
  const p = Array.from(res.x);
  const fitted = new Float64Array(n);
  evaluate(res.x, fitted, null);
  const rss = res.cost;
  const dof = Math.max(1, n - P);
  const se = Array.from({ length: P }, (_, j) => Math.sqrt(Math.max(0, (rss / dof) * res.covariance[j * P + j]!)));
  if (!res.converged) messages.push(`${active ? 'peak fit with its Shirley background' : 'peak fit'} stopped at ${iterations} iterations without converging`);
  const components: FittedComponent[] = comps.map((c, j) => {
    const center = p[1 + j]!;
    const span = c.window[1] - c.window[0];
    const pinned = span > 0 && (center - lo[1 + j]! < 1e-3 * Math.max(1, span) || hi[1 + j]! - center < 1e-3 * Math.max(1, span));
    return {
      id: c.id,
      species: c.species,
      area: p[1 + k + j]!,
      areaStderr: se[1 + k + j]!,
      center,
      centerReferenced: center - shift,
      centerStderr: se[1 + j]!,
      pinned: pinned && p[1 + k + j]! > 0,
    };
  });
  let shirley: ShirleyLevels | undefined;
  if (active) {
    const b0 = p[1 + 2 * k]!;
    const st = p[2 + 2 * k]!;
    for (let i = 0; i < n; i++) bg[i] = b0 + st * phi[i]!;
    shirley = { lo: b0, loStderr: se[1 + 2 * k]!, step: st, stepStderr: se[2 + 2 * k]! };
  } else for (let i = 0; i < n; i++) fitted[i] = fitted[i]! + bg[i]!;
  return {
    components,
    fwhm: p[0]!,
    fwhmStderr: se[0]!,
    background: bg,
    model: fitted,
    rss,
    dof,
    iterations,
    converged: res.converged,
    backgroundConverged: bgOk,
    ...(shirley ? { shirley } : {}),
    messages,
  };
}

/** A straight 0 → 1 ramp: Φ while the peak envelope is empty (all areas 0). */
function rampShape(x: Float64Array): Float64Array {
  const n = x.length;
  const d = x[n - 1]! - x[0]! || 1;
  return x.map((v) => (v - x[0]!) / d);
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
