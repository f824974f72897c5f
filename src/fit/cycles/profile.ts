/**
 * Voltage-profile features of a cycler record with raw rows (issue #20 §1), by cell type:
 *  - Li||Cu: nucleation and plateau overpotential of every plating (nucleation.ts, MECHANISMS §1);
 *  - Li||Li: hysteresis per cycle, its growth, soft-short flags (symmetric.ts, MECHANISMS §2);
 *  - full / anode-free: dQ/dV and dV/dQ, peaks tracked, apparent Li-inventory loss (differential.ts, §3).
 * This file turns them into parameters (names in src/records/parameters.ts), tables and per-cycle columns.
 */
import type { Column } from '../../records/record.js';
import { CYCLER } from '../../records/names.js';
import { PARAMETERS } from '../../records/parameters.js';
import type { FittedParameter } from '../types.js';
import type { CycleConvention } from './convention.js';
import type { CyclerSeries } from './cycler-series.js';
import {
  DEFAULT_DIFFERENTIAL_OPTIONS,
  differentialAnalysis,
  storedCycles,
  type DifferentialAnalysis,
  type DifferentialOptions,
  type Peak,
} from './differential.js';
import {
  DEFAULT_NUCLEATION_OPTIONS,
  NUCLEATION_STATUS_CODE,
  describeStatus,
  isNumber,
  platingNucleation,
  type NucleationOptions,
  type NucleationResult,
  type PlatingNucleation,
} from './nucleation.js';
import { meanEstimate } from '../../stats/descriptive.js';
import { tQuantile975 } from '../../stats/distributions.js';
import type { CycleSummary } from './summarize-cycles.js';
import {
  DEFAULT_SYMMETRIC_OPTIONS,
  describeFlags,
  hysteresisGrowth,
  symmetricAnalysis,
  type HalfCycleVoltage,
  type SymmetricAnalysis,
  type SymmetricOptions,
} from './symmetric.js';

export type ProfileOptions = NucleationOptions & SymmetricOptions & DifferentialOptions;

export const DEFAULT_PROFILE_OPTIONS: ProfileOptions = { ...DEFAULT_NUCLEATION_OPTIONS, ...DEFAULT_SYMMETRIC_OPTIONS, ...DEFAULT_DIFFERENTIAL_OPTIONS };

export interface ProfileAnalysis {
  readonly options: ProfileOptions;
  readonly nucleation?: NucleationResult;
  readonly symmetric?: SymmetricAnalysis;
  readonly differential?: DifferentialAnalysis;
  readonly messages: readonly string[];
}

export function profileAnalysis(
  series: CyclerSeries,
  summary: CycleSummary,
  conv: CycleConvention,
  areaCm2: number | undefined,
  user: Partial<ProfileOptions> = {},
): ProfileAnalysis {
  const o: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, ...user };
  const messages: string[] = [];
  if (summary.cycles === 0) return { options: o, messages };
  if (conv.cellType === 'Li||Cu') {
    if (areaCm2 !== undefined && areaCm2 > 0) {
      return { options: o, nucleation: platingNucleation(series, summary, areaCm2, o), messages };
    }
    messages.push(
      'nucleation overpotential not computed: the electrode area is not given (the MECHANISMS §1.1 windows are areal, mAh/cm²; set electrode_area_cm2)',
    );
    return { options: o, messages };
  }
  if (conv.cellType === 'Li||Li') return { options: o, symmetric: symmetricAnalysis(series, summary, o), messages };
  if (conv.cellType === 'full' || conv.cellType === 'anode-free') {
    const d = differentialAnalysis(series, summary, o);
    return { options: o, differential: d, messages: [...messages, ...d.messages] };
  }
  return { options: o, messages };
}

// ---- parameters --------------------------------------------------------------------------------

export interface ProfileContext {
  readonly summary: CycleSummary;
  readonly conv: CycleConvention;
  /** Index of the first cycle with a short-circuit signature (after the profile's flags), −1 if none. */
  readonly shortIndex: number;
  readonly complete: Int32Array;
}

export function profileParameters(p: ProfileAnalysis | undefined, ctx: ProfileContext): { params: FittedParameter[]; messages: string[] } {
  const params: FittedParameter[] = [];
  const messages: string[] = p ? [...p.messages] : [];
  if (!p) return { params, messages };
  const P = PARAMETERS;
  const s = ctx.summary;
  const o = p.options;
  if (p.nucleation && p.nucleation.platings.length) {
    const pl = p.nucleation.platings;
    const first = pl[0]!;
    const where = `cycle ${s.cycle[first.cycleIndex]}: V_min ${fmtV(first.vMin)}, V_plateau ${fmtV(first.vPlateau)} (median V for Q ${o.nucleationPlateauQ[0]}–${o.nucleationPlateauQ[1]} mAh/cm²), t_min ${fmt(first.tMin)} s, Q_min ${fmt(first.qMin)} mAh/cm², j ${fmt(first.currentDensity)} mA/cm², rest before ${fmt(first.restBeforeS)} s`;
    const ohmic = 'the ohmic drop is in both V_min and V_plateau (cancels only at constant j; compare R_b from EIS, MECHANISMS §1.4)';
    if (isNumber(first.status)) {
      params.push({
        name: P.nucleationOverpotentialFirst.name,
        value: first.etaNuc,
        unit: P.nucleationOverpotentialFirst.unit,
        note: `|V_min − V_plateau| of the first plating (Pei et al. 2017; MECHANISMS §1.1), ${where}; ${describeStatus(first, o)}${first.noDip ? '; no dip below the plateau: 0' : ''}; ${ohmic}`,
        ...(first.status === 'marginal' ? { flags: ['marginal-logging-interval'] } : {}),
      });
    } else {
      params.push({
        name: P.nucleationOverpotentialFirst.name,
        value: NaN,
        unit: P.nucleationOverpotentialFirst.unit,
        note: `not measured: ${describeStatus(first, o)}; ${where}`,
        flags: ['non-identifiable', first.status === 'too-coarse' || first.status === 'too-few-points' ? 'logging-interval-too-coarse' : 'not-resolved'],
      });
      messages.push(`nucleation overpotential of the first plating: ${describeStatus(first, o)}`);
    }
    if (Number.isFinite(first.etaPlateau)) {
      params.push({
        name: P.plateauOverpotentialFirst.name,
        value: first.etaPlateau,
        unit: P.plateauOverpotentialFirst.unit,
        note: `|V_plateau| of the first plating, median V for Q ${o.nucleationPlateauQ[0]}–${o.nucleationPlateauQ[1]} mAh/cm² (MECHANISMS §1.1), cycle ${s.cycle[first.cycleIndex]}, j ${fmt(first.currentDensity)} mA/cm²; includes the ohmic drop`,
      });
    }
    const later = pl.slice(1);
    if (later.length) {
      const ok = later.filter((x) => isNumber(x.status));
      const e = meanEstimate(ok.map((x) => x.etaNuc));
      if (e.n > 0) {
        params.push({
          name: P.nucleationOverpotentialMean.name,
          value: e.mean,
          unit: P.nucleationOverpotentialMean.unit,
          ...(e.n > 1 ? { stderr: e.stderr, ci95: e.ci95 } : {}),
          note: `mean η_nuc of platings 2..n (${e.n} of ${later.length} resolved): nucleation on residual/dead Li, never averaged with the first plating on fresh Cu (MECHANISMS §1.4)`,
        });
      } else {
        // The first plating's parameter already carries the flag; a second NaN row would only repeat it.
        messages.push(
          `nucleation_overpotential_mean not reported: none of the ${later.length} later platings resolved the dip (${describeStatus(later[0]!, o)})`,
        );
      }
    }
    const nRes = pl.filter((x) => isNumber(x.status)).length;
    messages.push(
      `nucleation dip resolved in ${nRes} of ${pl.length} platings (MECHANISMS §1.3: Δt ≤ t_min/${o.nucleationRefuseRatio} and ≥ ${o.nucleationMinPoints} points before V_min)`,
    );
  }
  if (p.symmetric) {
    const sy = p.symmetric;
    const end = ctx.shortIndex >= 0 ? ctx.shortIndex : s.cycles;
    let firstC = -1;
    for (let c = 0; c < end; c++)
      if (ctx.complete[c] && Number.isFinite(sy.hysteresis[c]!)) {
        firstC = c;
        break;
      }
    if (firstC >= 0) {
      params.push({
        name: P.voltageHysteresisFirst.name,
        value: sy.hysteresis[firstC]!,
        unit: P.voltageHysteresisFirst.unit,
        note: `ΔV_pp = V_strip − V_plate (signed medians of the halves, MECHANISMS §2.1) of cycle ${s.cycle[firstC]}`,
      });
    }
    const g = hysteresisGrowth(s.cycle, sy.hysteresis, (c) => c < end && ctx.complete[c] === 1);
    if (g.n >= 3 && Number.isFinite(g.slope)) {
      const h = tQuantile975(g.n - 2) * g.stderr;
      params.push({
        name: P.voltageHysteresisGrowth.name,
        value: g.slope,
        unit: P.voltageHysteresisGrowth.unit,
        ...(Number.isFinite(g.stderr) ? { stderr: g.stderr, ci95: [g.slope - h, g.slope + h] as const } : {}),
        note: `OLS slope of ΔV_pp vs cycle over ${g.n} complete cycles${ctx.shortIndex >= 0 ? ' before the first short-circuit signature' : ''}; a falling hysteresis is not an improvement unless the soft-short flags are clear (MECHANISMS §2.4–2.5)`,
      });
    }
    if (!sy.noiseEvaluated) messages.push('soft-short noise flag (MECHANISMS §2.4 flag 3) not evaluated: it needs a logging interval ≤ 1 s');
    const flagged = sy.halves.filter((h) => h.flags);
    if (flagged.length) {
      const h = flagged[0]!;
      messages.push(`soft-short signature from cycle ${s.cycle[h.cycleIndex]}: ${describeFlags(h.flags).join('; ')}`);
    }
  }
  if (p.differential) {
    const d = p.differential;
    let last = -1;
    for (let c = s.cycles - 1; c >= 0; c--)
      if (Number.isFinite(d.lli[c]!)) {
        last = c;
        break;
      }
    const ref = d.curves.find((c) => c.sign > 0);
    if (last >= 0 && ref && last !== d.referenceCycle) {
      const k = d.lliFeatures[last]!;
      const sd = d.lliSd[last]!;
      const se = k > 1 && Number.isFinite(sd) ? sd / Math.sqrt(k) : undefined;
      const closing = ctx.conv.openingSign > 0 ? s.dischargeCapacity : s.chargeCapacity;
      const capLoss = closing[d.referenceCycle]! - closing[last]!;
      const spacing = d.spacingChange[last]!;
      const negative =
        ctx.conv.cellType === 'full'
          ? '; assumes a Li-metal negative (flat potential): in a graphite full cell the features of both electrodes mix and need peak assignment (Dubarry & Anseán 2022)'
          : '';
      const note = `shift to lower Q of ${k} tracked dV/dQ feature${k > 1 ? 's' : ''} on the charge curve, cycle ${s.cycle[d.referenceCycle]} → ${s.cycle[last]} (MECHANISMS §3.4); closing-capacity loss over the same cycles ${fmt(capLoss)} Ah${Number.isFinite(spacing) ? `; feature spacing changed by ${fmt(spacing)} Ah (≠ 0: LAM or impedance also move features)` : ''}; apparent LLI (impedance rise and LAM also move end points)${negative}; ${smoothingNote(d.options)}`;
      params.push({ name: P.lliApparentDvdq.name, value: d.lli[last]!, unit: P.lliApparentDvdq.unit, ...(se !== undefined ? { stderr: se } : {}), note });
      if (ref.capacity > 0) {
        params.push({
          name: P.lliApparentDvdqFraction.name,
          value: d.lli[last]! / ref.capacity,
          unit: P.lliApparentDvdqFraction.unit,
          ...(se !== undefined ? { stderr: se / ref.capacity } : {}),
          note: `lli_apparent_dvdq / the reference charge capacity ${fmt(ref.capacity)} Ah (cycle ${s.cycle[d.referenceCycle]})`,
        });
      }
    }
    messages.push(`dQ/dV, dV/dQ: ${d.curves.length} constant-current curves; ${smoothingNote(d.options)}`);
  }
  return { params, messages };
}

export function smoothingNote(o: DifferentialOptions): string {
  return `V(Q) resampled on ${o.gridPoints} uniform points, Savitzky–Golay window ${o.sgWindow}, order ${o.sgOrder}; ${(o.clipFraction * 100).toFixed(1)} % of Q clipped at each end before peak picking; peaks with prominence ≥ ${o.minProminence} × range`;
}

// ---- tables ------------------------------------------------------------------------------------

const col = (name: string, unit: string, values: Float64Array | Int32Array): Column => ({ name, unit, values });

/** Columns appended to the per-cycle table (fixed schema: NaN where a quantity does not apply). */
export function profileCycleColumns(p: ProfileAnalysis | undefined, s: CycleSummary): Column[] {
  const n = s.cycles;
  const nan = (): Float64Array => new Float64Array(n).fill(NaN);
  const eta = nan(),
    pl = nan(),
    tMin = nan(),
    dt = nan();
  const status = new Int32Array(n);
  for (const x of p?.nucleation?.platings ?? []) {
    if (status[x.cycleIndex]) continue; // the first plating of the cycle
    status[x.cycleIndex] = NUCLEATION_STATUS_CODE[x.status];
    eta[x.cycleIndex] = x.etaNuc;
    pl[x.cycleIndex] = x.etaPlateau;
    tMin[x.cycleIndex] = x.tMin;
    dt[x.cycleIndex] = x.dt;
  }
  const sy = p?.symmetric;
  return [
    col('Nucleation Overpotential', 'V', eta),
    col('Plateau Overpotential', 'V', pl),
    col('Nucleation Time', 's', tMin),
    col('Nucleation Logging Interval', 's', dt),
    col('Nucleation Status', '1', status),
    col('Voltage Hysteresis', 'V', sy ? sy.hysteresis : nan()),
    col('Shape Factor', '1', sy ? sy.shape : nan()),
    col('Voltage Noise', 'V', sy ? sy.noise : nan()),
    col('LLI Apparent', 'Ah', p?.differential ? p.differential.lli : nan()),
  ];
}

export function profileTables(p: ProfileAnalysis | undefined, s: CycleSummary): Record<string, Column[]> {
  const out: Record<string, Column[]> = {};
  if (!p) return out;
  const nu = p.nucleation?.platings;
  if (nu && nu.length) {
    const f = (g: (x: PlatingNucleation) => number): Float64Array => Float64Array.from(nu, g);
    out.nucleation = [
      col(
        CYCLER.cycle.name,
        CYCLER.cycle.unit,
        f((x) => s.cycle[x.cycleIndex]!),
      ),
      col(
        'Start Time',
        's',
        f((x) => x.startTime),
      ),
      col(
        'Minimum Voltage',
        'V',
        f((x) => x.vMin),
      ),
      col(
        'Plateau Voltage',
        'V',
        f((x) => x.vPlateau),
      ),
      col(
        'Nucleation Overpotential',
        'V',
        f((x) => x.etaNuc),
      ),
      col(
        'Plateau Overpotential',
        'V',
        f((x) => x.etaPlateau),
      ),
      col(
        'Time To Minimum',
        's',
        f((x) => x.tMin),
      ),
      col(
        'Capacity At Minimum',
        'mAh/cm2',
        f((x) => x.qMin),
      ),
      col(
        'Logging Interval',
        's',
        f((x) => x.dt),
      ),
      col(
        'Points Before Minimum',
        '1',
        Int32Array.from(nu, (x) => x.pointsBefore),
      ),
      col(
        'Current Density',
        'mA/cm2',
        f((x) => x.currentDensity),
      ),
      col(
        'Rest Before',
        's',
        f((x) => x.restBeforeS),
      ),
      col(
        'Status',
        '1',
        Int32Array.from(nu, (x) => NUCLEATION_STATUS_CODE[x.status]),
      ),
    ];
  }
  const hs = p.symmetric?.halves;
  if (hs && hs.length) {
    const f = (g: (x: HalfCycleVoltage) => number): Float64Array => Float64Array.from(hs, g);
    out.symmetricHalves = [
      col(
        CYCLER.cycle.name,
        CYCLER.cycle.unit,
        f((x) => s.cycle[x.cycleIndex]!),
      ),
      col(
        'Direction',
        '1',
        Int32Array.from(hs, (x) => x.sign),
      ),
      col(
        'Median Voltage',
        'V',
        f((x) => x.vMedian),
      ),
      col(
        'Overpotential',
        'V',
        f((x) => x.eta),
      ),
      col(
        'Shape Factor',
        '1',
        f((x) => x.shape),
      ),
      col(
        'Voltage Noise',
        'V',
        f((x) => x.noise),
      ),
      col(
        'Logging Interval',
        's',
        f((x) => x.dt),
      ),
      col(
        'Current',
        'A',
        f((x) => x.current),
      ),
      col(
        'Soft Short Flags',
        '1',
        Int32Array.from(hs, (x) => x.flags),
      ),
    ];
  }
  const d = p.differential;
  if (d && d.curves.length) {
    const keep = storedCycles(
      d.curves.map((c) => c.cycleIndex),
      d.options.maxStoredCycles,
    );
    const cs = d.curves.filter((c) => keep.has(c.cycleIndex));
    const N = d.options.gridPoints;
    const rows = cs.length * N;
    const cyc = new Float64Array(rows),
      dir = new Int32Array(rows),
      q = new Float64Array(rows),
      v = new Float64Array(rows),
      dv = new Float64Array(rows);
    const vg = new Float64Array(rows),
      qv = new Float64Array(rows),
      dq = new Float64Array(rows);
    cs.forEach((c, k) => {
      for (let i = 0; i < N; i++) {
        const r = k * N + i;
        cyc[r] = s.cycle[c.cycleIndex]!;
        dir[r] = c.sign;
        q[r] = c.q[i]!;
        v[r] = c.vSmooth[i]!;
        dv[r] = c.dvdq[i]!;
        vg[r] = c.vGrid[i]!;
        qv[r] = c.qOfV[i]!;
        dq[r] = c.dqdv[i]!;
      }
    });
    out.differential = [
      col(CYCLER.cycle.name, CYCLER.cycle.unit, cyc),
      col('Direction', '1', dir),
      col('Capacity', 'Ah', q),
      col('Smoothed Voltage', 'V', v),
      col('dV/dQ', 'V/Ah', dv),
      col('Voltage Grid', 'V', vg),
      col('Capacity At Voltage', 'Ah', qv),
      col('dQ/dV', 'Ah/V', dq),
    ];
    const peakTable = (key: 'dvdqPeaks' | 'dqdvPeaks', hUnit: string, wUnit: string, aUnit: string): Column[] => {
      const ps: [number, number, Peak][] = [];
      for (const c of d.curves) for (const pk of c[key]) ps.push([s.cycle[c.cycleIndex]!, c.sign, pk]);
      const f = (g: (x: Peak) => number): Float64Array => Float64Array.from(ps, (x) => g(x[2]));
      return [
        col(
          CYCLER.cycle.name,
          CYCLER.cycle.unit,
          Float64Array.from(ps, (x) => x[0]),
        ),
        col(
          'Direction',
          '1',
          Int32Array.from(ps, (x) => x[1]),
        ),
        col(
          'Track',
          '1',
          Int32Array.from(ps, (x) => x[2].track),
        ),
        col(
          'Capacity',
          'Ah',
          f((x) => x.capacity),
        ),
        col(
          'Voltage',
          'V',
          f((x) => x.voltage),
        ),
        col(
          'Height',
          hUnit,
          f((x) => x.height),
        ),
        col(
          'Prominence',
          hUnit,
          f((x) => x.prominence),
        ),
        col(
          'FWHM',
          wUnit,
          f((x) => x.fwhm),
        ),
        col(
          'Area',
          aUnit,
          f((x) => x.area),
        ),
      ];
    };
    out.dvdqPeaks = peakTable('dvdqPeaks', 'V/Ah', 'Ah', 'V');
    out.dqdvPeaks = peakTable('dqdvPeaks', 'Ah/V', 'V', 'Ah');
  }
  return out;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(3) : 'n/a';
}
function fmtV(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(4)} V` : 'n/a';
}
