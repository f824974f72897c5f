/**
 * `ferroFitter`: P–E loop records → Pr, Ec, Pmax, loop area, imprint, leakage; fatigue curve from an
 * aixACCT Fatigue result table; leakage records (meta.technique 'leakage') → leakage current density.
 */
import type { CanonicalRecord, Column } from '../../records/record.js';
import { findColumn } from '../../records/record.js';
import { PE } from '../../records/names.js';
import type { CellContext, FitOutcome, FittedParameter, RecordFitter } from '../types.js';
import { PARAMETERS } from '../../records/parameters.js';
import { analyseLoop, leakageAtTurns, type LoopOptions } from './loop.js';
import { fatigueCurve, fitLogDecay, polarisationRetention } from './retention.js';

export const FERRO_FITTER_VERSION = '1.0.0';

export type FerroFitOptions = LoopOptions;

function f64(c: Column | undefined): Float64Array | undefined {
  return c ? Float64Array.from(c.values) : undefined;
}

export function createFerroFitter(options: FerroFitOptions = {}): RecordFitter {
  return {
    id: 'ferro',
    version: FERRO_FITTER_VERSION,
    kinds: ['pe-loop'],
    fit(record: CanonicalRecord, cell: CellContext): FitOutcome {
      return record.meta.technique === 'leakage' ? fitLeakage(record) : fitLoop(record, cell, options);
    },
  };
}

function fitLoop(r: CanonicalRecord, cell: CellContext, o: FerroFitOptions): FitOutcome {
  const messages: string[] = [];
  const P = f64(findColumn(r, PE.polarization.name));
  let E = f64(findColumn(r, PE.field.name));
  const V = f64(findColumn(r, PE.voltage.name));
  const t = f64(findColumn(r, PE.time.name));
  const I = f64(findColumn(r, PE.current.name));
  const thickness = (r.meta.thicknessNm as number | undefined) ?? cell.filmThicknessNm ?? cell.analysis?.pe?.film_thickness_nm;
  if (!E && V && thickness) {
    E = Float64Array.from(V, (v) => (v * 1e4) / thickness);
    messages.push(`field from voltage and thickness ${thickness} nm (cell context)`);
  }
  const fail = (m: string): FitOutcome => ({
    fitter: 'ferro',
    fitterVersion: FERRO_FITTER_VERSION,
    parameters: [],
    quality: { ok: false, metrics: {}, messages: [...messages, m] },
  });
  if (!P) return fail('no Polarization column (charge without area?)');
  const x = E ?? V;
  if (!x) return fail('no Electric Field or Voltage column');
  const xUnit = E ? PE.field.unit : PE.voltage.unit;
  const L = analyseLoop(x, P, t, o);
  if (L.period === 'partial') messages.push('no full period of the drive found: loop analysed as recorded, no closure correction');
  const params: FittedParameter[] = [];
  const cr = (name: string, c: { value: number; stderr: number }, unit: string, note?: string): void => {
    params.push({ name, value: c.value, unit, stderr: Number.isFinite(c.stderr) ? c.stderr : undefined, note });
  };
  cr('Pr_plus', L.prPlus, PE.polarization.unit, 'P at x = 0 on the descending branch');
  cr('Pr_minus', L.prMinus, PE.polarization.unit, 'P at x = 0 on the ascending branch');
  const pr = (L.prPlus.value - L.prMinus.value) / 2;
  const prSe = 0.5 * Math.hypot(L.prPlus.stderr, L.prMinus.stderr);
  params.push({
    name: PARAMETERS.pr.name,
    value: pr,
    unit: PE.polarization.unit,
    stderr: Number.isFinite(prSe) ? prSe : undefined,
    note: '(Pr+ − Pr−)/2 = mean of |Pr+| and |Pr−| when they have opposite signs; offset-invariant',
  });
  const ecName = E ? 'Ec' : 'Vc';
  cr(`${ecName}_plus`, L.ecPlus, xUnit, 'x at P = 0 on the ascending branch');
  cr(`${ecName}_minus`, L.ecMinus, xUnit, 'x at P = 0 on the descending branch');
  const ec = (L.ecPlus.value - L.ecMinus.value) / 2;
  const ecSe = 0.5 * Math.hypot(L.ecPlus.stderr, L.ecMinus.stderr);
  params.push({
    name: E ? PARAMETERS.ec.name : 'Vc',
    value: ec,
    unit: xUnit,
    stderr: Number.isFinite(ecSe) ? ecSe : undefined,
    note: E ? undefined : 'coercive VOLTAGE: no thickness, so no Ec',
  });
  params.push({ name: E ? 'imprint' : 'imprint_voltage', value: (L.ecPlus.value + L.ecMinus.value) / 2, unit: xUnit, note: '(Ec+ + Ec−)/2' });
  params.push({
    name: PARAMETERS.pmax.name,
    value: (L.pmaxPlus - L.pmaxMinus) / 2,
    unit: PE.polarization.unit,
    note: `(P(x_max) − P(x_min))/2; P(x_max) = ${L.pmaxPlus.toPrecision(4)}, P(x_min) = ${L.pmaxMinus.toPrecision(4)}`,
  });
  // Loop area: ∮P dE in µC/cm² · kV/cm = mJ/cm³; ∮P dV in µC/cm² · V = µJ/cm² (aixACCT Wloss).
  if (E)
    params.push({
      name: PARAMETERS.loopArea.name,
      value: analyseLoop(E, P, t, o).area,
      unit: PARAMETERS.loopArea.unit,
      note: '∮P dE (dissipated energy density per cycle)',
    });
  if (V)
    params.push({
      name: PARAMETERS.loopAreaVoltage.name,
      value: analyseLoop(V, P, t, o).area,
      unit: PARAMETERS.loopAreaVoltage.unit,
      note: '∮P dV (comparable to aixACCT Wloss)',
    });
  params.push({
    name: 'loop_closure_drift',
    value: L.closureDrift,
    unit: PE.polarization.unit,
    note: 'P(end) − P(start) over one period, removed linearly in time',
  });
  // Leakage: from the current at the drive turning points, else from the closure drift.
  const area = (r.meta.areaCm2 as number | undefined) ?? cell.analysis?.pe?.electrode_area_cm2;
  if (I && V) {
    const lk = leakageAtTurns(V, I);
    const vmax = Math.max(...V);
    const vmin = Math.min(...V);
    params.push({
      name: 'leakage_current_at_vmax',
      value: lk.plus,
      unit: 'A',
      note: 'mean of the currents just before/after the positive turn (displacement current cancels)',
    });
    params.push({ name: 'leakage_current_at_vmin', value: lk.minus, unit: 'A' });
    const g = (lk.plus - lk.minus) / (vmax - vmin);
    if (g > 0) params.push({ name: 'leakage_resistance', value: 1 / g, unit: 'ohm', note: 'ΔV / ΔI between the two turns' });
    if (area) params.push({ name: 'leakage_current_density_at_vmax', value: (lk.plus / area) * 1e6, unit: 'uA/cm2' });
  } else if (t && t.length > 1) {
    const T = t[L.order[L.order.length - 1]!]! - t[L.order[0]!]!;
    if (T > 0)
      params.push({
        name: 'leakage_current_density_drift',
        value: L.closureDrift / T,
        unit: 'uA/cm2',
        note: 'net DC leakage from the closure drift over one period',
      });
  }
  // Fatigue curve from the file's own result table.
  const tables: Record<string, Column[]> = {};
  const fat = r.meta.fatigue ? fatigueCurve(r.meta.fatigue as Record<string, number[]>) : undefined;
  if (fat && fat.length >= 2) {
    tables.fatigue = [
      { name: 'Switching Cycles', unit: 'cycles', values: Float64Array.from(fat, (p) => p.cycles) },
      { name: 'Pr', unit: PE.polarization.unit, values: Float64Array.from(fat, (p) => p.pr) },
    ];
    const ret = polarisationRetention(fat[fat.length - 1]!.pr, fat[0]!.pr);
    params.push({
      name: PARAMETERS.retention.name,
      value: ret.value,
      unit: '1',
      scope: 'fatigue',
      note: `Pr after ${fat[fat.length - 1]!.cycles} cycles / Pr after ${fat[0]!.cycles} (file result table)`,
    });
    const fit = fitLogDecay(
      fat.map((p) => p.cycles),
      fat.map((p) => p.pr),
    );
    params.push({
      name: 'fatigue_pr_loss_per_decade',
      value: fit.perDecade,
      unit: PE.polarization.unit,
      stderr: Number.isFinite(fit.perDecadeStderr) ? fit.perDecadeStderr : undefined,
      scope: 'fatigue',
      note: `Pr = P1 − m·log10(cycles), R² ${fit.r2.toPrecision(3)}, ${fit.n} points`,
    });
  }
  const ok = Number.isFinite(pr) && Number.isFinite(ec);
  if (!ok) messages.push('a zero crossing was not found on one branch (is this a loop?)');
  return {
    fitter: 'ferro',
    fitterVersion: FERRO_FITTER_VERSION,
    parameters: params,
    tables,
    quality: { ok, metrics: { points: L.points, closureDrift: L.closureDrift }, messages: [...messages, `period: ${L.period}`] },
    options: { window: o.window ?? 'max(5, 3 % of branch)', closeLoop: o.closeLoop ?? true },
  };
}

/** Current-density units → factor to µA/cm². */
const TO_UA_PER_CM2: Readonly<Record<string, number>> = { 'A/cm2': 1e6, 'mA/cm2': 1e3, 'uA/cm2': 1, 'nA/cm2': 1e-3, 'pA/cm2': 1e-6, 'A/m2': 1e2 };

function fitLeakage(r: CanonicalRecord): FitOutcome {
  const V = f64(findColumn(r, PE.voltage.name));
  const J = f64(findColumn(r, 'Leakage Current Density'));
  if (!V || !J)
    return {
      fitter: 'ferro',
      fitterVersion: FERRO_FITTER_VERSION,
      parameters: [],
      quality: { ok: false, metrics: {}, messages: ['leakage record without Voltage / Leakage Current Density'] },
    };
  let iMax = 0;
  let iMin = 0;
  for (let i = 1; i < V.length; i++) {
    if (V[i]! > V[iMax]!) iMax = i;
    if (V[i]! < V[iMin]!) iMin = i;
  }
  const unit = findColumn(r, 'Leakage Current Density')!.unit;
  // Reported in µA/cm² whatever the file's unit, like the loop fitter's leakage estimate (registry unit).
  const scale =
    TO_UA_PER_CM2[
      unit
        .replace(/\s+/g, '')
        .replace(/[µμ]/g, 'u')
        .replace(/cm\^?2|cm²/, 'cm2')
    ];
  if (scale === undefined) {
    return {
      fitter: 'ferro',
      fitterVersion: FERRO_FITTER_VERSION,
      parameters: [],
      quality: {
        ok: false,
        metrics: { points: V.length },
        messages: [`Leakage Current Density unit '${unit}' not recognised (expected one of ${Object.keys(TO_UA_PER_CM2).join(', ')})`],
      },
    };
  }
  const u = PARAMETERS.leakageDensityAtVmax.unit;
  return {
    fitter: 'ferro',
    fitterVersion: FERRO_FITTER_VERSION,
    parameters: [
      { name: PARAMETERS.leakageDensityAtVmax.name, value: J[iMax]! * scale, unit: u, note: `at ${V[iMax]!.toPrecision(3)} V` },
      { name: PARAMETERS.leakageDensityAtVmin.name, value: J[iMin]! * scale, unit: u, note: `at ${V[iMin]!.toPrecision(3)} V` },
    ],
    quality: { ok: true, metrics: { points: V.length }, messages: unit === u ? [] : [`leakage converted from ${unit} to ${u}`] },
  };
}

export const ferroFitter: RecordFitter = createFerroFitter();
