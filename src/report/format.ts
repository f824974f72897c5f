/** Number and text formatting shared by the report renderers. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

export function withErr(v: number | null, se: number | null, digits = 4): string {
  return se !== null && se !== undefined && Number.isFinite(se) ? `${fmt(v, digits)} ± ${fmt(se, 2)}` : fmt(v, digits);
}

/**
 * A parameter's value as the report prints it: `fitted` (or unlabelled) rows with their ± stderr; the
 * others never with a ± or CI — "prior-fixed (value from …)", "input (…)", "not identifiable from these data (…)".
 */
export function parameterValueText(p: { value: number | null; stderr: number | null; status?: string; provenance?: string }, digits = 4): string {
  const why = p.provenance ? ` (${p.provenance})` : '';
  switch (p.status) {
    case 'not identifiable':
      return `not identifiable from these data${why}`;
    case 'prior-fixed':
      return `${fmt(p.value, digits)} — prior-fixed${p.provenance ? ` (value from ${p.provenance})` : ''}`;
    case 'input':
      return `${fmt(p.value, digits)} — input${why}`;
    default:
      return withErr(p.value, p.stderr, digits);
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
