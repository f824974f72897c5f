/**
 * Issue #19: EC-Lab `.mpt` saved without its settings header, recognised from the column line alone
 * (hand-made files in the layout of EC-Lab's column line; see tests/fixtures/issue19).
 */
import { describe, expect, it } from 'vitest';
import { biologicFormats } from '../../../parsers/biologic/index.js';
import { isEcLabColumnLine } from '../../../parsers/biologic/mpt.js';
import { detectAndParse, expectLocated, firstLast, fixture, parseError } from '../issue19-helpers.js';

const mpt = biologicFormats.find((f) => f.id === 'biologic-mpt')!;

describe('biologic-mpt without the settings header', () => {
  it('full column line (mode, ox/red, error, control changes, Ns …): cycler, 6 rows', async () => {
    const { id, records } = await detectAndParse('eclab-no-settings-header.mpt');
    expect(id).toBe('biologic-mpt');
    const r = records[0]!;
    expect(r.kind).toBe('cycler');
    expect(r.meta.headerBlock).toBe(false);
    expect(firstLast(r, 'Test Time')).toEqual([0, 50]);
    expect(firstLast(r, 'Voltage')).toEqual([3.4, 3.38]);
    expect(firstLast(r, 'Current')).toEqual([0.001, -0.001]);
    expect(firstLast(r, 'Step Index')).toEqual([0, 1]);
  });

  it('a selection starting with time/s, decimal comma: cycler, 5 rows', async () => {
    const { id, records } = await detectAndParse('eclab-selected-columns.mpt');
    expect(id).toBe('biologic-mpt');
    const r = records[0]!;
    expect(r.meta.decimalComma).toBe(true);
    expect(firstLast(r, 'Test Time')).toEqual([0, 6]);
    expect(firstLast(r, 'Voltage')).toEqual([3.1, 3.3]);
    expect(firstLast(r, 'Current')).toEqual([0.0005, 0.0005]);
    expect(firstLast(r, 'Charging Capacity')[1]).toBeCloseTo(8.33e-7, 12);
  });

  it('an impedance export starting freq/Hz, Re(Z)/Ohm, -Im(Z)/Ohm (no time/s): one sweep of 8 points, sign flipped', async () => {
    const { id, records } = await detectAndParse('eclab-peis-no-header.mpt');
    expect(id).toBe('biologic-mpt');
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r.kind).toBe('eis');
    expect(firstLast(r, 'Frequency')).toEqual([100000, 31.622777]);
    expect(firstLast(r, 'Real Impedance')).toEqual([5.0012664, 24.968467]);
    expect(firstLast(r, 'Imaginary Impedance')).toEqual([-0.15914487, -0.79351399]);
  });

  it('the column-line rule: EC-Lab starts only', () => {
    expect(isEcLabColumnLine('mode\tox/red\terror\tcontrol changes\tNs changes')).toBe(true);
    expect(isEcLabColumnLine('time/s\tEwe/V')).toBe(true);
    expect(isEcLabColumnLine('time/s\t<Ewe>/V\t<I>/mA')).toBe(true);
    expect(isEcLabColumnLine('time/s\tfoo')).toBe(false);
    expect(isEcLabColumnLine('Time (s),Voltage (V),Current (A)')).toBe(false);
    expect(isEcLabColumnLine('mode,ox/red')).toBe(false);
  });

  it('bad input: text in a numeric cell → bad-number with file and line', async () => {
    const text = new TextDecoder().decode(fixture('eclab-selected-columns.mpt')).replace('3,15000', '3,1x5');
    const bytes = new TextEncoder().encode(text);
    const e = await parseError(() => mpt.parse({ path: 'sel.mpt', bytes }));
    expectLocated(e, 'sel.mpt', 'bad-number', 3);
  });

  it('bad input: a selection without any current column → missing-column naming Current', async () => {
    const bytes = new TextEncoder().encode('time/s\tEwe/V\n0\t3.1\n1\t3.2\n');
    const e = await parseError(() => mpt.parse({ path: 'nocur.mpt', bytes }));
    expect(e.code).toBe('missing-column');
    expect(e.file).toBe('nocur.mpt');
    expect(e.message).toContain('Current');
  });
});
