/**
 * Interprets a parsed circuit tree: impedance and its analytic gradient with respect to every
 * circuit parameter. Series: Z = Σ Z_i. Parallel: Z = 1/Σ(1/Z_i), so ∂Z/∂p = (Z/Z_i)² ∂Z_i/∂p
 * for a parameter p of branch i.
 *
 * The tree is walked once per frequency into per-node scratch buffers prepared by `prepare`
 * (dense gradients of length m). Readable version: a recursive function returning
 * `{ z, grad: Map<index, Complex> }`; that one took ~15 ms per 60-point 7-parameter fit against
 * ~2 ms for this one (measured with scripts in the report), so the buffers stay.
 */
import type { Circuit, CircuitNode } from './circuit.js';
import { ELEMENTS, type ElementSpec } from './elements.js';

interface Prepared {
  readonly node: CircuitNode;
  readonly children: readonly Prepared[];
  /** z = [re, im]. */
  readonly z: Float64Array;
  /** gradient, interleaved [re0, im0, re1, im1, …] over all m circuit parameters. */
  readonly g: Float64Array;
  /** Parameter indices this subtree depends on. */
  readonly deps: readonly number[];
  readonly local: number[];
  /** 0 element, 1 series, 2 parallel (a number: cheaper to branch on than the node's string kind). */
  readonly type: 0 | 1 | 2;
  /** Element nodes: the element's spec and first parameter index, resolved once. */
  readonly spec: ElementSpec | null;
  readonly offset: number;
}

const cache = new WeakMap<Circuit, Prepared>();

function prepare(circuit: Circuit): Prepared {
  const hit = cache.get(circuit);
  if (hit) return hit;
  const m = circuit.parameters.length;
  const build = (node: CircuitNode): Prepared => {
    if (node.kind === 'element') {
      const np = ELEMENTS[node.symbol].params.length;
      const deps = Array.from({ length: np }, (_, k) => node.offset + k);
      return {
        node,
        children: [],
        z: new Float64Array(2),
        g: new Float64Array(2 * m),
        deps,
        local: new Array<number>(np).fill(0),
        type: 0,
        spec: ELEMENTS[node.symbol],
        offset: node.offset,
      };
    }
    const children = node.children.map(build);
    return {
      node,
      children,
      z: new Float64Array(2),
      g: new Float64Array(2 * m),
      deps: children.flatMap((c) => c.deps),
      local: [],
      type: node.kind === 'series' ? 1 : 2,
      spec: null,
      offset: -1,
    };
  };
  const root = build(circuit.root);
  cache.set(circuit, root);
  return root;
}

/** Evaluates z (and the gradient when `grad`) of a prepared node into its buffers. */
function run(pn: Prepared, p: readonly number[], omega: number, grad: boolean): void {
  const z = pn.z;
  const g = pn.g;
  if (pn.type === 0) {
    const spec = pn.spec!;
    const off = pn.offset;
    const local = pn.local;
    for (let k = 0; k < local.length; k++) local[k] = p[off + k]!;
    const v = spec.impedance(local, omega);
    z[0] = v.re;
    z[1] = v.im;
    if (grad) {
      const d = spec.gradient(local, omega);
      for (let k = 0; k < d.length; k++) {
        g[2 * (off + k)] = d[k]!.re;
        g[2 * (off + k) + 1] = d[k]!.im;
      }
    }
    return;
  }
  const children = pn.children;
  for (let c = 0; c < children.length; c++) run(children[c]!, p, omega, grad);
  if (pn.type === 1) {
    z[0] = 0;
    z[1] = 0;
    for (const ch of pn.children) {
      z[0] += ch.z[0]!;
      z[1] += ch.z[1]!;
      if (grad)
        for (const k of ch.deps) {
          g[2 * k] = ch.g[2 * k]!;
          g[2 * k + 1] = ch.g[2 * k + 1]!;
        }
    }
    return;
  }
  // parallel
  let yr = 0;
  let yi = 0;
  for (const ch of pn.children) {
    const a = ch.z[0]!;
    const b = ch.z[1]!;
    const d = a * a + b * b;
    yr += a / d;
    yi -= b / d;
  }
  const dy = yr * yr + yi * yi;
  const zr = yr / dy;
  const zi = -yi / dy;
  z[0] = zr;
  z[1] = zi;
  if (!grad) return;
  for (const ch of pn.children) {
    // q = z / z_i ; f = q²
    const a = ch.z[0]!;
    const b = ch.z[1]!;
    const d = a * a + b * b;
    const qr = (zr * a + zi * b) / d;
    const qi = (zi * a - zr * b) / d;
    const fr = qr * qr - qi * qi;
    const fi = 2 * qr * qi;
    for (const k of ch.deps) {
      const gr = ch.g[2 * k]!;
      const gi = ch.g[2 * k + 1]!;
      g[2 * k] = fr * gr - fi * gi;
      g[2 * k + 1] = fr * gi + fi * gr;
    }
  }
}

export interface Complexish {
  readonly re: number;
  readonly im: number;
}

/** Z(ω) of the circuit for one angular frequency. */
export function circuitImpedance(circuit: Circuit, params: readonly number[], omega: number): Complexish {
  const root = prepare(circuit);
  run(root, params, omega, false);
  return { re: root.z[0]!, im: root.z[1]! };
}

export interface Spectrum {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** Z at each frequency (Hz). */
export function simulate(circuit: Circuit, params: readonly number[], frequencies: ArrayLike<number>): Spectrum {
  const root = prepare(circuit);
  const n = frequencies.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    run(root, params, 2 * Math.PI * frequencies[i]!, false);
    re[i] = root.z[0]!;
    im[i] = root.z[1]!;
  }
  return { re, im };
}

export interface SpectrumWithJacobian extends Spectrum {
  /** ∂Re Z_i/∂p_k, row-major n × m. */
  readonly dRe: Float64Array;
  /** ∂Im Z_i/∂p_k, row-major n × m. */
  readonly dIm: Float64Array;
}

/** Z and its analytic Jacobian at each frequency (Hz). */
export function simulateWithJacobian(circuit: Circuit, params: readonly number[], frequencies: ArrayLike<number>): SpectrumWithJacobian {
  const root = prepare(circuit);
  const n = frequencies.length;
  const m = circuit.parameters.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const dRe = new Float64Array(n * m);
  const dIm = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    run(root, params, 2 * Math.PI * frequencies[i]!, true);
    re[i] = root.z[0]!;
    im[i] = root.z[1]!;
    for (let k = 0; k < m; k++) {
      dRe[i * m + k] = root.g[2 * k]!;
      dIm[i * m + k] = root.g[2 * k + 1]!;
    }
  }
  return { re, im, dRe, dIm };
}
