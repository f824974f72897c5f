/**
 * From fitted component areas to atomic percentages and SEI descriptors (DOMAIN.md §3.3):
 *   n_i = A_i / RSF(core level),  x_i = n_i / Σ n,
 * with σ(A_i) from the fit propagated as independent errors (covariances between components of the
 * same region are neglected: stated, and conservative for sums of well-separated components).
 * The inorganic fraction is the pipeline's proposed definition (not a community standard):
 *   f_inorg = Σ n(inorganic species) / Σ n(inorganic + organic species),
 * over the non-Li core levels (Li 1s only gives the Li⁰ share), so LiF counts its F, Li2CO3 its C and
 * O, Li3N/LiNxOy their N, LixPOyFz its F and P; organics count C (C–C, C–O, C=O, ROCO2Li) and O.
 */
import type { CoreLevel } from './species.js';

export interface QuantComponent {
  readonly id: string;
  readonly species: string;
  readonly core: CoreLevel;
  readonly area: number;
  readonly areaStderr: number;
}

export interface AtomicShare {
  readonly id: string;
  readonly species: string;
  readonly core: CoreLevel;
  readonly atoms: number;
  readonly atomsStderr: number;
  readonly atomicPercent: number;
  readonly atomicPercentStderr: number;
}

export function atomicPercentages(comps: readonly QuantComponent[], rsf: Readonly<Record<string, number>>): AtomicShare[] {
  const n = comps.map((c) => c.area / rsf[c.core]!);
  const s = comps.map((c) => c.areaStderr / rsf[c.core]!);
  const N = n.reduce((a, b) => a + b, 0);
  return comps.map((c, i) => {
    // ∂x_i/∂n_j = (δ_ij N − n_i)/N²
    let v = 0;
    for (let j = 0; j < n.length; j++) {
      const d = ((i === j ? N : 0) - n[i]!) / (N * N);
      v += (d * s[j]!) ** 2;
    }
    return {
      id: c.id,
      species: c.species,
      core: c.core,
      atoms: n[i]!,
      atomsStderr: s[i]!,
      atomicPercent: N > 0 ? (100 * n[i]!) / N : NaN,
      atomicPercentStderr: N > 0 ? 100 * Math.sqrt(v) : NaN,
    };
  });
}

export interface ValueWithError {
  readonly value: number;
  readonly stderr: number;
}

/** Σ atoms of `num` species / Σ atoms of `num ∪ other` species, over components not in Li 1s. */
export function ratioOfSpecies(shares: readonly AtomicShare[], num: readonly string[], other: readonly string[]): ValueWithError {
  let a = 0;
  let va = 0;
  let b = 0;
  let vb = 0;
  for (const s of shares) {
    if (s.core === 'Li 1s') continue;
    if (num.includes(s.species)) {
      a += s.atoms;
      va += s.atomsStderr ** 2;
    } else if (other.includes(s.species)) {
      b += s.atoms;
      vb += s.atomsStderr ** 2;
    }
  }
  const t = a + b;
  if (!(t > 0)) return { value: NaN, stderr: NaN };
  return { value: a / t, stderr: Math.sqrt(b * b * va + a * a * vb) / (t * t) };
}

/** Li⁰ share of Li 1s: A(Li metal)/A(Li 1s total). */
export function metalShare(shares: readonly AtomicShare[], metalSpecies = 'Li metal'): ValueWithError {
  const li = shares.filter((s) => s.core === 'Li 1s');
  const m = li.filter((s) => s.species === metalSpecies);
  const a = m.reduce((p, s) => p + s.atoms, 0);
  const t = li.reduce((p, s) => p + s.atoms, 0);
  if (!(t > 0)) return { value: NaN, stderr: NaN };
  const va = m.reduce((p, s) => p + s.atomsStderr ** 2, 0);
  const vb = li.filter((s) => s.species !== metalSpecies).reduce((p, s) => p + s.atomsStderr ** 2, 0);
  const b = t - a;
  return { value: a / t, stderr: Math.sqrt(b * b * va + a * a * vb) / (t * t) };
}

/**
 * Weighted depth average of per-level values: trapezoid weights in sputter time when every level has
 * one (∫f dt / ∫dt), else equal weights. NaN values are skipped.
 */
export function depthAverage(values: readonly ValueWithError[], times?: readonly number[]): ValueWithError {
  const idx = values.map((v, i) => i).filter((i) => Number.isFinite(values[i]!.value));
  if (idx.length === 0) return { value: NaN, stderr: NaN };
  let w: number[];
  if (times && idx.length > 1 && idx.every((i) => Number.isFinite(times[i]!))) {
    w = idx.map((i, q) => {
      const prev = q > 0 ? times[idx[q - 1]!]! : times[i]!;
      const next = q < idx.length - 1 ? times[idx[q + 1]!]! : times[i]!;
      return (next - prev) / 2;
    });
    if (!(w.reduce((a, b) => a + b, 0) > 0)) w = idx.map(() => 1);
  } else w = idx.map(() => 1);
  const W = w.reduce((a, b) => a + b, 0);
  let v = 0;
  let e = 0;
  idx.forEach((i, q) => {
    v += w[q]! * values[i]!.value;
    e += (w[q]! * (Number.isFinite(values[i]!.stderr) ? values[i]!.stderr : 0)) ** 2;
  });
  return { value: v / W, stderr: Math.sqrt(e) / W };
}

/** Sample standard deviation of finite values (depth heterogeneity of a per-level metric). */
export function spread(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  if (v.length < 2) return NaN;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

export interface Crossing {
  readonly at: number;
  readonly stderr: number;
  /** The 50 % level was never reached: `at` is the last depth measured (a lower bound). */
  readonly censored: boolean;
}

/** First depth where `share` reaches 0.5, linearly interpolated; σ from the share errors and the local slope. */
export function halfCrossing(depth: readonly number[], share: readonly ValueWithError[]): Crossing | undefined {
  const idx = depth.map((_, i) => i).filter((i) => Number.isFinite(share[i]!.value) && Number.isFinite(depth[i]!));
  if (idx.length === 0) return undefined;
  const first = idx[0]!;
  if (share[first]!.value >= 0.5) return { at: depth[first]!, stderr: NaN, censored: false };
  for (let q = 1; q < idx.length; q++) {
    const i0 = idx[q - 1]!;
    const i1 = idx[q]!;
    const s0 = share[i0]!.value;
    const s1 = share[i1]!.value;
    if (s1 >= 0.5 && s0 < 0.5) {
      const slope = (s1 - s0) / (depth[i1]! - depth[i0]!);
      const at = depth[i0]! + (0.5 - s0) / slope;
      const se = Math.hypot(share[i0]!.stderr || 0, share[i1]!.stderr || 0) / Math.sqrt(2) / Math.abs(slope);
      return { at, stderr: se, censored: false };
    }
  }
  return { at: depth[idx[idx.length - 1]!]!, stderr: NaN, censored: true };
}
