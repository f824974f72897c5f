/**
 * Every real XPS fixture: region names, point counts, energy ranges and intensities read off the
 * files by hand (line numbers / byte offsets in the comments), plus cross-format oracles where two
 * fixtures hold the same acquisition (SPECS Prodigy MgFe2O4 survey as VAMAS regular, VAMAS irregular
 * and XY).
 */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';
import { ParseError } from '../../../src/records/errors.js';
import type { ParsedRecord } from '../../../src/records/record.js';
import { findColumn, requireColumn } from '../../../src/records/record.js';
import { parseVamas } from '../../../parsers/xps/vamas.js';
import { parseSpecsXy } from '../../../parsers/xps/specs-xy.js';
import { parseSpecsXml } from '../../../parsers/xps/specs-xml.js';
import { parsePhi } from '../../../parsers/xps/phi.js';
import { parsePhiMultipak } from '../../../parsers/xps/phi-multipak.js';
import { parseScientaTxt } from '../../../parsers/xps/scienta-txt.js';
import { parseCasaTxt } from '../../../parsers/xps/casa-txt.js';
import { at, region } from './helpers.js';

const X = 'xps';
function one(fn: (i: { path: string; bytes: Uint8Array }) => ParsedRecord[], rel: string): ParsedRecord {
  const rs = fn({ path: rel, bytes: readReal(`${X}/${rel}`) });
  expect(rs).toHaveLength(1);
  return rs[0]!;
}
function range(v: { be: number[] }): [number, number] {
  return [v.be[0]!, v.be[v.be.length - 1]!];
}

describe.skipIf(!HAVE_REAL_DATA)('VAMAS', () => {
  it('regular.vms: one Survey block, KE axis converted to BE = hν − KE, counts interleaved with transmission', () => {
    const r = one(parseVamas, 'vamas/pynxtools__regular.vms');
    expect(r.kind).toBe('xps-spectrum');
    expect(requireColumn(r, 'Region').levels).toEqual(['Survey']);
    const s = region(r, 'Survey');
    expect(s.be).toHaveLength(1351); // 2702 ordinates / 2 corresponding variables
    expect(range(s)).toEqual([0, 1350]); // KE 136.61 … 1486.61, hν 1486.61
    expect(at(s, 1350)).toBeCloseTo(1559.87, 6); // first ordinate (line 76); 78.8103 after it is transmission
    expect(at(s, 1349)).toBeCloseTo(1586.79, 6);
    expect(at(s, 0)).toBeCloseTo(18.1529, 6); // last counts ordinate before 'end of experiment'
    expect(requireColumn(r, 'Intensity').unit).toBe('counts');
    expect(r.meta.source).toBe('Al Kα 1486.61 eV');
    expect(r.meta.passEnergyEv).toBe(100);
    expect(r.meta.workFunctionEv).toBeCloseTo(4.1082, 6);
    expect(String(r.meta.bindingEnergyConversion)).toMatch(/not subtracted/);
    expect(r.meta.startTime).toBe('2023-08-24T14:19:47Z');
    expect(findColumn(r, 'Sputter Time')).toBeUndefined(); // never invented
  });

  it('irregular.vms: explicit abscissa, count rate, equals regular.vms counts / 0.1 s dwell (same acquisition)', () => {
    const r = one(parseVamas, 'vamas/pynxtools__irregular.vms');
    const reg = region(one(parseVamas, 'vamas/pynxtools__regular.vms'), 'Survey');
    const s = region(r, 'Survey');
    expect(s.be).toHaveLength(1351); // 4053 / 3 (abscissa + 2 variables)
    expect(requireColumn(r, 'Intensity').unit).toBe('counts/s');
    expect(at(s, 1350)).toBeCloseTo(15598.7, 6);
    for (const e of [1350, 1000, 710, 285, 3]) expect(at(s, e)).toBeCloseTo(at(reg, e) / 0.1, 0);
  });

  it('FeO_analyzed.vms: Fe 2p region and the CasaXPS regions/components kept in meta', () => {
    const r = one(parseVamas, 'vamas/pynxtools__FeO_analyzed.vms');
    expect(requireColumn(r, 'Region').levels).toEqual(['Fe 2p']);
    const s = region(r, 'Fe 2p');
    expect(s.be).toHaveLength(1121);
    expect(range(s)[0]).toBeCloseTo(694, 6);
    expect(range(s)[1]).toBeCloseTo(750, 6);
    const casa = (
      r.meta.casaAnalysis as Record<
        string,
        { regions: { background: string; start: number }[]; components: { lineshape: string; position: number; area: number }[] }
      >
    )['Fe 2p']!;
    expect(casa.regions[0]!.background).toBe('U 3 Tougaard');
    expect(casa.regions[0]!.start).toBeCloseTo(737.52081, 5);
    expect(casa.components).toHaveLength(4);
    expect(casa.components[0]).toMatchObject({ lineshape: 'LF(0.54,10,80,100,6)', position: 777.56313, area: 63507.374 });
    expect(casa.components[1]!.lineshape).toBe('SGL(30)');
  });

  it.each(['vamas/pynxtools__kratos_comments.vms', 'vamas/pynxtools__phi_comments.vms'])('%s is a comment fragment → ParseError naming it', (rel) => {
    let err: unknown;
    try {
      parseVamas({ path: rel, bytes: readReal(`${X}/${rel}`) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    const pe = err as ParseError;
    expect(pe.code).toBe('bad-magic');
    expect(pe.line).toBe(1);
    expect(pe.message).toMatch(/not a complete VAMAS file.*fragment/);
  });
});

describe.skipIf(!HAVE_REAL_DATA)('SPECS', () => {
  it('MgFe2O4_small.xy: Survey + Fe2p in counts/s, identical to the VAMAS export of the same survey', () => {
    const r = one(parseSpecsXy, 'specs-xy/pynxtools__MgFe2O4_small.xy');
    expect(requireColumn(r, 'Region').levels).toEqual(['Survey', 'Fe2p']);
    expect(requireColumn(r, 'Intensity').unit).toBe('counts/s');
    const s = region(r, 'Survey');
    expect(s.be).toHaveLength(1351);
    expect(range(s)).toEqual([0, 1350]);
    expect(at(s, 1350)).toBeCloseTo(15598.679, 6); // line 47
    const fe = region(r, 'Fe2p');
    expect(fe.be).toHaveLength(56); // '# Values/Curve: 56'
    expect(range(fe)[1]).toBe(750);
    expect(at(fe, 750)).toBeCloseTo(5913.3234, 6); // line 1428
    expect(at(fe, 749)).toBeCloseTo(6180.257, 6);
    expect(r.meta.source).toBe('Al Kα 1486.61 eV');
    // Oracle: VAMAS regular holds counts at 0.1 s dwell of the same acquisition.
    const v = region(one(parseVamas, 'vamas/pynxtools__regular.vms'), 'Survey');
    for (const e of [1350, 700, 530, 10]) expect(at(s, e)).toBeCloseTo(at(v, e) * 10, 0);
  });

  it('In-situ_PBTTT_XPS_SPECS.xml: Survey (1403) and C1s (201) from 5 MCD channels, Mg Kα', () => {
    const r = one(parseSpecsXml, 'specs-xml/pynxtools__In-situ_PBTTT_XPS_SPECS.xml');
    expect(requireColumn(r, 'Region').levels).toEqual(['Survey', 'C1s']);
    const s = region(r, 'Survey');
    expect(s.be).toHaveLength(1403);
    expect(range(s)[0]).toBeCloseTo(1253.6 - 553.6 - 1402 * 0.5, 6); // −1 eV
    expect(range(s)[1]).toBeCloseTo(700, 6);
    const c = region(r, 'C1s');
    expect(c.be).toHaveLength(201);
    expect(range(c)[1]).toBeCloseTo(1253.6 - 963.6, 6); // 290 eV
    expect(r.meta.source).toBe('Mg Kα 1253.6 eV');
    expect(r.warnings.map((w) => w.code)).toContain('scans-missing'); // C1s asks for 15 scans, 2 stored
    // Resampling conserves counts: the interpolated spectrum carries (almost) all recorded counts.
    const raw = new TextDecoder().decode(readReal(`${X}/specs-xml/pynxtools__In-situ_PBTTT_XPS_SPECS.xml`));
    const first = /<sequence name="counts"[^>]*>\s*<ulong[^>]*>([^<]*)</.exec(raw)![1]!.trim().split(/\s+/).map(Number);
    const rawSum = first.reduce((a, b) => a + b, 0);
    const ours = s.y.reduce((a, b) => a + b, 0);
    expect(ours / rawSum).toBeGreaterThan(0.97);
    expect(ours / rawSum).toBeLessThan(1.0001);
    // C 1s of a polymer peaks near 284–285 eV (Mg Kα, BE = hν − KE).
    const iMax = c.y.indexOf(Math.max(...c.y));
    expect(c.be[iMax]).toBeGreaterThan(283.5);
    expect(c.be[iMax]).toBeLessThan(286.5);
  });
});

describe.skipIf(!HAVE_REAL_DATA)('PHI', () => {
  it('SnO2_10nm.spe: one f4 Su1s region, 1751 points from 1400 to 0 eV', () => {
    const r = one(parsePhi, 'phi-spe/pynxtools__SnO2_10nm.spe');
    expect(r.kind).toBe('xps-spectrum');
    const s = region(r, 'Su1s');
    expect(s.be).toHaveLength(1751);
    expect(range(s)).toEqual([0, 1400]);
    expect(at(s, 1400)).toBeCloseTo(54866.668, 2); // f32 at byte 112 after EOFH
    expect(at(s, 0)).toBeCloseTo(191.66667, 3); // last f32
    expect(requireColumn(r, 'Intensity').unit).toBe('counts/s');
    expect(r.meta).toMatchObject({ instrument: 'VersaProbe 4', software: 'SS 3.3.3.2', source: 'Al Kα 1486.6 eV (mono)', passEnergyEv: 224 });
  });

  it('yadg test0.spe (Quantum 2000, f8 data): survey + F1s', () => {
    const r = one(parsePhi, 'phi-spe/yadg__test0.spe');
    expect(requireColumn(r, 'Region').levels).toEqual(['1su', 'F1s']);
    const su = region(r, '1su');
    expect(su.be).toHaveLength(3401);
    expect(range(su)).toEqual([-5, 1355]);
    expect(at(su, 1355)).toBe(13712.5);
    const f = region(r, 'F1s');
    expect(f.be).toHaveLength(161);
    expect(range(f)).toEqual([675, 695]);
    expect(at(f, 695)).toBe(1793.75);
    expect(at(f, 694.875)).toBe(1381.25);
    expect(r.meta.instrument).toBe('PHI Quantum 2000');
  });

  it('SnO2_10nm_1.pro: depth profile, 4 regions × 21 etch levels, sputter time 0…600 s from the file', () => {
    const r = one(parsePhi, 'phi-pro/pynxtools__SnO2_10nm_1.pro');
    expect(r.kind).toBe('xps-depth-profile');
    expect(requireColumn(r, 'Region').levels).toEqual(['Su1s', 'C1s', 'Si2p', 'Sn3d5']);
    expect(r.meta.etchLevels).toBe(21);
    expect(Array.from(requireColumn(r, 'Etch Level').values).reduce((a, b) => Math.max(a, b), 0)).toBe(20);
    const c0 = region(r, 'C1s', 0);
    expect(c0.be).toHaveLength(101);
    expect(range(c0)).toEqual([278, 298]);
    expect(c0.t[0]).toBe(0);
    expect(region(r, 'C1s', 7).t[0]).toBe(210);
    expect(region(r, 'Sn3d5', 20).t[0]).toBe(600);
    expect(at(region(r, 'Su1s', 0), 1400)).toBe(54300);
    expect(findColumn(r, 'Depth')).toBeUndefined(); // SputterRate 0.000 A/min: no depth
    expect(r.warnings.map((w) => w.code)).toContain('no-sputter-rate');
    // Sn 3d5/2 of SnO2 (~486.5 eV) grows as the surface carbon is sputtered away.
    const sn = (lv: number) => Math.max(...region(r, 'Sn3d5', lv).y);
    expect(sn(10)).toBeGreaterThan(sn(0));
  });

  it('MultiPak text export: Quantera survey, 2801 points, reversed axis made ascending', () => {
    const r = one(parsePhiMultipak, 'phi-multipak-txt/mdac__XPS_PHI_QUANTERA_survey.txt');
    const s = region(r, 'Survey');
    expect(s.be).toHaveLength(2801);
    expect(range(s)).toEqual([-20, 1380]);
    expect(at(s, 1380)).toBe(333762.75);
    expect(at(s, -20)).toBe(67.5955);
    expect(requireColumn(r, 'Intensity').unit).toBe('counts/s');
    expect(r.meta).toMatchObject({ instrument: 'PHI Quantera SXM', software: 'SS 3.6.1.16', passEnergyEv: 280, source: 'Al Kα 1486.6 eV' });
  });
});

describe.skipIf(!HAVE_REAL_DATA)('Scienta and CasaXPS text', () => {
  it('Scienta SES Ag_0001.txt: Ag3d, 361 points, hv 520 eV, PE 50', () => {
    const r = one(parseScientaTxt, 'scienta-txt/pynxtools__Ag_0001.txt');
    const s = region(r, 'Ag3d');
    expect(s.be).toHaveLength(361);
    expect(range(s)).toEqual([364, 382]);
    expect(at(s, 382)).toBeCloseTo(15.7494897842407, 10);
    expect(at(s, 381.95)).toBeCloseTo(16.441309928894, 10);
    expect(at(s, 364)).toBeCloseTo(13.1949939727783, 10);
    expect(r.meta).toMatchObject({ excitationEnergyEv: 520, passEnergyEv: 50, software: 'Scienta SES', softwareVersion: '1.3.1' });
  });

  it('CasaXPS text export: 4 blocks from 2 samples, B.E. checked against hν − K.E.', () => {
    const r = one(parseCasaTxt, 'casaxps-txt/pynxtools__vms_txt_export.txt');
    expect(requireColumn(r, 'Region').levels).toEqual(['Ni: Survey', 'Ni: Ni2p', 'NiO: Survey', 'NiO: Ni2p']);
    const s = region(r, 'Ni: Survey');
    expect(s.be).toHaveLength(1201);
    expect(range(s)[0]).toBeCloseTo(0, 9); // the file writes -2.273737e-13: kept as written
    expect(range(s)[1]).toBe(1200);
    expect(at(s, 1200)).toBe(4699.45);
    const ni = region(r, 'Ni: Ni2p');
    expect(ni.be).toHaveLength(501);
    expect(range(ni)[1]).toBe(890);
    expect(at(ni, 890)).toBe(7694.49); // line 1218
    expect(r.warnings.map((w) => w.code)).toContain('several-samples');
  });
});
