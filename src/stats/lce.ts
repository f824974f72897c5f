/** The LCE scale for Coulombic efficiency (Kim et al., PNAS 2023): LCE = −log10(1 − CE), CE as a fraction. */

export function lce(ce: number): number {
  if (!(ce < 1)) return NaN;
  return -Math.log10(1 - ce);
}
export function ceFromLce(l: number): number {
  return 1 - 10 ** -l;
}
