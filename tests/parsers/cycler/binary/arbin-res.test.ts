import { describe, expect, it } from 'vitest';
import MDBReader from 'mdb-reader';
import { HAVE_REAL_DATA, readReal } from '../../../helpers/realData.js';
import { arbinRes } from '../../../../parsers/cycler/arbin-res.js';
import { findColumn, rowCount, type ParsedRecord } from '../../../../src/records/record.js';
import { sniffOf } from './sniff-input.js';

const RES = 'cycler/arbin-res/cellpy__20160805_test001_45_cc_01.res';
const col = (r: ParsedRecord, n: string): Float64Array | Int32Array => findColumn(r, n)!.values;

describe.skipIf(!HAVE_REAL_DATA)('Arbin .res (Jet 4) on the cellpy half-cell test', () => {
  const bytes = HAVE_REAL_DATA ? readReal(RES) : new Uint8Array();
  const rec = (): ParsedRecord => (arbinRes.parse({ path: RES, bytes }) as ParsedRecord[])[0]!;

  it('sniffs the Jet magic', () => {
    expect(arbinRes.sniff(sniffOf('a.res', bytes))).toBeGreaterThanOrEqual(0.55);
  });

  it('10261 rows, 18 cycles, Global_Table metadata', () => {
    const r = rec();
    expect(rowCount(r)).toBe(10261);
    expect(Math.max(...col(r, 'Cycle Count'))).toBe(18);
    expect(r.meta.softwareVersion).toBe('4.32 Build: 130904');
    expect(r.meta.startTime).toBe('2016-08-05T16:16:23');
    expect(r.meta.channel).toBe('3');
    expect(col(r, 'Test Time')[0]).toBeCloseTo(300.01048, 4);
    expect(col(r, 'Test Time')[10260]).toBeCloseTo(859077.2406, 3);
    expect(col(r, 'Voltage')[0]).toBeCloseTo(3.097617, 5);
    expect(col(r, 'Voltage')[10260]).toBeCloseTo(0.294069, 5);
    expect(col(r, 'Current')[10260]).toBeCloseTo(-0.000304207, 8);
    // DateTime is an OLE date: 42587.6815162037 days → 2016-08-05 16:21:23 (file's local wall clock)
    expect(col(r, 'Unix Time')[0]).toBe(Date.UTC(2016, 7, 5, 16, 21, 23) / 1000);
  });

  it('Channel_Statistic_Table marks the last data point of every cycle, and its Vmax agrees (cycles ≥ 2)', () => {
    const r = rec();
    const stats = new MDBReader(Buffer.from(bytes)).getTable('Channel_Statistic_Table').getData() as { Data_Point: number; Vmax_On_Cycle: number }[];
    const cyc = col(r, 'Cycle Count');
    const dp = col(r, 'Record Index');
    const V = col(r, 'Voltage');
    const lastOfCycle = new Map<number, number>();
    const vmax = new Map<number, number>();
    for (let i = 0; i < cyc.length; i++) {
      lastOfCycle.set(cyc[i]!, dp[i]!);
      vmax.set(cyc[i]!, Math.max(vmax.get(cyc[i]!) ?? -Infinity, V[i]!));
    }
    expect(stats.length).toBe(17);
    stats.forEach((s, k) => {
      expect(s.Data_Point).toBe(lastOfCycle.get(k + 1));
      if (k > 0) expect(Math.abs(s.Vmax_On_Cycle - vmax.get(k + 1)!)).toBeLessThan(2e-3);
    });
  });

  it('capacities restart every cycle (meta.capacityScope = cycle)', () => {
    const r = rec();
    expect(r.meta.capacityScope).toBe('cycle');
    const cyc = col(r, 'Cycle Count');
    const qc = col(r, 'Charging Capacity');
    const i = [...cyc].findIndex((c) => c === 2);
    expect(qc[i - 1]).toBeCloseTo(0.001625406, 8);
    expect(qc[i]).toBe(0);
  });
});

describe('Arbin .res bad input', () => {
  it('random bytes: bad magic at offset 4', async () => {
    const b = new Uint8Array(4096);
    for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) >>> 24;
    await expect(Promise.resolve().then(() => arbinRes.parse({ path: 'r.res', bytes: b }))).rejects.toMatchObject({ code: 'bad-magic', offset: 4 });
    expect(arbinRes.sniff(sniffOf('r.res', b))).toBe(0);
  });

  it('Jet magic followed by garbage: a ParseError, not a crash', async () => {
    const b = new Uint8Array(8192);
    for (let i = 0; i < b.length; i++) b[i] = (i * 40503) & 0xff;
    b.set([0, 1, 0, 0, ...'Standard Jet DB'.split('').map((c) => c.charCodeAt(0))]);
    await expect(Promise.resolve().then(() => arbinRes.parse({ path: 'g.res', bytes: b }))).rejects.toMatchObject({ name: 'ParseError' });
  });
});
