/**
 * In-place median of a typed-array slice (Hoare quickselect, expected O(n)). Used for per-half-cycle
 * plateau voltages, where sorting each half cycle would cost O(n log n) over a million rows.
 */
export function medianInPlace(a: Float64Array, from: number, to: number): number {
  const n = to - from;
  if (n <= 0) return NaN;
  const k = from + (n >> 1);
  const hi = select(a, from, to - 1, k);
  if (n & 1) return hi;
  // Even count: the lower middle is the max of the left part after selection.
  let lo = -Infinity;
  for (let i = from; i < k; i++) if (a[i]! > lo) lo = a[i]!;
  return (lo + hi) / 2;
}

function select(a: Float64Array, left: number, right: number, k: number): number {
  while (right > left) {
    const pivot = a[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k]!;
  }
  return a[k]!;
}
