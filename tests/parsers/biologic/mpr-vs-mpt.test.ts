/**
 * The strongest check of the binary reader: each .mpr must give the numbers of the .mpt EC-Lab exported
 * from the same run (galvani's test_MPR_matches_MPT). Pairs confirmed by equal row counts and by the LOG
 * start time equal to the .mpt "Acquisition started on" line (ocv.mpr ↔ ocv.old.mpt included).
 */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';
import { parseMpr } from '../../../parsers/biologic/mpr.js';
import { parseMpt } from '../../../parsers/biologic/mpt.js';
import { biologicMpr } from '../../../parsers/biologic/index.js';
import type { ParsedRecord } from '../../../src/records/record.js';
import { close, sniffOf } from './helpers.js';

const PAIRS: readonly { mpr: string; mpt: string; kinds: string[]; rows: number[] }[] = [
  { mpr: 'cycler/biologic-mpr/yadg__cp.mpr', mpt: 'cycler/biologic-mpt/yadg__cp.mpt', kinds: ['cycler'], rows: [121] },
  { mpr: 'cycler/biologic-mpr/yadg__gcpl.issue_149.mpr', mpt: 'cycler/biologic-mpt/yadg__gcpl.issue_149.mpt', kinds: ['cycler'], rows: [132] },
  { mpr: 'cycler/biologic-mpr/yadg__mb.issue_95.mpr', mpt: 'cycler/biologic-mpt/yadg__mb.issue_95.mpt', kinds: ['cycler'], rows: [33] },
  { mpr: 'cycler/biologic-mpr/yadg__mb.issue_95.mpr', mpt: 'cycler/biologic-mpt/yadg__mb.issue_95.de.mpt', kinds: ['cycler'], rows: [33] },
  {
    mpr: 'cycler/biologic-mpr/yadg__mb.issue_223.mpr',
    mpt: 'cycler/biologic-mpt/yadg__mb.issue_223.mpt',
    kinds: ['cycler', 'eis', 'eis', 'eis', 'eis'],
    rows: [32, 19, 19, 19, 19],
  },
  { mpr: 'cycler/biologic-mpr/yadg__ocv.mpr', mpt: 'cycler/biologic-mpt/yadg__ocv.old.mpt', kinds: ['cycler'], rows: [602] },
  { mpr: 'eis/biologic-mpr/yadg__peis.mpr', mpt: 'eis/biologic-mpt/yadg__peis.mpt', kinds: ['eis'], rows: [32] },
  {
    mpr: 'eis/biologic-mpr/yadg__geis.issue_149.mpr',
    mpt: 'eis/biologic-mpt/yadg__geis.issue_149.mpt',
    kinds: ['eis', 'eis', 'eis', 'eis'],
    rows: [21, 21, 21, 21],
  },
  { mpr: 'eis/biologic-mpr/yadg__peis.issue_225.with_ece.mpr', mpt: 'eis/biologic-mpt/yadg__peis.issue_225.with_ece.mpt', kinds: ['eis'], rows: [32] },
];

/** EC-Lab renamed a few quantities between versions; the .mpr table keeps one name per id. */
const ALIASES: Record<string, string> = { P: 'Pwe', R: 'Rwe' };

/** Re/Im computed from f32 |Z| and phase: compare to the |Z| scale, not to the (possibly tiny) part. */
function tolerance(name: string, r: ParsedRecord, i: number): { rel: number; abs: number } {
  if ((name === 'Real Impedance' || name === 'Imaginary Impedance') && r.warnings.some((w) => w.code === 'impedance-from-polar')) {
    const z = r.columns.find((c) => c.name === '|Z|')!.values[i]!;
    return { rel: 1e-6, abs: 1e-6 * Math.abs(z) };
  }
  // .mpt prints f32 values with 8 significant digits.
  return { rel: 1e-6, abs: 1e-12 };
}

/**
 * EC-Lab's export masks harmonic analysis it deems invalid (geis.issue_149: early rows) with −1 (THD,
 * NSD, NSR) or 0 (harmonic amplitudes) although the .mpr holds a number. Such cells are not compared.
 */
const EXPORT_MASKED = /^(THD|NSD|NSR) |^\|(Ewe|I|Ece) h\d\|$/;

function compareRecords(a: ParsedRecord, b: ParsedRecord, label: string): number {
  let compared = 0;
  for (const c of a.columns) {
    const other = b.columns.find((x) => x.name === c.name) ?? b.columns.find((x) => x.name === ALIASES[c.name]);
    expect(other, `${label}: .mpt lacks column '${c.name}'`).toBeDefined();
    expect(other!.unit, `${label}: unit of '${c.name}'`).toBe(c.unit);
    expect(other!.values.length).toBe(c.values.length);
    for (let i = 0; i < c.values.length; i++) {
      const { rel, abs } = tolerance(c.name, a, i);
      if (EXPORT_MASKED.test(c.name) && (other!.values[i] === -1 || other!.values[i] === 0)) continue;
      if (!close(c.values[i]!, other!.values[i]!, rel, abs)) {
        expect.fail(`${label}: '${c.name}' row ${i}: mpr ${c.values[i]} vs mpt ${other!.values[i]}`);
      }
    }
    compared++;
  }
  return compared;
}

describe.skipIf(!HAVE_REAL_DATA)('.mpr decodes to the numbers of its .mpt', () => {
  it.each(PAIRS)('$mpr ↔ $mpt', ({ mpr, mpt, kinds, rows }) => {
    const bin = parseMpr(mpr, readReal(mpr));
    const txt = parseMpt(mpt, readReal(mpt));
    expect(bin.map((r) => r.kind)).toEqual(kinds);
    expect(txt.map((r) => r.kind)).toEqual(kinds);
    expect(bin.map((r) => r.columns[0]!.values.length)).toEqual(rows);
    let compared = 0;
    for (let k = 0; k < bin.length; k++) compared += compareRecords(bin[k]!, txt[k]!, `${mpr}#${k}`);
    expect(compared).toBeGreaterThanOrEqual(5 * bin.length);
    for (const key of ['technique', 'channel', 'channelSerial', 'deviceSerial', 'softwareVersion', 'startTime'] as const) {
      expect(bin[0]!.meta[key], key).toBe(txt[0]!.meta[key]);
    }
    for (let k = 0; k < bin.length; k++) {
      for (const key of ['spectrumIndex', 'cycleNumber', 'points'] as const) expect(bin[k]!.meta[key], key).toEqual(txt[k]!.meta[key]);
      if (bin[k]!.kind === 'eis') expect(close(bin[k]!.meta.sweepStartTime as number, txt[k]!.meta.sweepStartTime as number, 1e-12)).toBe(true);
    }
  });

  it('sniff tells impedance from cycling by the technique byte', () => {
    expect(biologicMpr.sniff(sniffOf('a.mpr', readReal('eis/biologic-mpr/yadg__peis.mpr')))).toEqual({ confidence: 1, kind: 'eis' });
    expect(biologicMpr.sniff(sniffOf('a.mpr', readReal('eis/biologic-mpr/yadg__geis.issue_149.mpr')))).toEqual({ confidence: 1, kind: 'eis' });
    expect(biologicMpr.sniff(sniffOf('a.mpr', readReal('cycler/biologic-mpr/yadg__gcpl.issue_149.mpr')))).toEqual({ confidence: 1, kind: 'cycler' });
  });

  it('navani MB (EC-Lab 11.50, v2 headers, no .mpt): 11 rows, control/V, start time from LOG', () => {
    const recs = parseMpr('navani.mpr', readReal('cycler/biologic-mpr/navani__00_test_02_MB_C01.mpr'));
    expect(recs.map((r) => r.kind)).toEqual(['cycler']);
    const r = recs[0]!;
    expect(r.columns[0]!.values).toHaveLength(11);
    expect(r.meta).toMatchObject({
      technique: 'MB',
      mprHeader: 'v2',
      mprDataVersion: 0,
      softwareVersion: '11.50',
      deviceSerial: '1850',
      startTime: '2023-12-08T09:49:52.346',
    });
  });

  it('gcpl.issue_149.mpr: current and cycle number derived as EC-Lab derives them, with warnings', () => {
    const [r] = parseMpr('g.mpr', readReal('cycler/biologic-mpr/yadg__gcpl.issue_149.mpr'));
    expect(r!.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['current-from-charge', 'cycle-from-half-cycle']));
  });
});
