import { describe, expect, it } from 'vitest';
import { arbinCsv } from '../../../../parsers/cycler/arbin-csv.js';
import { HAVE_REAL_DATA, readReal } from '../../../helpers/realData.js';
import { col, expectParseError, first, last, parseReal, parseText, sniff } from './helpers.js';

describe.skipIf(!HAVE_REAL_DATA)('arbin-csv on real files', () => {
  it('reads the battery-data-toolkit Arbin export: 2142 rows, 2 cycles, canonical units', async () => {
    const r = await parseReal(arbinCsv, 'cycler/arbin-csv/bdt__arbin_example.csv');
    const t = col(r, 'Test Time');
    expect(t.v).toHaveLength(2142);
    expect(t.unit).toBe('s');
    expect(first(t.v)).toBe(0);
    expect(last(t.v)).toBeCloseTo(6308.4823, 6);
    expect(first(col(r, 'Unix Time').v)).toBe(1499006353);
    expect(col(r, 'Current').v[1]).toBeCloseTo(1.0999289, 9); // charge step: positive
    expect(col(r, 'Current').v[500]).toBeLessThan(0); //       step 12 discharge: negative
    expect(last(col(r, 'Voltage').v)).toBeCloseTo(2.4080653, 9);
    expect(last(col(r, 'Cycle Count').v)).toBe(2);
    expect(last(col(r, 'Discharging Capacity').v)).toBeCloseTo(1.0729095, 9);
    expect(col(r, 'Temperature').unit).toBe('degC');
    expect(col(r, 'dV/dt').unit).toBe('V/s');
    expect(r.meta.instrument).toBe('Arbin');
    expect(r.warnings).toEqual([]);
  });

  it('reads the BEEP dump with fractional Unix stamps', async () => {
    const r = await parseReal(arbinCsv, 'cycler/arbin-csv/beep__FastCharge_000025_CH8.csv');
    expect(col(r, 'Voltage').v).toHaveLength(248);
    expect(first(col(r, 'Unix Time').v)).toBeCloseTo(1494645243.4715, 4);
    expect(last(col(r, 'Test Time').v)).toBeCloseTo(1800.0104, 6);
    expect(last(col(r, 'Record Index').v)).toBe(247);
  });

  it('recognises the _Metadata.csv beside it and refuses it as not-this-kind', async () => {
    const rel = 'cycler/arbin-csv/beep__FastCharge_000025_CH8_Metadata.csv';
    expect(sniff(arbinCsv, 'x_Metadata.csv', readReal(rel))).toBeGreaterThanOrEqual(0.5);
    const e = await expectParseError(() => arbinCsv.parse({ path: rel, bytes: readReal(rel) }), 'not-this-kind', 1, rel);
    expect(e.message).toContain('Arbin channel metadata');
  });
});

describe('arbin-csv on hand-made input', () => {
  const H = 'Data_Point,Test_Time(s),Date_Time,Step_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V),Charge_Capacity(Ah),Discharge_Capacity(Ah)\r\n';
  it('reads MITS Pro unit headers, CRLF, BOM and date strings; stitches per-step resets within a cycle', async () => {
    const rows = [
      '1,0,07/02/2017 14:39:13,0,1,1,0.1,3.5,0.0,0',
      '2,10,07/02/2017 14:39:23,10,1,1,0.1,3.6,0.5,0',
      '3,20,07/02/2017 14:39:33,0,2,1,0.1,3.7,0.1,0', //  step 2 restarts the counter at 0.1
      '4,30,07/02/2017 14:39:43,10,2,1,0.1,3.8,0.2,0',
      '5,40,07/02/2017 14:39:53,0,3,2,-0.1,3.7,0.0,0.1', // new cycle: not stitched
    ];
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(H + rows.join('\r\n') + '\r\n\r\n')]);
    const r = await parseText(arbinCsv, bytes);
    expect(col(r, 'Charging Capacity').v).toEqual([0, 0.5, 0.6, 0.7, 0]);
    expect(first(col(r, 'Unix Time').v)).toBe(Date.UTC(2017, 6, 2, 14, 39, 13) / 1000);
    expect(r.meta.counterStitching).toContain('Charging Capacity');
  });

  it('fails with no-data on a header-only export', async () => {
    await expectParseError(parseText(arbinCsv, H), 'no-data', 2);
  });

  it('names line and column for text in a numeric column', async () => {
    const e = await expectParseError(
      parseText(arbinCsv, H + '1,0,07/02/2017 14:39:13,0,1,1,0.1,3.5,0,0\n2,abc,07/02/2017 14:39:14,0,1,1,0.1,3.5,0,0\n'),
      'bad-number',
      3,
    );
    expect(e.column).toBe('Test_Time(s)');
  });

  it('warns and drops a truncated last line', async () => {
    const r = await parseText(arbinCsv, H + '1,0,07/02/2017 14:39:13,0,1,1,0.1,3.5,0,0\n2,10,07/02/2017 14:39:23,0,1');
    expect(col(r, 'Voltage').v).toEqual([3.5]);
    expect(r.warnings.map((w) => w.code)).toContain('truncated-last-line');
  });
});
