/**
 * Vendor quantification tables → SEI parameters: peaks mapped to library species by name or by binding
 * energy, atomic % from the vendor, else from areas with Scofield RSFs, else from peak heights; the
 * inorganic fraction checked against values computed by hand from the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { assignPeak, fitQuantTable } from '../../../src/fit/xps/quant-table.js';
import { SCOFIELD_RSF } from '../../../src/fit/xps/species.js';
import { categorical } from '../../../parsers/text/columns.js';
import type { Column, ParsedRecord } from '../../../src/records/record.js';

interface Peak {
  level: number;
  t?: number;
  region: string;
  name: string;
  be: number;
  at?: number;
  area?: number;
}

function table(peaks: Peak[]): Pick<ParsedRecord, 'columns'> {
  const cols: Column[] = [
    { name: 'Etch Level', unit: '1', values: Int32Array.from(peaks, (p) => p.level) },
    { name: 'Sputter Time', unit: 's', values: Float64Array.from(peaks, (p) => p.t ?? NaN) },
    categorical(
      'Region',
      peaks.map((p) => p.region),
    ),
    categorical(
      'Peak',
      peaks.map((p) => p.name),
    ),
    { name: 'Peak Binding Energy', unit: 'eV', values: Float64Array.from(peaks, (p) => p.be) },
    { name: 'Peak Area', unit: 'counts/s*eV', values: Float64Array.from(peaks, (p) => p.area ?? NaN) },
    { name: 'Atomic Percent', unit: '%', values: Float64Array.from(peaks, (p) => p.at ?? NaN) },
  ];
  return { columns: cols };
}
const param = (o: ReturnType<typeof fitQuantTable>, name: string, scope?: string) => o.parameters.find((p) => p.name === name && p.scope === scope);

describe('assignPeak', () => {
  it('by name, with or without the core-level prefix and with typographic dashes', () => {
    expect(assignPeak('F1s LiF', 'F1s', 686.9).species?.id).toBe('LiF:F1s'); // the name wins over the BE
    expect(assignPeak('C–C', 'C1s', NaN)).toMatchObject({ how: 'name', species: { id: 'C-C:C1s' } });
    expect(assignPeak('Li2CO3', 'O 1s', NaN).species?.id).toBe('Li2CO3:O1s');
    expect(assignPeak('C1s ROCO2Li', '', NaN).species?.id).toBe('ROCO2Li:C1s');
  });
  it('by binding energy inside a window of its core level (±0.2 eV), else unassigned', () => {
    expect(assignPeak('C1s A', 'C1s', 290.0)).toMatchObject({ how: 'binding energy', species: { species: 'Li2CO3' } });
    expect(assignPeak('C1s B', 'C1s', 286.5).species?.id).toBe('C-O:C1s'); // enabled C–O before the disabled ROLi twin
    expect(assignPeak('Li1s A', 'Li1s', 52.5).species?.species).toBe('Li metal');
    expect(assignPeak('O1s A', 'O1s', 535.5).how).toBe('unassigned');
    expect(assignPeak('Mystery', '', 100).how).toBe('unassigned');
  });
});

describe('fitQuantTable', () => {
  // Level 0: C–C 30, C–O 10 (organic 40); LiF 20, Li2CO3 5 (C 1s), Li2O 5 (O 1s) (inorganic 30); Li⁺ 30 (Li 1s: excluded).
  // Level 1 (after sputtering): C–C 10, LiF 30, Li2O 20, Li⁺ 25, Li⁰ 15 (Li 1s: Li⁰ share 15/40).
  const peaks: Peak[] = [
    { level: 0, t: 0, region: 'C1s', name: 'C1s C-C', be: 284.8, at: 30 },
    { level: 0, t: 0, region: 'C1s', name: 'C1s B', be: 286.5, at: 10 },
    { level: 0, t: 0, region: 'F1s', name: 'F1s LiF', be: 685.0, at: 20 },
    { level: 0, t: 0, region: 'C1s', name: 'C1s C', be: 290.0, at: 5 },
    { level: 0, t: 0, region: 'O1s', name: 'Li2O', be: 528.5, at: 5 },
    { level: 0, t: 0, region: 'Li1s', name: 'Li1s A', be: 55.0, at: 30 },
    { level: 1, t: 60, region: 'C1s', name: 'C1s C-C', be: 284.8, at: 10 },
    { level: 1, t: 60, region: 'F1s', name: 'F1s LiF', be: 685.0, at: 30 },
    { level: 1, t: 60, region: 'O1s', name: 'Li2O', be: 528.5, at: 20 },
    { level: 1, t: 60, region: 'Li1s', name: 'Li1s A', be: 55.0, at: 25 },
    { level: 1, t: 60, region: 'Li1s', name: 'Li metal', be: 52.5, at: 15 },
  ];

  it('vendor atomic %: inorganic fraction per level, depth average, Li⁰ share, anion F', () => {
    const o = fitQuantTable(table(peaks));
    expect(o.quality.ok).toBe(true);
    expect(param(o, 'sei_inorganic_fraction', 'etch level 0 (0 s)')!.value).toBeCloseTo(30 / 70, 12);
    expect(param(o, 'sei_inorganic_fraction', 'etch level 1 (60 s)')!.value).toBeCloseTo(50 / 60, 12);
    // Both levels have Li⁰ < 50 % of Li 1s, so both are SEI levels; sputter-time weighted average.
    const avg = param(o, 'sei_inorganic_fraction')!;
    expect(avg.value).toBeGreaterThan(30 / 70);
    expect(avg.value).toBeLessThan(50 / 60);
    expect(avg.stderr).toBeUndefined(); // the vendor states no uncertainty: none is invented
    expect(param(o, 'anion_f_atomic_percent')).toBeDefined();
    expect(o.quality.messages.join(' ')).toMatch(/4 peak\(s\) assigned by binding energy \(not by name\): C1s B → C-O, C1s C → Li2CO3, Li1s A → Li\+/);
  });

  it('areas with Scofield RSFs when the table has no atomic %', () => {
    const areaPeaks: Peak[] = [
      { level: 0, region: 'C1s', name: 'C1s C-C', be: 284.8, area: 4000 },
      { level: 0, region: 'F1s', name: 'F1s LiF', be: 685.0, area: 8860 },
      { level: 0, region: 'O1s', name: 'O1s Li2O', be: 528.5, area: 2930 },
    ];
    const o = fitQuantTable(table(areaPeaks));
    // atoms: C–C 4000/1 = 4000, LiF 8860/4.43 = 2000, Li2O 2930/2.93 = 1000 → f = 3000/7000.
    expect(SCOFIELD_RSF['F 1s']).toBe(4.43);
    expect(param(o, 'sei_inorganic_fraction', 'etch level 0')!.value).toBeCloseTo(3000 / 7000, 12);
    expect(o.quality.messages.join(' ')).toMatch(/areas \/ Scofield RSF/);
  });

  it('a table that is mostly unassigned peaks is reported as not usable', () => {
    const o = fitQuantTable(
      table([
        { level: 0, region: 'C1s', name: 'C1s C-C', be: 284.8, at: 20 },
        { level: 0, region: 'F1s', name: 'F1s LiF', be: 685.0, at: 20 },
        { level: 0, region: 'O1s', name: 'O1s X', be: 535.5, at: 60 },
      ]),
    );
    expect(o.quality.ok).toBe(false);
    expect(o.quality.messages.join(' ')).toMatch(/'O1s X' at 535.5 eV \(level 0, 60.0 %\)/);
    expect(param(o, 'sei_inorganic_fraction', 'etch level 0')!.value).toBeCloseTo(0.5, 12);
  });
});
