/** Wall-clock helpers for bench cases (never used by tests). */
export async function timeIt<T>(f: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await f();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** Median wall time of `reps` runs after one warm-up run (for sub-second in-memory kernels). */
export function medianMs(f: () => unknown, reps = 5): { median: number; first: number } {
  const times: number[] = [];
  for (let r = 0; r <= reps; r++) {
    const t0 = process.hrtime.bigint();
    f();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const first = times[0]!;
  const rest = times.slice(1).sort((a, b) => a - b);
  return { median: rest[rest.length >> 1]!, first };
}
