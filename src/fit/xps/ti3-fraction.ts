/**
 * Reduction of a BaTiO3 layer by Li seen in Ti 2p (shared/domain/MECHANISMS.md §7.2–7.3):
 * r = A(Ti³⁺ 2p3/2) / [A(Ti³⁺ 2p3/2) + A(Ti⁴⁺ 2p3/2) (+ A(Ti²⁺ 2p3/2) when that component is enabled)],
 * 2p3/2 areas only (the 2p1/2 partners are Coster–Kronig broadened, §7.1). Standard error by first-order
 * propagation of the two fitted area standard errors, taken as independent (the fit's area covariance is
 * not carried out of region-fit.ts; neighbouring peaks 2 eV apart are anti-correlated, so the stated error
 * is, if anything, slightly large). r is reported only at levels where Ti 2p is detected: the summed
 * 2p3/2 area ≥ 3 standard errors. Depth average: the sputter-time-weighted mean over those levels
 * (quantify.ts depthAverage). Caveats (§7.3): Ar⁺ sputtering itself reduces TiO2, so a value from a
 * sputtered level is compared only with a Li-free BTO control sputtered the same way; and r means
 * something only beside an uncycled, Li-free control from the same session.
 */
import type { FittedParameter } from '../types.js';
import type { RegionFit } from './region-fit.js';
import { depthAverage, type ValueWithError } from './quantify.js';

const TI4 = 'BaTiO3:Ti2p';
const TI3 = 'Ti3+:Ti2p';
const TI2 = 'Ti2+:Ti2p';

/** True when the scanned energies reach the whole (charge-shifted) window. */
export function coversWindow(x: ArrayLike<number>, window: readonly [number, number], shift: number): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i]!);
    hi = Math.max(hi, x[i]!);
  }
  return window[0] + shift >= lo && window[1] + shift <= hi;
}

export function ti3FractionOf(fit: RegionFit | undefined): ValueWithError {
  const none = { value: NaN, stderr: NaN };
  if (!fit) return none;
  const c3 = fit.components.find((c) => c.id === TI3);
  const c4 = fit.components.find((c) => c.id === TI4);
  if (!c3 || !c4) return none;
  const c2 = fit.components.find((c) => c.id === TI2);
  const se = (v: number) => (Number.isFinite(v) ? v : 0);
  const a3 = Math.max(0, c3.area);
  const rest = Math.max(0, c4.area) + (c2 ? Math.max(0, c2.area) : 0);
  const S = a3 + rest;
  const sRest = Math.sqrt(se(c4.areaStderr) ** 2 + (c2 ? se(c2.areaStderr) ** 2 : 0));
  const sS = Math.sqrt(se(c3.areaStderr) ** 2 + sRest ** 2);
  if (!(S > 0) || !(S >= 3 * sS)) return none;
  return { value: a3 / S, stderr: Math.sqrt((rest * se(c3.areaStderr)) ** 2 + (a3 * sRest) ** 2) / (S * S) };
}

export interface Ti3Level {
  readonly etchLevel: number;
  readonly sputterTime: number;
  readonly ti3Fraction: ValueWithError;
}

export function ti3Parameters<L extends Ti3Level>(results: readonly L[], scopeOf: (r: L) => string): FittedParameter[] {
  const have = results.filter((r) => Number.isFinite(r.ti3Fraction.value));
  if (!have.length) return [];
  const times = have.map((r) => r.sputterTime);
  const timed = have.length > 1 && times.every(Number.isFinite);
  const sputtered = have.some((r) => r.sputterTime > 0 || r.etchLevel > 0);
  const caveat = 'MECHANISMS §7.3: read beside a Li-free BTO control from the same session';
  const avg = depthAverage(
    have.map((r) => r.ti3Fraction),
    timed ? times : undefined,
  );
  const out: FittedParameter[] = [
    {
      name: 'ti3_fraction',
      unit: '1',
      value: avg.value,
      stderr: avg.stderr,
      note: `Ti³⁺/(Ti³⁺ + Ti⁴⁺) from Ti 2p3/2 areas, depth-averaged over ${have.length} level(s) with Ti 2p detected${timed ? ', sputter-time weighted' : ''}; ${caveat}`,
      ...(sputtered ? { flags: ['sputter-reduction'] } : {}),
    },
  ];
  for (const r of have) {
    const sp = r.sputterTime > 0 || (!Number.isFinite(r.sputterTime) && r.etchLevel > 0);
    out.push({
      name: 'ti3_fraction',
      unit: '1',
      value: r.ti3Fraction.value,
      stderr: r.ti3Fraction.stderr,
      scope: scopeOf(r),
      ...(sp ? { flags: ['sputter-reduction'], note: 'after Ar⁺ sputtering, which itself reduces TiO2 (MECHANISMS §7.3)' } : {}),
    });
  }
  return out;
}
