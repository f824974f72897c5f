import { describe, expect, it } from 'vitest';
import { basytecTxt } from '../../../../parsers/cycler/basytec.js';
import { novonixCsv } from '../../../../parsers/cycler/novonix.js';
import { pecCsv } from '../../../../parsers/cycler/pec.js';
import { HAVE_REAL_DATA } from '../../../helpers/realData.js';
import { col, expectParseError, first, last, parseReal, parseText } from './helpers.js';

describe.skipIf(!HAVE_REAL_DATA)('basytec / novonix / pec on real files', () => {
  it('BaSyTec: 74 rows from the ~ header, meta from ~ lines, T1 in °C', async () => {
    const r = await parseReal(basytecTxt, 'cycler/basytec-txt/pyprobe__sample_data_basytec.txt');
    expect(col(r, 'Test Time').v).toHaveLength(74);
    expect(last(col(r, 'Test Time').v)).toBeCloseTo(70.2358036666668, 9);
    expect(first(col(r, 'Voltage').v)).toBeCloseTo(3.52575489148741, 12);
    expect(last(col(r, 'Current').v)).toBeCloseTo(0.449601734416934, 12);
    expect(last(col(r, 'Charging Capacity').v)).toBeCloseTo(0.001248916998009, 12);
    expect(col(r, 'Step Type').levels).toEqual(['Pause', 'Charge']);
    expect(col(r, 'T1').unit).toBe('degC');
    expect(r.meta.channel).toBe('1814 CH14 XCTS_40');
    expect(r.meta.startTime).toBe('2023-06-19T17:56:53');
  });

  it('Novonix: quoted data lines, hours → s, AM/PM stamps, summary meta', async () => {
    const r = await parseReal(novonixCsv, 'cycler/novonix-csv/beep__test_Nova_Form-CH01-01_short.csv');
    const t = col(r, 'Test Time');
    expect(t.v).toHaveLength(3942);
    expect(t.v[1]).toBeCloseTo(0.0003111 * 3600, 9);
    expect(last(t.v)).toBeCloseTo(17.434575 * 3600, 6);
    expect(last(col(r, 'Voltage').v)).toBeCloseTo(3.42744146, 9);
    expect(first(col(r, 'Unix Time').v)).toBe(Date.UTC(2022, 3, 11, 10, 58, 7) / 1000);
    expect(last(col(r, 'Unix Time').v)).toBe(Date.UTC(2022, 3, 12, 4, 24, 11) / 1000);
    expect(r.meta.softwareVersion).toBe('2.2.1.6');
    expect(r.meta.channel).toBe('01');
    expect(col(r, 'Temperature').unit).toBe('degC');
  });

  it('PEC: hh:mm:ss.xxx past 24 h, mAh → Ah, header key/values in meta', async () => {
    const r = await parseReal(pecCsv, 'cycler/pec-csv/cellpy__Test25205.csv');
    const t = col(r, 'Test Time');
    expect(t.v).toHaveLength(489);
    expect(t.v[0]).toBeCloseTo(0.002, 9);
    expect(last(t.v)).toBeCloseTo(19 * 3600 + 41 * 60 + 58.98, 6);
    expect(last(col(r, 'Voltage').v)).toBeCloseTo(0.0639655, 9);
    expect(last(col(r, 'Discharging Capacity').v)).toBeCloseTo(0.021e-3, 12);
    expect(last(col(r, 'Charging Energy').v)).toBeCloseTo(0.046e-3, 12);
    expect(r.meta.test).toBe('25205');
    expect(r.meta.technique).toBe('OCV generic long HP');
    expect(r.meta.startTime).toBe('2026-01-08T17:40:39');
  });
});

describe('basytec / novonix / pec on hand-made input', () => {
  it('BaSyTec: no-data after the column line', async () => {
    await expectParseError(parseText(basytecTxt, '~Resultfile from Basytec Battery Test System\n~Time[s]\tU[V]\tI[A]\n\n\n'), 'no-data', 3);
  });
  it('Novonix: unquoted data, text in a numeric column names line and column', async () => {
    const text =
      '[Summary]\nNovonix HPC data file\n[End Summary]\n[Data]\nDate and Time,Cycle Number,Run Time (h),Current (A),Potential (V)\n2022-04-11 10:58:07 PM,1,0.0,0.001,3.0\n2022-04-11 10:58:08 PM,1,oops,0.001,3.1\n';
    const e = await expectParseError(parseText(novonixCsv, text), 'bad-number', 7);
    expect(e.column).toBe('Run Time (h)');
  });
  it('PEC: a file with the key/values but no table header is bad-header', async () => {
    await expectParseError(parseText(pecCsv, 'Test:,1\nTestRegime Name:,x\n'), 'bad-header', 1);
  });
});
