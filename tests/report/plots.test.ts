import { describe, it, expect } from 'vitest';
import { renderSvg } from '../../src/report/plots/render.js';
import { lttb, stride, MAX_POINTS_PER_LINE } from '../../src/report/plots/downsample.js';
import { cycleBands, cycleBandSpec } from '../../src/report/plots/cycling.js';
import { kaplanMeier, kmSpec } from '../../src/report/plots/km.js';
import { bodeSpec, equalDomains, nyquistSpec, type ImpedanceSeries } from '../../src/report/plots/eis.js';
import { seiTrendSpec, type SeiPoint } from '../../src/report/plots/sei-trends.js';
import { inorganicDepthSpec, xpsDepthSpec } from '../../src/report/plots/xps.js';
import { poolMap, simsMapSpec } from '../../src/report/plots/sims.js';
import { peLoopSpec } from '../../src/report/plots/pe.js';
import { replaySpec } from '../../src/report/plots/replay.js';
import { parseCircuit } from '../../src/fit/eis/circuit.js';
import { simulate } from '../../src/fit/eis/evaluate.js';
import { countItems, scaleDomain, specValues } from './helpers.js';

const noExternal = (svg: string): void => {
  expect(svg.startsWith('<svg style="max-width:100%;height:auto"')).toBe(true);
  expect(svg).not.toMatch(/<script|<image|@import|url\(http|href="http/i);
};

describe('downsampling', () => {
  it('LTTB keeps first and last point, at most max points, and the extreme of a spike', () => {
    const n = 10_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i === 5123 ? 100 : Math.sin(i / 200)));
    y[7] = NaN;
    const d = lttb(x, y, 500);
    expect(d.index.length).toBe(500);
    expect(d.index[0]).toBe(0);
    expect(d.index[499]).toBe(n - 1);
    expect(Array.from(d.index)).toContain(5123);
    expect(Array.from(d.index)).not.toContain(7);
    expect(d.kept).toBe(n - 1);
    expect(Array.from(lttb([1, 2, 3], [4, 5, 6]).index)).toEqual([0, 1, 2]);
  });
  it('stride spans the series', () => {
    const s = stride(10_001, 11);
    expect(Array.from(s)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]);
  });
});

describe('capacity / CE vs cycle with group bands', () => {
  const series = [
    { cell: 'A1', group: 'control', cycle: [1, 2, 3, 4], value: [1.0, 0.98, 0.96, 0.94] },
    { cell: 'A2', group: 'control', cycle: [1, 2, 3, 4], value: [1.2, 1.18, 1.16, NaN] },
    { cell: 'B1', group: 'BTO', cycle: [1, 2, 3, 4], value: [1.1, 1.1, 1.09, 1.09] },
  ];
  it('mean ± sd per group per cycle, band only where ≥ 2 cells', () => {
    const rows = cycleBands(series);
    const c1 = rows.find((r) => r.group === 'control' && r.cycle === 1)!;
    expect(c1.mean).toBeCloseTo(1.1, 12);
    expect(c1.hi! - c1.mean).toBeCloseTo(Math.sqrt(0.02), 12); // sd of {1.0, 1.2}
    expect(rows.find((r) => r.group === 'control' && r.cycle === 4)).toMatchObject({ n: 1, lo: null, mean: 0.94 });
    expect(rows.filter((r) => r.group === 'BTO').every((r) => r.lo === null)).toBe(true);
    const ci = cycleBands(series, 'ci95').find((r) => r.group === 'control' && r.cycle === 1)!;
    // t_{0.975, 1} = tan(0.475π) = 12.7062047361747 (exact; the table this replaced said 12.706)
    expect(ci.hi! - ci.mean).toBeCloseTo((12.706204736174698 * Math.sqrt(0.02)) / Math.sqrt(2), 9);
  });
  it('renders one line per group, one band per group with ≥ 2 cells, a point per group-cycle', async () => {
    const p = cycleBandSpec(series, { title: 'Discharge capacity vs cycle', yTitle: 'Discharging Capacity / mAh', scale: 1000, source: 'test' });
    const svg = await renderSvg(p.spec);
    noExternal(svg);
    expect(countItems(svg, 'line', 'mean_marks')).toBe(2);
    expect(countItems(svg, 'area', 'band_marks')).toBe(1);
    expect(countItems(svg, 'symbol')).toBe(8); // group-cycle points (legend symbols are role-legend-symbol)
    const [lo, hi] = (await scaleDomain(p.spec, 'y')) as number[];
    expect(lo!).toBeLessThanOrEqual(940);
    expect(hi!).toBeGreaterThanOrEqual(1100 + 1000 * Math.sqrt(0.02));
    expect(p.caption).toContain('BTO: 1 cell, control: 2 cells');
  });
  it('strides groups with more cycles than the per-line limit and says so', () => {
    const n = 5000;
    const cyc = Float64Array.from({ length: n }, (_, i) => i + 1);
    const p = cycleBandSpec([{ cell: 'X', group: 'g', cycle: cyc, value: cyc.map((c) => 1 - c * 1e-5) }], { title: 't', yTitle: 'y', source: 's' });
    expect(specValues(p.spec).length).toBe(MAX_POINTS_PER_LINE);
    expect(p.caption).toMatch(/Downsampled.*2000 of 5000 cycles/);
  });
});

describe('Kaplan–Meier', () => {
  const km = kaplanMeier([
    { group: 'A', time: 100, event: true },
    { group: 'A', time: 150, event: false },
    { group: 'A', time: 200, event: true },
    { group: 'A', time: 250, event: false },
    { group: 'B', time: 300, event: false },
    { group: 'B', time: 320, event: false },
  ]);
  it('product-limit steps, Greenwood limits and censor ticks', () => {
    const a = km.steps.filter((s) => s.group === 'A');
    expect(a.map((s) => [s.time, s.survival])).toEqual([
      [0, 1],
      [100, 0.75],
      [200, 0.375],
      [250, 0.375],
    ]);
    const s100 = a[1]!;
    expect(s100.lower).toBeLessThan(0.75);
    expect(s100.upper).toBeGreaterThan(0.75);
    expect(s100.upper).toBeLessThanOrEqual(1);
    expect(km.censored).toEqual([
      { group: 'A', time: 150, survival: 0.75 },
      { group: 'A', time: 250, survival: 0.375 },
      { group: 'B', time: 300, survival: 1 },
      { group: 'B', time: 320, survival: 1 },
    ]);
  });
  it('renders one curve per group and one tick per censored cell', async () => {
    const p = kmSpec(km, { title: 'KM', timeTitle: 'Cycles', source: 'test' });
    const svg = await renderSvg(p.spec);
    noExternal(svg);
    expect(countItems(svg, 'line', 'curve_marks')).toBe(2);
    expect(countItems(svg, 'symbol', 'censored_marks')).toBe(4);
    const [x0, x1] = (await scaleDomain(p.spec, 'x')) as number[];
    expect(x0).toBe(0);
    expect(x1!).toBeGreaterThanOrEqual(320);
    expect(p.caption).toMatch(/A: n=4, censored 2; B: n=2, censored 2/);
  });
});

describe('impedance', () => {
  const circuit = parseCircuit('R0-p(R1,CPE1)-p(R2,CPE2)');
  const f = Float64Array.from({ length: 40 }, (_, i) => 1e5 * 10 ** ((-6 * i) / 39));
  const z = simulate(circuit, [5, 40, 1e-5, 0.9, 80, 1e-3, 0.85], f);
  const s: ImpedanceSeries = {
    label: 'spec 1',
    frequency: f,
    re: z.re,
    im: z.im,
    fit: { frequency: f, re: z.re, im: z.im, circuit: 'R0-p(R1,CPE1)-p(R2,CPE2)' },
    kk: { frequency: f, re: new Float64Array(40).fill(0.001), im: new Float64Array(40).fill(-0.002), maxResidual: 0.002 },
  };
  it('equal axes: x and y span the same number of ohms and cover the data', async () => {
    const d = equalDomains([5, 130], [0, 40]);
    expect(d.x[1] - d.x[0]).toBeCloseTo(d.y[1] - d.y[0], 12);
    const p = nyquistSpec([s], { title: 'Nyquist', source: 'test' });
    const svg = await renderSvg(p.spec);
    noExternal(svg);
    expect(countItems(svg, 'symbol', 'measured_marks')).toBe(40);
    expect(countItems(svg, 'line', 'fit_marks')).toBe(1);
    const x = (await scaleDomain(p.spec, 'x')) as number[];
    const y = (await scaleDomain(p.spec, 'y')) as number[];
    expect(x[1]! - x[0]!).toBeCloseTo(y[1]! - y[0]!, 9);
    expect(x[0]!).toBeLessThanOrEqual(Math.min(...z.re));
    expect(x[1]!).toBeGreaterThanOrEqual(Math.max(...z.re));
    expect(y[1]!).toBeGreaterThanOrEqual(Math.max(...Array.from(z.im, (v) => -v)));
    // Square panel: equal pixels per ohm.
    expect(svg).toMatch(/M0\.5,0\.5h380v380h-380Z/);
  });
  it('Bode: |Z|, phase and KK residual panels with every point', async () => {
    const p = bodeSpec([s], { title: 'Bode', source: 'test' });
    const svg = await renderSvg(p.spec);
    expect(countItems(svg, 'symbol', 'mod_measured_marks')).toBe(40);
    expect(countItems(svg, 'symbol', 'phase_measured_marks')).toBe(40);
    expect(countItems(svg, 'symbol', 'kk_residual_marks')).toBe(80);
    expect(countItems(svg, 'line', 'mod_fit_marks')).toBe(1);
    expect(p.caption).toContain('max |residual| 0.20 %');
    const v = specValues(p.spec)
      .filter((r) => 'residual' in r)
      .map((r) => r.residual as number);
    expect(Math.min(...v)).toBeCloseTo(-0.2, 12);
  });
});

describe('R_SEI and α trends', () => {
  const pts: SeiPoint[] = [
    { cell: 'A1', group: 'control', restHours: 0, cycle: 1, rSei: 20, rSeiStderr: 1, alpha: 0.9, alphaStderr: 0.01, fitOk: true },
    { cell: 'A1', group: 'control', restHours: 0, cycle: 10, rSei: 30, rSeiStderr: null, alpha: 0.85, alphaStderr: null, fitOk: true },
    { cell: 'B1', group: 'BTO', restHours: 24, cycle: null, rSei: 12, rSeiStderr: 0.5, alpha: 0.95, alphaStderr: 0.02, fitOk: false },
  ];
  it('vs rest time: every spectrum with a rest time, error bars where a stderr exists', async () => {
    const p = seiTrendSpec(pts, { title: 'R_SEI', x: 'restHours', rUnit: 'ohm', source: 'test' });
    const svg = await renderSvg(p.spec);
    expect(countItems(svg, 'symbol', 'rSei_points_marks')).toBe(3);
    expect(countItems(svg, 'symbol', 'alpha_points_marks')).toBe(3);
    expect(countItems(svg, 'rule')).toBe(4);
    expect(svg).toContain('R_SEI / Ω');
  });
  it('vs cycle: spectra without a cycle are left out', async () => {
    const p = seiTrendSpec(pts, { title: 'R_SEI', x: 'cycle', rUnit: 'ohm', source: 'test' });
    const svg = await renderSvg(p.spec);
    expect(countItems(svg, 'symbol', 'rSei_points_marks')).toBe(2);
  });
});

describe('XPS', () => {
  it('stacked species bars, one per species per depth; inorganic fraction lines', async () => {
    const rows = [0, 60, 120].flatMap((d, i) => [
      { depth: d, species: 'LiF', percent: 30 + i * 10 },
      { depth: d, species: 'Li2CO3', percent: 30 },
      { depth: d, species: 'C–C/C–H', percent: 40 - i * 10 },
    ]);
    const p = xpsDepthSpec({ cell: 'A1', group: 'control', depthTitle: 'Sputter Time / s', rows }, { title: 'XPS', source: 'test' });
    const svg = await renderSvg(p.spec);
    expect(countItems(svg, 'rect', 'species_marks')).toBe(9);
    const [, top] = (await scaleDomain(p.spec, 'y')) as number[];
    expect(top!).toBeGreaterThanOrEqual(100);
    const q = inorganicDepthSpec(
      [
        { cell: 'A1', group: 'control', depth: [0, 60, 120], fraction: [0.6, 0.7, 0.8] },
        { cell: 'B1', group: 'BTO', depth: [0, 60, 120], fraction: [0.7, 0.8, NaN] },
      ],
      { title: 'inorganic', depthTitle: 'Sputter Time / s', source: 'test' },
    );
    const svg2 = await renderSvg(q.spec);
    expect(countItems(svg2, 'line')).toBe(2);
    expect(specValues(q.spec)).toHaveLength(5);
  });
});

describe('ToF-SIMS ratio map', () => {
  it('one rect per unmasked cell, H in the title, big maps pooled for display', async () => {
    const W = 10;
    const values = Float64Array.from({ length: W * 8 }, (_, k) => (k % 7 === 0 ? NaN : (k % W) / W));
    const p = simsMapSpec(
      {
        cell: 'A1',
        label: 'A1 · img',
        width: W,
        height: 8,
        values,
        metric: 'share',
        heterogeneity: 0.1234,
        binFactor: 2,
        inorganic: ['LiF2-'],
        organic: ['C2H-'],
      },
      { title: 'map', source: 'test' },
    );
    const svg = await renderSvg(p.spec);
    expect(countItems(svg, 'rect', 'pixels_marks')).toBe(values.filter(Number.isFinite).length);
    expect(svg).toContain('H = 0.123');
    expect(p.caption).toContain('2×2 raw pixels');
    const big = poolMap(new Float64Array(256 * 256).fill(0.5), 256, 256);
    expect([big.width, big.height, big.factor]).toEqual([43, 43, 6]);
    expect(big.values[0]).toBe(0.5);
  });
});

describe('P–E loops', () => {
  it('one line per loop, coloured by state', async () => {
    const t = Float64Array.from({ length: 200 }, (_, i) => (2 * Math.PI * i) / 199);
    const E = t.map((v) => 100 * Math.sin(v));
    const loops = [
      { cell: 'A1', state: 'pristine', label: 'p', field: E, polarization: t.map((v) => 20 * Math.tanh(3 * Math.sin(v - 0.4))) },
      { cell: 'A1', state: 'cycled', label: 'c', field: E, polarization: t.map((v) => 12 * Math.tanh(3 * Math.sin(v - 0.3))) },
    ];
    const p = peLoopSpec(loops, { title: 'PE', source: 'test' });
    const svg = await renderSvg(p.spec);
    expect(countItems(svg, 'line')).toBe(2);
    const [x0, x1] = (await scaleDomain(p.spec, 'x')) as number[];
    expect(x0!).toBeLessThanOrEqual(-99.9);
    expect(x1!).toBeGreaterThanOrEqual(99.9);
  });
});

describe('model replay', () => {
  it('observed points, replayed line, residual per point, RMSE over all points', async () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => i);
    const obs = x.map((v) => 3.4 + 0.01 * v + (v % 2 ? 0.01 : -0.01));
    const pred = x.map((v) => 3.4 + 0.01 * v);
    const p = replaySpec(
      { cell: 'A1', quantity: 'Voltage / V', xTitle: 'Cycle', x, observed: obs, predicted: pred, model: 'corrosion/open-circuit' },
      { title: 'replay', source: 'test' },
    );
    const svg = await renderSvg(p.spec);
    expect(countItems(svg, 'symbol', 'observed_marks')).toBe(50);
    expect(countItems(svg, 'symbol', 'residual_marks')).toBe(50);
    expect(countItems(svg, 'line', 'replayed_marks')).toBe(1);
    expect(p.caption).toContain('RMSE 0.0100 over 50 points');
  });
  it('long series are downsampled to the per-line limit and the caption says so', () => {
    const n = 20_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const p = replaySpec({ cell: 'A1', quantity: 'V', xTitle: 't', x, observed: x.map(Math.sin), predicted: x.map(Math.sin) }, { title: 'r', source: 's' });
    expect(specValues(p.spec)).toHaveLength(MAX_POINTS_PER_LINE);
    expect(p.caption).toMatch(/LTTB.*2000 of 20000 points/);
  });
});
