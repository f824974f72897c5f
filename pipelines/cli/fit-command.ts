/**
 * `interphase fit <file>`: one file, fitted with its kind's fitter, parameters printed with unit,
 * stderr, 95 % CI and the fit's quality; `--json`, `--csv`, `--plot out.svg`.
 *
 * Loaded lazily by main.ts (`await import('./fit-command.js')` inside the action) so the other
 * commands start without the fitters. Exit codes: 0 fitted, 1 bad input (typed error line: file,
 * line/offset or point, problem), 2 bad options (UsageError, thrown to main).
 */
import { writeFile } from 'node:fs/promises';
import { loadFile, type LoadedFile, type LoadedInPieces, type LoadSettings } from '../../src/io/load.js';
import { UsageError } from '../../src/records/errors.js';
import { CYCLER, EIS, PE } from '../../src/records/names.js';
import { type CanonicalRecord, type Column, findColumn } from '../../src/records/record.js';
import { jsonLine, parseErrorJson } from './output.js';
import { type Circuit, parseCircuit, resolveParameterName } from '../../src/fit/eis/circuit.js';
import { CircuitSyntaxError, EisInputError, EisOptionsError } from '../../src/fit/eis/errors.js';
import { checkSpectrum, type Weighting } from '../../src/fit/eis/spectrum.js';
import { fitCircuit } from '../../src/fit/eis/fit-circuit.js';
import { linKK } from '../../src/fit/eis/kk.js';
import { LI_METAL_CIRCUIT, LI_METAL_MAPPING } from '../../src/fit/eis/li-metal.js';
import { isArcTerm } from '../../src/fit/eis/guess.js';
import { computeDrt } from '../../src/fit/drt/drt.js';
import { fitXpsRecord } from '../../src/fit/xps/fitter.js';
import { coreLevelOf, SPECIES_LIBRARY, type CoreLevel } from '../../src/fit/xps/species.js';
import { parseLineShape, peakValue } from '../../src/fit/xps/lineshapes.js';
import { createFerroFitter } from '../../src/fit/ferro/fitter.js';
import { cycleOutcome, makeCycleFitter } from '../../src/fit/cycles/fitter.js';
import { meanEstimate } from '../../src/stats/descriptive.js';
import { tQuantile975 } from '../../src/stats/distributions.js';
import { logCe } from '../../src/fit/cycles/cycle-metrics.js';
import { fitRecord } from '../../src/fit/index.js';
import type { FitOutcome } from '../../src/fit/types.js';
import { renderSvg } from '../../src/report/plots/render.js';
import {
  cycleFitSpec,
  impedanceFitSpec,
  peFitSpec,
  xpsFitSpec,
  type CycleFitPlot,
  type ImpedanceFitPlot,
  type PeFitPlot,
  type XpsFitPlot,
} from '../../src/report/plots/fit-plots.js';

/** Options as commander hands them over (strings; validated here). Keys mirror the `analysis:` manifest keys. */
export interface FitCliOptions {
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly plot?: string;
  readonly format?: string;
  readonly circuit?: string;
  readonly weighting?: string;
  readonly fmin?: string;
  readonly fmax?: string;
  readonly region?: string;
  readonly initial?: string;
  readonly fix?: string;
  readonly ceCycles?: string;
  readonly thicknessNm?: string;
  readonly areaCm2?: string;
  readonly sweep?: string;
}

export interface FitParameterRow {
  readonly name: string;
  /** Physical name the pipeline stores it under, when it has one (default Li-metal circuit). */
  readonly alias?: string;
  readonly value: number;
  readonly unit: string;
  readonly stderr: number | null;
  readonly ci95: readonly [number, number] | null;
  readonly fixed?: boolean;
  readonly scope?: string;
  readonly note?: string;
}

export interface FitQualityRow {
  readonly ok: boolean;
  readonly chi2?: number;
  readonly reducedChi2?: number;
  readonly kkResidualMax?: number;
  readonly kkPassed?: boolean;
  readonly converged?: boolean;
  readonly identifiable?: boolean;
  readonly [metric: string]: number | boolean | undefined;
}

export interface FitReport {
  /** `sweep 2/3`, `etch level 0 · F 1s`, `loop 1`, or '' for the whole record. */
  readonly scope: string;
  readonly fitter: string;
  readonly model?: string;
  readonly parameters: readonly FitParameterRow[];
  readonly quality: FitQualityRow;
  readonly messages: readonly string[];
}

const WEIGHTINGS: readonly Weighting[] = ['modulus', 'unit', 'proportional'];

// ------------------------------------------------------------------------------------- options

function number(v: string | undefined, flag: string, positive = false): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v.trim());
  if (v.trim() === '' || !Number.isFinite(x)) throw new UsageError(`${flag} must be a number, not '${v}'`);
  if (positive && !(x > 0)) throw new UsageError(`${flag} must be > 0, not '${v}'`);
  return x;
}

/** `R1=20,CPE1_0=1e-5` → [[name, value]]; names resolved against the circuit (positional `_k` allowed). */
function assignments(v: string | undefined, flag: string, circuit: Circuit): Record<string, number> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, number> = {};
  let at = 0;
  for (const part of v.split(',')) {
    const eq = part.indexOf('=');
    const where = `${flag} '${v}' at character ${at + Math.max(0, part.search(/\S/))}`;
    at += part.length + 1;
    if (part.trim() === '') throw new UsageError(`${where}: empty entry (expected NAME=value, e.g. R1=20)`);
    if (eq < 0) throw new UsageError(`${where}: '${part.trim()}' has no '=' (expected NAME=value, e.g. R1=20)`);
    const raw = part.slice(0, eq).trim();
    const name = resolveParameterName(circuit, raw);
    if (!name) throw new UsageError(`${where}: '${raw}' is not a parameter of '${circuit.source}' (has: ${circuit.parameters.map((p) => p.name).join(', ')})`);
    const x = Number(part.slice(eq + 1).trim());
    if (part.slice(eq + 1).trim() === '' || !Number.isFinite(x))
      throw new UsageError(`${where}: value of ${raw} must be a number, not '${part.slice(eq + 1).trim()}'`);
    const p = circuit.parameters.find((q) => q.name === name)!;
    if (!(x >= p.lower && x <= p.upper)) throw new UsageError(`${where}: ${name} = ${x} is outside its bounds [${p.lower}, ${p.upper}]`);
    if (name in out) throw new UsageError(`${where}: ${name} is given twice`);
    out[name] = x;
  }
  return out;
}

interface Resolved {
  readonly circuit: Circuit;
  readonly circuitGiven: boolean;
  readonly weighting: Weighting;
  readonly fmin?: number;
  readonly fmax?: number;
  readonly initial?: Record<string, number>;
  readonly fix?: Record<string, number>;
  readonly region?: CoreLevel;
  readonly ceCycles?: readonly [number, number];
  readonly thicknessNm?: number;
  readonly areaCm2?: number;
  readonly sweep?: number;
}

export function resolveFitOptions(o: FitCliOptions): Resolved {
  if (o.json && o.csv) throw new UsageError('--json and --csv cannot be combined: choose one output format');
  let circuit: Circuit;
  try {
    circuit = parseCircuit(o.circuit ?? LI_METAL_CIRCUIT);
  } catch (e) {
    if (e instanceof CircuitSyntaxError) throw new UsageError(`--circuit: ${e.message}`);
    throw e;
  }
  const weighting = (o.weighting ?? 'modulus') as Weighting;
  if (!WEIGHTINGS.includes(weighting)) throw new UsageError(`--weighting must be one of ${WEIGHTINGS.join(', ')}, not '${o.weighting}'`);
  const fmin = number(o.fmin, '--fmin', true);
  const fmax = number(o.fmax, '--fmax', true);
  if (fmin !== undefined && fmax !== undefined && !(fmin < fmax)) throw new UsageError(`--fmin (${fmin} Hz) must be below --fmax (${fmax} Hz)`);
  const initial = assignments(o.initial, '--initial', circuit);
  const fix = assignments(o.fix, '--fix', circuit);
  for (const k of Object.keys(fix ?? {})) if (initial && k in initial) throw new UsageError(`${k} is both fixed (--fix) and given a start (--initial)`);
  if (fix && Object.keys(fix).length === circuit.parameters.length)
    throw new UsageError(`--fix holds every parameter of '${circuit.source}': nothing left to fit`);
  let region: CoreLevel | undefined;
  if (o.region !== undefined) {
    region = coreLevelOf(o.region);
    if (!region)
      throw new UsageError(`--region '${o.region}' is not a core level the XPS fitter knows (${[...new Set(SPECIES_LIBRARY.map((s) => s.core))].join(', ')})`);
  }
  let ceCycles: [number, number] | undefined;
  if (o.ceCycles !== undefined) {
    const m = /^\s*(\d+)\s*(?:-|\.\.|:)\s*(\d+)\s*$/.exec(o.ceCycles);
    if (!m) throw new UsageError(`--ce-cycles must be a cycle range FIRST-LAST, e.g. 10-50, not '${o.ceCycles}'`);
    ceCycles = [Number(m[1]), Number(m[2])];
    if (!(ceCycles[0] <= ceCycles[1])) throw new UsageError(`--ce-cycles ${o.ceCycles}: the first cycle must not be after the last`);
  }
  let sweep: number | undefined;
  if (o.sweep !== undefined) {
    sweep = Number(o.sweep);
    if (!Number.isInteger(sweep) || sweep < 1) throw new UsageError(`--sweep must be a whole number ≥ 1 (sweeps count from 1), not '${o.sweep}'`);
  }
  return {
    circuit,
    circuitGiven: o.circuit !== undefined,
    weighting,
    fmin,
    fmax,
    initial,
    fix,
    region,
    ceCycles,
    sweep,
    thicknessNm: number(o.thicknessNm, '--thickness-nm', true),
    areaCm2: number(o.areaCm2, '--area-cm2', true),
  };
}

/** Options that only mean something for one family: refuse them for the others (exit 2). */
function checkApplicable(o: FitCliOptions, kind: string, file: string): void {
  const family: [keyof FitCliOptions, string, (k: string) => boolean, string][] = [
    ['circuit', '--circuit', (k) => k === 'eis', 'impedance spectra'],
    ['weighting', '--weighting', (k) => k === 'eis', 'impedance spectra'],
    ['fmin', '--fmin', (k) => k === 'eis', 'impedance spectra'],
    ['fmax', '--fmax', (k) => k === 'eis', 'impedance spectra'],
    ['initial', '--initial', (k) => k === 'eis', 'impedance spectra'],
    ['fix', '--fix', (k) => k === 'eis', 'impedance spectra'],
    ['sweep', '--sweep', (k) => k === 'eis', 'impedance spectra'],
    ['region', '--region', (k) => k.startsWith('xps-'), 'XPS spectra'],
    ['ceCycles', '--ce-cycles', (k) => k === 'cycler', 'cycling records'],
    ['thicknessNm', '--thickness-nm', (k) => k === 'pe-loop', 'P–E loops'],
    ['areaCm2', '--area-cm2', (k) => k === 'pe-loop' || k === 'cycler', 'P–E loops and cycling records'],
  ];
  for (const [key, flag, ok, what] of family) {
    if (o[key] !== undefined && !ok(kind)) throw new UsageError(`${flag} applies to ${what}; ${file} holds a ${kind} record`);
  }
}

// ------------------------------------------------------------------------------------- fitting

const finiteOrNull = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

function fromOutcome(scope: string, out: FitOutcome, extra: Partial<FitQualityRow> = {}): FitReport {
  return {
    scope,
    fitter: `${out.fitter} ${out.fitterVersion}`,
    parameters: out.parameters.map((p) => ({
      name: p.name,
      value: p.value,
      unit: p.unit,
      stderr: finiteOrNull(p.stderr),
      // a fitter that gives a stderr but no interval: the normal ±1.96σ
      ci95:
        p.ci95 && p.ci95.every(Number.isFinite)
          ? p.ci95
          : p.stderr !== undefined && Number.isFinite(p.stderr)
            ? [p.value - 1.96 * p.stderr, p.value + 1.96 * p.stderr]
            : null,
      ...(p.scope ? { scope: p.scope } : {}),
      ...(p.note ? { note: p.note } : {}),
    })),
    quality: { ok: out.quality.ok, ...out.quality.metrics, ...extra } as FitQualityRow,
    messages: out.quality.messages,
  };
}

interface FamilyResult {
  readonly reports: FitReport[];
  readonly inputErrors: string[];
  readonly plot?: () => unknown;
}

function fitImpedance(file: string, records: readonly CanonicalRecord[], r: Resolved): FamilyResult {
  const reports: FitReport[] = [];
  const inputErrors: string[] = [];
  const plots: ImpedanceFitPlot[] = [];
  const n = records.length;
  if (r.sweep !== undefined && r.sweep > n) throw new UsageError(`--sweep ${r.sweep}: ${file} holds ${n} sweep${n === 1 ? '' : 's'}`);
  const picked = r.sweep !== undefined ? [r.sweep - 1] : records.map((_, i) => i);
  const arcs = (r.circuit.root.kind === 'series' ? r.circuit.root.children : [r.circuit.root]).filter(isArcTerm).length;
  for (const k of picked) {
    const rec = records[k]!;
    const scope = n > 1 ? `sweep ${k + 1}/${n}` : '';
    const cols = [EIS.frequency, EIS.zReal, EIS.zImag].map((c) => findColumn(rec, c.name));
    if (cols.some((c) => !c)) {
      inputErrors.push(
        `${file}: ${scope ? `${scope}: ` : ''}record lacks ${[EIS.frequency, EIS.zReal, EIS.zImag]
          .filter((_, i) => !cols[i])
          .map((c) => `'${c.name}'`)
          .join(', ')}`,
      );
      continue;
    }
    const [fc, rc, ic] = cols as Column[];
    const keep: number[] = [];
    for (let i = 0; i < fc!.values.length; i++) {
      const f = fc!.values[i]!;
      if ((r.fmin === undefined || f >= r.fmin) && (r.fmax === undefined || f <= r.fmax)) keep.push(i);
    }
    let spectrum;
    try {
      spectrum = checkSpectrum(
        keep.map((i) => fc!.values[i]!),
        keep.map((i) => rc!.values[i]!),
        keep.map((i) => ic!.values[i]!),
      );
    } catch (e) {
      if (!(e instanceof EisInputError)) throw e;
      const row = e.pointIndex !== undefined ? `point ${keep[e.pointIndex]! + 1}: ` : '';
      const band = r.fmin !== undefined || r.fmax !== undefined ? ` (after --fmin/--fmax: ${keep.length} of ${fc!.values.length} points)` : '';
      inputErrors.push(`${file}: ${scope ? `${scope}: ` : ''}${row}${e.message} [${e.code}]${band}`);
      continue;
    }
    const messages: string[] = [];
    const kk = linKK(spectrum, { threshold: 0.01, c: 0.85 });
    if (!kk.passed) messages.push(`lin-KK failed: max |residual| ${(kk.maxResidual * 100).toFixed(2)} % ≥ 1 % (M=${kk.M}); parameters are not validated`);
    let extraArcs: { r: number; tau: number; alpha: number }[] | undefined;
    if (arcs > 0) {
      try {
        extraArcs = computeDrt(spectrum).peaks.map((p) => ({ r: p.r, tau: p.tau, alpha: 0.9 }));
      } catch (e) {
        messages.push(`DRT (for starting values) failed: ${(e as Error).message}`);
      }
    }
    let fit;
    try {
      fit = fitCircuit(r.circuit, spectrum, {
        weighting: r.weighting,
        ...(r.initial ? { initialGuess: r.initial } : {}),
        ...(r.fix ? { constants: r.fix } : {}),
        ...(extraArcs ? { extraArcs } : {}),
      });
    } catch (e) {
      if (e instanceof EisOptionsError) throw new UsageError(e.message);
      throw e;
    }
    if (!fit.converged) messages.push(`did not converge (${fit.stopReason})`);
    if (!fit.identifiable) messages.push('not all parameters are identifiable from this spectrum (singular Jacobian): their stderr is ∞');
    const mapping = r.circuitGiven && r.circuit.source !== LI_METAL_CIRCUIT ? undefined : LI_METAL_MAPPING;
    reports.push({
      scope,
      fitter: 'cnls (eis)',
      model: fit.circuit,
      parameters: fit.names.map((nm, i) => ({
        name: nm,
        ...(mapping?.[nm] ? { alias: mapping[nm]!.name } : {}),
        value: fit.values[i]!,
        unit: fit.units[i]!,
        stderr: fit.fixed[i] ? null : Number.isFinite(fit.stderr[i]!) ? fit.stderr[i]! : null,
        ci95: fit.fixed[i] || !fit.ci95[i]!.every(Number.isFinite) ? null : fit.ci95[i]!,
        ...(fit.fixed[i]
          ? { fixed: true, note: 'held fixed (--fix)' }
          : !Number.isFinite(fit.stderr[i]!)
            ? { note: 'not identifiable' }
            : Math.abs(fit.stderr[i]!) > Math.abs(fit.values[i]!)
              ? { note: 'poorly determined (stderr > value)' }
              : {}),
      })),
      quality: {
        ok: kk.passed && fit.converged && fit.identifiable && fit.values.every(Number.isFinite),
        chi2: fit.chi2,
        reducedChi2: fit.reducedChi2,
        kkResidualMax: kk.maxResidual,
        kkPassed: kk.passed,
        converged: fit.converged,
        identifiable: fit.identifiable,
        iterations: fit.iterations,
        conditionNumber: fit.conditionNumber,
        points: spectrum.frequency.length,
        fMinHz: spectrum.frequency[0]!,
        fMaxHz: spectrum.frequency[spectrum.frequency.length - 1]!,
      },
      messages: [
        `weighting ${fit.weighting}; ${spectrum.frequency.length} points, ${fmtHz(spectrum.frequency[0]!)} – ${fmtHz(spectrum.frequency[spectrum.frequency.length - 1]!)}`,
        ...messages,
      ],
    });
    plots.push({
      label: scope || 'spectrum',
      circuit: fit.circuit,
      frequency: spectrum.frequency,
      re: spectrum.re,
      im: spectrum.im,
      modelRe: fit.model.re,
      modelIm: fit.model.im,
    });
  }
  return { reports, inputErrors, plot: () => impedanceFitSpec(plots, `${file} · ${plots[0]?.circuit ?? ''}`) };
}

function fitXps(file: string, records: readonly CanonicalRecord[], r: Resolved): FamilyResult {
  const reports: FitReport[] = [];
  const panels: XpsFitPlot[] = [];
  const haveRegions = new Set<string>();
  records.forEach((rec, ri) => {
    const out = fitXpsRecord(rec);
    const recScope = records.length > 1 ? `record ${ri + 1}` : '';
    for (const lvl of out.levels) {
      for (const [core, f] of lvl.fits) {
        haveRegions.add(core);
        if (r.region && core !== r.region) continue;
        const scope = [recScope, `etch level ${lvl.etchLevel}${Number.isFinite(lvl.sputterTime) ? ` (${lvl.sputterTime} s)` : ''}`, core]
          .filter(Boolean)
          .join(' · ');
        const t = tQuantile975(Math.max(1, f.dof));
        const ci = (v: number, se: number): readonly [number, number] | null => (Number.isFinite(se) ? [v - t * se, v + t * se] : null);
        const params: FitParameterRow[] = [];
        for (const c of f.components) {
          params.push({ name: `${c.id} area`, value: c.area, unit: 'counts*eV', stderr: finiteOrNull(c.areaStderr), ci95: ci(c.area, c.areaStderr) });
          params.push({
            name: `${c.id} centre`,
            value: c.centerReferenced,
            unit: 'eV',
            stderr: finiteOrNull(c.centerStderr),
            ci95: ci(c.centerReferenced, c.centerStderr),
            ...(c.pinned ? { note: 'on a window edge' } : {}),
          });
          const share = lvl.shares.find((s) => s.id === c.id);
          if (share)
            params.push({
              name: `${c.id} atomic %`,
              value: share.atomicPercent,
              unit: '%',
              stderr: finiteOrNull(share.atomicPercentStderr),
              ci95: ci(share.atomicPercent, share.atomicPercentStderr),
            });
        }
        params.push({ name: 'FWHM', value: f.fwhm, unit: 'eV', stderr: finiteOrNull(f.fwhmStderr), ci95: ci(f.fwhm, f.fwhmStderr) });
        params.push({ name: 'charge shift', value: lvl.shift, unit: 'eV', stderr: null, ci95: null, note: lvl.referenceUsed });
        const identifiable = f.components.every((c) => Number.isFinite(c.areaStderr) && Number.isFinite(c.centerStderr)) && Number.isFinite(f.fwhmStderr);
        reports.push({
          scope,
          fitter: `${out.fitter} ${out.fitterVersion}`,
          model: `${f.components.length} components + ${f.shirley ? 'Shirley (fitted)' : 'background'}`,
          parameters: params,
          quality: {
            ok: f.converged && f.backgroundConverged && identifiable && !lvl.charging,
            chi2: f.rss,
            reducedChi2: f.rss / f.dof,
            converged: f.converged,
            identifiable,
            iterations: f.iterations,
            points: f.model.length,
          },
          messages: [...f.messages, ...lvl.messages.filter((m) => m.includes(core))],
        });
        const d = regionData(rec, lvl.etchLevel, core);
        if (d) {
          panels.push({
            label: scope,
            x: d.x,
            y: d.y,
            background: f.background,
            model: f.model,
            components: f.components.map((c) => {
              const shape = parseLineShape(SPECIES_LIBRARY.find((s) => s.id === c.id)?.shape ?? 'GL(30)');
              return { id: c.id, curve: Float64Array.from(d.x, (x, i) => f.background[i]! + peakValue(shape, x, c.center, f.fwhm, c.area)) };
            }),
          });
        }
      }
    }
    if (!r.region)
      reports.push(
        fromOutcome([recScope, 'whole record'].filter(Boolean).join(' · '), { ...out, parameters: out.parameters.filter((p) => p.name !== 'charge_shift') }),
      );
  });
  if (r.region && !haveRegions.has(r.region)) {
    throw new UsageError(
      `--region '${r.region}': ${file} has no fitted ${r.region} region (fitted: ${[...haveRegions].join(', ') || 'none — no region of this file is a core level in the species library'})`,
    );
  }
  return { reports, inputErrors: [], plot: () => xpsFitSpec(panels, file) };
}

/** The measured (x, y) of one region at one etch level, in the record's order (as the fitter saw it). */
function regionData(rec: CanonicalRecord, level: number, core: CoreLevel): { x: Float64Array; y: Float64Array } | null {
  const reg = findColumn(rec, 'Region');
  const lev = findColumn(rec, 'Etch Level');
  const be = findColumn(rec, 'Binding Energy');
  const y = findColumn(rec, 'Intensity');
  if (!reg || !lev || !be || !y) return null;
  const names = reg.levels ?? [];
  let first: string | undefined;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < reg.values.length; i++) {
    const name = names[reg.values[i]!]!;
    if (lev.values[i] !== level || coreLevelOf(name) !== core) continue;
    first ??= name;
    if (name !== first) continue;
    xs.push(be.values[i]!);
    ys.push(y.values[i]!);
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

function fitPe(file: string, records: readonly CanonicalRecord[], r: Resolved): FamilyResult {
  const fitter = createFerroFitter();
  const reports: FitReport[] = [];
  const loops: PeFitPlot[] = [];
  records.forEach((rec0, k) => {
    const rec =
      r.thicknessNm !== undefined || r.areaCm2 !== undefined
        ? {
            ...rec0,
            meta: {
              ...rec0.meta,
              ...(r.thicknessNm !== undefined ? { thicknessNm: r.thicknessNm } : {}),
              ...(r.areaCm2 !== undefined ? { areaCm2: r.areaCm2 } : {}),
            },
          }
        : rec0;
    const scope = records.length > 1 ? `loop ${k + 1}/${records.length}` : '';
    const out = fitter.fit(rec, {
      ...(r.thicknessNm !== undefined ? { filmThicknessNm: r.thicknessNm } : {}),
      ...(r.areaCm2 !== undefined ? { electrodeAreaCm2: r.areaCm2 } : {}),
    });
    reports.push(fromOutcome(scope, out));
    const P = findColumn(rec, PE.polarization.name);
    let x = findColumn(rec, PE.field.name)?.values as ArrayLike<number> | undefined;
    let xTitle = 'Electric field / kV cm⁻¹';
    const V = findColumn(rec, PE.voltage.name);
    const th = (rec.meta.thicknessNm as number | undefined) ?? r.thicknessNm;
    if (!x && V && th) x = Float64Array.from(V.values, (v) => (v * 1e4) / th);
    else if (!x && V) {
      x = V.values;
      xTitle = 'Voltage / V';
    }
    if (!P || !x) return;
    const get = (n: string): number => out.parameters.find((p) => p.name === n)?.value ?? NaN;
    const ec = xTitle.startsWith('Voltage') ? 'Vc' : 'Ec';
    loops.push({
      label: scope || 'loop',
      x,
      p: P.values,
      xTitle,
      marks: [
        { label: `Pr+ ${fmt(get('Pr_plus'))}`, x: 0, p: get('Pr_plus') },
        { label: `Pr− ${fmt(get('Pr_minus'))}`, x: 0, p: get('Pr_minus') },
        { label: `${ec}+ ${fmt(get(`${ec}_plus`))}`, x: get(`${ec}_plus`), p: 0 },
        { label: `${ec}− ${fmt(get(`${ec}_minus`))}`, x: get(`${ec}_minus`), p: 0 },
      ],
    });
  });
  return { reports, inputErrors: [], plot: () => peFitSpec(loops, file) };
}

function fitCycles(file: string, loaded: LoadedFile | LoadedInPieces, r: Resolved): FamilyResult {
  const cell = r.areaCm2 !== undefined ? { electrodeAreaCm2: r.areaCm2 } : {};
  const outs: FitOutcome[] = 'analysis' in loaded ? [cycleOutcome(loaded.analysis)] : loaded.records.map((rec) => makeCycleFitter().fit(rec, cell));
  const reports: FitReport[] = [];
  let plot: CycleFitPlot | undefined;
  outs.forEach((out0, k) => {
    let out = out0;
    const table = out.tables?.cycles ?? [];
    const col = (n: string) => table.find((c) => c.name === n)?.values;
    const cyc = col(CYCLER.cycle.name);
    const ce = col('Coulombic Efficiency');
    const complete = col('Complete');
    let ceMean: number | undefined;
    if (r.ceCycles && cyc && ce) {
      const [a, b] = r.ceCycles;
      const vals: number[] = [];
      for (let i = 0; i < cyc.length; i++) if (cyc[i]! >= a && cyc[i]! <= b && (!complete || complete[i]) && Number.isFinite(ce[i]!)) vals.push(ce[i]!);
      if (vals.length === 0) {
        const have = cyc.length ? `${cyc[0]}–${cyc[cyc.length - 1]}` : 'none';
        throw new UsageError(`--ce-cycles ${a}-${b}: no complete cycle with a CE in that range in ${file} (cycles ${have})`);
      }
      const est = meanEstimate(vals);
      ceMean = est.mean;
      const note = `mean of ${est.n} complete cycles in ${a}–${b} (--ce-cycles)`;
      const rest = out.parameters.filter((p) => p.name !== 'ce_mean' && p.name !== 'lce_mean');
      const lce = logCe(est.mean);
      out = {
        ...out,
        parameters: [
          { name: 'ce_mean', value: est.mean, unit: '1', ...(est.n > 1 ? { stderr: est.stderr, ci95: est.ci95 } : {}), note },
          ...(Number.isFinite(lce)
            ? [
                {
                  name: 'lce_mean',
                  value: lce,
                  unit: '1',
                  ...(est.n > 1 && est.ci95.every((v) => Number.isFinite(logCe(v))) ? { ci95: [logCe(est.ci95[0]), logCe(est.ci95[1])] as const } : {}),
                  note: `−log10(1 − ce_mean), ${note}`,
                },
              ]
            : []),
          ...rest,
        ],
      };
    }
    reports.push(fromOutcome(outs.length > 1 ? `record ${k + 1}` : '', out));
    if (!plot && cyc) {
      const scale = r.areaCm2 !== undefined ? 1000 / r.areaCm2 : 1000;
      const ch = col(CYCLER.chargeCapacity.name);
      const dis = col(CYCLER.dischargeCapacity.name);
      plot = {
        cycle: cyc,
        charge: ch ? Float64Array.from(ch, (v) => v * scale) : new Float64Array(cyc.length).fill(NaN),
        discharge: dis ? Float64Array.from(dis, (v) => v * scale) : new Float64Array(cyc.length).fill(NaN),
        ce: ce ?? new Float64Array(cyc.length).fill(NaN),
        capacityTitle: r.areaCm2 !== undefined ? 'Capacity / mAh cm⁻²' : 'Capacity / mAh',
        ...(r.ceCycles ? { ceWindow: r.ceCycles } : {}),
        ...(ceMean !== undefined ? { ceMean } : {}),
      };
    }
  });
  return { reports, inputErrors: [], plot: plot ? () => cycleFitSpec(plot!, file) : undefined };
}

function fitOther(records: readonly CanonicalRecord[]): FamilyResult {
  const reports: FitReport[] = [];
  records.forEach((rec, k) => {
    for (const out of fitRecord(rec, {})) reports.push(fromOutcome(records.length > 1 ? `record ${k + 1}` : '', out));
  });
  return { reports, inputErrors: [] };
}

// ------------------------------------------------------------------------------------- output

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? Number(v.toPrecision(5)).toString() : v.toExponential(4);
}

function fmtHz(f: number): string {
  return f >= 1e3 ? `${fmt(f / 1e3)} kHz` : f >= 1 ? `${fmt(f)} Hz` : `${fmt(f * 1e3)} mHz`;
}

function textReport(file: string, head: string, reports: readonly FitReport[]): string {
  const lines = [head];
  for (const r of reports) {
    lines.push('');
    lines.push(`${r.scope ? `[${r.scope}] ` : ''}${r.fitter}${r.model ? ` · ${r.model}` : ''}`);
    const rows = r.parameters.map((p) => [
      p.alias ? `${p.name} (${p.alias})` : p.name,
      fmt(p.value),
      p.unit,
      p.fixed ? 'fixed' : p.stderr === null ? '—' : `± ${fmt(p.stderr)}`,
      p.ci95 ? `[${fmt(p.ci95[0])}, ${fmt(p.ci95[1])}]` : '',
      [p.scope, p.note].filter(Boolean).join('; '),
    ]);
    const headRow = ['parameter', 'value', 'unit', 'stderr', '95 % CI', 'note'];
    const width = headRow.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) =>
      '  ' +
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width[i]!)))
        .join('  ')
        .trimEnd();
    lines.push(line(headRow));
    for (const row of rows) lines.push(line(row));
    const q = r.quality;
    const yes = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'NO');
    const parts = [
      q.chi2 !== undefined ? `χ² ${fmt(q.chi2)}` : undefined,
      q.reducedChi2 !== undefined ? `reduced χ² ${fmt(q.reducedChi2)}` : undefined,
      q.kkResidualMax !== undefined ? `KK residual max ${(q.kkResidualMax * 100).toFixed(2)} % (${q.kkPassed ? 'pass' : 'FAIL'})` : undefined,
      q.converged !== undefined ? `converged ${yes(q.converged)}` : undefined,
      q.identifiable !== undefined ? `identifiable ${yes(q.identifiable)}` : undefined,
      `quality ${q.ok ? 'ok' : 'NOT OK'}`,
    ].filter(Boolean);
    lines.push(`  fit: ${parts.join(', ')}`);
    for (const m of r.messages) lines.push(`  note: ${m}`);
  }
  return lines.join('\n');
}

function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : String(v)) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per parameter, then the quality numbers as rows (`quality:chi2`, …) of the same scope. */
function csvReport(reports: readonly FitReport[]): string {
  const out = ['scope,name,value,unit,stderr,ci95_low,ci95_high,fixed,note'];
  for (const r of reports) {
    for (const p of r.parameters) {
      out.push(
        [
          r.scope || p.scope || '',
          p.alias ? `${p.name}` : p.name,
          p.value,
          p.unit,
          p.stderr,
          p.ci95?.[0],
          p.ci95?.[1],
          p.fixed ? 1 : 0,
          [p.alias ? `= ${p.alias}` : '', p.note ?? ''].filter(Boolean).join('; '),
        ]
          .map(csvCell)
          .join(','),
      );
    }
    for (const [k, v] of Object.entries(r.quality)) {
      if (v === undefined) continue;
      out.push([r.scope, `quality:${k}`, typeof v === 'boolean' ? (v ? 1 : 0) : v, '', '', '', '', '', ''].map(csvCell).join(','));
    }
  }
  return out.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------- command

/**
 * Runs `interphase fit`, reading the file as `settings` say (src/settings.ts); returns the exit code (0 or 1).
 * Usage errors are thrown as UsageError (exit 2).
 */
export async function fitCommand(file: string, o: FitCliOptions, settings?: LoadSettings): Promise<number> {
  const r = resolveFitOptions(o);
  let loaded: LoadedFile | LoadedInPieces;
  try {
    loaded = await loadFile(file, { formatId: o.format, settings });
  } catch (e) {
    const j = parseErrorJson(file, e);
    if (o.json) console.log(jsonLine(j));
    else console.error((j.error as { message: string }).message);
    return 1;
  }
  const kind = loaded.records[0]?.kind ?? 'cycler';
  checkApplicable(o, kind, file);
  const res: FamilyResult =
    kind === 'eis'
      ? fitImpedance(file, loaded.records, r)
      : kind === 'xps-spectrum' || kind === 'xps-depth-profile'
        ? fitXps(file, loaded.records, r)
        : kind === 'pe-loop'
          ? fitPe(file, loaded.records, r)
          : kind === 'cycler'
            ? fitCycles(file, loaded, r)
            : fitOther(loaded.records);
  if (o.plot && !res.plot) throw new UsageError(`--plot draws impedance, XPS, P–E and cycling fits; ${file} holds a ${kind} record`);
  for (const e of res.inputErrors) console.error(e);
  let plotPath: string | undefined;
  if (o.plot && res.plot && res.reports.length) {
    await writeFile(o.plot, await renderSvg(res.plot() as Parameters<typeof renderSvg>[0]));
    plotPath = o.plot;
  }
  const ok = res.inputErrors.length === 0 && res.reports.length > 0;
  if (o.json) {
    console.log(
      jsonLine({
        ok,
        file,
        format: loaded.format.id,
        kind,
        fits: res.reports,
        ...(res.inputErrors.length ? { errors: res.inputErrors } : {}),
        ...(plotPath ? { plot: plotPath } : {}),
      }),
    );
  } else if (o.csv) {
    if (res.reports.length) process.stdout.write(csvReport(res.reports));
  } else if (res.reports.length) {
    console.log(
      textReport(file, `${file}: ${loaded.format.title} → ${loaded.records.length} ${kind} record${loaded.records.length === 1 ? '' : 's'}`, res.reports),
    );
    if (plotPath) console.log(`plot: ${plotPath}`);
  }
  if (res.reports.length === 0 && res.inputErrors.length === 0) {
    console.error(`${file}: nothing to fit`);
    return 1;
  }
  return ok ? 0 : 1;
}
