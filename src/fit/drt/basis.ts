/**
 * Gaussian radial-basis discretisation of the distribution of relaxation times on y = ln τ:
 *   γ(y) = Σ_m x_m φ_m(y),  φ_m(y) = exp(−((y − y_m)/ε)²)
 *   Z_pol(ω) = ∫ γ(y) / (1 + jω e^y) dy = Σ_m x_m A_m(ω)
 * A_m(ω) is integrated numerically (composite Simpson over y_m ± 6ε, 48 panels); Simpson on a
 * Gaussian this smooth is accurate to ~1e-10 relative (checked in tests against an ideal RC).
 */
export interface RbfBasis {
  /** Centres y_m = ln τ_m, ascending. */
  readonly centres: Float64Array;
  /** Gaussian width ε (in ln τ units). */
  readonly epsilon: number;
  /** ∫ φ_m dy = ε √π (same for all m). */
  readonly area: number;
}

export function makeBasis(tauMin: number, tauMax: number, pointsPerDecade: number, widthFactor: number): RbfBasis {
  const lo = Math.log(tauMin);
  const hi = Math.log(tauMax);
  const step = Math.log(10) / pointsPerDecade;
  const count = Math.max(2, Math.round((hi - lo) / step) + 1);
  const centres = Float64Array.from({ length: count }, (_, m) => lo + ((hi - lo) * m) / (count - 1));
  const epsilon = widthFactor * ((hi - lo) / (count - 1));
  return { centres, epsilon, area: epsilon * Math.sqrt(Math.PI) };
}

const PANELS = 48;

/** Real and imaginary parts of A_m(ω). */
export function basisResponse(basis: RbfBasis, m: number, omega: number): { re: number; im: number } {
  const y0 = basis.centres[m]!;
  const eps = basis.epsilon;
  const a = y0 - 6 * eps;
  const h = (12 * eps) / PANELS;
  let re = 0;
  let im = 0;
  for (let k = 0; k <= PANELS; k++) {
    const y = a + k * h;
    const wgt = k === 0 || k === PANELS ? 1 : k % 2 === 1 ? 4 : 2;
    const phi = Math.exp(-(((y - y0) / eps) ** 2));
    const wt = omega * Math.exp(y);
    const d = 1 + wt * wt;
    re += (wgt * phi) / d;
    im -= (wgt * phi * wt) / d;
  }
  return { re: (re * h) / 3, im: (im * h) / 3 };
}

/** γ(y) at arbitrary y from coefficients x. */
export function gammaAt(basis: RbfBasis, x: ArrayLike<number>, y: number): number {
  let s = 0;
  for (let m = 0; m < basis.centres.length; m++) {
    const u = (y - basis.centres[m]!) / basis.epsilon;
    if (Math.abs(u) < 8) s += x[m]! * Math.exp(-u * u);
  }
  return s;
}
