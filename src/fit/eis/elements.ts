/**
 * The circuit-element table, as data. Each element is a pure function of its parameters and the
 * angular frequency ω = 2πf, with its analytic derivative (used for the CNLS Jacobian), declared
 * parameter metadata (name suffix, unit, default bounds) and its impedance formula in the doc.
 *
 * Conventions follow impedance.py (`impedance/models/circuits/elements.py`, MIT) so that parameter
 * values are interchangeable: CPE is 1/(Q (jω)^α), W is A_W (1 − j)/√ω, Wo/Ws take (R, τ).
 */
import { type Complex, abs, add, c, div, mul, scale, sqrt, sub, tanh, ONE } from './complex.js';

export type ElementSymbol = 'R' | 'C' | 'L' | 'CPE' | 'W' | 'Wo' | 'Ws' | 'ZARC' | 'RQ' | 'G' | 'TLMo' | 'TLMc' | 'LR';

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
    const m = w ** -p[1]! / p[0]!;
    const phi = (p[1]! * Math.PI) / 2;
    return c(m * Math.cos(phi), -m * Math.sin(phi));
  },
  gradient: (p, w) => {
    const q = p[0]!;
    const m = w ** -p[1]! / q;
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

/**
 * tanh(a + ja) with a = √(x/2) (i.e. of u = √(jx), x = ωτ > 0), as [Re, Im, a]:
 * (sinh 2a + j sin 2a)/(cosh 2a + cos 2a), → 1 for large a (no overflow).
 */
function tanhOfDiagonal(x: number): [number, number, number] {
  const a = Math.sqrt(x / 2);
  if (a > 20) return [1, 0, a];
  const d = Math.cosh(2 * a) + Math.cos(2 * a);
  return [Math.sinh(2 * a) / d, Math.sin(2 * a) / d, a];
}

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
    // u = √(jωτ) = a(1 + j): Z = R / (tanh(u)·u), in real arithmetic (the fitter's hot path)
    const [tr, ti, a] = tanhOfDiagonal(w * p[1]!);
    const xr = a * (tr - ti);
    const xi = a * (tr + ti);
    const d = p[0]! / (xr * xr + xi * xi);
    return c(xr * d, -xi * d);
  },
  gradient: (p, w) => {
    const [r, tau] = [p[0]!, p[1]!];
    const [tr, ti, a] = tanhOfDiagonal(w * tau);
    // coth = 1/tanh; f = coth/u with u = a(1 + j)
    const tm = tr * tr + ti * ti;
    const cr = tr / tm;
    const ci = -ti / tm;
    const fr = (cr + ci) / (2 * a);
    const fi = (ci - cr) / (2 * a);
    // dZ/dτ = R/(2τ) · (1 − coth² − coth/u)
    const k = r / (2 * tau);
    return [c(fr, fi), c((1 - (cr * cr - ci * ci) - fr) * k, (-2 * cr * ci - fi) * k)];
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
    // u = √(jωτ) = a(1 + j): Z = R tanh(u)/u = R ((tr + ti) + j(ti − tr))/(2a)
    const [tr, ti, a] = tanhOfDiagonal(w * p[1]!);
    const k = p[0]! / (2 * a);
    return c((tr + ti) * k, (ti - tr) * k);
  },
  gradient: (p, w) => {
    const [r, tau] = [p[0]!, p[1]!];
    const [tr, ti, a] = tanhOfDiagonal(w * tau);
    // g = tanh/u with u = a(1 + j)
    const gr = (tr + ti) / (2 * a);
    const gi = (ti - tr) / (2 * a);
    // dZ/dτ = R/(2τ) · ((1 − tanh²) − tanh/u)
    const k = r / (2 * tau);
    return [c(gr, gi), c((1 - (tr * tr - ti * ti) - gr) * k, (-2 * tr * ti - gi) * k)];
  },
};

/** (jωτ)^α as a complex number, and ln(jωτ) = ln(ωτ) + jπ/2. */
function jwtPow(x: number, alpha: number): Complex {
  const m = x ** alpha;
  const phi = (alpha * Math.PI) / 2;
  return c(m * Math.cos(phi), m * Math.sin(phi));
}

/**
 * ZARC (R‖CPE) in time-constant form: Z = R / (1 + (jωτ)^α). Same impedance as p(R,CPE) with
 * Q = τ^α / R, but τ (the −Z'' apex at ωτ = 1) and α are nearly uncorrelated with R, which the
 * (R, Q, α) form is not. `RQ` is the same element under its Boukamp name.
 */
const ZARC: ElementSpec = {
  symbol: 'ZARC',
  description: 'ZARC: resistor parallel to a CPE, (R, τ, α) form',
  formula: 'Z = R/(1 + (j ω τ)^α)',
  params: [
    { suffix: 'R', unit: 'ohm', ...POS, doc: 'arc resistance' },
    { suffix: 'tau', unit: 's', ...POS, doc: 'time constant (−Z″ apex at ωτ = 1)' },
    { suffix: 'alpha', unit: '1', lower: 0, upper: 1, doc: 'CPE exponent (1 = ideal RC)' },
  ],
  impedance: (p, w) => div(c(p[0]!), add(ONE, jwtPow(w * p[1]!, p[2]!))),
  gradient: (p, w) => {
    const [r, tau, a] = [p[0]!, p[1]!, p[2]!];
    const u = jwtPow(w * tau, a);
    const inv = div(ONE, add(ONE, u));
    // ∂Z/∂u = −R/(1+u)²
    const dzdu = scale(mul(inv, inv), -r);
    const du = mul(dzdu, u);
    return [inv, scale(du, a / tau), mul(du, c(Math.log(w * tau), Math.PI / 2))];
  },
};
const RQ: ElementSpec = { ...ZARC, symbol: 'RQ', description: 'RQ (Boukamp): same as ZARC, (R, τ, α) form' };

/**
 * Gerischer (impedance.py `G`): Z = R / √(1 + jωτ). A reaction coupled to diffusion (chemical
 * step in the SEI, mixed conductor); the −Z'' apex sits at ωτ = √3.
 */
const G: ElementSpec = {
  symbol: 'G',
  description: 'Gerischer',
  formula: 'Z = R/√(1 + j ω τ)',
  params: [
    { suffix: 'R', unit: 'ohm', ...POS, doc: 'Gerischer resistance (Z at ω → 0)' },
    { suffix: 'tau', unit: 's', ...POS, doc: 'Gerischer time constant' },
  ],
  impedance: (p, w) => div(c(p[0]!), sqrt(c(1, w * p[1]!))),
  gradient: (p, w) => {
    const [r, tau] = [p[0]!, p[1]!];
    const d = c(1, w * tau);
    const g = div(ONE, sqrt(d));
    // ∂Z/∂τ = −(R/2) · jω · (1 + jωτ)^(−3/2)
    return [g, scale(mul(div(g, d), c(0, w)), -r / 2)];
  },
};

/**
 * Bisquert transmission line with a CPE interface. The line's ionic rail has total resistance
 * R_ion, the interface along it the total admittance Y = Q (jω)^α, the electronic rail none.
 * With s = √(R_ion · Y):
 *   closed (reflective end, blocking pore bottom): Z = R_ion coth(s)/s  → R_ion/3 + 1/Y at ω → 0
 *   open (transmissive end, ions reach the metal):  Z = R_ion tanh(s)/s  → R_ion at ω → 0
 * (Bisquert, Electrochem. Commun. 1, 429 (1999); J. Phys. Chem. B 104, 2287 (2000), eq. 11.)
 * With α = 1 the closed line is Wo(R_ion, τ = R_ion·Q) and the open one Ws(R_ion, τ = R_ion·Q).
 */
function tlm(symbol: 'TLMo' | 'TLMc'): ElementSpec {
  const closed = symbol === 'TLMc';
  // F(s) = coth(s)/s (closed) or tanh(s)/s (open), and F'(s)
  const F = (s: Complex): [Complex, Complex] => {
    if (!closed && abs(s) < 1e-3) {
      // tanh(s)/s = 1 − s²/3 + 2s⁴/15; F' = −2s/3 + 8s³/15 (the closed form cancels here)
      const s2 = mul(s, s);
      return [add(ONE, add(scale(s2, -1 / 3), scale(mul(s2, s2), 2 / 15))), add(scale(s, -2 / 3), scale(mul(s2, s), 8 / 15))];
    }
    const t = tanh(s);
    const h = closed ? div(ONE, t) : t; // coth or tanh
    const f = div(h, s);
    // d/ds [h/s] = (1 − h²)/s − h/s²  (both coth' = 1 − coth² and tanh' = 1 − tanh²)
    const d = sub(div(sub(ONE, mul(h, h)), s), div(f, s));
    return [f, d];
  };
  return {
    symbol,
    description: closed
      ? 'transmission line (Bisquert), closed / reflective end, CPE interface'
      : 'transmission line (Bisquert), open / transmissive end, CPE interface',
    formula: closed ? 'Z = R_ion coth(s)/s, s = √(R_ion Q (j ω)^α)' : 'Z = R_ion tanh(s)/s, s = √(R_ion Q (j ω)^α)',
    params: [
      { suffix: 'Rion', unit: 'ohm', ...POS, doc: 'total ionic resistance along the line (pores of the SEI / dead-Li layer)' },
      { suffix: 'Q', unit: 'F*s^(a-1)', ...POS, doc: 'total interfacial CPE magnitude along the line' },
      { suffix: 'alpha', unit: '1', lower: 0, upper: 1, doc: 'interfacial CPE exponent' },
    ],
    impedance: (p, w) => {
      const r = p[0]!;
      const v = scale(jwtPow(w, p[2]!), r * p[1]!);
      return scale(F(sqrt(v))[0], r);
    },
    gradient: (p, w) => {
      const [r, q, a] = [p[0]!, p[1]!, p[2]!];
      const v = scale(jwtPow(w, a), r * q);
      const s = sqrt(v);
      const [f, fp] = F(s);
      // Z = R F(s), s² = v = R Q (jω)^α: ∂Z/∂v = R F'(s)/(2s); G = v ∂Z/∂v
      const g = mul(scale(div(fp, s), r / 2), v);
      return [add(f, scale(g, 1 / r)), scale(g, 1 / q), mul(g, c(Math.log(w), Math.PI / 2))];
    },
  };
}
const TLMo = tlm('TLMo');
const TLMc = tlm('TLMc');

/** Lead/cable artefact: inductance with its series resistance, Z = R + jωL. */
const LR: ElementSpec = {
  symbol: 'LR',
  description: 'inductance with series resistance (leads, cables)',
  formula: 'Z = R + j ω L',
  params: [
    { suffix: 'L', unit: 'H', ...POS, doc: 'lead inductance' },
    { suffix: 'R', unit: 'ohm', ...POS, doc: 'lead resistance (in series: not separable from another series R)' },
  ],
  impedance: (p, w) => c(p[1]!, w * p[0]!),
  gradient: (_p, w) => [c(0, w), ONE],
};

/** All elements, longest symbol first (the tokenizer relies on this order only for messages). */
export const ELEMENTS: Readonly<Record<ElementSymbol, ElementSpec>> = { R, C, L, CPE, W, Wo, Ws, ZARC, RQ, G, TLMo, TLMc, LR };

export const ELEMENT_SYMBOLS: readonly ElementSymbol[] = ['ZARC', 'TLMo', 'TLMc', 'CPE', 'RQ', 'LR', 'Wo', 'Ws', 'W', 'R', 'C', 'L', 'G'];

/** Elements that draw one arc on their own (the automatic guesses give each one arc, like a p(...) block). */
export const ARC_ELEMENTS: ReadonlySet<ElementSymbol> = new Set<ElementSymbol>(['ZARC', 'RQ', 'G', 'TLMo']);

export function isElementSymbol(s: string): s is ElementSymbol {
  return Object.hasOwn(ELEMENTS, s);
}
