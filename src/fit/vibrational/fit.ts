/**
 * Band deconvolution of one region of a Raman/FTIR spectrum (MECHANISMS §5.3): a linear baseline and
 * n pseudo-Voigt components with one shared width (widths shared within a species family), fitted by
 * least squares with the project's bounded Levenberg–Marquardt (src/stats/least-squares.ts, projected
 * Marquardt as for XPS peaks; analytic Jacobian). The
 * pseudo-Voigt is CasaXPS's SGL(m) of src/fit/xps/lineshapes.ts — (1 − η)·Gaussian + η·Lorentzian of
 * the same FWHM, η = m/100 — parameterised by area. Centres are kept in increasing order by fitting
 * c₁ and the gaps c_{k+1} − c_k ≥ 0; n starts (the envelope maximum taken as each component in turn)
 * and the lowest residual wins. Area fractions x_i = A_i/ΣA_j assume equal scattering cross-sections
 * unless `crossSections` are given (MECHANISMS §5.1: x_i = (A_i/σ_i)/Σ(A_j/σ_j)); their 1σ comes from
 * the parameter covariance s²(JᵀJ)⁻¹ by the delta method.
 */
import { leastSquares, PROJECTED_MARQUARDT, type LeastSquaresResult } from '../../stats/least-squares.js';
import { shapeAndSlope, unitArea, type LineShape } from '../xps/lineshapes.js';
import type { BandRegion, BandRole } from './bands.js';

export interface BandFitOptions {
  /** Fit window (cm⁻¹); else the region's, else from the data around `region.anchor`. */
  readonly window?: readonly [number, number];
  /** Lorentzian share η of the pseudo-Voigt (0 = Gaussian, 1 = Lorentzian); default 0.5 (a fit setting, not a constant of nature). */
  readonly eta?: number;
  /** Relative scattering cross-sections per role (default: all equal, the usual and questioned assumption, MECHANISMS §5.1). */
  readonly crossSections?: Partial<Record<BandRole, number>>;
}

export interface BandComponent {
  readonly role: BandRole;
  readonly centre: number;
  readonly centreSe: number;
  readonly area: number;
  readonly areaSe: number;
  readonly fraction: number;
  readonly fractionSe: number;
}

export interface BandFit {
  readonly region: string;
  readonly window: readonly [number, number];
  readonly windowSource: 'option' | 'library' | 'data';
  readonly eta: number;
  readonly fwhm: number;
  readonly fwhmSe: number;
  readonly components: readonly BandComponent[];
  /** Σ of the fractions of the given roles and its 1σ (e.g. CIP + AGG), from the covariance. */
  share(roles: readonly BandRole[]): { value: number; se: number };
  readonly points: number;
  readonly rmse: number;
  readonly r2: number;
  readonly reducedChi2: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Baseline and model on the window, for plots and tests. */
  readonly x: Float64Array;
  readonly model: Float64Array;
  readonly baseline: Float64Array;
}

export class BandFitError extends Error {}

function smooth(y: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    let s = 0;
    let n = 0;
    for (let j = Math.max(0, i - k); j <= Math.min(y.length - 1, i + k); j++) {
      s += y[j]!;
      n++;
    }
    out[i] = s / n;
  }
  return out;
}

/** Envelope maximum and FWHM of (y − line through the window's edge points) over [lo, hi]. */
function envelope(x: ArrayLike<number>, y: ArrayLike<number>): { xp: number; fwhm: number; b0: number; b1: number; xm: number; area: number } {
  const n = x.length;
  const e = Math.max(2, Math.floor(n * 0.05));
  const mean = (a: number, b: number, arr: ArrayLike<number>): number => {
    let s = 0;
    for (let i = a; i < b; i++) s += arr[i]!;
    return s / (b - a);
  };
  const xl = mean(0, e, x),
    yl = mean(0, e, y),
    xr = mean(n - e, n, x),
    yr = mean(n - e, n, y);
  const b1 = (yr - yl) / (xr - xl || 1);
  const xm = (x[0]! + x[n - 1]!) / 2;
  const b0 = yl + b1 * (xm - xl);
  const ys = smooth(
    Float64Array.from({ length: n }, (_, i) => y[i]! - (b0 + b1 * (x[i]! - xm))),
    2,
  );
  let ip = 0;
  for (let i = 1; i < n; i++) if (ys[i]! > ys[ip]!) ip = i;
  const half = ys[ip]! / 2;
  let il = ip;
  while (il > 0 && ys[il]! > half) il--;
  let ir = ip;
  while (ir < n - 1 && ys[ir]! > half) ir++;
  let area = 0;
  for (let i = 1; i < n; i++) area += 0.5 * (ys[i]! + ys[i - 1]!) * (x[i]! - x[i - 1]!);
  return { xp: x[ip]!, fwhm: Math.max(x[ir]! - x[il]!, 2 * Math.abs(x[1]! - x[0]!)), b0, b1, xm, area: Math.max(area, 0) };
}

/**
 * Window around the band nearest `anchor` (cm⁻¹) [D]: climb the smoothed spectrum from the anchor to
 * its local maximum; take the highest point within ± 2 half-maximum widths of it (so that a shoulder
 * of an unresolved pair leads to the pair's main band); the window is that band's half-maximum span
 * ± 2.5 times its width. Null when the spectrum does not reach the anchor.
 */
export function dataWindow(x: ArrayLike<number>, y: ArrayLike<number>, anchor: number): [number, number] | null {
  const n = x.length;
  if (n < 10 || anchor < x[0]! || anchor > x[n - 1]!) return null;
  const ys = smooth(y, 3);
  const base = Array.from(ys).sort((a, b) => a - b)[Math.floor(0.05 * n)]!;
  let i = 0;
  for (let j = 1; j < n; j++) if (Math.abs(x[j]! - anchor) < Math.abs(x[i]! - anchor)) i = j;
  for (;;) {
    if (i > 0 && ys[i - 1]! > ys[i]!) i--;
    else if (i < n - 1 && ys[i + 1]! > ys[i]!) i++;
    else break;
  }
  const span = (k: number): [number, number] => {
    const half = base + (ys[k]! - base) / 2;
    let a = k;
    while (a > 0 && ys[a]! > half) a--;
    let b = k;
    while (b < n - 1 && ys[b]! > half) b++;
    return [x[a]!, x[b]!];
  };
  const [a0, b0] = span(i);
  const w0 = b0 - a0;
  let top = i;
  for (let j = 0; j < n; j++) if (Math.abs(x[j]! - x[i]!) <= 2 * w0 && ys[j]! > ys[top]!) top = j;
  const [a, b] = span(top);
  const w = Math.max(b - a, 4 * Math.abs(x[1]! - x[0]!));
  return [Math.max(x[0]!, a - 2.5 * w), Math.min(x[n - 1]!, b + 2.5 * w)];
}

export function fitBands(xAll: ArrayLike<number>, yAll: ArrayLike<number>, region: BandRegion, o: BandFitOptions = {}): BandFit {
  const eta = o.eta ?? 0.5;
  if (!(eta >= 0 && eta <= 1)) throw new BandFitError(`eta must be in [0, 1], got ${eta}`);
  let window: readonly [number, number] | null = o.window ?? region.window;
  const windowSource: BandFit['windowSource'] = o.window ? 'option' : region.window ? 'library' : 'data';
  if (!window && region.anchor !== undefined) window = dataWindow(xAll, yAll, region.anchor);
  if (!window)
    throw new BandFitError(region.anchor !== undefined ? `the spectrum does not reach ${region.anchor} cm⁻¹ (${region.id})` : `${region.id}: ${region.status}`);
  const idx: number[] = [];
  for (let i = 0; i < xAll.length; i++) if (xAll[i]! >= window[0] && xAll[i]! <= window[1] && Number.isFinite(yAll[i]!)) idx.push(i);
  const nc = region.components.length;
  const p = 3 + 2 * nc;
  if (idx.length < 3 * p) throw new BandFitError(`${region.id}: ${idx.length} points in ${window[0]}–${window[1]} cm⁻¹, need ≥ ${3 * p}`);
  const x = Float64Array.from(idx, (i) => xAll[i]!);
  const y = Float64Array.from(idx, (i) => yAll[i]!);
  const n = x.length;
  const env = envelope(x, y);
  const shape: LineShape = { kind: 'SGL', m: eta * 100 };
  const U = unitArea(shape);
  const step = (x[n - 1]! - x[0]!) / (n - 1);
  const span = window[1] - window[0];
  // θ = [b0, b1, F, c1, g2..gn, A1..An]
  const iF = 2,
    iC = 3,
    iA = 3 + nc;
  const centres = (t: ArrayLike<number>): number[] => {
    const c = [t[iC]!];
    for (let k = 1; k < nc; k++) c.push(c[k - 1]! + t[iC + k]!);
    return c;
  };
  const problem = {
    n,
    p,
    y,
    lower: [-Infinity, -Infinity, 2 * step, region.centreRange?.[0] ?? window[0], ...Array(nc - 1).fill(0), ...Array(nc).fill(0)],
    upper: [Infinity, Infinity, span / 2, region.centreRange?.[1] ?? window[1], ...Array(nc - 1).fill(span), ...Array(nc).fill(Infinity)],
    evaluate(t: Float64Array, f: Float64Array, J: Float64Array | null): void {
      const c = centres(t);
      const F = t[iF]!;
      for (let i = 0; i < n; i++) {
        const dx = x[i]! - env.xm;
        let v = t[0]! + t[1]! * dx;
        let dF = 0;
        const dc = new Array<number>(nc);
        for (let k = 0; k < nc; k++) {
          const u = (x[i]! - c[k]!) / F;
          const [s, ds] = shapeAndSlope(shape, u);
          const A = t[iA + k]!;
          const h = 1 / (U * F);
          v += A * h * s;
          if (J) {
            J[i * p + iA + k] = h * s;
            dc[k] = (-A * h * ds) / F;
            dF += ((-A * h) / F) * (s + u * ds);
          }
        }
        f[i] = v;
        if (J) {
          J[i * p] = 1;
          J[i * p + 1] = dx;
          J[i * p + iF] = dF;
          // c1 moves every centre; gap g_k moves centres k..n
          let acc = 0;
          for (let k = nc - 1; k >= 0; k--) {
            acc += dc[k]!;
            J[i * p + iC + k] = acc;
          }
        }
      }
    },
  };
  let best: LeastSquaresResult | null = null;
  for (let lead = 0; lead < nc; lead++) {
    const gap = Math.max(env.fwhm / 2, 2 * step);
    const c1 = env.xp - lead * gap;
    const t0 = [env.b0, env.b1, Math.max(2 * step, env.fwhm / Math.max(1, nc - 0.5)), c1, ...Array(nc - 1).fill(gap), ...Array(nc).fill(env.area / nc)];
    const r = leastSquares(problem, t0, { ...PROJECTED_MARQUARDT, maxIterations: 400, ftol: 1e-10 });
    if (!best || r.cost < best.cost) best = r;
  }
  const r = best!;
  const dof = Math.max(1, n - p);
  const s2 = r.cost / dof;
  const cov = (a: number, b: number): number => s2 * r.covariance[a * p + b]!;
  const c = centres(r.x);
  const sig = nc && o.crossSections ? region.components.map((role) => o.crossSections![role] ?? 1) : region.components.map(() => 1);
  const w = region.components.map((_, k) => r.x[iA + k]! / sig[k]!);
  const S = w.reduce((a, b) => a + b, 0);
  // delta method for a sum of fractions over a set K: g_j = (1[j∈K]·S − Σ_K w)/S² · 1/σ_j
  const shareOf = (K: readonly number[]): { value: number; se: number } => {
    if (!(S > 0)) return { value: NaN, se: NaN };
    const wk = K.reduce((a, k) => a + w[k]!, 0);
    const g = region.components.map((_, j) => ((K.includes(j) ? S : 0) - wk) / (S * S) / sig[j]!);
    let v = 0;
    for (let a = 0; a < nc; a++) for (let b = 0; b < nc; b++) v += g[a]! * g[b]! * cov(iA + a, iA + b);
    return { value: wk / S, se: Math.sqrt(Math.max(0, v)) };
  };
  const centreSe = (k: number): number => {
    let v = 0;
    for (let a = 0; a <= k; a++) for (let b = 0; b <= k; b++) v += cov(iC + a, iC + b);
    return Math.sqrt(Math.max(0, v));
  };
  const components: BandComponent[] = region.components.map((role, k) => {
    const sh = shareOf([k]);
    return {
      role,
      centre: c[k]!,
      centreSe: centreSe(k),
      area: r.x[iA + k]!,
      areaSe: Math.sqrt(Math.max(0, cov(iA + k, iA + k))),
      fraction: sh.value,
      fractionSe: sh.se,
    };
  });
  const model = new Float64Array(n);
  problem.evaluate(r.x, model, null);
  const baseline = Float64Array.from(x, (xi) => r.x[0]! + r.x[1]! * (xi - env.xm));
  const ym = y.reduce((a, b) => a + b, 0) / n;
  let tss = 0;
  for (let i = 0; i < n; i++) tss += (y[i]! - ym) ** 2;
  return {
    region: region.id,
    window: [window[0], window[1]],
    windowSource,
    eta,
    fwhm: r.x[iF]!,
    fwhmSe: Math.sqrt(Math.max(0, cov(iF, iF))),
    components,
    share: (roles) => shareOf(region.components.flatMap((role, k) => (roles.includes(role) ? [k] : []))),
    points: n,
    rmse: Math.sqrt(r.cost / n),
    r2: tss > 0 ? 1 - r.cost / tss : NaN,
    reducedChi2: s2, // iterations as the XPS peak fit counts them (those before the converging one)
    iterations: r.converged ? r.iterations - 1 : r.iterations,
    converged: r.converged,
    x,
    model,
    baseline,
  };
}
