/**
 * The XPS fitter: canonical XPS record → per-etch-level charge reference, constrained peak fits,
 * atomic % per species (Scofield RSFs), SEI inorganic fraction per level and depth-averaged, SEI
 * thickness from the Li⁰ share of Li 1s, depth heterogeneity and anion signatures. Pure: reads the
 * record, never the instrument.
 */
import type { CanonicalRecord, Column, ParsedRecord } from '../../records/record.js';
import { findColumn, requireColumn } from '../../records/record.js';
import { XPS } from '../../records/names.js';
import type { CellContext, FittedParameter, FitOutcome, RecordFitter } from '../types.js';
import type { XpsSettings } from '../settings.js';
import { coreLevelOf, SCOFIELD_RSF, SPECIES_LIBRARY, type CoreLevel, type SpeciesEntry } from './species.js';
import { DEFAULT_REGION_FIT_OPTIONS, fitRegion, type BackgroundKind, type RegionFit } from './region-fit.js';
import { measureShift } from './referencing.js';
import { atomicPercentages, metalShare, ratioOfSpecies, type AtomicShare, type ValueWithError } from './quantify.js';
import { lifToOrganic, seiParameters } from './sei-parameters.js';
import { coversWindow, ti3FractionOf, ti3Parameters } from './ti3-fraction.js';

export interface XpsFitOptions {
  /** Components to fit. @default SPECIES_LIBRARY entries with `enabled: true` */
  readonly species: readonly SpeciesEntry[];
  /** Relative sensitivity factors per core level. @default SCOFIELD_RSF (DOMAIN §3.3) */
  readonly rsf: Readonly<Record<string, number>>;
  /** @default 'shirley' */
  readonly background: BackgroundKind;
  /** Species counted as inorganic. @default LiF, Li2O, Li3N, LiNxOy, Li2CO3, LixPOyFz */
  readonly inorganic: readonly string[];
  /** Species counted as organic. @default ROCO2Li, ROLi, C-O, C=O, C-C */
  readonly organic: readonly string[];
  /** Primary reference: component id and its line. @default C-C:C1s at 284.8 eV */
  readonly reference: { readonly id: string; readonly energy: number };
  /** Fallback when C–C is below `minReferenceShare` of C 1s. @default LiF:F1s at 685.0 eV */
  readonly fallbackReference: { readonly id: string; readonly energy: number };
  /** @default 0.15 */
  readonly minReferenceShare: number;
  /** Shifts beyond this (eV) are flagged as charging and not applied. @default 3 */
  readonly maxChargeShift: number;
}

export const DEFAULT_XPS_FIT_OPTIONS: XpsFitOptions = {
  species: SPECIES_LIBRARY.filter((s) => s.enabled),
  rsf: SCOFIELD_RSF,
  background: 'shirley',
  inorganic: ['LiF', 'Li2O', 'Li3N', 'LiNxOy', 'Li2CO3', 'LixPOyFz'],
  organic: ['ROCO2Li', 'ROLi', 'C-O', 'C=O', 'C-C'],
  reference: { id: 'C-C:C1s', energy: 284.8 },
  fallbackReference: { id: 'LiF:F1s', energy: 685.0 },
  minReferenceShare: 0.15,
  maxChargeShift: 3,
};

export function resolveXpsFitOptions(o: Partial<XpsFitOptions> = {}): XpsFitOptions {
  const r = { ...DEFAULT_XPS_FIT_OPTIONS, ...o };
  const ids = new Set<string>();
  for (const s of r.species) {
    if (ids.has(s.id)) throw new Error(`species id '${s.id}' appears twice`);
    ids.add(s.id);
    if (!(s.window[0] <= s.window[1]) || !(s.fwhm[0] > 0 && s.fwhm[0] <= s.fwhm[1]))
      throw new Error(`species '${s.id}': window or FWHM bounds are not ordered`);
    if (!(r.rsf[s.core]! > 0)) throw new Error(`species '${s.id}': no RSF for core level '${s.core}'`);
  }
  if (!(r.maxChargeShift > 0)) throw new Error('maxChargeShift must be > 0');
  return r;
}

export interface LevelResult {
  readonly etchLevel: number;
  readonly sputterTime: number;
  readonly shift: number;
  readonly referenceUsed: string;
  readonly charging: boolean;
  readonly fits: ReadonlyMap<CoreLevel, RegionFit>;
  readonly shares: readonly AtomicShare[];
  readonly inorganicFraction: ValueWithError;
  readonly metalShare: ValueWithError;
  readonly lifToOrganicC: ValueWithError;
  /** Ti³⁺/(Ti³⁺ + Ti⁴⁺ (+ Ti²⁺)) from the Ti 2p3/2 areas (ti3-fraction.ts); NaN without a detected Ti 2p. */
  readonly ti3Fraction: ValueWithError;
  readonly messages: readonly string[];
}

interface RegionData {
  x: Float64Array;
  y: Float64Array;
}

/** Group the long-form record into (etch level → core level → spectrum); unknown regions are reported. */
export function splitRecord(r: Pick<ParsedRecord, 'columns'>): {
  levels: Map<number, { time: number; regions: Map<CoreLevel, RegionData> }>;
  skipped: string[];
} {
  const reg = requireColumn(r, XPS.region.name);
  const lev = requireColumn(r, XPS.etchLevel.name);
  const be = requireColumn(r, XPS.bindingEnergy.name);
  const y = requireColumn(r, XPS.intensity.name);
  const t = findColumn(r, XPS.sputterTime.name);
  const names = reg.levels ?? [];
  const core = names.map((n) => coreLevelOf(n));
  const skipped = names.filter((_, i) => !core[i]);
  const acc = new Map<number, { time: number; regions: Map<CoreLevel, { x: number[]; y: number[]; name: string }> }>();
  for (let i = 0; i < reg.values.length; i++) {
    const c = core[reg.values[i]!];
    if (!c) continue;
    const L = lev.values[i]!;
    let e = acc.get(L);
    if (!e) acc.set(L, (e = { time: t ? t.values[i]! : NaN, regions: new Map() }));
    let rd = e.regions.get(c);
    if (!rd) e.regions.set(c, (rd = { x: [], y: [], name: names[reg.values[i]!]! }));
    if (rd.name !== names[reg.values[i]!]) continue; // a second region of the same core level: first wins
    rd.x.push(be.values[i]!);
    rd.y.push(y.values[i]!);
  }
  const levels = new Map<number, { time: number; regions: Map<CoreLevel, RegionData> }>();
  for (const [L, e] of [...acc].sort((a, b) => a[0] - b[0])) {
    const m = new Map<CoreLevel, RegionData>();
    for (const [c, d] of e.regions) m.set(c, { x: Float64Array.from(d.x), y: Float64Array.from(d.y) });
    levels.set(L, { time: e.time, regions: m });
  }
  return { levels, skipped };
}

/** Fit one etch level: reference, fit every known region, quantify. */
export function fitLevel(etchLevel: number, sputterTime: number, regions: ReadonlyMap<CoreLevel, RegionData>, o: XpsFitOptions): LevelResult {
  const messages: string[] = [];
  const byCore = (c: CoreLevel) => o.species.filter((s) => s.core === c);
  let shift = 0;
  let referenceUsed = 'none';
  let charging = false;
  const tryRef = (ref: { id: string; energy: number }, requireShare: boolean) => {
    const entry = o.species.find((s) => s.id === ref.id);
    const d = entry && regions.get(entry.core);
    if (!entry || !d) return false;
    const m = measureShift(d.x, d.y, byCore(entry.core), ref.id, ref.energy, o.maxChargeShift + 3);
    // The reference line must be there (share) and be more than noise (area ≥ 3 standard errors).
    if (!m || (requireShare && (m.referenceShare < o.minReferenceShare || !(m.referenceZ >= 3)))) return false;
    referenceUsed = `${ref.id} @ ${ref.energy} eV`;
    if (Math.abs(m.shift) > o.maxChargeShift) {
      charging = true;
      messages.push(
        `level ${etchLevel}: charge shift ${m.shift.toFixed(2)} eV from ${ref.id} exceeds ±${o.maxChargeShift} eV: flagged as charging, not applied`,
      );
    } else shift = m.shift;
    return true;
  };
  if (!tryRef(o.reference, true) && !tryRef(o.fallbackReference, true)) {
    messages.push(`level ${etchLevel}: no charge reference (no C–C above ${o.minReferenceShare * 100} % of C 1s and no LiF F 1s); energies used as recorded`);
  }
  const fits = new Map<CoreLevel, RegionFit>();
  for (const [c, d] of regions) {
    const comps = byCore(c).filter((s) => !s.requiresCoverage || coversWindow(d.x, s.window, shift));
    if (comps.length === 0) {
      messages.push(`level ${etchLevel}: no species for ${c}`);
      continue;
    }
    const f = fitRegion(d.x, d.y, comps, shift, { ...DEFAULT_REGION_FIT_OPTIONS, background: o.background });
    fits.set(c, f);
    for (const m of f.messages) messages.push(`level ${etchLevel} ${c}: ${m}`);
    const pinned = f.components.filter((p) => p.pinned && p.area > 3 * p.areaStderr);
    if (pinned.length)
      messages.push(
        `level ${etchLevel} ${c}: ${pinned.map((p) => `${p.id} at ${p.centerReferenced.toFixed(2)} eV`).join(', ')} on a window edge (charging or misassignment?)`,
      );
  }
  const comps = [...fits].flatMap(([core, f]) =>
    f.components.map((p) => ({ id: p.id, species: p.species, core, area: p.area, areaStderr: Number.isFinite(p.areaStderr) ? p.areaStderr : 0 })),
  );
  const shares = atomicPercentages(comps, o.rsf);
  return {
    etchLevel,
    sputterTime,
    shift,
    referenceUsed,
    charging,
    fits,
    shares,
    inorganicFraction: ratioOfSpecies(shares, o.inorganic, o.organic),
    metalShare: metalShare(shares),
    lifToOrganicC: lifToOrganic(shares, o.organic),
    ti3Fraction: ti3FractionOf(fits.get('Ti 2p')),
    messages,
  };
}

export function fitXpsRecord(
  record: Pick<ParsedRecord, 'columns' | 'kind'>,
  options: Partial<XpsFitOptions> = {},
): FitOutcome & { readonly levels: readonly LevelResult[] } {
  const o = resolveXpsFitOptions(options);
  const { levels, skipped } = splitRecord(record);
  const messages: string[] = [];
  if (skipped.length) messages.push(`regions not fitted (no core level in the species library): ${skipped.join(', ')}`);
  const results: LevelResult[] = [];
  for (const [L, e] of levels) results.push(fitLevel(L, e.time, e.regions, o));
  for (const r of results) messages.push(...r.messages);
  const params: FittedParameter[] = seiParameters(results.map((r) => ({ ...r, cores: new Set(r.fits.keys()) })));
  const haveTime = results.length > 0 && results.every((r) => Number.isFinite(r.sputterTime));
  const scopeOf = (r: LevelResult) => `etch level ${r.etchLevel}${haveTime ? ` (${r.sputterTime} s)` : ''}`;
  params.push(...ti3Parameters(results, scopeOf));
  for (const r of results)
    params.push({
      name: 'charge_shift',
      unit: 'eV',
      value: r.shift,
      scope: scopeOf(r),
      note: `${r.referenceUsed}${r.charging ? '; CHARGING flagged, shift not applied' : ''}`,
    });

  const charging = results.filter((r) => r.charging).length;
  return {
    fitter: 'xps-sei',
    fitterVersion: '1.1.0',
    parameters: params,
    tables: { species: speciesTable(results) },
    quality: {
      ok: results.length > 0 && charging === 0 && results.every((r) => [...r.fits.values()].every((f) => f.backgroundConverged)),
      metrics: {
        levels: results.length,
        regionsFitted: results.reduce((a, r) => a + r.fits.size, 0),
        chargingLevels: charging,
        meanReducedChi2: mean(results.flatMap((r) => [...r.fits.values()].map((f) => f.rss / f.dof))),
      },
      messages,
    },
    options: { ...o, species: o.species.map((s) => s.id) },
    levels: results,
  };
}

function mean(v: number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

function speciesTable(results: readonly LevelResult[]): Column[] {
  const rows = results.flatMap((r) =>
    r.shares.map((s) => {
      const fit = r.fits.get(s.core)!.components.find((c) => c.id === s.id)!;
      return { r, s, fit };
    }),
  );
  const ids = [...new Set(rows.map((x) => x.s.id))];
  return [
    { name: XPS.etchLevel.name, unit: '1', values: Int32Array.from(rows.map((x) => x.r.etchLevel)) },
    { name: XPS.sputterTime.name, unit: 's', values: Float64Array.from(rows.map((x) => x.r.sputterTime)) },
    { name: 'Component', unit: '', values: Int32Array.from(rows.map((x) => ids.indexOf(x.s.id))), levels: ids },
    { name: 'Area', unit: 'counts*eV', values: Float64Array.from(rows.map((x) => x.fit.area)) },
    { name: 'Area Stderr', unit: 'counts*eV', values: Float64Array.from(rows.map((x) => x.fit.areaStderr)) },
    { name: 'Centre', unit: 'eV', values: Float64Array.from(rows.map((x) => x.fit.centerReferenced)) },
    { name: 'Atomic Percent', unit: '%', values: Float64Array.from(rows.map((x) => x.s.atomicPercent)) },
    { name: 'Atomic Percent Stderr', unit: '%', values: Float64Array.from(rows.map((x) => x.s.atomicPercentStderr)) },
  ];
}

/** The manifest's `analysis.xps` settings as fit options (only what it sets; `rsf: scofield` is the default table). */
export function xpsOptionsFromSettings(s: XpsSettings | undefined): Partial<XpsFitOptions> {
  if (!s) return {};
  return {
    ...(s.charge_reference ? { reference: { id: s.charge_reference.species, energy: s.charge_reference.energy_eV } } : {}),
    ...(s.background ? { background: s.background } : {}),
    ...(s.inorganic_species ? { inorganic: s.inorganic_species } : {}),
  };
}

export const xpsFitter: RecordFitter = {
  id: 'xps-sei',
  version: '1.1.0',
  kinds: ['xps-spectrum', 'xps-depth-profile'],
  fit(record: CanonicalRecord, cell?: CellContext): FitOutcome {
    const { levels: _levels, ...outcome } = fitXpsRecord(record, xpsOptionsFromSettings(cell?.analysis?.xps));
    return outcome;
  },
};
