/**
 * Append-only Float64 buffer for hot loops: a number[] would change elements kind (SMI → double)
 * mid-loop and deoptimise it. `data` holds the first `n` values (capacity may be larger).
 */
export class Growing {
  data: Float64Array;
  n = 0;
  constructor(capacity = 64) {
    this.data = new Float64Array(Math.max(1, capacity));
  }
  push(v: number): void {
    if (this.n === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = v;
  }
  f64(): Float64Array {
    return this.data.slice(0, this.n);
  }
  i32(): Int32Array {
    return Int32Array.from(this.data.subarray(0, this.n));
  }
  i8(): Int8Array {
    return Int8Array.from(this.data.subarray(0, this.n));
  }
}
