import { describe, expect, it } from 'vitest';
import { maccorText } from '../../../../parsers/cycler/maccor.js';
import { HAVE_REAL_DATA } from '../../../helpers/realData.js';
import { col, expectParseError, first, last, parseReal, parseText } from './helpers.js';

describe.skipIf(!HAVE_REAL_DATA)('maccor-text on real files', () => {
  it('.001 with Test (Min): minutes → s, meta from the first line', async () => {
    const r = await parseReal(maccorText, 'cycler/maccor-txt/bdt__maccor_example.001');
    const t = col(r, 'Test Time');
    expect(t.v).toHaveLength(8);
    expect(t.v[1]).toBeCloseTo(0.1667 * 60, 9);
    expect(last(t.v)).toBeCloseTo(1.1667 * 60, 9);
    expect(first(col(r, 'Voltage').v)).toBeCloseTo(3.30678264, 9);
    expect(col(r, 'Step Type').levels).toEqual(['R']);
    expect(first(col(r, 'Unix Time').v)).toBe(Date.UTC(2016, 2, 31, 16, 5, 31) / 1000);
    expect(r.meta.startTime).toBe('2016-03-31');
    expect(r.meta.comment).toContain('Targray NCM811');
  });

  it('.052 with Test (Sec): discharge (state D) current is negative; charge/discharge capacity derived', async () => {
    const r = await parseReal(maccorText, 'cycler/maccor-txt/beep__PredictionDiagnostics_000151_test.052');
    expect(col(r, 'Voltage').v).toHaveLength(333);
    expect(first(col(r, 'Test Time').v)).toBeCloseTo(769267.24, 6);
    expect(first(col(r, 'Current').v)).toBeCloseTo(-4.8400091554, 9);
    expect(first(col(r, 'Record Index').v)).toBe(249791);
    expect(first(col(r, 'Cycle Count').v)).toBe(37);
    expect(last(col(r, 'Discharging Capacity').v)).toBeCloseTo(0.0236349063, 10);
    expect(last(col(r, 'Charging Capacity').v)).toBe(0);
    expect(col(r, 'Loop1').v[0]).toBe(3); // instrument column kept
  });

  it('.041 with "0d 00:00:00.0000" durations', async () => {
    const r = await parseReal(maccorText, 'cycler/maccor-txt/beep__maccor_test_file_4267-66-6519.041');
    expect(col(r, 'Test Time').v).toHaveLength(74);
    expect(col(r, 'Test Time').v[3]).toBe(3);
    expect(col(r, 'Step Type').levels).toEqual(expect.arrayContaining(['R', 'FRA', 'O']));
    expect(r.meta.procedure).toBe('EIS 1.000FRA default');
  });

  it('MIMS text with decimal commas: unit-less TestTime settled as minutes by the DPT clock; truncated last line warned', async () => {
    const r = await parseReal(maccorText, 'cycler/maccor-txt/cellpy__maccor_two.txt');
    const t = col(r, 'Test Time');
    expect(t.v).toHaveLength(213);
    expect(last(t.v)).toBe(212 * 60);
    expect(last(col(r, 'Voltage').v)).toBeCloseTo(0.149, 9);
    expect(r.meta.timeUnitFromClock).toBe('min');
    expect(r.meta.channel).toBe('81');
    expect(r.meta.cellId).toBe('KIT-SIMBA-013-2.081');
    expect(r.warnings.find((w) => w.code === 'truncated-last-line')?.rows).toBe(1);
  });

  it('CSV export without a state column: kept as written, with a warning', async () => {
    const r = await parseReal(maccorText, 'cycler/maccor-csv/pyprobe__sample_data_maccor.csv');
    expect(col(r, 'Current').v).toHaveLength(15);
    expect(last(col(r, 'Current').v)).toBeCloseTo(28.798, 9);
    expect(first(col(r, 'Unix Time').v)).toBe(Date.UTC(2023, 10, 23, 15, 56, 11) / 1000);
    expect(col(r, 'Temp 1').unit).toBe('degC');
    expect(r.warnings.map((w) => w.code)).toEqual(['current-sign-unknown']);
  });
});

describe('maccor-text on hand-made input', () => {
  const H =
    "Today's Date 04/04/2016  Date of Test:\t03/31/2016\t Filename:\tx.001\r\nRec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time\r\n";
  it('rebuilds the sign from the state and sums step Ah per cycle', async () => {
    const rows = [
      '1\t1\t1\t0\t0\t0.0\t0\t1.0\t3.5\tC\t0\t03/31/2016 16:05:31',
      '2\t1\t1\t10\t10\t0.5\t0\t1.0\t3.6\tC\t0\t03/31/2016 16:05:41',
      '3\t1\t2\t20\t0\t0.1\t0\t1.0\t3.5\tD\t0\t03/31/2016 16:05:51',
      '4\t1\t2\t30\t10\t0.3\t0\t1.0\t3.4\tD\t0\t03/31/2016 16:06:01',
    ];
    const r = await parseText(maccorText, H + rows.join('\r\n') + '\r\n', undefined, 'hand-made.001');
    expect(col(r, 'Current').v).toEqual([1, 1, -1, -1]);
    expect(col(r, 'Charging Capacity').v).toEqual([0, 0.5, 0.5, 0.5]);
    expect(col(r, 'Discharging Capacity').v).toEqual([0, 0, 0.1, 0.3]);
  });

  it('refuses a unit-less time with no clock to settle it', async () => {
    const text = 'Rec\tCycle C\tStep\tTestTime\tCurrent [A]\tVoltage [V]\n1\t0\t1\t0,0\t0,0\t3,1\n2\t0\t1\t1,0\t0,0\t3,2\n';
    await expectParseError(parseText(maccorText, text, undefined, 'hand-made.txt'), 'bad-header', 1, 'hand-made.txt');
  });

  it('no-data on a header without rows', async () => {
    await expectParseError(parseText(maccorText, H, undefined, 'hand-made.001'), 'no-data', 3, 'hand-made.001');
  });
});
