import { describe, expect, it } from 'vitest';
import { batteryArchiveCsv, bdfCsv, bdfLabel } from '../../../../parsers/cycler/bdf-csv.js';
import { HAVE_REAL_DATA } from '../../../helpers/realData.js';
import { col, expectParseError, first, last, parseReal, parseText } from './helpers.js';

describe.skipIf(!HAVE_REAL_DATA)('bdf-csv / batteryarchive-csv on real files', () => {
  it('reads cellpy batmo BDF CSV: Test Time / h converted to s, 21206 rows, 109 cycles', async () => {
    const r = await parseReal(bdfCsv, 'cycler/generic-csv/cellpy__batmo_bdf.csv');
    const t = col(r, 'Test Time');
    expect(t.v).toHaveLength(21206);
    expect(t.unit).toBe('s');
    expect(first(t.v)).toBeCloseTo(0.138888888888889 * 3600, 6);
    expect(last(t.v)).toBeCloseTo(392.077777777778 * 3600, 4);
    expect(last(col(r, 'Cycle Count').v)).toBe(109);
    expect(last(col(r, 'Voltage').v)).toBeCloseTo(3.00654798557344, 12);
    const st = col(r, 'Step Type');
    expect(st.levels).toContain('discharge');
    expect(st.levels).toContain('rest');
    // Protocol Name is 0 for 553 rows, then text: kept as text, not an error.
    expect(col(r, 'Protocol Name').levels).toContain('A2 with temperature: 45');
    expect(col(r, 'Discharging Capacity').v[1]).toBeCloseTo(0.000840994167925692, 15);
  });

  it('reads the BatteryArchive CALCE excerpt: 15 rows, ISO Date_Time, (C) read as °C', async () => {
    const r = await parseReal(batteryArchiveCsv, 'cycler/generic-csv/bdt__CALCE_CX2-33_timeseries.csv');
    expect(col(r, 'Test Time').v).toHaveLength(15);
    expect(first(col(r, 'Test Time').v)).toBeCloseTo(30.009, 9);
    expect(first(col(r, 'Unix Time').v)).toBe(Date.UTC(2010, 8, 2, 14, 35, 40) / 1000);
    expect(last(col(r, 'Current').v)).toBeCloseTo(0.675, 9);
    expect(last(col(r, 'Charging Capacity').v)).toBeCloseTo(0.059, 9);
    expect(col(r, 'Ambient Temperature').unit).toBe('degC');
    expect(r.warnings.find((w) => w.code === 'empty-cells')?.rows).toBe(15);
  });
});

describe('bdf-csv on hand-made input', () => {
  it('accepts machine names with units in the name (ms, mA) and the (unit) spelling', async () => {
    const r = await parseText(bdfCsv, 'test_time_millisecond,voltage_volt,current_milliampere,Internal Resistance (Ohm)\n0,3.5,100,0.1\n1500,3.6,-200,0.2\n');
    expect(col(r, 'Test Time').v).toEqual([0, 1.5]);
    expect(col(r, 'Current').v).toEqual([0.1, -0.2]);
    expect(col(r, 'Internal Resistance').unit).toBe('ohm');
  });

  it('spells machine names as labels', () => {
    expect(bdfLabel('test_time_second')).toBe('Test Time (s)');
    expect(bdfLabel('cycle_count')).toBe('Cycle Count');
  });

  it('reads semicolon + decimal comma', async () => {
    const r = await parseText(bdfCsv, 'Test Time / s;Voltage / V;Current / A\n0;3,5;0,1\n1;3,6;0,2\n');
    expect(col(r, 'Voltage').v).toEqual([3.5, 3.6]);
  });

  it('refuses an unknown unit with bad-header naming the line', async () => {
    await expectParseError(parseText(bdfCsv, 'Test Time / fortnight,Voltage / V,Current / A\n0,1,2\n'), 'bad-header', 1);
  });
});
