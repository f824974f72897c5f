import { describe, expect, it } from 'vitest';
import type { CanonicalRecord, Column } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { anodeFreeSteps, liCuSteps, syntheticCyclerRecord } from '../../src/fit/cycles/synthetic.js';
import { cycleFitter } from '../../src/fit/cycles/index.js';
import { naturalCompare, stitchCyclerRecords, type StitchPiece } from '../../src/derived/stitch.js';
import { maccorText } from '../../parsers/cycler/maccor.js';
import type { CellContext } from '../../src/fit/types.js';

const prov = { path: 'x', size: 0, sha256: '', parser: 'test', parserVersion: '0', recordIndex: 0 };
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0) / 1000;

function fitOf(columns: readonly Column[], cell: CellContext) {
  return cycleFitter.fit({ kind: 'cycler', format: 'test', meta: {}, columns, warnings: [], provenance: prov } as CanonicalRecord, cell);
}
const param = (o: ReturnType<typeof fitOf>, name: string) => o.parameters.find((p) => p.name === name);

/** Split a record at the first row of cycle `at`: the second file restarts Test Time, the cycle count and the counters at 0/1. */
function split(r: CanonicalRecord, at: number, gapS: number, restartCounters = true): [StitchPiece, StitchPiece] {
  const cyc = r.columns.find((c) => c.name === CYCLER.cycle.name)!.values;
  const i = cyc.findIndex((c) => c === at);
  const t = r.columns.find((c) => c.name === CYCLER.testTime.name)!.values;
  const a = r.columns.map((c) => ({ ...c, values: Float64Array.from(c.values.subarray(0, i)) }));
  const b = r.columns.map((c) => {
    const v = Float64Array.from(c.values.subarray(i));
    if (c.name === CYCLER.testTime.name) return { ...c, values: v.map((x) => x - t[i]!) };
    if (c.name === CYCLER.cycle.name) return { ...c, values: v.map((x) => x - (at - 1)) };
    if (restartCounters && /Capacity|Energy/.test(c.name)) {
      const v0 = v[0]!;
      return { ...c, values: v.map((x) => x - v0) };
    }
    return { ...c, values: v };
  });
  return [
    { id: 'a', path: 'cell/C01_part1.csv', columns: a, startUnix: T0 },
    { id: 'b', path: 'cell/C01_part2.csv', columns: b, startUnix: T0 + t[i]! + gapS },
  ];
}

describe("stitching one cell's files (hand-made split logs)", () => {
  const af = syntheticCyclerRecord(anodeFreeSteps({ cycles: 40, q0Ah: 1e-3, currentA: 5e-4, ce: 0.99 }), {
    sampleS: 60,
    capacityCounters: 'cumulative',
    energyCounters: 'cumulative',
  });
  const whole = fitOf(af.columns, { cellType: 'anode-free' });

  it('anode-free at CE 0.99, split at cycle 17 with a 1 h impedance break: stitched CE, LCE and cycle life equal the unsplit log', () => {
    const [a, b] = split(af, 17, 3600);
    const s = stitchCyclerRecords([b, a]); // handed in out of order: the clock puts them right
    expect(s.orderedBy).toBe('clock');
    expect(s.order).toEqual(['a', 'b']);
    expect(s.joins).toHaveLength(1);
    expect(s.joins[0]!.gapS).toBeCloseTo(3600, 6);
    expect(s.joins[0]!.cycleOffset).toBe(16);
    expect(s.joins[0]!.message).toContain('gap 1 h');
    const st = fitOf(s.columns, { cellType: 'anode-free' });
    expect(param(whole, 'cycle_life_80')!.value).toBeCloseTo(22.2, 1);
    for (const name of ['ce_mean', 'lce_mean', 'cycle_life_80', 'cycles_completed']) {
      expect(param(st, name)!.value, name).toBeCloseTo(param(whole, name)!.value, 10);
    }
    expect(param(st, 'cycle_life_80')!.censored).toBe(false);
    // time continues on the clock: the second file's first row sits 1 h after the split point
    const t = s.columns.find((c) => c.name === 'Test Time')!.values;
    const n1 = a.columns[0]!.values.length;
    expect(t[n1]! - af.columns.find((c) => c.name === 'Test Time')!.values[n1]!).toBeCloseTo(3600, 6);
    // the cumulative counters continue across the join
    const qc = s.columns.find((c) => c.name === 'Charging Capacity')!.values;
    const orig = af.columns.find((c) => c.name === 'Charging Capacity')!.values;
    expect(qc[qc.length - 1]).toBeCloseTo(orig[orig.length - 1]!, 12);
  });

  it('without a clock the order comes from the file name, and that is stated; the fit is the same', () => {
    const [a, b] = split(af, 17, 3600);
    const s = stitchCyclerRecords([
      { ...b, startUnix: undefined },
      { ...a, startUnix: undefined },
    ]);
    expect(s.orderedBy).toBe('file name');
    expect(s.order).toEqual(['a', 'b']);
    expect(s.messages[0]).toContain('ordered by file name');
    expect(Number.isNaN(s.joins[0]!.gapS)).toBe(true);
    expect(s.joins[0]!.message).toContain('gap unknown');
    const st = fitOf(s.columns, { cellType: 'anode-free' });
    expect(param(st, 'ce_mean')!.value).toBeCloseTo(param(whole, 'ce_mean')!.value, 10);
    expect(param(st, 'cycle_life_80')!.value).toBeCloseTo(param(whole, 'cycle_life_80')!.value, 10);
  });

  it('an overlap is reported as a warning with its duration', () => {
    const [a, b] = split(af, 17, -600);
    const s = stitchCyclerRecords([a, b]);
    expect(s.joins[0]!.overlapS).toBeCloseTo(600, 6);
    expect(s.joins[0]!.message).toContain('OVERLAP');
    expect(s.messages.some((m) => m.startsWith('warning:') && m.includes('10 min'))).toBe(true);
  });

  it('Li||Cu with per-cycle counters, three files (restart, resume): CE equals the unsplit log', () => {
    const ce = (k: number): number => (k === 1 ? 0.9 : 0.985 - 1e-4 * k);
    const r = syntheticCyclerRecord(liCuSteps({ cycles: 30, platedAh: 1e-3, currentA: 1e-3, ce }), { sampleS: 60, capacityCounters: 'per-cycle' });
    const w = fitOf(r.columns, { cellType: 'Li||Cu' });
    const [a, bc] = split(r, 11, 120, false);
    const rest = { ...r, columns: bc.columns } as CanonicalRecord;
    const [b, c] = split(rest, 10, 7200, false); // cycle 20 of the test = cycle 10 of the second file
    const s = stitchCyclerRecords([
      a,
      { ...b, startUnix: bc.startUnix },
      { ...c, id: 'c', path: 'cell/C01_part3.csv', startUnix: bc.startUnix! + (c.startUnix! - T0) },
    ]);
    expect(s.joins.map((j) => j.cycleOffset)).toEqual([10, 19]);
    const st = fitOf(s.columns, { cellType: 'Li||Cu' });
    expect(param(st, 'ce_mean')!.value).toBeCloseTo(param(w, 'ce_mean')!.value, 10);
    expect(param(st, 'cycles_completed')!.value).toBe(30);
  });

  it('natural file-name order', () => {
    expect(['T.010', 'T.002', 'T.001'].sort(naturalCompare)).toEqual(['T.001', 'T.002', 'T.010']);
  });
});

describe('Maccor continuation files (hand-made in the raw .0xx layout)', () => {
  const header = "Today's Date 01/06/2026  Date of Test:\t01/05/2026\t Filename:\tC:\\Data\\CELL7.001 Procedure: form.000\tComment/Barcode: C07\n";
  const cols = 'Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time\n';
  const row = (rec: number, cyc: number, t: number, ah: number, a: number, v: number, st: string, dpt: string) =>
    `${rec}\t${cyc}\t1\t${t.toFixed(4)}\t${t.toFixed(4)}\t${ah.toFixed(10)}\t0.0000000000\t${a.toFixed(10)}\t${v.toFixed(8)}\t${st}\t0\t${dpt}\n`;
  const first =
    header +
    cols +
    row(1, 1, 0, 0, 0.001, 3.9, 'C', '01/05/2026 23:00:00') +
    row(2, 1, 1800, 0.0005, 0.001, 4.0, 'C', '01/05/2026 23:30:00') +
    row(3, 1, 3000, 0.000833, 0.001, 4.1, 'C', '01/05/2026 23:50:00');
  const cont =
    cols +
    row(4, 1, 3600, 0, 0.001, 3.8, 'D', '23:55:00') +
    row(5, 1, 4200, 0.000167, 0.001, 3.7, 'D', '00:05:00') +
    row(6, 2, 7800, 0.0012, 0.001, 3.5, 'D', '01:05:00');
  const enc = (s: string) => new TextEncoder().encode(s);

  it('a continuation read alone: DPt Time kept as time of day, with a warning that its dates are relative', async () => {
    const [r] = await maccorText.parse({ path: 'CELL7.002', bytes: enc(cont) });
    expect(r!.columns.find((c) => c.name === 'Unix Time')).toBeUndefined();
    expect(Array.from(r!.columns.find((c) => c.name === 'Time of Day')!.values)).toEqual([23 * 3600 + 55 * 60, 5 * 60, 3900]);
    expect(r!.warnings.map((w) => w.code)).toContain('dates-relative');
    expect(r!.meta.timeOfDayOnly).toBe(true);
    expect(r!.meta.startTime).toBeUndefined();
  });

  it('joined to the first file: the date is carried over and rolled at midnight', async () => {
    const [a] = await maccorText.parse({ path: 'CELL7.001', bytes: enc(first) });
    const [b] = await maccorText.parse({ path: 'CELL7.002', bytes: enc(cont) });
    const s = stitchCyclerRecords([
      { id: '2', path: 'CELL7.002', columns: b!.columns, timeOfDayOnly: true },
      { id: '1', path: 'CELL7.001', columns: a!.columns },
    ]);
    expect(s.orderedBy).toBe('file name');
    expect(s.order).toEqual(['1', '2']);
    expect(s.messages.join(' ')).toContain('date was carried over from CELL7.001');
    const unix = Array.from(s.columns.find((c) => c.name === 'Unix Time')!.values);
    expect(unix.slice(3)).toEqual([Date.UTC(2026, 0, 5, 23, 55) / 1000, Date.UTC(2026, 0, 6, 0, 5) / 1000, Date.UTC(2026, 0, 6, 1, 5) / 1000]);
    expect(s.joins[0]!.gapS).toBe(300);
    expect(s.joins[0]!.message).toContain('gap 5 min');
    expect(Array.from(s.columns.find((c) => c.name === 'Test Time')!.values)).toEqual([0, 1800, 3000, 3300, 3900, 7500]);
  });
});
