/**
 * Real aixACCT files read in place from ../shared (CC BY-NC-SA: never copied into the repo): every
 * file parses, and the fitted Pr/Vc agree with the values the file's own result tables report.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal, realFiles } from '../../helpers/realData.js';
import { aixacctDat } from '../../../parsers/ferro/aixacct-dat.js';
import { aixacctTsv } from '../../../parsers/ferro/aixacct-tsv.js';
import { ferroFormats } from '../../../parsers/ferro/index.js';
import { simsFormats } from '../../../parsers/tofsims/index.js';
import { ferroFitter, createFerroFitter } from '../../../src/fit/ferro/fitter.js';
import { findColumn, rowCount, type CanonicalRecord, type ParsedRecord } from '../../../src/records/record.js';
import { rank } from '../../parsers/tofsims/detect.js';

const DAT = 'pe-loop/aixacct-dat/ferro__FeFETD1_die69_MFS+_100_10x10.dat';
const LKG = 'pe-loop/aixacct-dat/ferro__FeFETD1_die69_MFS+_100_10x10_lkg.dat';
const CAP = 'pe-loop/aixacct-tsv/ferro__2.2nF_discrete_cap_100Hz_3V_Table1.tsv';
const PZT = 'pe-loop/aixacct-tsv/ferro__RT_WhiteA_1Hz_8V_1Average_Table3.tsv';

const canon = (r: ParsedRecord, i = 0): CanonicalRecord => ({
  ...r,
  format: 'x',
  provenance: { path: 'x', size: 0, sha256: '', parser: 'x', parserVersion: '0', recordIndex: i },
});
const p = (out: ReturnType<typeof ferroFitter.fit>, name: string) => out.parameters.find((q) => q.name === name)!;

describe.skipIf(!HAVE_REAL_DATA)('aixACCT real files', () => {
  it('detects all four real P–E files', () => {
    const files = realFiles('pe-loop');
    expect(files).toHaveLength(4);
    for (const f of files) {
      const d = rank([...ferroFormats, ...simsFormats], f, readReal(f));
      expect(d[0]!.id, f).toBe(f.endsWith('.dat') ? 'aixacct-dat' : 'aixacct-tsv');
      expect(d[0]!.confidence).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('Fatigue .dat: three loops with thickness, area, frequency and the fatigue result table', () => {
    const recs = aixacctDat.parse({ path: DAT, bytes: readReal(DAT) }) as ParsedRecord[];
    expect(recs).toHaveLength(3);
    expect(recs.map((r) => r.meta.table)).toEqual(['Data Table [1,1]', 'Data Table [1,2]', 'Data Table [1,3]']);
    expect(recs.map((r) => r.meta.totalCycles)).toEqual([0.1, 100, 1]);
    const r = recs[0]!;
    expect(rowCount(r)).toBe(401);
    expect(r.meta).toMatchObject({
      thicknessNm: 10,
      areaCm2: 1e-4,
      frequencyHz: 100,
      amplitudeV: 4,
      waveform: 'triangle',
      technique: 'Fatigue',
      startTime: '2017-06-16T10:37:11',
    });
    expect(r.meta.areaCm2).toBeCloseTo(1e-4, 12);
    expect(r.columns.map((c) => c.name)).toEqual([
      'Time',
      'Voltage',
      'Electric Field',
      'Polarization',
      'Current',
      'Voltage Minus',
      'Current 2',
      'Polarization 2',
      'Current 3',
      'Polarization 3',
    ]);
    const E = findColumn(r, 'Electric Field')!.values;
    const V = findColumn(r, 'Voltage')!.values;
    expect(E[1]! / V[1]!).toBeCloseTo(1000, 9); // 1 V over 10 nm = 1000 kV/cm
    expect(findColumn(r, 'Polarization')!.values[0]).toBeCloseTo(-4.843117, 6);
    expect((r.meta.fatigue as Record<string, number[]>)['Cycles [n]']).toEqual([0.1, 100, 1]);
    expect((r.meta.reported as Record<string, number>)['Pr+ [uC/cm2]']).toBe(7.13846);
  });

  it('Fatigue loops: Pr± and Vc± within 3 % of the file’s own values (no leakage compensation, as aixPlorer)', () => {
    const recs = aixacctDat.parse({ path: DAT, bytes: readReal(DAT) }) as ParsedRecord[];
    const fit = createFerroFitter({ leakage: 'none' });
    for (const [i, r] of recs.entries()) {
      const rep = r.meta.reported as Record<string, number>;
      const out = fit.fit(canon(r, i), {});
      expect(out.quality.ok).toBe(true);
      expect(p(out, 'Pr_plus').value / rep['Pr+ [uC/cm2]']!).toBeCloseTo(1, 1);
      expect(Math.abs(p(out, 'Pr_plus').value / rep['Pr+ [uC/cm2]']! - 1)).toBeLessThan(0.03);
      expect(Math.abs(p(out, 'Pr_minus').value / rep['Pr- [uC/cm2]']! - 1)).toBeLessThan(0.03);
      // Ec in kV/cm = Vc[V] · 1e4 / 10 nm.
      expect(Math.abs(p(out, 'Ec_plus').value / (rep['Vc+ [V]']! * 1000) - 1)).toBeLessThan(0.03);
      expect(Math.abs(p(out, 'Ec_minus').value / (rep['Vc- [V]']! * 1000) - 1)).toBeLessThan(0.03);
      expect(Math.abs(p(out, 'loop_area_voltage').value / rep['Wloss [uJ/cm2]']! - 1)).toBeLessThan(0.1);
    }
  });

  it('Fatigue: curve sorted by cycles, retention = Pr(100)/Pr(0.1)', () => {
    const [r] = aixacctDat.parse({ path: DAT, bytes: readReal(DAT) }) as ParsedRecord[];
    const out = ferroFitter.fit(canon(r!), {});
    expect(Array.from(out.tables!.fatigue![0]!.values)).toEqual([0.1, 1, 100]);
    // (9.674 + 6.65943)/2 / ((7.13846 + 4.84312)/2)
    expect(p(out, 'polarisation_retention').value).toBeCloseTo((9.674 + 6.65943) / (7.13846 + 4.84312), 6);
  });

  it('leakage (LM) .dat: one leakage record, 33 points, J at ±4 V as in the file', () => {
    const recs = aixacctDat.parse({ path: LKG, bytes: readReal(LKG) }) as ParsedRecord[];
    expect(recs).toHaveLength(1);
    const r = recs[0]!;
    expect(r.meta.technique).toBe('leakage');
    expect(rowCount(r)).toBe(33);
    expect(r.meta.thicknessNm).toBe(10);
    const out = ferroFitter.fit(canon(r), {});
    expect(p(out, 'leakage_current_density_at_vmax').value).toBeCloseTo(36.18555, 4);
    expect(p(out, 'leakage_current_density_at_vmin').value).toBeCloseTo(-280.2523, 3);
    expect(p(out, 'leakage_current_density_at_vmax').unit).toBe('uA/cm2');
  });

  it('2.2 nF linear capacitor TSV: no thickness → Voltage kept, warned; Pr ≈ 0', () => {
    const [r] = aixacctTsv.parse({ path: CAP, bytes: readReal(CAP) }) as ParsedRecord[];
    expect(rowCount(r!)).toBe(401);
    expect(findColumn(r!, 'Electric Field')).toBeUndefined();
    expect(r!.warnings.find((w) => w.code === 'field-needs-thickness')).toBeDefined();
    const out = ferroFitter.fit(canon(r!), {});
    const pr = p(out, 'Pr').value;
    const pmax = p(out, 'Pmax').value;
    expect(out.parameters.find((q) => q.name === 'Vc')).toBeDefined();
    expect(Math.abs(pr) / pmax).toBeLessThan(0.05);
  });

  it('RT White PZT TSV with options.thicknessNm gives a ferroelectric loop', () => {
    const [r] = aixacctTsv.parse({ path: PZT, bytes: readReal(PZT), options: { thicknessNm: 255 } }) as ParsedRecord[];
    expect(r!.meta.thicknessNm).toBe(255);
    const out = ferroFitter.fit(canon(r!), {});
    expect(out.quality.ok).toBe(true);
    const pr = p(out, 'Pr').value;
    const pmax = p(out, 'Pmax').value;
    expect(pr / pmax).toBeGreaterThan(0.3);
    console.log(`[ferro] RT WhiteA: Pr ${pr.toFixed(3)} uC/cm2, Ec ${p(out, 'Ec').value.toFixed(1)} kV/cm, Pmax ${pmax.toFixed(3)}`);
  });
});
