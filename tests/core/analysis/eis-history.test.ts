import { describe, it, expect } from 'vitest';
import { linkSpectra, isoToUnix } from '../../../src/core/analysis/eis-history.js';

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
  it('reads wall-clock ISO text with and without a zone the same way', () => {
    expect(isoToUnix('2026-11-25T10:00:00')).toBe(isoToUnix('2026-11-25T10:00:00Z'));
    expect(isoToUnix('2026-11-25T12:00:00+02:00')).toBe(isoToUnix('2026-11-25T10:00:00Z'));
    expect(isoToUnix(undefined)).toBeNaN();
  });
});

describe('a spectrum without a time', () => {
  it('is listed with measuredAt null, not an exception', () => {
    const [x] = linkSpectra([{ recordId: 'r', cell: 'A', path: 'a', time: NaN, rSei: 1, alpha: null }], [{ cell: 'A', start: 0, cycleEnds: [1], cycleNumbers: [1] }]);
    expect(x).toMatchObject({ measuredAt: null, cyclesBefore: null, restHours: null });
  });
});
