/**
 * Issue #19: the processed CSV of the MATLAB battery-data toolkit (`process_IVt_data`): `Time_s`,
 * `Datenum_d`, `Cycle_Index`, …, with NaN-filled impedance columns ignored with a note.
 * Hand-made file in that layout (tests/fixtures/issue19/battery-data-tools.csv).
 */
import { describe, expect, it } from 'vitest';
import { cyclerTextFormats } from '../../../../parsers/cycler/text-formats.js';
import { detectAndParse, expectLocated, firstLast, fixture, parseError } from '../../issue19-helpers.js';

const bdt = cyclerTextFormats.find((f) => f.id === 'battery-data-tools-csv')!;
const enc = (s: string) => new TextEncoder().encode(s);

describe('battery-data-tools-csv', () => {
  it('8 rows, 2 cycles; Datenum_d → Unix Time; impedance columns ignored with a note', async () => {
    const { id, records } = await detectAndParse('battery-data-tools.csv');
    expect(id).toBe('battery-data-tools-csv');
    const r = records[0]!;
    expect(r.kind).toBe('cycler');
    expect(firstLast(r, 'Test Time')).toEqual([0, 420]);
    expect(firstLast(r, 'Voltage')).toEqual([3.5, 3.43]);
    expect(firstLast(r, 'Current')).toEqual([0.001, -0.001]);
    expect(firstLast(r, 'Cycle Count')).toEqual([1, 2]);
    const [u0, u1] = firstLast(r, 'Unix Time');
    expect(u0).toBe(Date.UTC(2020, 6, 28, 12) / 1000); // datenum 738000.5 = 2020-07-28 12:00
    expect(u1 - u0).toBeCloseTo(420, 3);
    expect(r.columns.some((c) => /Z_|Frequency/.test(c.name))).toBe(false);
    const note = r.warnings.find((w) => w.code === 'impedance-columns-ignored');
    expect(note?.message).toContain('NaN on every row');
    expect(r.meta.impedanceColumnsIgnored).toEqual({ columns: ['Frequency_Hz', 'Z_Real_Ohm', 'Z_Imag_Ohm', 'Z_Mag_Ohm', 'Z_Phase_Degree'], rowsWithValues: 0 });
    expect(r.warnings.some((w) => w.code === 'empty-cells' || w.code === 'non-numeric-cells')).toBe(false);
  });

  it('impedance rows with values are counted in the note (not read as spectra)', async () => {
    const text = new TextDecoder().decode(fixture('battery-data-tools.csv')).replace(/25\.0,NaN,NaN,NaN,NaN,NaN\n$/, '25.0,1000,0.05,-0.01,0.051,-11.3\n');
    const r = (await bdt.parse({ path: 'b.csv', bytes: enc(text) }))[0]!;
    expect(r.warnings.find((w) => w.code === 'impedance-columns-ignored')?.rows).toBe(1);
  });

  it('sniff: not Arbin, BatteryArchive or BDF headers', async () => {
    const head = (h: string) => {
      const b = enc(h + '\n');
      return bdt.sniff({ name: 'x.csv', head: b, headText: h + '\n', size: b.length });
    };
    expect(head('Data_Point,Time_s,Cycle_Index,Current_A,Voltage_V')).toBe(0);
    expect(head('Date_Time,Test_Time (s),Cycle_Index,Current (A),Voltage (V)')).toBe(0);
    expect(head('Test Time / s,Voltage / V,Current / A')).toBe(0);
  });

  it('bad input: text in a number column → bad-number with file and line; no Voltage_V → missing-column', async () => {
    const text = new TextDecoder().decode(fixture('battery-data-tools.csv')).replace('3.4500', '3.4S00');
    const e = await parseError(() => bdt.parse({ path: 'bad.csv', bytes: enc(text) }));
    expectLocated(e, 'bad.csv', 'bad-number', 4);
    const m = await parseError(() => bdt.parse({ path: 'nov.csv', bytes: enc('Time_s,Datenum_d,Cycle_Index,Current_A\n0,738000,1,0.1\n') }));
    expect(m.code).toBe('missing-column');
    expect(m.file).toBe('nov.csv');
    expect(m.line).toBe(1);
  });
});
