/**
 * From EC-Lab's own columns (as the .mpt header or the .mpr column table names them) to canonical
 * records. Both readers end here, so a .mpr and the .mpt EC-Lab exported from it give the same records.
 *
 * Sign convention: EC-Lab's current is kept as written. Positive I = oxidation at the working electrode
 * (anodic), which is "charge" when the working electrode is a cathode or the positive electrode of a
 * full cell, and Li stripping when the working electrode is Li metal. Impedance is converted to the
 * true imaginary part: Imaginary Impedance = −(−Im(Z)), negative for capacitive arcs.
 */
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { CA, CYCLER, EIS } from '../../src/records/names.js';
import { normaliseUnit, unitFactor } from '../text/units.js';
import { cyclerRecord } from '../cycler/record.js';
import { chronoRecord } from '../chrono/record.js';
import { labelKey, splitEcLabLabel } from './labels.js';
import type { Technique } from './techniques.js';

/** One column as EC-Lab names it: `label` is the full header text, unit included (`I/mA`). */
export interface EcLabColumn {
  readonly label: string;
  readonly values: Float64Array;
}

/** What both readers produce before canonical mapping. */
export interface EcLabTable {
  readonly path: string;
  readonly columns: readonly EcLabColumn[];
  readonly rows: number;
  readonly technique?: Technique;
  readonly meta: RecordMeta;
  readonly warnings: readonly ParseWarning[];
  /** Absolute time per row (Unix seconds, wall clock read as UTC) when the file gives timestamps (BT-Lab). */
  readonly unixTime?: Float64Array;
}

interface Quantity {
  readonly name: string;
  readonly unit: string;
}

/** EC-Lab labels → canonical cycler quantity; the first label present wins, the others stay as they are. */
export const CYCLER_LABELS: readonly { readonly to: Quantity; readonly labels: readonly string[] }[] = [
  { to: CYCLER.testTime, labels: ['time/s'] },
  { to: CYCLER.stepTime, labels: ['step time/s'] },
  { to: CYCLER.voltage, labels: ['Ewe/V', '<Ewe>/V', 'Ecell/V', '<Ecell>/V'] },
  { to: CYCLER.current, labels: ['I/mA', '<I>/mA', 'I/A', '<I>/A'] },
  { to: CYCLER.cycle, labels: ['cycle number'] },
  { to: CYCLER.stepIndex, labels: ['Ns'] },
  { to: CYCLER.chargeCapacity, labels: ['Q charge/mA.h'] },
  { to: CYCLER.dischargeCapacity, labels: ['Q discharge/mA.h'] },
  { to: CYCLER.netCapacity, labels: ['(Q-Qo)/mA.h', '(Q-Qo)/C'] },
  { to: CYCLER.chargeEnergy, labels: ['Energy charge/W.h', 'Energy we charge/W.h'] },
  { to: CYCLER.dischargeEnergy, labels: ['Energy discharge/W.h', 'Energy we discharge/W.h'] },
  { to: CYCLER.power, labels: ['P/W', 'Pwe/W'] },
  { to: CYCLER.temperature, labels: ['Temperature/°C'] },
];

/** EC-Lab labels → canonical EIS quantity (Re/Im handled apart: they may have to be computed from |Z| and phase). */
export const EIS_LABELS: readonly { readonly to: Quantity; readonly labels: readonly string[] }[] = [
  { to: EIS.frequency, labels: ['freq/Hz'] },
  { to: EIS.time, labels: ['time/s'] },
  { to: EIS.voltage, labels: ['<Ewe>/V', 'Ewe/V', '<Ecell>/V', 'Ecell/V'] },
  { to: EIS.current, labels: ['<I>/mA', 'I/mA', '<I>/A', 'I/A'] },
];

type Index = Int32Array | null;

function take(values: Float64Array, idx: Index): Float64Array {
  if (!idx) return values;
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = values[idx[i]!]!;
  return out;
}

function scaled(values: Float64Array, factor: number, inPlace = false): Float64Array {
  if (factor === 1) return values;
  const out = inPlace ? values : new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * factor;
  return out;
}

/** Columns read again after the rule columns are converted: never scaled in place. */
const PEEKED = new Set(['Q charge/discharge/mA.h', 'Ns', 'Ns changes', '|Z|/Ohm', 'Phase(Z)/deg', 'freq/Hz']);

class ColumnPicker {
  private readonly byKey = new Map<string, EcLabColumn>();
  readonly used = new Set<EcLabColumn>();
  /** `consume`: the table is this call's alone, so unit conversion may overwrite its columns (a 1M-row export holds 8 MB per column). */
  constructor(
    private readonly t: EcLabTable,
    private readonly consume = false,
  ) {
    for (const c of t.columns) if (!this.byKey.has(labelKey(c.label))) this.byKey.set(labelKey(c.label), c);
  }
  peek(label: string): EcLabColumn | undefined {
    return this.byKey.get(label);
  }
  /** First present label of the list, marked as used. */
  pick(labels: readonly string[]): EcLabColumn | undefined {
    for (const l of labels) {
      const c = this.byKey.get(l);
      if (c && !this.used.has(c)) {
        this.used.add(c);
        return c;
      }
    }
    return undefined;
  }
  /** A canonical column from an EC-Lab column, unit converted. */
  convert(c: EcLabColumn, to: Quantity, idx: Index): Column {
    const unit = splitEcLabLabel(c.label).unit;
    let factor = 1;
    if (unit && to.unit !== '1') {
      try {
        factor = unitFactor(unit, to.unit);
      } catch {
        throw new ParseError({
          file: this.t.path,
          code: 'bad-header',
          column: c.label,
          message: `unit '${unit}' cannot be converted to ${to.unit}`,
          expected: `a unit of ${to.unit}`,
          found: unit,
        });
      }
    }
    const inPlace = this.consume && !idx && !PEEKED.has(labelKey(c.label));
    return { name: to.name, unit: to.unit, values: scaled(take(c.values, idx), factor, inPlace) };
  }
  /** Every column no rule claimed, under its EC-Lab name, unit spelled canonically. Names made unique. */
  rest(idx: Index, taken: Set<string>): Column[] {
    const out: Column[] = [];
    for (const c of this.t.columns) {
      if (this.used.has(c)) continue;
      const { name, unit } = splitEcLabLabel(c.label);
      if (!name) continue;
      const u = unit ? normaliseUnit(unit) : '';
      let n = name;
      if (taken.has(n)) n = `${name} (${u || 'no unit'})`;
      for (let k = 2; taken.has(n); k++) n = `${name} #${k}`;
      taken.add(n);
      out.push({ name: n, unit: u, values: take(c.values, idx) });
    }
    return out;
  }
}

/** Rows that are impedance points: a finite, positive frequency. */
function impedanceRows(freq: Float64Array | undefined): Int32Array {
  if (!freq) return new Int32Array(0);
  let n = 0;
  for (let i = 0; i < freq.length; i++) if (freq[i]! > 0) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let i = 0; i < freq.length; i++) if (freq[i]! > 0) out[n++] = i;
  return out;
}

/**
 * Columns EC-Lab computes when it exports text but does not store in the .mpr, derived the same way so
 * that a .mpr gives what its .mpt gives (both checked value by value against the fixtures):
 * - `<I>/mA` = dq·3600/Δt (gcpl.issue_149.mpr stores dq, not I);
 * - `cycle number` = ⌊half cycle / 2⌋ (the "Charge/Discharge alternance" cycle definition).
 */
export function withExportColumns(t: EcLabTable): EcLabTable {
  const key = (l: string): EcLabColumn | undefined => t.columns.find((c) => labelKey(c.label) === l);
  const extra: EcLabColumn[] = [];
  const warnings: ParseWarning[] = [...t.warnings];
  const hasCurrent = ['I/mA', '<I>/mA', 'I/A', '<I>/A'].some((l) => key(l));
  const dq = key('dq/mA.h') ?? key('dQ/mA.h');
  const time = key('time/s');
  if (!hasCurrent && dq && time) {
    const v = new Float64Array(t.rows);
    for (let i = 0; i < t.rows; i++) {
      const dt = i > 0 ? time.values[i]! - time.values[i - 1]! : 0;
      const q = dq.values[i]!;
      v[i] = dt > 0 ? (q * 3600) / dt : q === 0 ? 0 : NaN;
    }
    extra.push({ label: '<I>/mA', values: v });
    warnings.push({ code: 'current-from-charge', message: 'the file stores no current; <I> = dq·3600/Δt, as EC-Lab computes it for its text export' });
  }
  const half = key('half cycle');
  if (!key('cycle number') && half) {
    const v = new Float64Array(t.rows);
    for (let i = 0; i < t.rows; i++) v[i] = Math.floor(half.values[i]! / 2);
    extra.push({ label: 'cycle number', values: v });
    warnings.push({
      code: 'cycle-from-half-cycle',
      message: 'the file stores no cycle number; cycle number = floor(half cycle / 2), as EC-Lab computes it for its text export',
    });
  }
  return extra.length ? { ...t, columns: [...t.columns, ...extra], warnings } : t;
}

/** `consume`: the caller will not use `table` again (its columns may be converted in place). */
export function ecLabRecords(table: EcLabTable, consume = false): ParsedRecord[] {
  const t = withExportColumns(table);
  if (t.rows === 0) {
    throw new ParseError({
      file: t.path,
      code: 'no-data',
      message: 'the file has a header but no data rows',
      expected: 'at least one data row',
      found: '0 rows',
    });
  }
  const freq = t.columns.find((c) => labelKey(c.label) === 'freq/Hz')?.values;
  const zRows = impedanceRows(freq);
  const eisTechnique = t.technique ? t.technique.kind === 'eis' : zRows.length === t.rows && zRows.length > 0;
  const out: ParsedRecord[] = [];
  // Chronoamperometry (CA): one record of current vs time at the held potential (Bruce–Vincent polarisation).
  if (t.technique?.kind === 'chronoamperometry' && zRows.length === 0) return [caFromTable(t, consume)];
  if (eisTechnique) {
    if (zRows.length === 0) {
      throw new ParseError({
        file: t.path,
        code: 'missing-column',
        message: 'impedance technique without any frequency points',
        expected: 'freq/Hz > 0',
        found: freq ? 'no positive frequency' : 'no freq/Hz column',
      });
    }
    out.push(...eisRecords(t, zRows));
    return out;
  }
  // Cycling rows: everything that is not an impedance point (MB files interleave both).
  let idx: Index = null;
  if (zRows.length > 0) {
    const keep = new Int32Array(t.rows - zRows.length);
    let k = 0;
    let z = 0;
    for (let i = 0; i < t.rows; i++) {
      if (z < zRows.length && zRows[z] === i) z++;
      else keep[k++] = i;
    }
    idx = keep;
  }
  if (!idx || idx.length > 0) out.push(cyclerFromTable(t, idx, zRows.length, consume));
  if (zRows.length > 0) out.push(...eisRecords(t, zRows));
  return out;
}

function cyclerFromTable(t: EcLabTable, idx: Index, impedancePoints: number, consume: boolean): ParsedRecord {
  const p = new ColumnPicker(t, consume);
  const warnings: ParseWarning[] = [...t.warnings];
  const cols: Column[] = [];
  const n = idx ? idx.length : t.rows;
  for (const r of CYCLER_LABELS) {
    const c = p.pick(r.labels);
    if (c) cols.push(p.convert(c, r.to, idx));
  }
  const has = (q: Quantity): boolean => cols.some((c) => c.name === q.name);
  if (t.unixTime) cols.push({ name: CYCLER.unixTime.name, unit: CYCLER.unixTime.unit, values: take(t.unixTime, idx) });
  // Open circuit: EC-Lab records no current because the cell is disconnected; the technique states I = 0.
  if (!has(CYCLER.current) && t.technique?.code === 'OCV') {
    cols.push({ name: CYCLER.current.name, unit: CYCLER.current.unit, values: new Float64Array(n) });
    warnings.push({ code: 'implied-current', message: 'OCV technique records no current; Current is 0 A by definition of open circuit' });
  }
  // Per-half-cycle capacities: the .mpr stores only `Q charge/discharge` (signed); EC-Lab's export derives
  // `Q charge` = max(Q, 0) and `Q discharge` = max(−Q, 0) from it, and so do we when those are absent.
  const qcd = p.peek('Q charge/discharge/mA.h');
  if (qcd && (!has(CYCLER.chargeCapacity) || !has(CYCLER.dischargeCapacity))) {
    const q = take(qcd.values, idx);
    const ch = new Float64Array(n);
    const dis = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = q[i]! * 1e-3;
      ch[i] = v > 0 ? v : 0;
      dis[i] = v < 0 ? -v : 0;
    }
    if (!has(CYCLER.chargeCapacity)) cols.push({ name: CYCLER.chargeCapacity.name, unit: CYCLER.chargeCapacity.unit, values: ch });
    if (!has(CYCLER.dischargeCapacity)) cols.push({ name: CYCLER.dischargeCapacity.name, unit: CYCLER.dischargeCapacity.unit, values: dis });
  }
  // Step Count: executed steps, counted where the sequence number Ns changes or EC-Lab flags `Ns changes`.
  const ns = p.peek('Ns');
  if (ns) {
    const v = take(ns.values, idx);
    const flag = p.peek('Ns changes');
    const f = flag ? take(flag.values, idx) : undefined;
    const sc = new Float64Array(n);
    let count = 0;
    for (let i = 1; i < n; i++) {
      if (v[i] !== v[i - 1] || (f && f[i] === 1)) count++;
      sc[i] = count;
    }
    cols.push({ name: CYCLER.step.name, unit: CYCLER.step.unit, values: sc });
  }
  const taken = new Set(cols.map((c) => c.name));
  cols.push(...p.rest(idx, taken));
  const meta: RecordMeta = { ...t.meta };
  if (impedancePoints > 0) meta.impedancePointsInEisRecords = impedancePoints;
  return cyclerRecord(t.path, cols, meta, warnings);
}

/** EC-Lab labels → canonical chronoamperometry quantities (the cycler rules' labels, CA names). */
const CA_LABELS: readonly { readonly to: Quantity; readonly labels: readonly string[] }[] = [
  { to: CA.time, labels: ['time/s'] },
  { to: CA.voltage, labels: ['Ewe/V', '<Ewe>/V', 'Ecell/V', '<Ecell>/V'] },
  { to: CA.current, labels: ['I/mA', '<I>/mA', 'I/A', '<I>/A'] },
  { to: CYCLER.stepIndex, labels: ['Ns'] },
];

/** A CA technique file: one chronoamperometry record (time, voltage, current; Ns as Step Index; the rest kept). */
function caFromTable(t: EcLabTable, consume: boolean): ParsedRecord {
  const p = new ColumnPicker(t, consume);
  const cols: Column[] = [];
  for (const r of CA_LABELS) {
    const c = p.pick(r.labels);
    if (c) cols.push(p.convert(c, r.to, null));
  }
  const taken = new Set(cols.map((c) => c.name));
  cols.push(...p.rest(null, taken));
  return chronoRecord(t.path, cols, { ...t.meta }, [...t.warnings]);
}

/** One EIS record per frequency sweep. */
function eisRecords(t: EcLabTable, zRows: Int32Array): ParsedRecord[] {
  const freq = t.columns.find((c) => labelKey(c.label) === 'freq/Hz')!.values;
  const cyc = t.columns.find((c) => labelKey(c.label) === 'cycle number')?.values;
  const time = t.columns.find((c) => labelKey(c.label) === 'time/s')?.values;
  // A new sweep starts where rows stop being consecutive (MB: cycling in between), the cycle number
  // changes, or the frequency turns back against the sweep's direction.
  const starts: number[] = [0];
  let dir = 0;
  for (let k = 1; k < zRows.length; k++) {
    const i = zRows[k]!;
    const j = zRows[k - 1]!;
    const df = freq[i]! - freq[j]!;
    const brk = i !== j + 1 || (cyc !== undefined && cyc[i] !== cyc[j]) || (dir < 0 && df > 0) || (dir > 0 && df < 0);
    if (brk) {
      starts.push(k);
      dir = 0;
    } else if (dir === 0 && df !== 0) dir = Math.sign(df);
  }
  starts.push(zRows.length);
  const out: ParsedRecord[] = [];
  for (let s = 0; s + 1 < starts.length; s++) {
    const idx = zRows.subarray(starts[s]!, starts[s + 1]!);
    out.push(eisRecord(t, idx, s, cyc, time));
  }
  return out;
}

function eisRecord(t: EcLabTable, idx: Int32Array, spectrumIndex: number, cyc: Float64Array | undefined, time: Float64Array | undefined): ParsedRecord {
  const p = new ColumnPicker(t);
  const cols: Column[] = [];
  const warnings: ParseWarning[] = [...t.warnings];
  const f = p.pick(['freq/Hz'])!;
  cols.push(p.convert(f, EIS.frequency, idx));
  const re = p.pick(['Re(Z)/Ohm']);
  const mim = p.pick(['-Im(Z)/Ohm']);
  if (re && mim) {
    cols.push(p.convert(re, EIS.zReal, idx));
    const im = p.convert(mim, EIS.zImag, idx);
    const v = im.values as Float64Array;
    for (let i = 0; i < v.length; i++) v[i] = -v[i]!;
    cols.push(im);
  } else {
    // The .mpr of a Modulo Bat stores only |Z| and Phase(Z); EC-Lab computes Re/Im from them at export.
    const mod = p.peek('|Z|/Ohm');
    const ph = p.peek('Phase(Z)/deg');
    if (!mod || !ph) {
      throw new ParseError({
        file: t.path,
        code: 'missing-column',
        message: 'impedance points without Re(Z)/-Im(Z) or |Z|/Phase(Z)',
        expected: 'Re(Z)/Ohm and -Im(Z)/Ohm, or |Z|/Ohm and Phase(Z)/deg',
        found: t.columns.map((c) => c.label).join(', '),
      });
    }
    const m = take(mod.values, idx);
    const a = take(ph.values, idx);
    const zr = new Float64Array(idx.length);
    const zi = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      const rad = (a[i]! * Math.PI) / 180;
      zr[i] = m[i]! * Math.cos(rad);
      zi[i] = m[i]! * Math.sin(rad);
    }
    cols.push({ name: EIS.zReal.name, unit: EIS.zReal.unit, values: zr }, { name: EIS.zImag.name, unit: EIS.zImag.unit, values: zi });
    warnings.push({
      code: 'impedance-from-polar',
      message: 'Re(Z) and Im(Z) computed from |Z| and Phase(Z) (the file stores no Re/Im columns)',
      rows: idx.length,
    });
  }
  for (const r of EIS_LABELS.slice(1)) {
    const c = p.pick(r.labels);
    if (c) cols.push(p.convert(c, r.to, idx));
  }
  const taken = new Set(cols.map((c) => c.name));
  cols.push(...p.rest(idx, taken));
  const first = idx[0]!;
  const meta: RecordMeta = { ...t.meta, spectrumIndex, points: idx.length };
  if (cyc) meta.cycleNumber = cyc[first];
  if (time) meta.sweepStartTime = time[first];
  return { kind: 'eis', meta, columns: cols, warnings };
}
