/**
 * The parameter registry (src/records/parameters.ts) describes what the fitters emit (issue #16): every
 * fitter in src/fit/ is run on a synthetic input that makes it emit its parameters, and every emitted
 * name must be registered with exactly the unit it is emitted with.
 */
import { describe, expect, it } from 'vitest';
import { FITTERS } from '../../src/fit/index.js';
import { PARAMETERS, parameterSpec } from '../../src/records/parameters.js';
import type { CellContext, FitOutcome } from '../../src/fit/types.js';
import type { CanonicalRecord, Column, ParsedRecord } from '../../src/records/record.js';
import { PE } from '../../src/records/names.js';
import { cycleFitter } from '../../src/fit/cycles/fitter.js';
import { eisFitter } from '../../src/fit/eis/eis-fitter.js';
import { ferroFitter } from '../../src/fit/ferro/fitter.js';
import { simsFitter } from '../../src/fit/sims/fitter.js';
import { xpsFitter } from '../../src/fit/xps/fitter.js';
import { xpsQuantTableFitter } from '../../src/fit/xps/quant-table.js';
import { pfmFitter } from '../../src/fit/pfm/index.js';
import { pfmImage } from './pfm/synthetic.js';
import { vibFitter } from '../../src/fit/vibrational/index.js';
import { spectrum as vibSpectrum, vibRecord } from './vibrational/synthetic.js';
import { transferenceFitter } from '../../src/fit/transference/index.js';
import { polarisationCurve } from '../../fixtures/virtual-lab/writers/chronoamperometry.js';
import { categorical } from '../../parsers/text/columns.js';
import {
  anodeFreeFeatureSteps,
  anodeFreeSteps,
  liCuSteps,
  liLiSteps,
  nucleationDip,
  reservoirSteps,
  syntheticCyclerRecord,
} from '../../src/fit/cycles/synthetic.js';
import { eisRecord, logFrequencies, synthetic } from './eis/synthetic.js';
import { synthRecord, type SynthLevel } from './xps/synth.js';
import { countMaps, tileField } from './sims/synthetic.js';

const canon = (r: Pick<ParsedRecord, 'kind' | 'meta' | 'columns'>): CanonicalRecord => ({
  ...r,
  warnings: [],
  format: 'test',
  provenance: { path: 'x', size: 0, sha256: '', parser: 'test', parserVersion: '0', recordIndex: 0 },
});

// ---- inputs that make each fitter emit its parameters ------------------------------------------

function cyclerInputs(): [CanonicalRecord, CellContext][] {
  const rest = liCuSteps({
    cycles: 10,
    platedAh: 1e-3,
    currentA: 5e-4,
    ce: (k) => (k === 5 ? 0.95 : k === 9 ? 1.05 : 0.98),
    restAfterPlateS: (k) => (k === 5 ? 7200 : 0),
  });
  const reservoir = reservoirSteps({ currentA: 5e-4, formationAh: 5e-3, formationCe: 0.9, reservoirAh: 5e-3, cycleAh: 1e-3, n: 10, finalStripAh: 4.9e-3 });
  const lili = liLiSteps({ cycles: 8, capacityAh: 1e-3, currentA: 1e-3, eta: (k) => 0.02 * 1.1 ** k, shortAtCycle: 6 });
  const af = anodeFreeSteps({ cycles: 6, q0Ah: 1e-3, currentA: 1e-3, ce: 0.98 });
  return [
    [syntheticCyclerRecord(rest, { sampleS: 60 }), { cellType: 'Li||Cu' }],
    // a 24 h OCV rest before the first cycle (rest before cycling → initial_rest_h)
    [
      syntheticCyclerRecord(
        [{ cycle: 1, currentA: 0, durationS: 86400, voltage: [2.9, 3.0] }, ...liCuSteps({ cycles: 4, platedAh: 1e-3, currentA: 5e-4, ce: () => 0.98 })],
        { sampleS: 600 },
      ),
      { cellType: 'Li||Cu' },
    ],
    [syntheticCyclerRecord(reservoir, { sampleS: 60 }), { cellType: 'Li||Cu' }],
    [syntheticCyclerRecord(lili, { sampleS: 30 }), { cellType: 'Li||Li' }],
    [syntheticCyclerRecord(af, { sampleS: 60 }), { cellType: 'anode-free' }],
    // voltage-profile features: a resolved nucleation dip (Li||Cu with its area), dV/dQ features shifting with Li loss
    [
      syntheticCyclerRecord(
        liCuSteps({
          cycles: 2,
          platedAh: 1e-3,
          currentA: 5e-4,
          ce: () => 0.98,
          plateVoltage: () => nucleationDip({ plateauV: -0.03, etaNuc: 0.05, tMinS: 30, durationS: 7200 }),
        }),
        { sampleS: 1 },
      ),
      { cellType: 'Li||Cu', electrodeAreaCm2: 1 },
    ],
    [
      syntheticCyclerRecord(
        anodeFreeFeatureSteps({ cycles: 3, currentA: 1e-3, cathode: { qTopAh: 2e-3, centresAh: [0.7e-3, 1.4e-3], widthAh: 6e-5 }, lossAh: () => 1e-5 }).steps,
        { sampleS: 20 },
      ),
      { cellType: 'anode-free' },
    ],
  ];
}

function eisInputs(): [CanonicalRecord, CellContext][] {
  const d = synthetic('R0-p(R1,CPE1)-p(R2,CPE2)', [5, 25, 2e-6, 0.9, 60, 5e-4, 0.85], logFrequencies(1e6, 1e-2, 61), 0.002, 3);
  return [[eisRecord(d.frequency, d.re, d.im), { cellType: 'Li||Li', electrodeAreaCm2: 1.13 }]];
}

/** Triangle drive, tanh switching: P in µC/cm², E in kV/cm, V = E·d, one period. */
function peLoop(o: { field: boolean; voltage: boolean; current: boolean; fatigue: boolean }): CanonicalRecord {
  const n = 2001;
  const dNm = 400;
  const t = Float64Array.from({ length: n }, (_, i) => (i / (n - 1)) * 0.01);
  const E = Float64Array.from({ length: n }, (_, i) => {
    const ph = i / (n - 1);
    return (ph < 0.25 ? 4 * ph : ph < 0.75 ? 2 - 4 * ph : 4 * ph - 4) * 200;
  });
  const P = Float64Array.from(E, (e, i) => {
    const ph = i / (n - 1);
    return 30 * Math.tanh((e + (ph < 0.25 || ph >= 0.75 ? -50 : 50)) / 15);
  });
  const V = Float64Array.from(E, (e) => (e * dNm) / 1e4);
  const I = Float64Array.from(P, (_, i) => (i ? (P[i]! - P[i - 1]!) / (t[i]! - t[i - 1]!) : 0) * 1e-6 * 1e-3 + V[i]! * 1e-9);
  const columns: Column[] = [
    { ...PE.time, values: t },
    { ...PE.polarization, values: P },
  ];
  if (o.field) columns.push({ ...PE.field, values: E });
  if (o.voltage) columns.push({ ...PE.voltage, values: V });
  if (o.current) columns.push({ ...PE.current, values: I });
  const meta: Record<string, unknown> = { areaCm2: 1e-3 };
  if (o.fatigue) meta.fatigue = { 'Cycles []': [1, 10, 100, 1000], 'Pr+ [uC/cm2]': [20, 19, 18, 17], 'Pr- [uC/cm2]': [-20, -19, -18, -17] };
  return canon({ kind: 'pe-loop', meta, columns });
}

function ferroInputs(): [CanonicalRecord, CellContext][] {
  const leakV = Float64Array.from({ length: 21 }, (_, i) => -10 + i);
  return [
    [peLoop({ field: true, voltage: true, current: true, fatigue: true }), {}],
    [peLoop({ field: false, voltage: true, current: false, fatigue: false }), {}],
    [peLoop({ field: true, voltage: false, current: false, fatigue: false }), {}],
    // aixACCT leakage table in A/cm2: the fitter reports µA/cm² like the loop's leakage estimate
    [
      canon({
        kind: 'pe-loop',
        meta: { technique: 'leakage' },
        columns: [
          { ...PE.voltage, values: leakV },
          { name: 'Leakage Current Density', unit: 'A/cm2', values: Float64Array.from(leakV, (v) => 1e-7 * v) },
        ],
      }),
      {},
    ],
  ];
}

function xpsInputs(): [CanonicalRecord, CellContext][] {
  const levels: SynthLevel[] = Array.from({ length: 5 }, (_, i) => {
    const metal = 1 / (1 + Math.exp(-(i - 2)));
    const sei = 1 - metal;
    return {
      sputterTime: i * 60,
      atoms: {
        'C-C:C1s': 20 * sei + 0.5,
        'C-O:C1s': 10 * sei,
        'Li2CO3:C1s': 5 * sei,
        'Li2O:O1s': 6 + 4 * sei,
        'Li2CO3:O1s': 15 * sei,
        'O-C-O:O1s': 8 * sei,
        'LiF:F1s': 20 * sei + 1,
        'LixPOyFz:F1s': 5 * sei,
        'Li3N:N1s': 2 * sei + 0.2,
        'LiNxOy:N1s': 3 * sei + 0.2,
        'Li2S:S2p': 2 * sei + 0.2,
        'Li0:Li1s': 80 * metal + 1,
        'Li+:Li1s': 80 * sei + 10,
      },
      centres: { 'LiF:F1s': 685.0 },
    };
  });
  const profile = synthRecord(levels, { seed: 5, scale: 400, shift: 0, step: 0.1, regions: ['C1s', 'O1s', 'F1s', 'N1s', 'S2p', 'Li1s'] });
  const noTime = synthRecord(
    levels.map(({ sputterTime: _t, ...l }) => l),
    { seed: 6, scale: 400, shift: 0, step: 0.1, regions: ['C1s', 'O1s', 'F1s', 'Li1s'] },
  );
  const peaks = [
    { level: 0, t: 0, region: 'C1s', name: 'C1s C-C', be: 284.8, at: 30 },
    { level: 0, t: 0, region: 'F1s', name: 'F1s LiF', be: 685.0, at: 20 },
    { level: 0, t: 0, region: 'Li1s', name: 'Li1s Li+', be: 55.6, at: 45 },
    { level: 0, t: 0, region: 'Li1s', name: 'Li1s Li metal', be: 52.5, at: 5 },
    { level: 1, t: 60, region: 'C1s', name: 'C1s C-C', be: 284.8, at: 10 },
    { level: 1, t: 60, region: 'F1s', name: 'F1s LiF', be: 685.0, at: 20 },
    { level: 1, t: 60, region: 'Li1s', name: 'Li1s Li+', be: 55.6, at: 20 },
    { level: 1, t: 60, region: 'Li1s', name: 'Li1s Li metal', be: 52.5, at: 50 },
  ];
  const quant = canon({
    kind: 'xps-quantification',
    meta: {},
    columns: [
      { name: 'Etch Level', unit: '1', values: Int32Array.from(peaks, (p) => p.level) },
      { name: 'Sputter Time', unit: 's', values: Float64Array.from(peaks, (p) => p.t) },
      categorical(
        'Region',
        peaks.map((p) => p.region),
      ),
      categorical(
        'Peak',
        peaks.map((p) => p.name),
      ),
      { name: 'Peak Binding Energy', unit: 'eV', values: Float64Array.from(peaks, (p) => p.be) },
      { name: 'Atomic Percent', unit: '%', values: Float64Array.from(peaks, (p) => p.at) },
    ],
  });
  return [
    [canon(profile), {}],
    [canon(noTime), {}],
    [quant, {}],
  ];
}

/** A Ti 2p region (BaTiO3 partly reduced) → ti3_fraction. */
function tiInputs(): [CanonicalRecord, CellContext][] {
  const atoms = { 'C-C:C1s': 20, 'BaTiO3:Ti2p': 8, 'BaTiO3:Ti2p1/2': 4, 'Ti3+:Ti2p': 2, 'Ti3+:Ti2p1/2': 1 };
  return [
    [
      canon(
        synthRecord(
          [
            { atoms, sputterTime: 0 },
            { atoms, sputterTime: 60 },
          ],
          { seed: 8, scale: 400, shift: 0, step: 0.1, regions: ['C1s', 'Ti2p'] },
        ),
      ),
      {},
    ],
  ];
}

/** A PFM phase + amplitude image → the pfm_* parameters. */
function pfmInputs(): [CanonicalRecord, CellContext][] {
  const s = pfmImage({ width: 32, height: 16, upFraction: 0.7, upDeg: 90, noiseDeg: 10, seed: 2 });
  const col = Int32Array.from({ length: s.phase.length }, (_, i) => i % s.width);
  const row = Int32Array.from({ length: s.phase.length }, (_, i) => Math.floor(i / s.width));
  return [
    [
      canon({
        kind: 'pfm-image',
        meta: { width: s.width, height: s.height },
        columns: [
          { name: 'Column', unit: '1', values: col },
          { name: 'Row', unit: '1', values: row },
          { name: 'Phase', unit: 'deg', values: s.phase },
          { name: 'Amplitude', unit: 'V', values: s.amplitude },
        ],
      }),
      {},
    ],
  ];
}

function simsInputs(): [CanonicalRecord, CellContext][] {
  const n = 200;
  const t = Float64Array.from({ length: n }, (_, i) => i);
  const sei = (x: number): number => 1 / (1 + Math.exp((x - 60) / 4));
  const sig = (f: (x: number) => number): Float64Array => Float64Array.from(t, f);
  const ions: Column[] = [
    { name: 'LiF_2-', unit: 'counts', values: sig((x) => 3000 * sei(x) + 5) },
    { name: 'C_2H-', unit: 'counts', values: sig((x) => 1000 * sei(x) + 5) },
    { name: 'Li-', unit: 'counts', values: sig((x) => 4000 * (1 - sei(x)) + 10) },
    { name: 'TiO-', unit: 'counts', values: sig((x) => 2000 * Math.exp(-(((x - 120) / 10) ** 2)) + 2) },
  ];
  const total = Float64Array.from(t, (_, i) => ions.reduce((s, c) => s + c.values[i]!, 0));
  const depth = canon({
    kind: 'sims-depth-profile',
    meta: {},
    columns: [{ name: 'Sputter Time', unit: 's', values: t }, ...ions, { name: 'Total', unit: 'counts', values: total }],
  });
  const W = 64;
  const { I, O } = countMaps(tileField(W, W, 8, 3), 0.3, 0.5, 40, 4);
  const stack = (a: Float64Array): Float64Array => Float64Array.from({ length: 2 * a.length }, (_, i) => a[i % a.length]!);
  const image = canon({
    kind: 'sims-image',
    meta: { width: W, height: W, slices: 2, ions: ['LiF2-', 'C2H-'] },
    columns: [
      { name: 'LiF2-', unit: 'counts', values: stack(I) },
      { name: 'C2H-', unit: 'counts', values: stack(O) },
    ],
  });
  return [
    [depth, {}],
    [image, {}],
  ];
}

const RUNS: { fitter: (typeof FITTERS)[number]; inputs: () => [CanonicalRecord, CellContext][] }[] = [
  { fitter: cycleFitter, inputs: cyclerInputs },
  { fitter: eisFitter, inputs: eisInputs },
  { fitter: xpsFitter, inputs: () => [...xpsInputs().slice(0, 2), ...tiInputs()] },
  { fitter: xpsQuantTableFitter, inputs: () => xpsInputs().slice(2) },
  { fitter: simsFitter, inputs: simsInputs },
  { fitter: ferroFitter, inputs: ferroInputs },
  {
    fitter: vibFitter,
    inputs: () => {
      const s = vibSpectrum([
        { centre: 718, area: 300, fwhm: 9 },
        { centre: 728, area: 400, fwhm: 9 },
        { centre: 740, area: 300, fwhm: 9 },
        { centre: 893, area: 700, fwhm: 7 },
        { centre: 904, area: 300, fwhm: 7 },
      ]);
      return [[vibRecord(s.x, s.y, { technique: 'raman', title: 'LiFSI in EC' }), {}]];
    },
  },
  { fitter: pfmFitter, inputs: pfmInputs },
  {
    fitter: transferenceFitter,
    inputs: () => {
      const c = polarisationCurve({ deltaV: 0.01, rBulk: 10, r0: 100, rss: 120, tPlus: 0.4, restS: 60, stepS: 3600, sampleS: 10, tauS: 200 });
      return [
        [
          canon({
            kind: 'chronoamperometry',
            meta: { caStep: { potentialV: 0.01, reference: 'open-circuit', startS: 60 } },
            columns: [
              { name: 'Test Time', unit: 's', values: c.time },
              { name: 'Voltage', unit: 'V', values: c.voltage },
              { name: 'Current', unit: 'A', values: c.current },
            ],
          }),
          { cellType: 'Li||Li' },
        ],
      ];
    },
  },
];

describe('every emitted parameter is registered with the unit it is emitted in', () => {
  it('the runs cover every fitter in FITTERS', () => {
    expect(new Set(RUNS.map((r) => r.fitter.id))).toEqual(new Set(FITTERS.map((f) => f.id)));
  });

  for (const { fitter, inputs } of RUNS) {
    it(`${fitter.id}`, () => {
      const outs: FitOutcome[] = inputs().map(([r, c]) => fitter.fit(r, c));
      const params = outs.flatMap((o) => o.parameters);
      expect(params.length, outs.flatMap((o) => o.quality.messages).join('\n')).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const p of params) {
        const spec = parameterSpec(p.name);
        if (!spec) wrong.push(`${p.name} [${p.unit}]: not in PARAMETERS`);
        else if (spec.unit !== p.unit) wrong.push(`${p.name}: emitted [${p.unit}], registered [${spec.unit}]`);
      }
      expect(wrong.join('\n')).toBe('');
    });
  }
});

describe('what the registry does not describe is produced elsewhere', () => {
  it('every registered name is emitted by one of the runs above, or by a named campaign stage', () => {
    const seen = new Set<string>();
    for (const { fitter, inputs } of RUNS) for (const [r, c] of inputs()) for (const p of fitter.fit(r, c).parameters) seen.add(p.name);
    // Produced outside src/fit (campaign stages), or only on inputs the runs above do not build.
    const elsewhere = new Set([
      'dead_li_titration', // titration records (manifest / campaign stage)
      'R_SEI_after_rest',
      'CPE_SEI_alpha_after_rest',
      'R_SEI_after_cycling',
      'CPE_SEI_alpha_after_cycling',
      'R_SEI_trend_per_cycle',
      'R_SEI_trend_per_sqrt_h', // src/derived/eis-history.ts
      'sei_depth_sims_dose', // depth profiles with a dose axis
      'sims_bin_um', // src/derived/sims-pairs.ts (one image file per ion, paired per cell)
      'leakage_current_density_drift', // loops with time but neither current nor a full period of drive
      'transference_number',
      'R_interface_before_ca',
      'R_interface_after_ca', // src/derived/transference.ts (CA placed between spectra)
    ]);
    const missing = Object.values(PARAMETERS)
      .map((p) => p.name)
      .filter((n) => !elsewhere.has(n) && ![...seen].some((s) => parameterSpec(s)?.name === n));
    expect(missing).toEqual([]);
  });
});

describe('units of the P–E loop area', () => {
  it('∮P dE in µC/cm² · kV/cm is mJ/cm³: the fitter value equals the SI integral converted by hand', () => {
    const rec = peLoop({ field: true, voltage: true, current: false, fatigue: false });
    const out = ferroFitter.fit(rec, {});
    const area = out.parameters.find((p) => p.name === 'loop_area')!;
    expect(area.unit).toBe('mJ/cm3');
    expect(PARAMETERS.loopArea.unit).toBe('mJ/cm3');
    // Independent: shoelace ∮P dE with P in C/m² (1 µC/cm² = 1e-2 C/m²) and E in V/m (1 kV/cm = 1e5 V/m)
    // gives J/m³; 1 J/m³ = 1e-6 J/cm³ = 1e-3 mJ/cm³.
    const P = rec.columns.find((c) => c.name === PE.polarization.name)!.values;
    const E = rec.columns.find((c) => c.name === PE.field.name)!.values;
    let si = 0;
    for (let i = 1; i < P.length; i++) si += 0.5 * (P[i]! + P[i - 1]!) * 1e-2 * (E[i]! - E[i - 1]!) * 1e5;
    const mJcm3 = Math.abs(si) * 1e-3;
    // A near-square loop (Ps 30 µC/cm², Ec 50 kV/cm, δ 15 kV/cm): about 4·Ps·Ec = 6000 mJ/cm³.
    expect(mJcm3).toBeGreaterThan(5000);
    expect(mJcm3).toBeLessThan(6500);
    expect(Math.abs(area.value / mJcm3 - 1)).toBeLessThan(0.01);
    // ∮P dV in µC/cm² · V = µJ/cm²: with V = E·d (d = 400 nm = 4e-5 cm), µJ/cm² = mJ/cm³ · d[cm] · 1e3.
    const av = out.parameters.find((p) => p.name === 'loop_area_voltage')!;
    expect(av.unit).toBe('uJ/cm2');
    expect(Math.abs(av.value / (area.value * 4e-5 * 1e3) - 1)).toBeLessThan(0.01);
  });

  it('a leakage table in A/cm² is reported in µA/cm²; an unknown unit is refused, not passed through', () => {
    const [, , , [leak]] = ferroInputs();
    const out = ferroFitter.fit(leak!, {});
    const at = out.parameters.find((p) => p.name === 'leakage_current_density_at_vmax')!;
    expect(at.unit).toBe('uA/cm2');
    expect(at.value).toBeCloseTo(1, 12); // 1e-7 A/cm² per V × 10 V = 1e-6 A/cm² = 1 µA/cm²
    const bad = canon({ ...leak!, columns: leak!.columns.map((c) => (c.name === 'Leakage Current Density' ? { ...c, unit: 'furlong' } : c)) });
    const o = ferroFitter.fit(bad, {});
    expect(o.parameters).toEqual([]);
    expect(o.quality.messages.join()).toMatch(/unit 'furlong' not recognised/);
  });
});
