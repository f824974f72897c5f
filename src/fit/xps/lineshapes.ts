/**
 * Peak line shapes with CasaXPS's conventions, so that a fit here can be compared with one done in
 * CasaXPS (Fairley, CasaXPS manual "Line shapes and backgrounds"). All shapes have unit height at the
 * centre; `F` is the CasaXPS width parameter (for the mixed shapes it is close to, not exactly, the
 * FWHM). Peaks are parameterised by AREA: `peakValue` divides by the numerically integrated unit area.
 */
export type LineShape =
  /** Product Gaussian–Lorentzian GL(m): exp(−4ln2(1−m/100)u²) / (1 + 4(m/100)u²), u = (x−E)/F. */
  | { readonly kind: 'GL'; readonly m: number }
  /** Sum SGL(m): (1−m/100)·exp(−4ln2·u²) + (m/100)/(1 + 4u²). */
  | { readonly kind: 'SGL'; readonly m: number }
  /**
   * Asymmetric Lorentzian LA(α, β) (CasaXPS LA without the Gaussian convolution): [1/(1+4u²)]^α on
   * the HIGH-BE side (the metallic tail, α < β for a longer tail) and ^β on the low-BE side. Used for
   * Li metal, whose conduction-electron excitations give a Doniach–Šunjić-like tail.
   */
  | { readonly kind: 'LA'; readonly alpha: number; readonly beta: number };

const LN2x4 = 4 * Math.LN2;

/** Unit-height shape at x. */
export function shapeValue(s: LineShape, x: number, center: number, F: number): number {
  const u = (x - center) / F;
  const u2 = u * u;
  switch (s.kind) {
    case 'GL': {
      const m = s.m / 100;
      return Math.exp(-LN2x4 * (1 - m) * u2) / (1 + 4 * m * u2);
    }
    case 'SGL': {
      const m = s.m / 100;
      return (1 - m) * Math.exp(-LN2x4 * u2) + m / (1 + 4 * u2);
    }
    case 'LA': {
      const l = 1 / (1 + 4 * u2);
      return l ** (u > 0 ? s.alpha : s.beta);
    }
  }
}

/** [s(u), ds/du] for the unit-height shape at u = (x − E)/F: the analytic Jacobian of the peak fit. */
export function shapeAndSlope(s: LineShape, u: number): [number, number] {
  const u2 = u * u;
  switch (s.kind) {
    case 'GL': {
      const m = s.m / 100;
      const g = Math.exp(-LN2x4 * (1 - m) * u2);
      const l = 1 / (1 + 4 * m * u2);
      return [g * l, -2 * LN2x4 * (1 - m) * u * g * l - 8 * m * u * g * l * l];
    }
    case 'SGL': {
      const m = s.m / 100;
      const g = Math.exp(-LN2x4 * u2);
      const l = 1 / (1 + 4 * u2);
      return [(1 - m) * g + m * l, -(1 - m) * 2 * LN2x4 * u * g - 8 * m * u * l * l];
    }
    case 'LA': {
      const l = 1 / (1 + 4 * u2);
      const a = u > 0 ? s.alpha : s.beta;
      const v = l ** a;
      return [v, -8 * a * u * v * l];
    }
  }
}

const areaCache = new Map<string, number>();

/**
 * ∫ shape dx for F = 1 (the area scales with F). Integrated on u ∈ [−400, 400] in a substitution that
 * resolves the core finely; Lorentzian tails beyond |u| = 400 hold < 0.1 % for m ≤ 100, α ≥ 1.
 */
const areaByObject = new WeakMap<LineShape, number>();

export function unitArea(s: LineShape): number {
  const known = areaByObject.get(s);
  if (known !== undefined) return known;
  const key = JSON.stringify(s);
  const hit = areaCache.get(key);
  if (hit !== undefined) {
    areaByObject.set(s, hit);
    return hit;
  }
  // u = sinh(t)·k maps a uniform t grid to dense samples near 0 and sparse ones in the tails.
  const k = 0.5;
  const tMax = Math.asinh(400 / k);
  const N = 8000;
  let sum = 0;
  for (let i = 0; i <= N; i++) {
    const t = -tMax + (2 * tMax * i) / N;
    const u = k * Math.sinh(t);
    const w = i === 0 || i === N ? 0.5 : 1;
    sum += w * shapeValue(s, u, 0, 1) * k * Math.cosh(t);
  }
  const area = (sum * 2 * tMax) / N;
  areaCache.set(key, area);
  areaByObject.set(s, area);
  return area;
}

/** Value at x of a peak with the given AREA (counts·eV), centre and width. */
export function peakValue(s: LineShape, x: number, center: number, F: number, area: number): number {
  return (area / (unitArea(s) * F)) * shapeValue(s, x, center, F);
}

/** Parse CasaXPS notation `GL(30)`, `SGL(30)`, `LA(1.3,2.5)` (a third LA argument is ignored, stated). */
export function parseLineShape(s: string): LineShape {
  const m = /^\s*(GL|SGL|LA)\(\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?(?:,\s*[\d.]+\s*)?\)\s*$/.exec(s);
  if (!m) throw new Error(`unknown line shape '${s}'; use GL(m), SGL(m) or LA(alpha,beta)`);
  if (m[1] === 'LA') {
    if (m[3] === undefined) throw new Error(`LA needs two exponents: LA(alpha,beta), got '${s}'`);
    return { kind: 'LA', alpha: Number(m[2]), beta: Number(m[3]) };
  }
  return { kind: m[1] as 'GL' | 'SGL', m: Number(m[2]) };
}
