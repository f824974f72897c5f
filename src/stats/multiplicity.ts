/**
 * Holm (step-down FWER) and Benjamini–Hochberg (step-up FDR) adjusted p-values. `null` entries
 * (untested hypotheses) are skipped and stay null; m is the number of non-null p-values.
 * Matches statsmodels.stats.multitest.multipletests(method='holm' | 'fdr_bh').
 */

export function holm(p: readonly (number | null)[]): (number | null)[] {
  const idx = p.map((v, i) => [v, i] as const).filter((e): e is readonly [number, number] => e[0] !== null && Number.isFinite(e[0]));
  idx.sort((a, b) => a[0] - b[0]);
  const m = idx.length;
  const out: (number | null)[] = p.map(() => null);
  let running = 0;
  idx.forEach(([v, i], k) => {
    running = Math.max(running, Math.min(1, (m - k) * v));
    out[i] = running;
  });
  return out;
}

export function benjaminiHochberg(p: readonly (number | null)[]): (number | null)[] {
  const idx = p.map((v, i) => [v, i] as const).filter((e): e is readonly [number, number] => e[0] !== null && Number.isFinite(e[0]));
  idx.sort((a, b) => a[0] - b[0]);
  const m = idx.length;
  const out: (number | null)[] = p.map(() => null);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [v, i] = idx[k]!;
    running = Math.min(running, (m / (k + 1)) * v);
    out[i] = Math.min(1, running);
  }
  return out;
}
