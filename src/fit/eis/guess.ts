/**
 * Automatic initial guesses: no hand-given start is needed. The spectrum's features (features.ts)
 * are mapped onto the circuit tree:
 *  - top-level R → high-frequency intercept; top-level L → HF inductive Z''; top-level C/CPE/W/Wo/Ws
 *    → low-frequency tail;
 *  - each top-level parallel block p(...) is one arc: its resistive elements take the arc width R, its
 *    C take τ/R, its CPE take Q = τ^α/R with α from the peak width; diffusion elements inside a block
 *    take the tail. The first block gets the highest-frequency arc (Li-metal convention: SEI first).
 * Several candidate starts come out: arc sets from −Z'' maxima and (optionally) DRT peaks, padded
 * with log-spaced arcs when fewer arcs are visible than blocks exist, arc→block permutations, and
 * α / diffusion-size perturbations. The caller ranks them by χ² and runs LM on the best few.
 */
import type { Circuit, CircuitNode } from './circuit.js';
import { ARC_ELEMENTS } from './elements.js';
import type { SpectrumFeatures } from './features.js';

export interface ArcGuess {
  readonly r: number;
  readonly tau: number;
  readonly alpha: number;
}

interface Ctx {
  readonly f: SpectrumFeatures;
  readonly diffR: number;
  readonly alphaOverride?: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** A top-level term that draws one arc: a p(...) block or an arc element (ZARC, RQ, G, TLMo). */
export function isArcTerm(t: CircuitNode): boolean {
  return t.kind === 'parallel' || (t.kind === 'element' && ARC_ELEMENTS.has(t.symbol));
}

function topTerms(root: CircuitNode): readonly CircuitNode[] {
  return root.kind === 'series' ? root.children : [root];
}

function countKind(node: CircuitNode, symbol: string): number {
  if (node.kind === 'element') return node.symbol === symbol ? 1 : 0;
  return node.children.reduce((s, ch) => s + countKind(ch, symbol), 0);
}

function diffusionGuess(x: number[], offset: number, ctx: Ctx): void {
  const { f } = ctx;
  const r = ctx.diffR;
  x[offset] = r;
  const tau = f.tail.rising ? r / (f.tail.negImag * f.omegaMin) : 1 / f.omegaMin;
  x[offset + 1] = clamp(tau, 0.1 / f.omegaMax, 1000 / f.omegaMin);
}

function fill(node: CircuitNode, x: number[], ctx: Ctx, arc: ArcGuess | null, nR: number): void {
  const { f } = ctx;
  if (node.kind !== 'element') {
    for (const ch of node.children) fill(ch, x, ctx, node.kind === 'parallel' && arc ? { ...arc, r: arc.r } : arc, nR);
    return;
  }
  const o = node.offset;
  const alpha = ctx.alphaOverride ?? arc?.alpha ?? 0.9;
  switch (node.symbol) {
    case 'R':
      x[o] = arc ? arc.r / Math.max(1, nR) : f.rInf / Math.max(1, nR);
      break;
    case 'C':
      x[o] = arc ? arc.tau / arc.r : f.tail.rising ? 1 / (f.omegaMin * f.tail.negImag) : 100 / (f.omegaMin * Math.max(f.rLow, 1e-12));
      break;
    case 'CPE': {
      if (arc) {
        x[o] = arc.tau ** alpha / arc.r;
        x[o + 1] = alpha;
      } else {
        const a = clamp(-f.tail.slope, 0.5, 1);
        const ni = f.tail.rising ? f.tail.negImag : 0.01 * Math.max(f.rLow, 1e-12);
        x[o] = 1 / (ni * f.omegaMin ** a * Math.sin((a * Math.PI) / 2));
        x[o + 1] = ctx.alphaOverride ?? a;
      }
      break;
    }
    case 'L':
      x[o] = f.hf.imag > 0 ? f.hf.imag / f.omegaMax : (1e-3 * f.hf.modulus) / f.omegaMax;
      break;
    case 'W':
      x[o] = f.tail.rising ? f.tail.negImag * Math.sqrt(f.omegaMin) : 0.1 * ctx.diffR * Math.sqrt(f.omegaMin);
      break;
    case 'Wo':
    case 'Ws':
      diffusionGuess(x, o, ctx);
      break;
    case 'ZARC':
    case 'RQ': {
      const a = arc ?? { r: ctx.diffR, tau: 1 / Math.sqrt(f.omegaMin * f.omegaMax), alpha };
      x[o] = a.r;
      x[o + 1] = a.tau;
      x[o + 2] = ctx.alphaOverride ?? a.alpha;
      break;
    }
    case 'G': {
      // the Gerischer −Z'' apex is at ωτ = √3
      const a = arc ?? { r: ctx.diffR, tau: 1 / Math.sqrt(f.omegaMin * f.omegaMax), alpha };
      x[o] = a.r;
      x[o + 1] = Math.sqrt(3) * a.tau;
      break;
    }
    case 'TLMo': {
      // tanh(s)/s: R_ion at ω → 0; with α = 1 it is Ws(R_ion, τ = R_ion Q), apex at ωτ ≈ 2.5
      const a = arc ?? { r: ctx.diffR, tau: 1 / Math.sqrt(f.omegaMin * f.omegaMax), alpha };
      const al = ctx.alphaOverride ?? a.alpha;
      x[o] = a.r;
      x[o + 1] = (2.5 * a.tau) ** al / a.r;
      x[o + 2] = al;
      break;
    }
    case 'TLMc': {
      // coth(s)/s: R_ion/3 + blocking CPE at ω → 0
      const al = ctx.alphaOverride ?? clamp(-f.tail.slope, 0.5, 1);
      const ni = f.tail.rising ? f.tail.negImag : 0.01 * Math.max(f.rLow, 1e-12);
      // what is left of the low-frequency Z' once the blocking CPE's own real part is taken off is R_ion/3
      const rest = ctx.diffR - (ni * Math.cos((al * Math.PI) / 2)) / Math.sin((al * Math.PI) / 2);
      x[o] = 3 * Math.max(rest, 0.02 * ctx.diffR);
      x[o + 1] = 1 / (ni * f.omegaMin ** al * Math.sin((al * Math.PI) / 2));
      x[o + 2] = al;
      break;
    }
    case 'LR':
      x[o] = f.hf.imag > 0 ? f.hf.imag / f.omegaMax : (1e-3 * f.hf.modulus) / f.omegaMax;
      x[o + 1] = arc ? arc.r / Math.max(1, nR) : f.rInf / Math.max(1, nR);
      break;
  }
}

function permutations<T>(a: readonly T[]): T[][] {
  if (a.length <= 1) return [a.slice()];
  const out: T[][] = [];
  a.forEach((v, i) => {
    for (const rest of permutations([...a.slice(0, i), ...a.slice(i + 1)])) out.push([v, ...rest]);
  });
  return out;
}

/** Arc sets of exactly k arcs (high-frequency first), padded with log-spaced arcs when too few are visible. */
function arcSets(visible: readonly ArcGuess[], k: number, f: SpectrumFeatures): ArcGuess[][] {
  if (k === 0) return [[]];
  const span = Math.max(f.rLow - f.rInf, 1e-6 * Math.max(f.rLow, 1e-12));
  const sorted = [...visible].sort((a, b) => a.tau - b.tau);
  if (sorted.length >= k) {
    const biggest = [...sorted]
      .sort((a, b) => b.r - a.r)
      .slice(0, k)
      .sort((a, b) => a.tau - b.tau);
    const sets = [biggest];
    if (sorted.length > k) sets.push(sorted.slice(0, k));
    return sets;
  }
  // pad: candidate τ on a log grid over the measured range, away from visible arcs
  const lo = Math.log10(1 / f.omegaMax);
  const hi = Math.log10(1 / f.omegaMin);
  const grid: number[] = [];
  for (let j = 0; j <= 6; j++) grid.push(10 ** (lo + ((hi - lo) * j) / 6));
  const free = grid.filter((t) => sorted.every((a) => Math.abs(Math.log10(t / a.tau)) > 0.5));
  const missing = k - sorted.length;
  const sets: ArcGuess[][] = [];
  const chooseFrom = free.length >= missing ? free : grid;
  // all combinations of `missing` grid positions (grid has ≤ 7 entries)
  const combos: number[][] = [];
  const rec = (start: number, acc: number[]): void => {
    if (acc.length === missing) {
      combos.push(acc.slice());
      return;
    }
    for (let j = start; j < chooseFrom.length; j++) rec(j + 1, [...acc, chooseFrom[j]!]);
  };
  rec(0, []);
  const visibleR = sorted.reduce((s, a) => s + a.r, 0);
  const rest = Math.max(span - visibleR, 0.2 * span) / missing;
  for (const combo of combos.slice(0, 40)) {
    sets.push([...sorted, ...combo.map((tau) => ({ r: rest, tau, alpha: 0.9 }))].sort((a, b) => a.tau - b.tau));
  }
  return sets;
}

export interface GuessInput {
  readonly circuit: Circuit;
  readonly features: SpectrumFeatures;
  /** Extra arcs (e.g. DRT peaks) proposed as an alternative arc set. */
  readonly extraArcs?: readonly ArcGuess[];
}

export interface Candidate {
  /** Full parameter vector in circuit order. */
  readonly x: number[];
  /** Arc set and arc→block order this start belongs to; the fitter keeps the best of each group. */
  readonly group: string;
}

/** Candidate starts, tagged by arc-assignment group. */
export function initialGuesses({ circuit, features: f, extraArcs }: GuessInput): Candidate[] {
  const terms = topTerms(circuit.root);
  const blocks = terms.filter(isArcTerm);
  const k = blocks.length;
  const visible = f.arcs.map((a) => ({ r: a.r, tau: 1 / a.omega, alpha: a.alpha }));
  const sets = arcSets(visible, k, f);
  if (extraArcs && extraArcs.length) sets.unshift(...arcSets(extraArcs, k, f).slice(0, 2));

  const span = Math.max(f.rLow - f.rInf, 1e-6 * Math.max(f.rLow, 1e-12));
  const hasDiffusion = ['W', 'Wo', 'Ws', 'TLMc'].some((s) => countKind(circuit.root, s) > 0);
  const arcR = (set: readonly ArcGuess[]): number => set.reduce((s, a) => s + a.r, 0);
  const nTopR = terms.filter((t) => t.kind === 'element' && (t.symbol === 'R' || t.symbol === 'LR')).length;

  const out: Candidate[] = [];
  for (const [si, set] of sets.entries()) {
    const orders = k <= 3 ? permutations(set) : [set, [...set].reverse()];
    for (const [oi, order] of orders.entries()) {
      for (const alphaOverride of [undefined, 1, 0.75]) {
        const diffRs = hasDiffusion ? [Math.max(span - arcR(order), 0.1 * span), 0.3 * span] : [span];
        for (const diffR of diffRs) {
          const ctx: Ctx = { f, diffR, ...(alphaOverride === undefined ? {} : { alphaOverride }) };
          const x = new Array<number>(circuit.parameters.length).fill(NaN);
          let b = 0;
          for (const t of terms) {
            if (isArcTerm(t)) {
              const arc = order[b++]!;
              fill(t, x, ctx, arc, countKind(t, 'R'));
            } else fill(t, x, ctx, null, nTopR);
          }
          circuit.parameters.forEach((p, i) => {
            if (!Number.isFinite(x[i]!) || x[i]! <= p.lower || x[i]! >= p.upper) {
              const v = x[i]!;
              x[i] = Number.isFinite(v) ? clamp(v, p.lower + 1e-9 * Math.max(1, Math.abs(p.lower)), p.upper - 1e-9) : p.lower > 0 ? p.lower * 2 : 1;
              if (p.upper === 1 && p.lower === 0) x[i] = clamp(Number.isFinite(v) ? v : 0.9, 0.05, 0.999);
            }
          });
          out.push({ x, group: `${si}:${oi}` });
        }
      }
    }
  }
  return out;
}
