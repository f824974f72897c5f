import { describe, it, expect } from 'vitest';
import { linkSpectra, isoToUnix, impedanceStageParameters, type SpectrumAt } from '../../src/derived/eis-history.js';
import { PARAMETERS } from '../../src/records/parameters.js';

describe('linkSpectra', () => {
  const log = { cell: 'A', start: 1000, cycleEnds: [100, 200, 300], cycleNumbers: [1, 2, 3] };
  const at = (t: number) => ({ recordId: `r${t}`, cell: 'A', path: 'a.DTA', time: t, rSei: 10, alpha: 0.8 });
  it('counts completed cycles and hours at rest on the log clock', () => {
    const [before, mid, after, none] = linkSpectra([at(900), at(1000 + 250), at(1000 + 300 + 7200), { ...at(5000), cell: 'B' }], [log]);
    expect(before).toMatchObject({ cyclesBefore: 0, restHours: null });
    expect(mid).toMatchObject({ cyclesBefore: 2 });
    expect(mid!.restHours).toBeCloseTo(50 / 3600, 12);
    expect(after).toMatchObject({ cyclesBefore: 3, restHours: 2 });
    expect(none).toMatchObject({ cyclesBefore: null, restHours: null });
  });
  it('counts cycles completed, not the last cycle number: a log numbered from 0 (EC-Lab) gives the same count', () => {
    const zeroBased = { ...log, cycleNumbers: [0, 1, 2] };
    const [mid, after] = linkSpectra([at(1000 + 250), at(1000 + 300 + 7200)], [zeroBased]);
    expect(mid).toMatchObject({ cyclesBefore: 2 });
    expect(after).toMatchObject({ cyclesBefore: 3, restHours: 2 });
  });
  it('reads wall-clock ISO text with and without a zone the same way', () => {
    expect(isoToUnix('2026-11-25T10:00:00')).toBe(isoToUnix('2026-11-25T10:00:00Z'));
    expect(isoToUnix('2026-11-25T12:00:00+02:00')).toBe(isoToUnix('2026-11-25T10:00:00Z'));
    expect(isoToUnix(undefined)).toBeNaN();
  });
});

describe('a spectrum without a time', () => {
  it('is listed with measuredAt null, not an exception', () => {
    const [x] = linkSpectra(
      [{ recordId: 'r', cell: 'A', path: 'a', time: NaN, rSei: 1, alpha: null }],
      [{ cell: 'A', start: 0, cycleEnds: [1], cycleNumbers: [1] }],
    );
    expect(x).toMatchObject({ measuredAt: null, cyclesBefore: null, restHours: null });
  });
});

describe('impedance series stay series (stage-labelled parameters and trends)', () => {
  const T0 = 1_800_000_000;
  // cell A: ten 1-h cycles; cell C: three cycles, then a 9-h rest with three spectra; cell B: no cycler log
  const logs = [
    { cell: 'A', start: T0, cycleEnds: Array.from({ length: 10 }, (_, i) => 3600 * (i + 1)), cycleNumbers: Array.from({ length: 10 }, (_, i) => i + 1) },
    { cell: 'C', start: T0, cycleEnds: [3600, 7200, 10800], cycleNumbers: [1, 2, 3] },
  ];
  const spec = (cell: string, id: string, t: number, rSei: number, alpha: number, rSeiStderr: number | null = null): SpectrumAt => ({
    recordId: id,
    cell,
    path: `${cell}/${id}.DTA`,
    time: t,
    rSei,
    alpha,
    rSeiStderr,
  });
  // planted R_SEI (Ω) and α at known places in A's history (given out of time order on purpose)
  const A = [
    spec('A', 'a3', T0 + 5 * 3600 + 600, 19, 0.84), //   5 cycles completed
    spec('A', 'a0', T0 - 3600, 9, 0.92), //              before the log: 0 cycles (pristine)
    spec('A', 'a1', T0 + 1200, 10, 0.9, 0.4), //         0 cycles, 20 min into the log: the last before cycle 1
    spec('A', 'a4', T0 + 10 * 3600 + 7200, 25.5, 0.8, 0.7), // 10 cycles: the last spectrum
    spec('A', 'a2', T0 + 2 * 3600 + 60, 14, 0.87), //     2 cycles
    spec('A', 'ax', NaN, 100, 0.5), //                    undated: not placed
  ];
  const C = [1, 4, 9].map((h, i) => spec('C', `c${i}`, T0 + 10800 + h * 3600, 5 + 2 * Math.sqrt(h), 0.85 - 0.01 * i));
  const B = [spec('B', 'b0', T0, 7, 0.9), spec('B', 'b1', T0 + 3600, 8, 0.9), spec('B', 'b2', T0 + 7200, 9, 0.9)];
  const hist = linkSpectra([...A, ...C, ...B], logs);
  const { parameters, warnings } = impedanceStageParameters(hist, (c) => `g${c}`);
  const get = (cell: string, name: string) => parameters.find((p) => p.cell === cell && p.name === name);

  it('takes each stage value from its own spectrum, not a mean', () => {
    expect(get('A', 'R_SEI_after_rest')).toMatchObject({
      value: 10,
      stderr: 0.4,
      unit: 'ohm',
      sources: ['a1'],
      group: 'gA',
      status: 'fitted',
      fitter: 'eis-history',
    });
    expect(get('A', 'CPE_SEI_alpha_after_rest')).toMatchObject({ value: 0.9, unit: '1', sources: ['a1'] });
    expect(get('A', 'R_SEI_after_cycling')).toMatchObject({ value: 25.5, stderr: 0.7, sources: ['a4'] });
    expect(get('A', 'CPE_SEI_alpha_after_cycling')).toMatchObject({ value: 0.8, sources: ['a4'] });
    expect(get('A', 'R_SEI_after_cycling')!.provenance).toMatch(/10 cycle\(s\) completed/);
    for (const p of parameters)
      expect(
        PARAMETERS[Object.keys(PARAMETERS).find((k) => PARAMETERS[k as keyof typeof PARAMETERS].name === p.name) as keyof typeof PARAMETERS]?.unit,
        p.name,
      ).toBe(p.unit);
  });

  it('recovers the R_SEI trend per cycle (OLS over the placed spectra) and leaves the undated one out', () => {
    const x = [0, 0, 2, 5, 10];
    const y = [9, 10, 14, 19, 25.5];
    const mx = x.reduce((a, b) => a + b, 0) / 5;
    const my = y.reduce((a, b) => a + b, 0) / 5;
    const sxx = x.reduce((a, b) => a + (b - mx) ** 2, 0);
    const slope = x.reduce((a, b, i) => a + (b - mx) * (y[i]! - my), 0) / sxx;
    const rss = y.reduce((a, b, i) => a + (b - (my + slope * (x[i]! - mx))) ** 2, 0);
    const t = get('A', 'R_SEI_trend_per_cycle')!;
    expect(t.value!).toBeCloseTo(slope, 10);
    expect(t.value!).toBeCloseTo(114.5 / 71.2, 10); // Sxy / Sxx by hand
    expect(t.stderr!).toBeCloseTo(Math.sqrt(rss / 3 / sxx), 10);
    expect(t.ci95![0]).toBeLessThan(slope);
    expect(t.ci95![1]).toBeGreaterThan(slope);
    expect(t).toMatchObject({ n: 5, unit: 'ohm/cycle' });
    expect(t.sources).not.toContain('ax');
    expect(warnings.join('\n')).toMatch(/A: 1 impedance spectrum\/spectra not placed.*A\/ax\.DTA: no time stated.*not guessed/);
  });

  it('recovers the R_SEI trend per √h within one rest', () => {
    const t = get('C', 'R_SEI_trend_per_sqrt_h')!;
    expect(t.value!).toBeCloseTo(2, 10);
    expect(t).toMatchObject({ n: 3, unit: 'ohm/h^0.5' });
    expect(get('C', 'R_SEI_after_cycling')).toMatchObject({ value: 11, sources: ['c2'] });
    expect(get('C', 'R_SEI_after_rest')).toBeUndefined(); // no spectrum before the first cycle
    expect(get('C', 'R_SEI_trend_per_cycle')).toBeUndefined(); // all three after 3 cycles: no spread in cycles
  });

  it('does not guess the place of spectra without a cycler log on the same clock', () => {
    expect(parameters.filter((p) => p.cell === 'B')).toEqual([]);
    expect(warnings.join('\n')).toMatch(/B: 3 impedance spectrum\/spectra not placed.*no cycler log on the same clock/);
  });
});
