/**
 * Voltage-profile features on real cycler files from ../shared/real-data (skipped, with a message, when
 * the folder is absent). None of the shared files is a Li||Cu plating log or a Li||Li symmetric test, so
 * the nucleation dip and the soft-short flags are tested on planted synthetic profiles only
 * (voltage-profile.test.ts); here dQ/dV and dV/dQ run on two low-voltage half-cell logs: the navani file
 * is graphite‖Li (SOURCES.md); the yadg GCPL file's chemistry is not stated, its features sit at ≈ 0.07–0.08 V
 * and are stable from cycle to cycle. Pinned values were read from
 * this implementation (window 11, order 3, 201 points); the tolerance (±2 mV) is a few V-grid steps.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';
import { FORMATS, detectFormat, sniffInput } from '../../../parsers/index.js';
import { cycleFitter } from '../../../src/fit/cycles/fitter.js';
import type { CanonicalRecord } from '../../../src/records/record.js';
import type { FitOutcome } from '../../../src/fit/types.js';

async function fitOf(rel: string): Promise<FitOutcome | undefined> {
  const bytes = readReal(rel);
  const det = detectFormat(sniffInput(rel.split('/').pop()!, bytes, bytes.length), FORMATS);
  if (!det.best) {
    console.warn(`[voltage-profile] no parser recognised ${rel}: test not run`);
    return undefined;
  }
  const rec = (await det.best.format.parse({ path: rel, bytes }))[0] as CanonicalRecord;
  return cycleFitter.fit(rec, { cellType: 'full' });
}

/** Peaks of one table and direction: [cycle, track, voltage]. */
function peaks(o: FitOutcome, table: 'dqdvPeaks' | 'dvdqPeaks', direction: number): [number, number, number][] {
  const t = o.tables![table]!;
  const v = (n: string) => t.find((c) => c.name === n)!.values;
  const out: [number, number, number][] = [];
  for (let i = 0; i < v('Direction').length; i++) if (v('Direction')[i] === direction) out.push([v('Cycle Count')[i]!, v('Track')[i]!, v('Voltage')[i]!]);
  return out;
}

if (!HAVE_REAL_DATA) console.warn('[voltage-profile] ../shared/real-data not found: real-file dQ/dV tests skipped');

describe.skipIf(!HAVE_REAL_DATA)('dQ/dV on real low-voltage half-cell logs', () => {
  it('EC-Lab GCPL (yadg gcpl.pr_182.1.mpt): the low-voltage peak tracked through every cycle, lithiation ≈ 72 mV, delithiation ≈ 80 mV', async () => {
    const out = await fitOf('cycler/biologic-mpt/yadg__gcpl.pr_182.1.mpt');
    if (!out) return;
    const dis = peaks(out, 'dqdvPeaks', -1).filter((p) => p[1] === 0);
    const ch = peaks(out, 'dqdvPeaks', 1).filter((p) => p[1] === 0);
    expect(dis.map((p) => p[0])).toEqual([0, 1, 2, 3]);
    expect(ch.map((p) => p[0])).toEqual([2, 3, 4]);
    const pin = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(0.002);
    pin(dis[1]![2], 0.0723);
    pin(dis[3]![2], 0.0714);
    pin(ch[0]![2], 0.0803);
    pin(ch[2]![2], 0.0793);
    // Lithiation peak below delithiation peak (polarisation), as for any two-direction IC pair.
    expect(dis[1]![2]).toBeLessThan(ch[0]![2]);
    expect(out.quality.messages.join('\n')).toMatch(/Savitzky–Golay window 11, order 3/);
  });

  it('Arbin XLSX (navani graphite‖Li, 50 µA): delithiation dQ/dV peak at ≈ 98 mV', async () => {
    const out = await fitOf('cycler/arbin-xlsx/navani__bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx');
    if (!out) return;
    const ch = peaks(out, 'dqdvPeaks', 1);
    expect(ch).toHaveLength(1);
    expect(Math.abs(ch[0]![2] - 0.0983)).toBeLessThan(0.002);
    // Curves stored as a fit table: 2 curves × 201 points.
    expect(out.tables!.differential![0]!.values.length).toBe(2 * 201);
  });
});
