/**
 * A vendor's quantification table (`xps-quantification` record: peak name, core level, peak binding
 * energy, atomic %, per etch level) → SEI parameters, with the same definitions as our own fits
 * (`sei-parameters.ts`). The vendor's atomic % are used as given (their backgrounds, sensitivity
 * factors and fits, not ours); what this adds is the chemistry: each peak is mapped to a species of the
 * library, by its name when the analyst named it (`LiF`, `C1s C-C`, `Li2CO3`), else by its binding
 * energy inside a species window of its core level. Peaks that map to nothing are listed, not guessed.
 */
import type { CanonicalRecord, ParsedRecord } from '../../records/record.js';
import { findColumn, requireColumn } from '../../records/record.js';
import { CORE_LEVEL_PREFIX, coreLevelPrefix, XPS } from '../../records/names.js';
import type { CellContext, FitOutcome, RecordFitter } from '../types.js';
import { coreLevelOf, SPECIES_LIBRARY, type CoreLevel, type SpeciesEntry } from './species.js';
import { metalShare, ratioOfSpecies, type AtomicShare } from './quantify.js';
import { lifToOrganic, seiParameters, type LevelShares } from './sei-parameters.js';
import { DEFAULT_XPS_FIT_OPTIONS } from './fitter.js';

const CORE_PREFIX_ANY_CASE = new RegExp(CORE_LEVEL_PREFIX.source, 'i');

export const QUANT_TABLE_FITTER_ID = 'xps-quant-table';
export const QUANT_TABLE_FITTER_VERSION = '1.0.0';

/** Binding energies within this of a species window still count as in it (vendor referencing differs by a few 0.1 eV). */
export const WINDOW_TOLERANCE_EV = 0.2;

export interface PeakAssignment {
  readonly name: string;
  readonly core?: CoreLevel;
  readonly species?: SpeciesEntry;
  readonly how: 'name' | 'binding energy' | 'unassigned';
}

const norm = (s: string): string =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-‐-―−/·.,()]/g, '')
    .replace(/⁰/g, '0')
    .replace(/⁺/g, '+');

/** Names a species answers to: its species name, its id stem, and each part of its label before any '('. */
function namesOf(e: SpeciesEntry): Set<string> {
  const out = new Set([norm(e.species), norm(e.id.split(':')[0]!)]);
  for (const part of e.label.split(/[/(]/)[0]!.split('/')) if (norm(part)) out.add(norm(part));
  for (const part of e.label.split('/')) {
    const t = norm(part.replace(/\(.*?\)/g, ''));
    if (t) out.add(t);
  }
  return out;
}

/** The species of one table row: by name first, else by binding energy in a window of its core level. */
export function assignPeak(name: string, region: string, peakBe: number, library: readonly SpeciesEntry[] = SPECIES_LIBRARY): PeakAssignment {
  const coreText = region || coreLevelPrefix(name);
  const core = coreLevelOf(coreText);
  if (!core) return { name, how: 'unassigned' };
  const pool = library.filter((e) => e.core === core);
  // The name without its core-level prefix: `C1s C-C` → `C-C`, `F1s LiF` → `LiF`.
  const bare = norm(name.replace(CORE_PREFIX_ANY_CASE, '').replace(/^\s*(?:scan)?\s*/i, ''));
  if (bare) {
    const byName = pool.filter((e) => namesOf(e).has(bare));
    if (byName.length) return { name, core, species: byName.find((e) => e.enabled) ?? byName[0]!, how: 'name' };
  }
  if (Number.isFinite(peakBe)) {
    const inWindow = pool.filter((e) => peakBe >= e.window[0] - WINDOW_TOLERANCE_EV && peakBe <= e.window[1] + WINDOW_TOLERANCE_EV);
    if (inWindow.length) {
      const centre = (e: SpeciesEntry) => Math.abs(peakBe - (e.window[0] + e.window[1]) / 2);
      const best = [...inWindow].sort((a, b) => Number(b.enabled) - Number(a.enabled) || centre(a) - centre(b))[0]!;
      return { name, core, species: best, how: 'binding energy' };
    }
  }
  return { name, core, how: 'unassigned' };
}

type Source = 'vendor atomic %' | 'areas / Scofield RSF' | 'peak-height atomic %';

interface Row {
  readonly a: PeakAssignment;
  readonly be: number;
  readonly at: number;
  readonly area: number;
  readonly pp: number;
}

/**
 * Atomic % of one level's rows: the vendor's when every row has one; else from the peak areas with our
 * Scofield RSFs (the same as our own fits use); else the vendor's peak-height atomic %.
 */
function levelPercents(rows: readonly Row[], rsf: Readonly<Record<string, number>>): { pct: number[]; source: Source } | undefined {
  if (rows.every((r) => Number.isFinite(r.at))) return { pct: rows.map((r) => r.at), source: 'vendor atomic %' };
  if (rows.every((r) => Number.isFinite(r.area) && r.a.core && rsf[r.a.core]! > 0)) {
    const n = rows.map((r) => r.area / rsf[r.a.core!]!);
    const N = n.reduce((x, y) => x + y, 0);
    if (N > 0) return { pct: n.map((v) => (100 * v) / N), source: 'areas / Scofield RSF' };
  }
  if (rows.every((r) => Number.isFinite(r.pp))) return { pct: rows.map((r) => r.pp), source: 'peak-height atomic %' };
  return undefined;
}

export function fitQuantTable(record: Pick<ParsedRecord, 'columns'>, inorganic?: readonly string[]): FitOutcome {
  // The manifest's `analysis.xps.inorganic_species` (the only XPS setting a table without spectra can use).
  const o = inorganic ? { ...DEFAULT_XPS_FIT_OPTIONS, inorganic } : DEFAULT_XPS_FIT_OPTIONS;
  const level = requireColumn(record, XPS.etchLevel.name).values;
  const time = findColumn(record, XPS.sputterTime.name)?.values;
  const regionCol = findColumn(record, XPS.region.name);
  const peakCol = requireColumn(record, XPS.peak.name);
  const col = (name: string) => findColumn(record, name)?.values;
  const be = col(XPS.peakBindingEnergy.name);
  const at = col(XPS.atomicPercent.name);
  const area = col(XPS.peakArea.name);
  const pp = col(XPS.peakHeightAtomicPercent.name);
  const label = (c: typeof peakCol | undefined, i: number): string => (c?.levels ? (c.levels[c.values[i]!] ?? '') : '');
  const messages: string[] = [];
  const rowsByLevel = new Map<number, { time: number; rows: Row[] }>();
  for (let i = 0; i < level.length; i++) {
    const L = level[i]!;
    const e = rowsByLevel.get(L) ?? { time: time ? time[i]! : NaN, rows: [] };
    rowsByLevel.set(L, e);
    const peakBe = be ? be[i]! : NaN;
    e.rows.push({
      a: assignPeak(label(peakCol, i), label(regionCol, i), peakBe),
      be: peakBe,
      at: at ? at[i]! : NaN,
      area: area ? area[i]! : NaN,
      pp: pp ? pp[i]! : NaN,
    });
  }
  const unassigned: string[] = [];
  const sources = new Set<Source>();
  const levels: LevelShares[] = [];
  let worst = 0;
  for (const [L, e] of [...rowsByLevel].sort((x, y) => x[0] - y[0])) {
    const q = levelPercents(e.rows, o.rsf);
    if (!q) {
      messages.push(`level ${L}: no atomic %, area or peak-height atomic % for every peak; level left out`);
      continue;
    }
    sources.add(q.source);
    const shares: AtomicShare[] = [];
    const cores = new Set<CoreLevel>();
    let total = 0;
    let lost = 0;
    e.rows.forEach((r, j) => {
      const pct = q.pct[j]!;
      total += pct;
      if (r.a.core) cores.add(r.a.core);
      if (!r.a.species) {
        lost += pct;
        unassigned.push(`'${r.a.name}'${Number.isFinite(r.be) ? ` at ${r.be} eV` : ''} (level ${L}, ${pct.toFixed(1)} %)`);
        return;
      }
      shares.push({
        id: r.a.species.id,
        species: r.a.species.species,
        core: r.a.species.core,
        atoms: pct,
        atomsStderr: NaN,
        atomicPercent: pct,
        atomicPercentStderr: NaN,
      });
    });
    if (total > 0) worst = Math.max(worst, lost / total);
    levels.push({
      etchLevel: L,
      sputterTime: e.time,
      shares,
      cores,
      inorganicFraction: ratioOfSpecies(shares, o.inorganic, o.organic),
      metalShare: metalShare(shares),
      lifToOrganicC: lifToOrganic(shares, o.organic),
    });
  }
  const assignments = [...rowsByLevel.values()].flatMap((e) => e.rows.map((r) => r.a));
  if (unassigned.length)
    messages.push(
      `peaks mapped to no library species (left out of every fraction): ${unassigned.slice(0, 12).join(', ')}${unassigned.length > 12 ? ` and ${unassigned.length - 12} more` : ''}`,
    );
  const byEnergy = assignments.filter((a) => a.how === 'binding energy');
  if (byEnergy.length)
    messages.push(
      `${byEnergy.length} peak(s) assigned by binding energy (not by name): ${byEnergy
        .slice(0, 8)
        .map((a) => `${a.name} → ${a.species!.species}`)
        .join(', ')}`,
    );
  messages.push(
    `atomic % from ${[...sources].join(' and ') || 'nothing'}${sources.has('vendor atomic %') ? " (the vendor software's backgrounds and sensitivity factors, not refitted)" : ''}${sources.has('peak-height atomic %') ? ' — peak heights are a rough quantification' : ''}`,
  );
  // The vendor gives no uncertainty: parameters carry none rather than a made-up one.
  const parameters = seiParameters(levels).map(({ stderr: _none, ...p }) => p);
  const ok = levels.length > 0 && levels.every((l) => Number.isFinite(l.inorganicFraction.value)) && worst <= 0.2 && !sources.has('peak-height atomic %');
  if (worst > 0.2)
    messages.push(
      `up to ${(100 * worst).toFixed(0)} % of a level's atomic % is in unassigned peaks: name them after species (e.g. 'C1s C-C', 'F1s LiF') in the vendor software`,
    );
  return {
    fitter: QUANT_TABLE_FITTER_ID,
    fitterVersion: QUANT_TABLE_FITTER_VERSION,
    parameters,
    quality: { ok, metrics: { levels: levels.length, peaks: level.length, unassignedPeaks: unassigned.length, maxUnassignedShare: worst }, messages },
    options: { inorganic: o.inorganic, organic: o.organic, windowToleranceEv: WINDOW_TOLERANCE_EV, atomicPercentFrom: [...sources] },
  };
}

export const xpsQuantTableFitter: RecordFitter = {
  id: QUANT_TABLE_FITTER_ID,
  version: QUANT_TABLE_FITTER_VERSION,
  kinds: ['xps-quantification'],
  fit: (record: CanonicalRecord, cell?: CellContext): FitOutcome => fitQuantTable(record, cell?.analysis?.xps?.inorganic_species),
};
