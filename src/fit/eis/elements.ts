/**
 * The circuit-element table, as data. Each element is a pure function of its parameters and the
 * angular frequency ω = 2πf, with its analytic derivative (used for the CNLS Jacobian), declared
 * parameter metadata (name suffix, unit, default bounds) and its impedance formula in the doc.
 *
 * Conventions follow impedance.py (`impedance/models/circuits/elements.py`, MIT) so that parameter
 * values are interchangeable: CPE is 1/(Q (jω)^α), W is A_W (1 − j)/√ω, Wo/Ws take (R, τ).
 */
import { type Complex, c, div, mul, scale, sqrt, sub, tanh, ONE } from './complex.js';

export type ElementSymbol = 'R' | 'C' | 'L' | 'CPE' | 'W' | 'Wo' | 'Ws';

export interface ElementParamSpec {
  /** Suffix after `<Element><index>_`; '' for single-parameter elements (name = element id, e.g. `R0`). */
  readonly suffix: string;
  readonly unit: string;
  /** Default bounds (inclusive); fits may narrow them. */
  readonly lower: number;
  readonly upper: number;
  readonly doc: string;
}

export interface ElementSpec {
  readonly symbol: ElementSymbol;
  readonly description: string;
  /** Impedance formula (LaTeX-ish, for docs and error messages). */
  readonly formula: string;
  readonly params: readonly ElementParamSpec[];
  impedance(p: readonly number[], omega: number): Complex;
  /** ∂Z/∂p_k for each parameter, same order as `params`. */
  gradient(p: readonly number[], omega: number): Complex[];
}

const POS = { lower: 0, upper: Infinity } as const;

/** Z_R = R */
const R: ElementSpec = {
  symbol: 'R',
  description: 'resistor',
  formula: 'Z = R',
  params: [{ suffix: '', unit: 'ohm', ...POS, doc: 'resistance' }],
  impedance: (p) => c(p[0]!),
  gradient: () => [ONE],
};

/** Z_C = 1 / (jωC) */
const C: ElementSpec = {
  symbol: 'C',
  description: 'ideal capacitor',
  formula: 'Z = 1/(j ω C)',
  params: [{ suffix: '', unit: 'F', ...POS, doc: 'capacitance' }],
  impedance: (p, w) => c(0, -1 / (w * p[0]!)),
  gradient: (p, w) => [c(0, 1 / (w * p[0]! * p[0]!))],
};

/** Z_L = jωL */
const L: ElementSpec = {
  symbol: 'L',
  description: 'inductor',
  formula: 'Z = j ω L',
  params: [{ suffix: '', unit: 'H', ...POS, doc: 'inductance' }],
  impedance: (p, w) => c(0, w * p[0]!),
  gradient: (_p, w) => [c(0, w)],
};

/** Z_CPE = 1 / (Q (jω)^α); α = 1 is a capacitor Q = C, α = 0.5 is Warburg-like. */
const CPE: ElementSpec = {
  symbol: 'CPE',
  description: 'constant-phase element',
  formula: 'Z = 1/(Q (j ω)^α)',
  params: [
    { suffix: 'Q', unit: 'F*s^(a-1)', ...POS, doc: 'CPE magnitude' },
    { suffix: 'alpha', unit: '1', lower: 0, upper: 1, doc: 'CPE exponent' },
  ],
  impedance: (p, w) => {
    // 1/(Q (jω)^α) = ω^−α/Q · (cos(απ/2) − j sin(απ/2))
    const m = Math.pow(w, -p[1]!) / p[0]!;
    const phi = (p[1]! * Math.PI) / 2;
    return c(m * Math.cos(phi), -m * Math.sin(phi));
  },
  gradient: (p, w) => {
    const q = p[0]!;
    const m = Math.pow(w, -p[1]!) / q;
    const phi = (p[1]! * Math.PI) / 2;
    const zr = m * Math.cos(phi);
    const zi = -m * Math.sin(phi);
    // ∂Z/∂Q = −Z/Q;  ∂Z/∂α = −Z · ln(jω) = −Z (ln ω + jπ/2)
    const lw = Math.log(w);
    const h = Math.PI / 2;
    return [c(-zr / q, -zi / q), c(-(zr * lw - zi * h), -(zr * h + zi * lw))];
  },
};

/** Semi-infinite Warburg: Z_W = A_W (1 − j)/√ω  (A_W = σ, the Warburg coefficient). */
const W: ElementSpec = {
  symbol: 'W',
  description: 'semi-infinite Warburg',
  formula: 'Z = A_W (1 − j)/√ω',
  params: [{ suffix: '', unit: 'ohm*s^-0.5', ...POS, doc: 'Warburg coefficient σ = A_W' }],
  impedance: (p, w) => scale(c(1, -1), p[0]! / Math.sqrt(w)),
  gradient: (_p, w) => [scale(c(1, -1), 1 / Math.sqrt(w))],
};

/** Finite-length Warburg, open (reflective) boundary: Z = R coth(√(jωτ)) / √(jωτ). */
const Wo: ElementSpec = {
  symbol: 'Wo',
  description: 'finite-length Warburg, open (reflective) boundary',
  formula: 'Z = R coth(√(j ω τ))/√(j ω τ)',
  params: [
    { suffix: 'R', unit: 'ohm', ...POS, doc: 'diffusion resistance' },
    { suffix: 'tau', unit: 's', ...POS, doc: 'diffusion time constant' },
  ],
  impedance: (p, w) => {
    const u = sqrt(c(0, w * p[1]!));
    return scale(div(ONE, mul(tanh(u), u)), p[0]!);
  },
  gradient: (p, w) => {
    const [r, tau] = [p[0]!, p[1]!];
    const u = sqrt(c(0, w * tau));
    const coth = div(ONE, tanh(u));
    const f = div(coth, u);
    // dZ/dτ = R/(2τ) · (−(coth² − 1) − coth/u)
    const d = scale(sub(sub(ONE, mul(coth, coth)), f), r / (2 * tau));
    return [f, d];
  },
};

/** Finite-length Warburg, short (transmissive) boundary: Z = R tanh(√(jωτ)) / √(jωτ). */
const Ws: ElementSpec = {
  symbol: 'Ws',
  description: 'finite-length Warburg, short (transmissive) boundary',
  formula: 'Z = R tanh(√(j ω τ))/√(j ω τ)',
  params: [
    { suffix: 'R', unit: 'ohm', ...POS, doc: 'diffusion resistance' },
    { suffix: 'tau', unit: 's', ...POS, doc: 'diffusion time constant' },
  ],
  impedance: (p, w) => {
    const u = sqrt(c(0, w * p[1]!));
    return scale(div(tanh(u), u), p[0]!);
  },
  gradient: (p, w) => {
    const [r, tau] = [p[0]!, p[1]!];
    const u = sqrt(c(0, w * tau));
    const t = tanh(u);
    const g = div(t, u);
    // dZ/dτ = R/(2τ) · ((1 − tanh²) − tanh/u)
    const d = scale(sub(sub(ONE, mul(t, t)), g), r / (2 * tau));
    return [g, d];
  },
};

/** All elements, longest symbol first (the tokenizer relies on this order only for messages). */
export const ELEMENTS: Readonly<Record<ElementSymbol, ElementSpec>> = { R, C, L, CPE, W, Wo, Ws };

export const ELEMENT_SYMBOLS: readonly ElementSymbol[] = ['CPE', 'Wo', 'Ws', 'W', 'R', 'C', 'L'];

export function isElementSymbol(s: string): s is ElementSymbol {
  return Object.prototype.hasOwnProperty.call(ELEMENTS, s);
}
