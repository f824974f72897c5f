/** "Did you mean …?" for misspelt keys and names (manifest keys, parameter names). */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** The option closest to `key` (case-insensitive), and its distance. */
export function closest<T extends string>(key: string, options: readonly T[]): { best: T | undefined; distance: number } {
  let best: T | undefined;
  let distance = Infinity;
  for (const o of options) {
    const d = editDistance(key.toLowerCase(), o.toLowerCase());
    if (d < distance) {
      distance = d;
      best = o;
    }
  }
  return { best, distance };
}
