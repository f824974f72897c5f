/**
 * Minimal complex arithmetic for impedance work. Values are plain `{ re, im }` objects; every
 * function is pure. Only what the element table and the circuit interpreter need.
 */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

export const c = (re: number, im = 0): Complex => ({ re, im });
export const ZERO: Complex = { re: 0, im: 0 };
export const ONE: Complex = { re: 1, im: 0 };

export const add = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im });
export const sub = (a: Complex, b: Complex): Complex => ({ re: a.re - b.re, im: a.im - b.im });
export const mul = (a: Complex, b: Complex): Complex => ({
  re: a.re * b.re - a.im * b.im,
  im: a.re * b.im + a.im * b.re,
});
export const scale = (a: Complex, k: number): Complex => ({ re: a.re * k, im: a.im * k });
export const neg = (a: Complex): Complex => ({ re: -a.re, im: -a.im });

export function div(a: Complex, b: Complex): Complex {
  // Smith's algorithm: avoids overflow for |b| near 1e±160 (1e-12 F at 1 mHz gives |Z| ~ 1e14).
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    const r = b.im / b.re;
    const d = b.re + b.im * r;
    return { re: (a.re + a.im * r) / d, im: (a.im - a.re * r) / d };
  }
  const r = b.re / b.im;
  const d = b.re * r + b.im;
  return { re: (a.re * r + a.im) / d, im: (a.im * r - a.re) / d };
}

export const inv = (a: Complex): Complex => div(ONE, a);
export const abs = (a: Complex): number => Math.hypot(a.re, a.im);

/** (jω)^α for real ω > 0 and real α: ω^α · (cos(απ/2) + j sin(απ/2)). */
export function jwPow(omega: number, alpha: number): Complex {
  const m = omega ** alpha;
  const phi = (alpha * Math.PI) / 2;
  return { re: m * Math.cos(phi), im: m * Math.sin(phi) };
}

/** Principal square root. */
export function sqrt(a: Complex): Complex {
  const m = abs(a);
  if (m === 0) return ZERO;
  const re = Math.sqrt((m + a.re) / 2);
  const im = Math.sqrt(Math.max(0, (m - a.re) / 2));
  return { re, im: a.im < 0 ? -im : im };
}

/** tanh(z), stable for large |Re z| (tends to ±1). */
export function tanh(z: Complex): Complex {
  const x = z.re;
  const y = z.im;
  if (Math.abs(x) > 20) return { re: Math.sign(x), im: 0 };
  // tanh(x+iy) = (sinh 2x + i sin 2y) / (cosh 2x + cos 2y)
  const d = Math.cosh(2 * x) + Math.cos(2 * y);
  return { re: Math.sinh(2 * x) / d, im: Math.sin(2 * y) / d };
}
