/**
 * Every real IONTOF export in ../shared/real-data/tofsims reads, with pinned ion names, point counts
 * and values copied from the files themselves.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal, realFiles } from '../../helpers/realData.js';
import { iontofDepthProfile } from '../../../parsers/tofsims/iontof-depth-profile.js';
import { iontofSpectrum } from '../../../parsers/tofsims/iontof-spectrum.js';
import { simsImageText } from '../../../parsers/tofsims/image-text.js';
import { simsFormats } from '../../../parsers/tofsims/index.js';
import { ferroFormats } from '../../../parsers/ferro/index.js';
import { rank } from './detect.js';
import { findColumn, rowCount, type ParsedRecord } from '../../../src/records/record.js';
import type { IonInfo } from '../../../parsers/tofsims/iontof-depth-profile.js';

const DP = 'tofsims/iontof-depth-profile-txt/';
const SP = 'tofsims/iontof-spectrum-txt/';

function parseDp(name: string): ParsedRecord {
  const rel = DP + name;
  const out = iontofDepthProfile.parse({ path: rel, bytes: readReal(rel) }) as ParsedRecord[];
  expect(out).toHaveLength(1);
  return out[0]!;
}
function values(r: ParsedRecord, name: string): Float64Array {
  const c = findColumn(r, name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values as Float64Array;
}

describe.skipIf(!HAVE_REAL_DATA)('IONTOF real files', () => {
  it('detects every real ToF-SIMS file as the right IONTOF format', () => {
    const files = realFiles('tofsims');
    expect(files).toHaveLength(6);
    for (const f of files) {
      const bytes = readReal(f);
      const d = rank([...simsFormats, ...ferroFormats], f.split('/').pop()!, bytes);
      expect(d[0]?.id, f).toBe(f.includes('depth-profile') ? 'iontof-depth-profile-txt' : 'iontof-spectrum-txt');
      expect(d[0]!.confidence).toBeGreaterThanOrEqual(0.9);
      // The image reader must never claim these.
      expect(d.find((c) => c.id === simsImageText.id)?.confidence ?? 0).toBeLessThan(0.5);
    }
  });

  const cases = [
    { file: 'xlab__I240416f_B_MAPI_1f_pos-B1_with-lat-ROI.txt', intensity: 106, points: 42, polarity: 'positive', t0: 0, tMax: 60.1306, tic0: 315330 },
    { file: 'xlab__I241209m_A_MAPI_1f-1nA_pos-B4.txt', intensity: 106, points: 165, polarity: 'positive', t0: 0, tMax: 240.522, tic0: 1.22647e6 },
    { file: 'xlab__I241209zb_C_MAPI-dev_1f-1nA_neg-B3.txt', intensity: 132, points: 165, polarity: 'negative', t0: 0, tMax: 240.522, tic0: 1.48884e6 },
    { file: 'xlab__I241213h_M_PCBM-ref_2D_neg-B1.txt', intensity: 132, points: 47, polarity: 'negative', t0: 1.6384, tMax: 152.371, tic0: 182528 },
  ];
  for (const c of cases) {
    it(`reads ${c.file}: ${c.intensity} intensity columns, ${c.points} points`, () => {
      const r = parseDp(c.file);
      expect(r.kind).toBe('sims-depth-profile');
      expect(rowCount(r)).toBe(c.points);
      const ions = r.meta.ions as IonInfo[];
      expect(ions).toHaveLength(c.intensity);
      expect(ions[0]!.kind).toBe('total');
      expect(r.meta.polarity).toBe(c.polarity);
      const t = values(r, 'Sputter Time');
      expect(t[0]).toBe(c.t0);
      expect(t[t.length - 1]).toBe(c.tMax);
      expect(values(r, 'Total')[0]).toBe(c.tic0);
      expect(findColumn(r, 'Sputter Dose')?.unit).toBe('ions/cm2');
      // Column names are unique.
      expect(new Set(r.columns.map((x) => x.name)).size).toBe(r.columns.length);
    });
  }

  it('pins values of the positive lateral-ROI profile', () => {
    const r = parseDp(cases[0]!.file);
    const ions = r.meta.ions as IonInfo[];
    expect(ions[1]).toEqual({ label: 'Ag_3+', column: 'Ag_3+', mass: 320.7077, kind: 'ion' });
    expect(values(r, 'Total')[0]).toBe(315330);
    expect(values(r, 'Ag_3+')[0]).toBeCloseTo(2.00147, 6);
    expect(values(r, 'Sputter Time')[1]).toBeCloseTo(1.4666, 6);
    expect(values(r, 'Sputter Dose')[0]).toBeCloseTo(8.45611e10, -4);
    expect(values(r, 'Primary Ion Dose')[0]).toBeCloseTo(2.11404e6, -1);
    // Duplicate SnO+ label gets a mass suffix, with a warning.
    expect(findColumn(r, 'SnO+')).toBeDefined();
    expect(findColumn(r, 'SnO+ @135.8979')).toBeDefined();
    expect(r.warnings.some((w) => w.code === 'duplicate-ion-name')).toBe(true);
    // Ratio columns are unitless and their inf cells are NaN, named in a warning.
    const ratio = findColumn(r, 'Cs_2+ / ( ^13CH_5N_2+ )')!;
    expect(ratio.unit).toBe('1');
    const nan = Array.from(ratio.values).filter((v) => Number.isNaN(v)).length;
    expect(nan).toBe(16);
    expect(r.warnings.some((w) => w.code === 'non-finite-values' && w.message.includes('Cs_2+ / ( ^13CH_5N_2+ )') && w.rows === 16)).toBe(true);
    // Last point is all zero: warned, not an error.
    expect(r.warnings.some((w) => w.code === 'zero-count-rows' && w.rows === 1)).toBe(true);
  });

  it('handles N/A masses and inf values in the PCBM reference with warnings', () => {
    const r = parseDp(cases[3]!.file);
    const ions = r.meta.ions as IonInfo[];
    const na = ions.filter((i) => i.mass === null);
    expect(na.map((i) => i.kind)).toContain('sum');
    expect(na.map((i) => i.kind)).toContain('ratio');
    expect(r.warnings.find((w) => w.code === 'no-mass')).toBeDefined();
    const nf = r.warnings.filter((w) => w.code === 'non-finite-values');
    expect(nf.length).toBeGreaterThanOrEqual(3);
    // No intensity column is silently all-NaN.
    for (const c of r.columns) {
      const all = Array.from(c.values).every((v) => Number.isNaN(v));
      if (all) expect(r.warnings.some((w) => w.message.includes(`'${c.name}'`))).toBe(true);
    }
    expect(findColumn(r, 'F-')).toBeDefined();
    expect(ions.find((i) => i.label === 'PO_2-')?.mass).toBeCloseTo(62.9647, 4);
    expect(ions.find((i) => i.label === 'CN-')?.mass).toBeCloseTo(26.0085, 4);
  });

  const spectra = [
    { file: 'oscar__N_HEA19_Bi3_1.txt', points: 4959, first: [100, 0.000229, 0], last: [991672, 904.71572, 0] },
    { file: 'oscar__P_HEA19_Bi1_1.txt', points: 4908, first: [100, 0.000195, 0], last: [981452, 887.02474, 0] },
  ];
  for (const s of spectra) {
    it(`reads spectrum ${s.file}: ${s.points} points, binning 200`, () => {
      const rel = SP + s.file;
      const [r] = iontofSpectrum.parse({ path: rel, bytes: readReal(rel) }) as ParsedRecord[];
      expect(r!.kind).toBe('sims-spectrum');
      expect(rowCount(r!)).toBe(s.points);
      expect(r!.meta.binning).toBe(200);
      expect(r!.meta.deadtimeCorrection).toBe(true);
      const ch = values(r!, 'Channel');
      const mz = values(r!, 'Mass');
      const it_ = values(r!, 'Intensity');
      expect([ch[0], mz[0], it_[0]]).toEqual(s.first);
      expect(ch[s.points - 1]).toBe(s.last[0]);
      expect(mz[s.points - 1]).toBeCloseTo(s.last[1]!, 5);
      expect(r!.meta.polarity).toBeUndefined();
    });
  }
});
