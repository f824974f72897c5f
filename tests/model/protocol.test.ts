/** The protocol grammar, table-driven (PyBaMM test_step_string style), and its error messages. */
import { describe, expect, it } from 'vitest';
import { compileCycles, parseStep, protocol, protocolFromCycleTable, protocolFromCycleColumns, ProtocolError } from '../../src/model/protocol/index.js';

describe('parseStep', () => {
  const table: [string, unknown][] = [
    ['Rest for 24 hours', { kind: 'rest', seconds: 86400 }],
    ['Rest for 30 min', { kind: 'rest', seconds: 1800 }],
    ['rest for 2 days', { kind: 'rest', seconds: 172800 }],
    ['Plate at 0.5 mA cm-2 for 1 hour', { kind: 'plate', current_mA_cm2: 0.5, until: { kind: 'duration', seconds: 3600 } }],
    ['Plate 1 mAh cm-2 at 0.5 mA cm-2', { kind: 'plate', current_mA_cm2: 0.5, until: { kind: 'capacity', capacity_mAh_cm2: 1 } }],
    ['Plate at 1 mA/cm2 until 2 mAh/cm2', { kind: 'plate', current_mA_cm2: 1, until: { kind: 'capacity', capacity_mAh_cm2: 2 } }],
    ['Strip at 0.5 mA cm⁻² to 1 V', { kind: 'strip', current_mA_cm2: 0.5, until: { kind: 'voltage', voltage_V: 1 } }],
    ['Strip at 500 µA cm-2 until 1000 mV', { kind: 'strip', current_mA_cm2: 0.5, until: { kind: 'voltage', voltage_V: 1 } }],
    ['Strip at 0.5 mA cm^-2 for 90 s', { kind: 'strip', current_mA_cm2: 0.5, until: { kind: 'duration', seconds: 90 } }],
    ['Repeat 50 times', { kind: 'repeat', times: 50 }],
  ];
  it.each(table)('%s', (text, expected) => {
    expect(parseStep(text)).toMatchObject(expected as object);
  });

  const bad: [string, RegExp][] = [
    ['Charge at 1 C', /a step starts with 'Rest', 'Plate', 'Strip' or 'Repeat'/],
    ['Rest for 3 fortnights', /not a time/],
    ['Plate at 0.5 mA for 1 hour', /must read like '0.5 mA cm-2'/],
    ['Plate at 0.5 mA cm-2 to 0 V', /plating to a voltage is not supported/],
    ['Strip at 0.5 mA cm-2 for 1 V', /'for' takes a time/],
    ['Repeat 2.5 times', /whole number/],
    ['Rest for 1 V', /a rest lasts a time/],
  ];
  it.each(bad)('rejects %s with a teaching message', (text, msg) => {
    let err: unknown;
    try {
      parseStep(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toMatch(msg);
    expect((err as Error).message).toContain('For example:\n  Rest for 24 hours');
  });
});

describe('compileCycles', () => {
  it('expands Repeat over the cycle just written (n times in all) and places rests', () => {
    const p = protocol([
      'Plate at 0.5 mA cm-2 for 2 hours',
      'Strip at 0.5 mA cm-2 to 1 V',
      'Repeat 4 times',
      'Plate at 0.5 mA cm-2 for 2 hours',
      'Rest for 24 hours',
      'Strip at 0.5 mA cm-2 to 1 V',
      'Rest for 1 hour',
      'Plate at 1 mA cm-2 for 1 hour',
      'Strip at 1 mA cm-2 for 30 min',
      'Repeat 3 times',
    ]);
    expect(p.cycles.length).toBe(4 + 1 + 3);
    expect(p.cycles[0]).toMatchObject({ plateCapacity_mAh_cm2: 1, restAfterPlate_h: 0, stripMode: 'voltage' });
    expect(p.cycles[4]!.restAfterPlate_h).toBe(24);
    expect(p.cycles[5]).toMatchObject({ restBefore_h: 1, plateCurrent_mA_cm2: 1, stripMode: 'capacity', stripCapacity_mAh_cm2: 0.5 });
    expect(p.cycles[7]).toMatchObject({ restBefore_h: 1, restAfterPlate_h: 0, plateCurrent_mA_cm2: 1 });
  });
  it('refuses a strip without plating and a dangling plating', () => {
    expect(() => compileCycles([parseStep('Strip at 1 mA cm-2 to 1 V')])).toThrow(/a strip needs a plating before it/);
    expect(() => protocol(['Plate at 1 mA cm-2 for 1 hour'])).toThrow(/ends after a plating/);
    expect(() => protocol(['Repeat 3 times'])).toThrow(/nothing to repeat/);
  });
  it('numbers the failing step in multi-step input', () => {
    expect(() => protocol(['Plate at 1 mA cm-2 for 1 hour', 'Strip at 1 mA cm2 to 1 V'])).toThrow(/^step 2 /);
  });
});

describe('protocol from a cycler per-cycle table', () => {
  it('builds cycles from rests, currents and capacities; drops short pauses and incomplete cycles', () => {
    const p = protocolFromCycleTable({
      plateCurrent_mA_cm2: [0.5, 0.5, 0.5, 0.5],
      plateCapacity_mAh_cm2: [1, 1, NaN, 1],
      restAfterPlate_s: [60, 86400, 0, 0],
    });
    expect(p.source).toBe('cycler-table');
    expect(p.cycles.map((c) => c.restAfterPlate_h)).toEqual([0, 24, 0]);
  });
  it('reads the cycle fitter columns (Ah → mAh cm⁻² with the electrode area)', () => {
    const p = protocolFromCycleColumns(
      [
        { name: 'Discharging Capacity', unit: 'Ah', values: Float64Array.from([1.13e-3, 1.13e-3]) },
        { name: 'Rest Time', unit: 's', values: Float64Array.from([60, 7200]) },
      ],
      { electrodeAreaCm2: 1.13, currentDensityMaCm2: 0.5 },
    );
    expect(p.cycles[0]!.plateCapacity_mAh_cm2).toBeCloseTo(1, 12);
    expect(p.cycles[1]!.restAfterPlate_h).toBe(2);
  });
});
