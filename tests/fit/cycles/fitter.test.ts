import { describe, expect, it } from 'vitest';
import { cycleFitter } from '../../../src/fit/cycles/fitter.js';
import { resolveCycleOptions } from '../../../src/fit/cycles/options.js';
import { syntheticCyclerRecord, liCuSteps } from '../../../src/fit/cycles/synthetic.js';
import { PARAMETERS } from '../../../src/records/parameters.js';

describe('cycleFitter contract', () => {
  const rec = syntheticCyclerRecord(liCuSteps({ cycles: 6, platedAh: 1e-3, currentA: 1e-3, ce: () => 0.97 }), { sampleS: 30 });
  const out = cycleFitter.fit(rec, { cellType: 'Li||Cu' });

  it('fits cycler records and names parameters from src/records/parameters.ts with their units', () => {
    expect(cycleFitter.kinds).toEqual(['cycler', 'cycle-summary']);
    const known = new Map<string, string>(Object.values(PARAMETERS).map((p) => [p.name, p.unit]));
    for (const p of out.parameters) expect(known.get(p.name), p.name).toBe(p.unit);
    expect(out.parameters.map((p) => p.name).sort()).toEqual(['ce_mean', 'cycle_life_80', 'cycles_completed', 'discharge_capacity_first', 'lce_mean']);
  });

  it('returns typed, equal-length per-cycle columns and quality metrics', () => {
    const cols = out.tables!.cycles!;
    for (const c of cols) {
      expect(c.values instanceof Float64Array || c.values instanceof Int32Array).toBe(true);
      expect(c.values.length).toBe(6);
    }
    expect(out.quality.ok).toBe(true);
    expect(out.quality.metrics.completeCycles).toBe(6);
    expect(out.quality.metrics.ceCycles).toBe(5);
  });

  it('says when the instrument counts cycles against the convention', () => {
    // Same record read as a cathode cell: every cycle opens with I<0.
    const o = cycleFitter.fit(rec, { cellType: 'full' });
    expect(o.quality.messages.join('\n')).toContain("cycleSource 'current-sign'");
  });

  it('reports not-ok with a reason when no cycle is complete', () => {
    const half = syntheticCyclerRecord([{ cycle: 1, currentA: -1e-3, capacityAh: 1e-3, voltage: [-0.02, -0.03] }]);
    const o = cycleFitter.fit(half, { cellType: 'Li||Cu' });
    expect(o.quality.ok).toBe(false);
    expect(o.quality.messages.join('\n')).toContain('no complete cycle');
  });

  it('rejects nonsense options with the option name in the message', () => {
    expect(() => resolveCycleOptions({ retentionThreshold: 80 })).toThrow(/retentionThreshold must be in \(0, 1\)/);
    expect(() => resolveCycleOptions({ minRestS: -1 })).toThrow(/minRestS/);
  });
});

describe('rest before cycling and cycles run', () => {
  it('an OCV step that opens the log is reported as initial_rest_h; the count of complete cycles as cycles_completed', async () => {
    const { liCuSteps, syntheticCyclerRecord } = await import('../../../src/fit/cycles/synthetic.js');
    const rec = syntheticCyclerRecord(
      [{ cycle: 1, currentA: 0, durationS: 72 * 3600, voltage: [2.9, 3.0] }, ...liCuSteps({ cycles: 6, platedAh: 1e-3, currentA: 5e-4, ce: () => 0.98 })],
      { sampleS: 300 },
    );
    const out = cycleFitter.fit(rec, { cellType: 'Li||Cu' });
    const v = (n: string) => out.parameters.find((p) => p.name === n)?.value;
    expect(v('initial_rest_h')).toBeCloseTo(72, 1);
    expect(v('cycles_completed')).toBe(6);
    const noRest = cycleFitter.fit(syntheticCyclerRecord(liCuSteps({ cycles: 6, platedAh: 1e-3, currentA: 5e-4, ce: () => 0.98 }), { sampleS: 300 }), {
      cellType: 'Li||Cu',
    });
    expect(noRest.parameters.some((p) => p.name === 'initial_rest_h')).toBe(false);
  });
});
