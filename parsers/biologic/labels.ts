/**
 * EC-Lab column labels (`I/mA`, `Q charge/discharge/mA.h`, `Re(Conductivity)/mS/cm`, `ox/red`) split into
 * quantity name and unit. The generic `splitHeaderUnit` cannot do this: EC-Lab puts `/` inside names
 * (`ox/red`, `Q charge/discharge`) and inside units (`mS/cm`, `V/mA`), so the splitting is declared here.
 */

/** Labels that carry no unit even though some contain a slash. */
export const UNITLESS_LABELS: ReadonlySet<string> = new Set([
  'mode',
  'ox/red',
  'error',
  'control changes',
  'Ns changes',
  'counter inc.',
  'Ns',
  'I Range',
  'cycle number',
  'half cycle',
  'z cycle',
  'x',
  'Re(M)',
  'Im(M)',
  '|M|',
  'Re(Permittivity)',
  'Im(Permittivity)',
  '|Permittivity|',
  'Tan(Delta)',
]);

/** Units that themselves contain a slash; checked before splitting at the last slash. */
const COMPOUND_UNITS = ['mS/cm', 'V/mA'] as const;

/**
 * EC-Lab writes `°` and `µ` in the Windows code page. A file re-saved as UTF-8 by another tool may carry
 * U+FFFD (or its latin-1 mojibake `ï¿½`) in their place; the unit is still unambiguous, so repair it.
 */
export function repairUnitText(s: string): string {
  return s
    .replace(/(?:\uFFFD|ï¿½)C$/, '°C')
    .replace(/(?:\uFFFD|ï¿½)F/g, 'µF')
    .replace(/cm(?:\uFFFD|ï¿½)/g, 'cm²');
}

export interface SplitLabel {
  readonly name: string;
  /** The unit as EC-Lab writes it (`mA.h`, `Ohm`, `µF`), '' when none. */
  readonly unit: string;
}

export function splitEcLabLabel(rawLabel: string): SplitLabel {
  const label = repairUnitText(rawLabel.trim());
  if (UNITLESS_LABELS.has(label)) return { name: label, unit: '' };
  for (const u of COMPOUND_UNITS) {
    if (label.endsWith('/' + u) && label.length > u.length + 1) return { name: label.slice(0, -u.length - 1), unit: u };
  }
  const i = label.lastIndexOf('/');
  if (i <= 0 || i === label.length - 1) return { name: label, unit: '' };
  return { name: label.slice(0, i), unit: label.slice(i + 1) };
}

/** Canonical label used to compare .mpr and .mpt columns key by key (`dq/mA.h` and `dQ/mA.h` are one quantity). */
export function labelKey(label: string): string {
  return repairUnitText(label.trim());
}
