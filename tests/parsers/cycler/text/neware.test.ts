import { describe, expect, it } from 'vitest';
import { newareCsv } from '../../../../parsers/cycler/neware-csv.js';
import { newareTxt } from '../../../../parsers/cycler/neware-txt.js';
import { HAVE_REAL_DATA } from '../../../helpers/realData.js';
import { col, expectParseError, first, last, parseReal, parseText } from './helpers.js';

describe.skipIf(!HAVE_REAL_DATA)('neware on real files', () => {
  it('flat BTS CSV: 9065 rows, hh:mm:ss past 24 h, per-step Chg/DChg counters stitched per cycle', async () => {
    const r = await parseReal(newareCsv, 'cycler/neware-csv/cellpy__neware_uio.csv');
    const t = col(r, 'Test Time');
    expect(t.v).toHaveLength(9065);
    expect(last(t.v)).toBe(144 * 3600 + 2 * 60 + 18);
    expect(last(col(r, 'Current').v)).toBeCloseTo(0.00099171, 10);
    expect(col(r, 'Current').v[721]).toBeCloseTo(-0.00024859, 10);
    expect(last(col(r, 'Unix Time').v)).toBe(Date.UTC(2022, 4, 24, 16, 29, 53) / 1000);
    // cycle 1 ends at DataPoint 3463 (row 3462): three discharge steps summed
    expect(col(r, 'Discharging Capacity').v[3462]).toBeCloseTo(0.00468031 + 0.00028183 + 0.00012414, 10);
    expect(col(r, 'Charging Capacity').v[3462]).toBeCloseTo(0.00424934, 10);
    expect(col(r, 'Contact resistance').unit).toBe('mohm');
    expect(r.meta.counterStitching).toContain('Discharging Capacity');
  });

  it('layered "regular" CSV: record layer read, cycle/step context attached, summaries in meta', async () => {
    const r = await parseReal(newareCsv, 'cycler/neware-csv/cellpy__nw_regular_export_ife_example.csv');
    const v = col(r, 'Voltage');
    expect(v.v).toHaveLength(9295);
    expect(first(v.v)).toBeCloseTo(4.3185, 9);
    expect(last(v.v)).toBeCloseTo(4.1544, 9);
    expect(last(col(r, 'Test Time').v)).toBe(27 * 3600 + 55 * 60 + 43);
    expect(first(col(r, 'Cycle Count').v)).toBe(1);
    expect(last(col(r, 'Cycle Count').v)).toBe(20);
    expect(col(r, 'Step Type').levels).toEqual(expect.arrayContaining(['Rest', 'CC Chg', 'CC DChg']));
    expect(col(r, 'T1').unit).toBe('degC');
    expect((r.meta.cycleSummary as unknown[]).length).toBe(20);
    expect(r.warnings).toEqual([]);
  });

  // The two BTSDA cycle-layer-only files are read as cycle-summary records: tests/parsers/cycler/cycle-summary.test.ts
});

describe('neware on hand-made input', () => {
  it('Chinese headers with mA/mAh units', async () => {
    const text =
      '数据序号,循环号,工步号,工步类型,时间,总时间,电流(mA),电压(V),容量(mAh),日期\r\n1,1,1,恒流充电,00:00:00,00:00:00,100,3.5,0,2024-01-01 00:00:00\r\n2,1,1,恒流充电,00:00:10,00:00:10,100,3.6,0.28,2024-01-01 00:00:10\r\n3,1,2,恒流放电,00:00:00,00:00:20,100,3.4,0.1,2024-01-01 00:00:20\r\n';
    const r = await parseText(newareCsv, text);
    expect(col(r, 'Current').v).toEqual([0.1, 0.1, -0.1]); // discharge step written positive → flipped
    expect(col(r, 'Step Capacity').v.map((x) => +x.toPrecision(12))).toEqual([0, 0.00028, 0.0001]);
    expect(col(r, 'Charging Capacity').v.map((x) => +x.toPrecision(12))).toEqual([0, 0.00028, 0.00028]);
    expect(col(r, 'Test Time').v).toEqual([0, 10, 20]);
    expect(r.warnings.map((w) => w.code)).toContain('current-sign-fixed');
  });

  it('BTSDA layered record layer with a Unit scheme', async () => {
    const text = [
      'Device\t\t5\t\t\tChannel\t\t2',
      'Start Test Time\t\t2018.02.15 12:47:33',
      '',
      'Unit scheme',
      'Cur\tVol\tCap',
      'mA\tV\tmAh',
      '',
      'Cycle ID\tCap_Chg\tCap_DChg',
      '\tStep ID\tStep Name\tStep Time',
      '\t\tRecord ID\tTime(h:min:s.ms)\tVol\tCur\tCap\tRealtime',
      '1\t1.0\t0.9',
      '\t1\tCC_Chg\t00:00:20',
      '\t\t1\t00:00:00.000\t3.5\t100\t0\t2018-02-15 12:47:33',
      '\t\t2\t00:00:10.000\t3.6\t100\t0.28\t2018-02-15 12:47:43',
      '',
    ].join('\r\n');
    const r = await parseText(newareTxt, text, undefined, 'hand-made.txt');
    expect(col(r, 'Current').v).toEqual([0.1, 0.1]);
    expect(col(r, 'Cycle Count').v).toEqual([1, 1]);
    expect(col(r, 'Test Time').v).toEqual([0, 10]);
    expect(r.meta.startTime).toBe('2018-02-15T12:47:33');
    expect(r.meta.channel).toBe('2');
  });

  it('empty file → empty-file', async () => {
    await expectParseError(parseText(newareCsv, ''), 'empty-file');
  });
});
