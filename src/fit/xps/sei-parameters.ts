/**
 * SEI parameters from per-etch-level atomic shares, however the shares were obtained (our constrained
 * fits, or a vendor's quantification table): inorganic fraction per level and depth-averaged over the
 * SEI levels, its depth spread, LiF/organic-C, SEI thickness from the Li⁰ share of Li 1s, anion
 * signatures. One definition for both paths.
 */
import type { FittedParameter } from '../types.js';
import { PARAMETERS } from '../../records/parameters.js';
import type { CoreLevel } from './species.js';
import { depthAverage, halfCrossing, ratioOfSpecies, spread, type AtomicShare, type ValueWithError } from './quantify.js';

/** What SEI parameters need of one etch level. */
export interface LevelShares {
  readonly etchLevel: number;
  readonly sputterTime: number;
  readonly shares: readonly AtomicShare[];
  /** Core levels measured at this level (an absent F 1s is not 0 % F). */
  readonly cores: ReadonlySet<CoreLevel>;
  readonly inorganicFraction: ValueWithError;
  readonly metalShare: ValueWithError;
  readonly lifToOrganicC: ValueWithError;
}

/** LiF/organic-C as a ratio (not a fraction): a/b from f = a/(a+b) → f/(1−f). */
export function lifToOrganic(shares: readonly AtomicShare[], organic: readonly string[]): ValueWithError {
  const lif = ratioOfSpecies(
    shares,
    ['LiF'],
    organic.filter((s) => s !== 'LiF'),
  );
  return Number.isFinite(lif.value) && lif.value < 1
    ? { value: lif.value / (1 - lif.value), stderr: lif.stderr / (1 - lif.value) ** 2 }
    : { value: NaN, stderr: NaN };
}

export function seiParameters(results: readonly LevelShares[]): FittedParameter[] {
  const params: FittedParameter[] = [];
  const times = results.map((r) => r.sputterTime);
  const haveTime = times.length > 0 && times.every(Number.isFinite);
  const ms = results.map((r) => r.metalShare);
  // SEI region: levels before Li⁰ reaches 50 % of Li 1s (all levels when Li 1s is absent).
  const sei = results.filter((r) => !(r.metalShare.value >= 0.5));
  const seiTimes = haveTime ? sei.map((r) => r.sputterTime) : undefined;
  // The profile's protocol, for comparing cells only at a matched sputter dose (DOMAIN §3.2: sputtering
  // makes LiF): total sputter time and number of levels of the whole profile, not of the SEI part
  // (that depends on the SEI thickness, a property of the cell).
  if (haveTime) {
    params.push({
      name: 'xps_profile_sputter_s',
      unit: 's',
      value: Math.max(...times),
      note: 'total sputter time of the depth profile (dose proxy at the same ion gun settings)',
    });
  }
  params.push({ name: 'xps_profile_levels', unit: '1', value: results.length, note: 'etch levels in the depth profile' });
  const fAvg = depthAverage(
    sei.map((r) => r.inorganicFraction),
    seiTimes,
  );
  const scopeOf = (r: LevelShares) => `etch level ${r.etchLevel}${haveTime ? ` (${r.sputterTime} s)` : ''}`;
  if (Number.isFinite(fAvg.value))
    params.push({
      name: PARAMETERS.inorganicFraction.name,
      unit: '1',
      value: fAvg.value,
      stderr: fAvg.stderr,
      note: `depth-averaged over ${sei.length} SEI level(s) (Li⁰ < 50 % of Li 1s)${seiTimes ? ', sputter-time weighted' : ''}`,
    });
  for (const r of results) {
    if (Number.isFinite(r.inorganicFraction.value))
      params.push({
        name: PARAMETERS.inorganicFraction.name,
        unit: '1',
        value: r.inorganicFraction.value,
        stderr: r.inorganicFraction.stderr,
        scope: scopeOf(r),
      });
  }
  if (results[0] && Number.isFinite(results[0].inorganicFraction.value)) {
    params.push({
      name: 'sei_inorganic_fraction_surface',
      unit: '1',
      value: results[0].inorganicFraction.value,
      stderr: results[0].inorganicFraction.stderr,
      scope: scopeOf(results[0]),
    });
  }
  const sd = spread(sei.map((r) => r.inorganicFraction.value));
  if (Number.isFinite(sd))
    params.push({
      name: 'sei_inorganic_fraction_depth_sd',
      unit: '1',
      value: sd,
      note: 'sample SD of the per-level inorganic fraction over the SEI levels (depth heterogeneity)',
    });
  const lAvg = depthAverage(
    sei.map((r) => r.lifToOrganicC),
    seiTimes,
  );
  if (Number.isFinite(lAvg.value)) params.push({ name: PARAMETERS.lifToOrganic.name, unit: '1', value: lAvg.value, stderr: lAvg.stderr });
  if (ms.some((m) => Number.isFinite(m.value))) {
    const depth = haveTime ? times : results.map((r) => r.etchLevel);
    const c = halfCrossing(depth, ms);
    if (c) {
      params.push({
        name: haveTime ? PARAMETERS.seiThicknessXps.name : 'sei_thickness_etch_level',
        unit: haveTime ? 's' : '1',
        value: c.at,
        ...(Number.isFinite(c.stderr) ? { stderr: c.stderr } : {}),
        censored: c.censored,
        note: c.censored
          ? 'Li⁰ never reached 50 % of Li 1s: lower bound'
          : haveTime
            ? 'sputter time where Li⁰ reaches 50 % of Li 1s'
            : 'no sputter time in the record: etch-level index where Li⁰ reaches 50 % of Li 1s',
      });
    }
  }
  // Anion signatures: F comes from the salt anion (PF6⁻/FSI⁻/TFSI⁻), N from NO3⁻ (DOMAIN §6.3).
  const sumAt = (r: LevelShares, pred: (s: AtomicShare) => boolean) => {
    const ss = r.shares.filter(pred);
    return {
      value: ss.reduce((a, s) => a + s.atomicPercent, 0),
      stderr: Math.sqrt(ss.reduce((a, s) => a + (Number.isFinite(s.atomicPercentStderr) ? s.atomicPercentStderr : 0) ** 2, 0)),
    };
  };
  const fAt = depthAverage(
    sei.map((r) => (r.cores.has('F 1s') ? sumAt(r, (s) => s.core === 'F 1s') : { value: NaN, stderr: NaN })),
    seiTimes,
  );
  if (Number.isFinite(fAt.value))
    params.push({
      name: 'anion_f_atomic_percent',
      unit: '%',
      value: fAt.value,
      stderr: fAt.stderr,
      note: 'F 1s atomic % (all F species), SEI depth average: F from PF6⁻/FSI⁻/TFSI⁻',
    });
  const fRes = depthAverage(
    sei.map((r) => ratioOfSpecies(r.shares, ['LixPOyFz'], ['LiF'])),
    seiTimes,
  );
  if (Number.isFinite(fRes.value))
    params.push({
      name: 'anion_f_undecomposed_fraction',
      unit: '1',
      value: fRes.value,
      stderr: fRes.stderr,
      note: 'LixPOyFz/(LixPOyFz + LiF) in F 1s: share of F still in the anion/salt residue',
    });
  const nAt = depthAverage(
    sei.map((r) => (r.cores.has('N 1s') ? sumAt(r, (s) => s.core === 'N 1s') : { value: NaN, stderr: NaN })),
    seiTimes,
  );
  if (Number.isFinite(nAt.value))
    params.push({
      name: 'anion_n_atomic_percent',
      unit: '%',
      value: nAt.value,
      stderr: nAt.stderr,
      note: 'N 1s atomic % (Li3N + LiNxOy + NO3⁻), SEI depth average: N from NO3⁻',
    });
  const sAt = depthAverage(
    sei.map((r) => (r.cores.has('S 2p') ? sumAt(r, (s) => s.core === 'S 2p') : { value: NaN, stderr: NaN })),
    seiTimes,
  );
  if (Number.isFinite(sAt.value))
    params.push({
      name: 'anion_s_atomic_percent',
      unit: '%',
      value: sAt.value,
      stderr: sAt.stderr,
      note: 'S 2p atomic % (Li2S + SOx), SEI depth average: S from FSI⁻/TFSI⁻',
    });
  return params;
}
