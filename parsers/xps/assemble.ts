/**
 * The one place where an XPS reader's spectra become a canonical record. Every reader (VAMAS, SPECS,
 * PHI, Scienta, CasaXPS text) hands over plain spectra; the checks that protect the fitter live here
 * once: energy axis converted to binding energy and made ascending, a non-monotonic axis rejected,
 * negative or non-finite intensities reported, etch levels and sputter times carried through.
 */
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { XPS } from '../../src/records/names.js';
import { categorical } from '../text/columns.js';
import { ParseError } from '../../src/records/errors.js';

/** One spectrum (one region at one etch level) as a reader found it. */
export interface XpsSpectrumIn {
  /** Region / core-level name as the file gives it (e.g. `C1s`, `Fe 2p`, `Survey`). */
  readonly region: string;
  /** 0-based etch level (0 = before any sputtering, or the only level). */
  readonly etchLevel: number;
  /** Cumulative sputter time in s, only when the file states it. */
  readonly sputterTimeS?: number;
  readonly energy: ArrayLike<number>;
  readonly intensity: ArrayLike<number>;
  /** Which energy the abscissa is. Kinetic energies are converted with `excitationEnergyEv`. */
  readonly axis: 'binding' | 'kinetic';
  readonly excitationEnergyEv?: number;
  /** Stated analyser work function; subtracted only when the reader's convention says so. */
  readonly workFunctionEv?: number;
  readonly subtractWorkFunction?: boolean;
  /** Where the spectrum starts in the file (for messages). */
  readonly line?: number;
  readonly offset?: number;
}

export interface XpsAssembly {
  readonly path: string;
  readonly spectra: readonly XpsSpectrumIn[];
  readonly meta: RecordMeta;
  readonly warnings: ParseWarning[];
  readonly intensityUnit: 'counts' | 'counts/s';
  /** Stated sputter rate (nm/s); a `Depth` column is added only when this is given and > 0. */
  readonly sputterRateNmPerS?: number;
}

/** `hν − KE` (Fermi-referenced KE, the CasaXPS/Prodigy convention) or `hν − KE − φ`. */
export function kineticToBinding(ke: number, hv: number, phi = 0): number {
  return hv - ke - phi;
}

/** Build the canonical long-form record. Throws ParseError on data that would give a wrong profile. */
export function buildXpsRecord(a: XpsAssembly): ParsedRecord {
  const { path } = a;
  const warnings = [...a.warnings];
  if (a.spectra.length === 0) {
    throw new ParseError({ file: path, code: 'no-data', message: 'no XPS spectra found', expected: 'at least one region with data', found: 'none' });
  }
  // Same region at the same etch level twice (repeated acquisition): keep both, distinguishable.
  const seen = new Map<string, number>();
  const names: string[] = [];
  for (const s of a.spectra) {
    const k = `${s.region}\u0000${s.etchLevel}`;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    if (n > 1) {
      warnings.push({
        code: 'duplicate-region',
        message: `region '${s.region}' appears ${n} times at etch level ${s.etchLevel}; this copy is named '${s.region} #${n}'`,
        line: s.line,
        offset: s.offset,
      });
      names.push(`${s.region} #${n}`);
    } else names.push(s.region);
  }

  let total = 0;
  for (const s of a.spectra) total += s.energy.length;
  const be = new Float64Array(total);
  const y = new Float64Array(total);
  const level = new Int32Array(total);
  const time = new Float64Array(total);
  const regionIdx = new Int32Array(total);
  const levels: string[] = [];
  const levelOf = new Map<string, number>();
  let anyTime = false;
  let missingTime = false;
  const flagged: string[] = [];
  const conversions = new Set<string>();

  let o = 0;
  a.spectra.forEach((s, si) => {
    const name = names[si]!;
    const n = s.energy.length;
    const where = { line: s.line, offset: s.offset };
    if (n === 0)
      throw new ParseError({ file: path, code: 'no-data', ...where, message: `region '${name}' has no data points`, expected: '≥ 1 point', found: '0' });
    if (s.intensity.length !== n) {
      throw new ParseError({
        file: path,
        code: 'truncated',
        ...where,
        message: `region '${name}': ${s.intensity.length} intensities for ${n} energies`,
        expected: String(n),
        found: String(s.intensity.length),
      });
    }
    const e = new Float64Array(n);
    if (s.axis === 'kinetic') {
      if (s.excitationEnergyEv === undefined || !Number.isFinite(s.excitationEnergyEv)) {
        throw new ParseError({
          file: path,
          code: 'bad-header',
          ...where,
          message: `region '${name}': kinetic-energy axis but no excitation energy stated`,
          expected: 'source energy (eV)',
          found: 'none',
        });
      }
      const phi = s.subtractWorkFunction ? (s.workFunctionEv ?? 0) : 0;
      // Rounded to µeV so that hν − KE does not leave float dust (1486.61 − 1486.61 = −2e-13).
      for (let i = 0; i < n; i++) e[i] = Math.round(kineticToBinding(s.energy[i]!, s.excitationEnergyEv, phi) * 1e6) / 1e6 + 0; // + 0 turns −0 into 0
      conversions.add(
        s.subtractWorkFunction
          ? `BE = ${s.excitationEnergyEv} eV − KE − φ (${phi} eV)`
          : `BE = ${s.excitationEnergyEv} eV − KE (KE Fermi-referenced; stated work function not subtracted)`,
      );
    } else for (let i = 0; i < n; i++) e[i] = s.energy[i]!;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(e[i]!))
        throw new ParseError({
          file: path,
          code: 'bad-number',
          ...where,
          message: `region '${name}': energy point ${i} is not a number`,
          expected: 'finite eV',
          found: String(e[i]),
        });
      if (!Number.isFinite(s.intensity[i]!))
        throw new ParseError({
          file: path,
          code: 'bad-number',
          ...where,
          message: `region '${name}': intensity point ${i} is not a number`,
          expected: 'finite counts',
          found: String(s.intensity[i]),
        });
    }
    // Strictly monotonic in either direction; anything else would silently scramble the profile.
    const dir = n > 1 ? Math.sign(e[1]! - e[0]!) : 1;
    for (let i = 1; i < n; i++) {
      if (Math.sign(e[i]! - e[i - 1]!) !== dir || dir === 0) {
        throw new ParseError({
          file: path,
          code: 'invalid',
          ...where,
          message: `region '${name}': energy axis is not monotonic at point ${i}`,
          expected: dir >= 0 ? `> ${e[i - 1]}` : `< ${e[i - 1]}`,
          found: String(e[i]),
        });
      }
    }
    let neg = 0;
    for (let i = 0; i < n; i++) if (s.intensity[i]! < 0) neg++;
    if (neg > 0) {
      flagged.push(name);
      warnings.push({
        code: 'negative-intensity',
        message: `region '${name}' (etch level ${s.etchLevel}): ${neg} negative intensities (counts cannot be negative: background-subtracted or corrupt export); region flagged`,
        rows: neg,
        ...where,
      });
    }
    let ri = levelOf.get(name);
    if (ri === undefined) {
      ri = levels.length;
      levels.push(name);
      levelOf.set(name, ri);
    }
    const t = s.sputterTimeS;
    if (t !== undefined) anyTime = true;
    else missingTime = true;
    for (let k = 0; k < n; k++) {
      const i = dir < 0 ? n - 1 - k : k; // ascending binding energy within a region
      be[o] = e[i]!;
      y[o] = s.intensity[i]!;
      level[o] = s.etchLevel;
      time[o] = t ?? NaN;
      regionIdx[o] = ri;
      o++;
    }
  });

  const columns: Column[] = [
    { name: XPS.region.name, unit: XPS.region.unit, values: regionIdx, levels },
    { name: XPS.etchLevel.name, unit: XPS.etchLevel.unit, values: level },
  ];
  if (anyTime) {
    if (missingTime) warnings.push({ code: 'sputter-time-partial', message: 'sputter time is stated for some spectra only; the others have NaN' });
    columns.push({ name: XPS.sputterTime.name, unit: XPS.sputterTime.unit, values: time });
    if (a.sputterRateNmPerS && a.sputterRateNmPerS > 0) {
      const depth = new Float64Array(total);
      for (let i = 0; i < total; i++) depth[i] = time[i]! * a.sputterRateNmPerS;
      columns.push({ name: 'Depth', unit: 'nm', values: depth });
    }
  }
  columns.push({ name: XPS.bindingEnergy.name, unit: XPS.bindingEnergy.unit, values: be });
  columns.push({ name: XPS.intensity.name, unit: a.intensityUnit, values: y });

  const etchLevels = new Set(a.spectra.map((s) => s.etchLevel));
  const meta: RecordMeta = {
    technique: 'XPS',
    ...a.meta,
    regions: levels,
    etchLevels: etchLevels.size,
  };
  if (conversions.size) meta.bindingEnergyConversion = [...conversions].join('; ');
  if (flagged.length) meta.flaggedRegions = [...new Set(flagged)];
  return { kind: etchLevels.size > 1 ? 'xps-depth-profile' : 'xps-spectrum', meta, columns, warnings };
}

/** `Al Kα 1486.6 eV` style label from a source label and energy, for metadata. */
export function sourceLabel(label: string | undefined, energyEv: number | undefined): string | undefined {
  if (energyEv === undefined || !Number.isFinite(energyEv)) return label || undefined;
  const known: [number, string][] = [
    [1486.6, 'Al Kα'],
    [1253.6, 'Mg Kα'],
    [2984.3, 'Ag Lα'],
  ];
  const hit = known.find(([e]) => Math.abs(e - energyEv) < 0.1);
  // The line name wins over a device name ('XR 50') or a bare anode symbol ('Al').
  const name = hit?.[1] ?? (label && label.trim() && !/^\d/.test(label) ? label.trim() : undefined);
  return `${name ? name + ' ' : ''}${energyEv} eV`;
}

/** Etch level from a block identifier or comment (`Etch Level 3`, `Level: 2`, `Depth profile cycle 4`). */
export function etchLevelFromText(s: string): number | undefined {
  const m = /\b(?:etch\s*level|etch\s*cycle|depth\s*(?:profile\s*)?(?:level|cycle)|sputter\s*(?:level|cycle)|level)\s*[:#=]?\s*(\d+)/i.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** One peak of a vendor's quantification table (NaN where the table has no value). */
export interface QuantPeakIn {
  readonly etchLevel: number;
  readonly sputterTimeS: number;
  /** Core level as written (`C1s`, `C 1s`); '' when the peak names none. */
  readonly region: string;
  /** The peak's name as the analyst wrote it. */
  readonly peak: string;
  readonly bindingEnergy: number;
  readonly area: number;
  readonly atomicPercent: number;
  readonly peakHeightAtomicPercent?: number;
}

/**
 * The `xps-quantification` record of a vendor's peak / atomic-% table: one row per peak. The
 * peak-height column is there only when some peak has one. `areaUnit`: as the vendor integrates.
 */
export function buildQuantRecord(
  peaks: readonly QuantPeakIn[],
  meta: RecordMeta,
  warnings: ParseWarning[],
  areaUnit: string = XPS.peakArea.unit,
): ParsedRecord {
  const f64 = (q: { name: string; unit: string }, get: (p: QuantPeakIn) => number): Column => ({
    name: q.name,
    unit: q.unit,
    values: Float64Array.from(peaks, get),
  });
  return {
    kind: 'xps-quantification',
    meta,
    warnings,
    columns: [
      { name: XPS.etchLevel.name, unit: XPS.etchLevel.unit, values: Int32Array.from(peaks, (p) => p.etchLevel) },
      f64(XPS.sputterTime, (p) => p.sputterTimeS),
      {
        ...categorical(
          XPS.region.name,
          peaks.map((p) => p.region),
        ),
        unit: XPS.region.unit,
      },
      {
        ...categorical(
          XPS.peak.name,
          peaks.map((p) => p.peak),
        ),
        unit: XPS.peak.unit,
      },
      f64(XPS.peakBindingEnergy, (p) => p.bindingEnergy),
      f64({ name: XPS.peakArea.name, unit: areaUnit }, (p) => p.area),
      f64(XPS.atomicPercent, (p) => p.atomicPercent),
      ...(peaks.some((p) => p.peakHeightAtomicPercent !== undefined && Number.isFinite(p.peakHeightAtomicPercent))
        ? [f64(XPS.peakHeightAtomicPercent, (p) => p.peakHeightAtomicPercent ?? NaN)]
        : []),
    ],
  };
}
