/** Adaptive Gauss–Kronrod (G7/K15) quadrature on a finite interval. */

const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
  0.586087235467691130294144845693013, 0.405845151377397166906606412076961, 0.207784955007898467600689403773245, 0.0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
  0.16900472663926790282658342659855, 0.190350578064785409913256402421014, 0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

function gk15(f: (x: number) => number, a: number, b: number): { value: number; error: number } {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let resK = fc * WGK[7]!;
  let resG = fc * WG[3]!;
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j]!;
    const f1 = f(c - dx);
    const f2 = f(c + dx);
    resK += WGK[j]! * (f1 + f2);
    if (j % 2 === 1) resG += WG[(j - 1) / 2]! * (f1 + f2);
  }
  return { value: resK * h, error: Math.abs((resK - resG) * h) };
}

/** ∫_a^b f(x) dx to absolute tolerance `tol` (interval bisection, depth-limited). */
export function integrate(f: (x: number) => number, a: number, b: number, tol = 1e-10, maxDepth = 40): number {
  const whole = gk15(f, a, b);
  const rec = (lo: number, hi: number, est: { value: number; error: number }, eps: number, depth: number): number => {
    if (est.error <= eps || depth >= maxDepth) return est.value;
    const mid = 0.5 * (lo + hi);
    const left = gk15(f, lo, mid);
    const right = gk15(f, mid, hi);
    return rec(lo, mid, left, eps / 2, depth + 1) + rec(mid, hi, right, eps / 2, depth + 1);
  };
  return rec(a, b, whole, tol, 0);
}
