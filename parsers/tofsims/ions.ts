/**
 * Small helpers about secondary-ion labels shared by the ToF-SIMS readers. Parsers only need to know an
 * ion's polarity (its trailing charge sign) and to keep column names unique; chemistry lives in
 * `src/fit/sims/markers.ts`.
 */
import type { ParseWarning } from '../../src/records/record.js';

export type Polarity = 'positive' | 'negative' | 'mixed';

/** `LiF_2-` → '-', `Li_2F+` → '+', anything else (e.g. `total`, a ratio label) → ''. */
export function chargeSign(label: string): '+' | '-' | '' {
  const t = label.trim();
  // A ratio label `A / ( B )` has no single charge.
  if (t.includes('/')) return '';
  const c = t.replace(/[⁺]/g, '+').replace(/[⁻−]/g, '-').slice(-1);
  return c === '+' || c === '-' ? c : '';
}

/**
 * Polarity of a measurement from the signs of its ion labels. The IONTOF text exports do not write the
 * polarity as a header field, but every SurfaceLab peak label ends in the charge sign, so the labels
 * state it. Returns undefined when no label carries a sign (nothing is guessed).
 */
export function polarityOf(labels: readonly string[]): Polarity | undefined {
  let pos = 0;
  let neg = 0;
  for (const l of labels) {
    const s = chargeSign(l);
    if (s === '+') pos++;
    else if (s === '-') neg++;
  }
  if (pos === 0 && neg === 0) return undefined;
  if (pos > 0 && neg > 0) return 'mixed';
  return pos > 0 ? 'positive' : 'negative';
}

/**
 * Make column names unique: SurfaceLab can list the same label twice at two exact masses (e.g. two
 * `SnO+` peaks). The second gets ` @<mass>` appended (or `#n` when it has no mass) and a warning.
 */
export function uniqueNames(labels: readonly string[], masses: readonly (number | null)[], warnings: ParseWarning[]): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    const n = seen.get(l) ?? 0;
    seen.set(l, n + 1);
    if (n === 0) {
      out.push(l);
      continue;
    }
    const m = masses[i];
    const name = m != null ? `${l} @${m.toFixed(4)}` : `${l} #${n + 1}`;
    warnings.push({ code: 'duplicate-ion-name', message: `ion label '${l}' appears more than once; this column is named '${name}'` });
    out.push(name);
  }
  return out;
}
