/**
 * Bound-respecting reparameterisation for the optimiser. A parameter x with bounds [lo, hi] is
 * optimised through an unconstrained u:
 *   lo = 0, hi = ∞      x = exp(u)                    (log scale: 1e-12 F and 1e9 Ω alike)
 *   lo > −∞, hi = ∞     x = lo + exp(u)
 *   lo = −∞, hi < ∞     x = hi − exp(u)
 *   both finite          x = lo + (hi − lo)/(1 + e^−u)  (logistic; e.g. CPE α in [0, 1])
 *   both infinite        x = u
 */
export type TransformKind = 'log' | 'lower' | 'upper' | 'logistic' | 'identity';

export interface Transform {
  readonly kind: TransformKind;
  readonly lo: number;
  readonly hi: number;
}

export function makeTransform(lo: number, hi: number): Transform {
  if (lo === 0 && hi === Infinity) return { kind: 'log', lo, hi };
  if (Number.isFinite(lo) && hi === Infinity) return { kind: 'lower', lo, hi };
  if (lo === -Infinity && Number.isFinite(hi)) return { kind: 'upper', lo, hi };
  if (Number.isFinite(lo) && Number.isFinite(hi)) return { kind: 'logistic', lo, hi };
  return { kind: 'identity', lo, hi };
}

/** Smallest relative distance kept from a bound when mapping x → u (the map is open at bounds). */
const EDGE = 1e-9;

export function toInternal(t: Transform, x: number): number {
  switch (t.kind) {
    case 'log':
      return Math.log(Math.max(x, Number.MIN_VALUE * 1e10));
    case 'lower':
      return Math.log(Math.max(x - t.lo, EDGE * (1 + Math.abs(t.lo))));
    case 'upper':
      return Math.log(Math.max(t.hi - x, EDGE * (1 + Math.abs(t.hi))));
    case 'logistic': {
      const s = Math.min(1 - EDGE, Math.max(EDGE, (x - t.lo) / (t.hi - t.lo)));
      return Math.log(s / (1 - s));
    }
    case 'identity':
      return x;
  }
}

export function toExternal(t: Transform, u: number): number {
  switch (t.kind) {
    case 'log':
      return Math.exp(u);
    case 'lower':
      return t.lo + Math.exp(u);
    case 'upper':
      return t.hi - Math.exp(u);
    case 'logistic':
      return t.lo + (t.hi - t.lo) / (1 + Math.exp(-u));
    case 'identity':
      return u;
  }
}

/** dx/du at u. */
export function derivative(t: Transform, u: number): number {
  switch (t.kind) {
    case 'log':
    case 'lower':
      return Math.exp(u);
    case 'upper':
      return -Math.exp(u);
    case 'logistic': {
      const s = 1 / (1 + Math.exp(-u));
      return (t.hi - t.lo) * s * (1 - s);
    }
    case 'identity':
      return 1;
  }
}
