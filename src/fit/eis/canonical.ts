/**
 * Canonical order of interchangeable blocks. In `R0-p(R1,CPE1)-p(R2,CPE2)` swapping the two
 * blocks' values gives the same impedance, so the fit alone cannot say which is which. We fix the
 * convention of DOMAIN.md §5: among top-level parallel blocks of the same structure, the first one
 * holds the fastest process (smallest τ = 1/ω at the block's own −Z'' apex), i.e. the SEI arc.
 */
import type { Circuit, CircuitNode } from './circuit.js';
import { simulate } from './evaluate.js';
import { isArcTerm } from './guess.js';

const shape = (node: CircuitNode): string =>
  node.kind === 'element' ? (node.symbol === 'RQ' ? 'ZARC' : node.symbol) : `${node.kind === 'series' ? 's' : 'p'}(${node.children.map(shape).join(',')})`;

const paramIndices = (node: CircuitNode, c: Circuit): number[] =>
  node.kind === 'element' ? c.parameters.flatMap((p, i) => (p.elementId === node.id ? [i] : [])) : node.children.flatMap((ch) => paramIndices(ch, c));

/** Time constant of a block alone: 1/ω at its −Z'' apex on a dense log grid spanning the data. */
function blockTau(block: CircuitNode, circuit: Circuit, x: readonly number[], fMin: number, fMax: number): number {
  // a one-block circuit sharing the same parameter vector layout
  const sub: Circuit = { ...circuit, root: block };
  const grid = Array.from({ length: 121 }, (_, i) => fMin * (fMax / fMin) ** (i / 120));
  const z = simulate(sub, x, grid);
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (-z.im[i]! > -z.im[best]!) best = i;
  return 1 / (2 * Math.PI * grid[best]!);
}

/** Returns x with same-shape top-level parallel blocks reordered by ascending τ (a permutation of values only). */
export function canonicalOrder(circuit: Circuit, x: readonly number[], fMin: number, fMax: number): number[] {
  const terms = circuit.root.kind === 'series' ? circuit.root.children : [circuit.root];
  const blocks = terms.filter(isArcTerm);
  const out = x.slice();
  const byShape = new Map<string, CircuitNode[]>();
  for (const b of blocks) byShape.set(shape(b), [...(byShape.get(shape(b)) ?? []), b]);
  for (const group of byShape.values()) {
    if (group.length < 2) continue;
    const lo = fMin / 1e3;
    const hi = fMax * 1e3;
    const taus = group.map((b) => blockTau(b, circuit, x, lo, hi));
    const order = group.map((_, i) => i).sort((a, b) => taus[a]! - taus[b]!);
    group.forEach((slot, k) => {
      const to = paramIndices(slot, circuit);
      const from = paramIndices(group[order[k]!]!, circuit);
      to.forEach((ti, j) => (out[ti] = x[from[j]!]!));
    });
  }
  return out;
}
