/**
 * Generators of large cycler exports for the bench: an Arbin MITS-style CSV (legacy header with
 * units, 15 columns) and an EC-Lab GCPL .mpt (English locale: '.' decimals, tab-separated), both from
 * the same analytic cycling protocol so the per-cycle summary has known cycles.
 *
 * Protocol per cycle (2,000 rows at 10 s): CC charge 900 rows at +1.1 A, rest 100, CC discharge 900 at
 * −1.09 A (CE ≈ 0.991), rest 100. Capacity/energy counters reset per cycle.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { CanonicalRecord, Column } from '../src/records/record.js';
import { CYCLER } from '../src/records/names.js';

export const ROWS_PER_CYCLE = 2000;
const DT = 10;
const I_CH = 1.1;
const I_DIS = -1.09;

/** Row state written into a reusable Float64Array (no per-row objects). */
const F = { t: 0, stepTime: 1, step: 2, cycle: 3, I: 4, V: 5, qc: 6, qd: 7, ec: 8, ed: 9, dvdt: 10, ir: 11 } as const;

function rowAt(i: number, out: Float64Array): void {
  const cycle = Math.floor(i / ROWS_PER_CYCLE) + 1;
  const j = i % ROWS_PER_CYCLE;
  const fade = 1 - 1e-4 * (cycle - 1);
  let I = 0,
    V = 0,
    step = 0,
    js = 0,
    qc = 0,
    qd = 0,
    ec = 0,
    ed = 0,
    dvdt = 0;
  const qcFull = (I_CH * 899 * DT) / 3600;
  const ecFull = qcFull * 3.45;
  if (j < 900) {
    step = 2;
    js = j;
    I = I_CH;
    V = 3.3 + (0.3 * j) / 899;
    dvdt = 0.3 / (899 * DT);
    qc = (I_CH * j * DT) / 3600;
    ec = qc * (3.3 + (0.15 * j) / 899);
  } else if (j < 1000) {
    step = 3;
    js = j - 900;
    V = 3.6 - (0.15 * js) / 99;
    dvdt = -0.15 / (99 * DT);
    qc = qcFull;
    ec = ecFull;
  } else if (j < 1900) {
    step = 4;
    js = j - 1000;
    I = I_DIS * fade;
    V = 3.4 - (0.5 * js) / 899;
    dvdt = -0.5 / (899 * DT);
    qc = qcFull;
    ec = ecFull;
    qd = (-I * js * DT) / 3600;
    ed = qd * (3.4 - (0.25 * js) / 899);
  } else {
    step = 5;
    js = j - 1900;
    V = 2.9 + (0.3 * js) / 99;
    dvdt = 0.3 / (99 * DT);
    qc = qcFull;
    ec = ecFull;
    qd = (-I_DIS * fade * 899 * DT) / 3600;
    ed = qd * 3.15;
  }
  out[F.t] = i * DT;
  out[F.stepTime] = js * DT;
  out[F.step] = step;
  out[F.cycle] = cycle;
  out[F.I] = I;
  out[F.V] = V;
  out[F.qc] = qc;
  out[F.qd] = qd;
  out[F.ec] = ec;
  out[F.ed] = ed;
  out[F.dvdt] = dvdt;
  out[F.ir] = 0.0171 + 1e-6 * cycle;
}

const pad2 = (x: number): string => (x < 10 ? '0' : '') + x;

/** `MM/DD/YYYY HH:MM:SS` from a test time, starting 2024-01-01 00:00:00 (cheap, no Date per row). */
function arbinDate(t: number): string {
  const s = Math.floor(t);
  const day = Math.floor(s / 86400);
  const rem = s % 86400;
  const month = Math.floor(day / 28) % 12; // 28-day months keep it cheap and valid
  const dd = (day % 28) + 1;
  return `${pad2(month + 1)}/${pad2(dd)}/2024 ${pad2(Math.floor(rem / 3600))}:${pad2(Math.floor((rem % 3600) / 60))}:${pad2(rem % 60)}`;
}

function writeChunked(path: string, header: string, rows: number, line: (i: number, r: Float64Array) => string): void {
  const fd = openSync(path, 'w');
  const r = new Float64Array(12);
  try {
    writeSync(fd, header);
    let buf: string[] = [];
    for (let i = 0; i < rows; i++) {
      rowAt(i, r);
      buf.push(line(i, r));
      if (buf.length === 20000) {
        writeSync(fd, buf.join(''));
        buf = [];
      }
    }
    if (buf.length) writeSync(fd, buf.join(''));
  } finally {
    closeSync(fd);
  }
}

export const ARBIN_HEADER = [
  'Data_Point',
  'Test_Time(s)',
  'Date_Time',
  'Step_Time(s)',
  'Step_Index',
  'Cycle_Index',
  'Current(A)',
  'Voltage(V)',
  'Charge_Capacity(Ah)',
  'Discharge_Capacity(Ah)',
  'Charge_Energy(Wh)',
  'Discharge_Energy(Wh)',
  'dV/dt(V/s)',
  'Internal_Resistance(Ohm)',
  'Is_FC_Data',
];

export function writeArbinCsv(path: string, rows: number): void {
  writeChunked(
    path,
    ARBIN_HEADER.join(',') + '\r\n',
    rows,
    (i, r) =>
      `${i + 1},${r[F.t]!.toFixed(4)},${arbinDate(r[F.t]!)},${r[F.stepTime]!.toFixed(4)},${r[F.step]},${r[F.cycle]},` +
      `${r[F.I]!.toFixed(7)},${r[F.V]!.toFixed(7)},${r[F.qc]!.toFixed(9)},${r[F.qd]!.toFixed(9)},${r[F.ec]!.toFixed(9)},` +
      `${r[F.ed]!.toFixed(9)},${r[F.dvdt]!.toExponential(6)},${r[F.ir]!.toFixed(8)},0\r\n`,
  );
}

export const MPT_COLUMNS = [
  'mode',
  'ox/red',
  'error',
  'control changes',
  'Ns changes',
  'counter inc.',
  'Ns',
  'time/s',
  'dq/mA.h',
  '(Q-Qo)/mA.h',
  'control/V/mA',
  'Ewe/V',
  'Q charge/discharge/mA.h',
  'half cycle',
  'Energy charge/W.h',
  'Energy discharge/W.h',
  '<I>/mA',
  'Q discharge/mA.h',
  'Q charge/mA.h',
  'cycle number',
];

/** Header lines of the generated .mpt: "Nb header lines" counts them all, the column line included. */
export function mptHeader(): { text: string; lines: number } {
  const body = [
    '',
    'Galvanostatic Cycling with Potential Limitation',
    '',
    'Run on channel : 1 (SN 15265)',
    'User : ',
    'Electrode connection : standard',
    'Potential control : Ewe',
    'Ewe ctrl range : min = 2.50 V, max = 4.20 V',
    'Acquisition started on : 01/10/2024 11:02:29.886',
    'Device : SP-300 (SN 1854)',
    'EC-Lab for windows v11.50 (software)',
    'Cycle Definition : Charge/Discharge alternance',
    '',
  ];
  const lines = 2 + body.length + 1;
  const text = ['EC-Lab ASCII FILE', `Nb header lines : ${lines}`.padEnd(46), ...body, MPT_COLUMNS.join('\t')].join('\n') + '\n';
  return { text, lines };
}

/** BioLogic writes mA and mA.h; the cell is scaled down 1000× (a coin cell) so values stay realistic. */
export function writeBiologicMpt(path: string, rows: number): void {
  let q0 = 0;
  let lastCycle = 1;
  writeChunked(path, mptHeader().text, rows, (_i, r) => {
    const rest = r[F.I] === 0;
    const charging = r[F.I]! > 0;
    if (r[F.cycle] !== lastCycle) {
      q0 = 0;
      lastCycle = r[F.cycle]!;
    }
    const qc = r[F.qc]!;
    const qd = r[F.qd]!;
    const qNet = qc - qd + q0;
    const mode = rest ? 3 : 1;
    const ns = r[F.step]! - 2;
    return (
      `${mode}\t${charging ? 1 : 0}\t0\t0\t${r[F.stepTime] === 0 ? 1 : 0}\t0\t${ns}\t${r[F.t]!.toFixed(4)}\t0.000000000\t` +
      `${qNet.toFixed(9)}\t${(r[F.I]! * 1).toFixed(6)}\t${r[F.V]!.toFixed(7)}\t${(charging ? qc : -qd).toFixed(9)}\t` +
      `${2 * (r[F.cycle]! - 1) + (r[F.step]! >= 4 ? 1 : 0)}\t${(r[F.ec]! * 1e-3).toFixed(9)}\t${(r[F.ed]! * 1e-3).toFixed(9)}\t` +
      `${r[F.I]!.toFixed(6)}\t${qd.toFixed(9)}\t${qc.toFixed(9)}\t${r[F.cycle]! - 1}\n`
    );
  });
}

/**
 * The canonical record the Arbin file should parse to, built directly in typed arrays: the per-cycle
 * summary bench uses it when no parser for the file is registered yet.
 */
export function arbinEquivalentRecord(rows: number): CanonicalRecord {
  const cols = {
    t: new Float64Array(rows),
    V: new Float64Array(rows),
    I: new Float64Array(rows),
    cyc: new Int32Array(rows),
    step: new Int32Array(rows),
    qc: new Float64Array(rows),
    qd: new Float64Array(rows),
    ec: new Float64Array(rows),
    ed: new Float64Array(rows),
    ir: new Float64Array(rows),
  };
  const r = new Float64Array(12);
  for (let i = 0; i < rows; i++) {
    rowAt(i, r);
    cols.t[i] = r[F.t]!;
    cols.V[i] = r[F.V]!;
    cols.I[i] = r[F.I]!;
    cols.cyc[i] = r[F.cycle]!;
    cols.step[i] = r[F.step]!;
    cols.qc[i] = r[F.qc]!;
    cols.qd[i] = r[F.qd]!;
    cols.ec[i] = r[F.ec]!;
    cols.ed[i] = r[F.ed]!;
    cols.ir[i] = r[F.ir]!;
  }
  const columns: Column[] = [
    { ...CYCLER.testTime, values: cols.t },
    { ...CYCLER.voltage, values: cols.V },
    { ...CYCLER.current, values: cols.I },
    { ...CYCLER.cycle, values: cols.cyc },
    { ...CYCLER.stepIndex, values: cols.step },
    { ...CYCLER.chargeCapacity, values: cols.qc },
    { ...CYCLER.dischargeCapacity, values: cols.qd },
    { ...CYCLER.chargeEnergy, values: cols.ec },
    { ...CYCLER.dischargeEnergy, values: cols.ed },
    { ...CYCLER.internalResistance, values: cols.ir },
  ];
  return {
    kind: 'cycler',
    format: 'bench-arrays',
    meta: {},
    columns,
    warnings: [],
    provenance: { path: 'memory', size: 0, sha256: '', parser: 'none', parserVersion: '0', recordIndex: 0 },
  };
}
