/**
 * Sniffers: each real XPS file is claimed by its own reader and by no other XPS reader; no XPS
 * sniffer reaches 0.5 on any non-XPS real file. Bad input: wrong block count, non-monotonic energy,
 * negative counts, truncated binary — each a ParseError with code and position, or a flagged region.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal, realFiles } from '../../helpers/realData.js';
import { sniffInput } from '../../../parsers/index.js';
import { xpsFormats } from '../../../parsers/xps/index.js';
import { ParseError } from '../../../src/records/errors.js';
import { parseVamas } from '../../../parsers/xps/vamas.js';
import { parseSpecsXy } from '../../../parsers/xps/specs-xy.js';
import { parsePhi } from '../../../parsers/xps/phi.js';
import { parsePhiMultipak } from '../../../parsers/xps/phi-multipak.js';
import { parseScientaTxt } from '../../../parsers/xps/scienta-txt.js';
import { parseSpecsXml } from '../../../parsers/xps/specs-xml.js';

const EXPECTED: Record<string, string | null> = {
  'xps/casaxps-txt/pynxtools__vms_txt_export.txt': 'casaxps-txt',
  'xps/phi-multipak-txt/mdac__XPS_PHI_QUANTERA_survey.txt': 'phi-multipak-txt',
  'xps/phi-pro/pynxtools__SnO2_10nm_1.pro': 'phi-pro',
  'xps/phi-spe/pynxtools__SnO2_10nm.spe': 'phi-spe',
  'xps/phi-spe/yadg__test0.spe': 'phi-spe',
  'xps/scienta-txt/pynxtools__Ag_0001.txt': 'scienta-txt',
  'xps/specs-xml/pynxtools__In-situ_PBTTT_XPS_SPECS.xml': 'specs-xml',
  'xps/specs-xy/pynxtools__MgFe2O4_small.xy': 'specs-xy',
  'xps/vamas/pynxtools__FeO_analyzed.vms': 'vamas',
  'xps/vamas/pynxtools__irregular.vms': 'vamas',
  'xps/vamas/pynxtools__regular.vms': 'vamas',
  'xps/vamas/pynxtools__kratos_comments.vms': null, // fragments: nobody should claim them
  'xps/vamas/pynxtools__phi_comments.vms': null,
};

function scores(rel: string): Map<string, number> {
  const bytes = readReal(rel);
  const si = sniffInput(rel.split('/').pop()!, bytes.subarray(0, 65536), bytes.length);
  const m = new Map<string, number>();
  for (const f of xpsFormats) {
    const r = f.sniff(si);
    m.set(f.id, typeof r === 'number' ? r : r.confidence);
  }
  return m;
}

describe.skipIf(!HAVE_REAL_DATA)('XPS sniffers on real files', () => {
  it('every XPS fixture is claimed by exactly its reader', () => {
    const files = realFiles('xps');
    expect(files.length).toBe(Object.keys(EXPECTED).length);
    for (const f of files) {
      const s = scores(f);
      const want = EXPECTED[f];
      expect(want, `fixture ${f} not in the table`).not.toBeUndefined();
      for (const [id, c] of s) {
        if (id === want) expect(c, `${id} on ${f}`).toBeGreaterThanOrEqual(0.9);
        else expect(c, `${id} on ${f}`).toBeLessThan(0.5);
      }
    }
  });

  it.each(['cycler', 'eis', 'tofsims', 'pe-loop'])('no XPS sniffer reaches 0.5 on any %s file', (family) => {
    const files = realFiles(family);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) for (const [id, c] of scores(f)) expect(c, `${id} on ${f}`).toBeLessThan(0.5);
  });
});

const enc = (s: string) => new TextEncoder().encode(s);
function thrown(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

describe.skipIf(!HAVE_REAL_DATA)('bad input', () => {
  const regular = new TextDecoder().decode(readReal('xps/vamas/pynxtools__regular.vms'));
  const lines = regular.split(/\r?\n/);
  const nBlocksLine = 21; // 0-based index of the '1' block count (after 4 future-upgrade zeros)

  it('VAMAS header claiming 2 blocks when the file has 1 → truncated, naming both counts', () => {
    expect(lines[nBlocksLine]).toBe('1');
    const bad = [...lines];
    bad[nBlocksLine] = '2';
    const e = thrown(() => parseVamas({ path: 'two.vms', bytes: enc(bad.join('\n')) }));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/declares 2 blocks but the file holds only 1/);
    expect(e.line).toBeGreaterThan(2700);
  });

  it('VAMAS with data after the declared blocks → invalid at that line', () => {
    const bad = lines.filter((l) => l !== 'end of experiment');
    bad.push('Survey', '1 as-loaded', 'end of experiment');
    const e = thrown(() => parseVamas({ path: 'extra.vms', bytes: enc(bad.join('\n')) }));
    expect(e.code).toBe('invalid');
    expect(e.message).toMatch(/more data follows/);
    expect(e.found).toBe('Survey');
  });

  it('VAMAS cut inside the ordinates → truncated with the ordinate number', () => {
    const cut = lines.slice(0, 2000).join('\n');
    const e = thrown(() => parseVamas({ path: 'cut.vms', bytes: enc(cut) }));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/ordinate \d+ of 2702/);
  });

  const xy = (rows: string) =>
    enc(
      `# Created by:        SpecsLab Prodigy, Version 4.100.1\n#   Energy Axis:              Binding Energy\n#   Count Rate:               Counts per Second\n# Region:                       C1s\n# Excitation Energy:            1486.61\n# Cycle: 0, Curve: 0\n${rows}`,
    );

  it('non-monotonic energy axis → invalid, naming the region and point', () => {
    const e = thrown(() => parseSpecsXy({ path: 'nm.xy', bytes: xy('290 10\n289 11\n289.5 12\n288 13\n') }));
    expect(e.code).toBe('invalid');
    expect(e.message).toMatch(/region 'C1s': energy axis is not monotonic at point 2/);
    expect(e.found).toBe('289.5');
  });

  it('negative counts → region flagged in a warning and meta, values kept', () => {
    const [r] = parseSpecsXy({ path: 'neg.xy', bytes: xy('290 10\n289 -3\n288 13\n287 -1\n') });
    const w = r!.warnings.find((x) => x.code === 'negative-intensity')!;
    expect(w.message).toMatch(/region 'C1s'/);
    expect(w.rows).toBe(2);
    expect(r!.meta.flaggedRegions).toEqual(['C1s']);
  });

  it('PHI .spe cut inside the binary data → truncated with a byte offset', () => {
    const b = readReal('xps/phi-spe/pynxtools__SnO2_10nm.spe');
    const e = thrown(() => parsePhi({ path: 'cut.spe', bytes: b.subarray(0, b.length - 100) }));
    expect(e.code).toBe('truncated');
    expect(e.offset).toBe(b.length - 100);
    expect(e.message).toMatch(/binary data ends inside region 'Su1s'/);
  });

  it('PHI .pro with a header declaring fewer regions than the binary holds → invalid', () => {
    const b = readReal('xps/phi-pro/pynxtools__SnO2_10nm_1.pro');
    const s = new TextDecoder('latin1').decode(b);
    const i = s.indexOf('SpectralRegDef: 4 4 Sn3d5');
    const bad = new Uint8Array(b);
    bad.set(enc('SpectralRegDeX'), i); // the 4th region definition no longer counts
    const e = thrown(() => parsePhi({ path: 'bad.pro', bytes: bad }));
    expect(e.code).toBe('invalid');
    expect(e.expected).toBe('3');
    expect(e.found).toBe('4');
  });

  it('MultiPak DataCount larger than the rows → truncated', () => {
    const t = new TextDecoder().decode(readReal('xps/phi-multipak-txt/mdac__XPS_PHI_QUANTERA_survey.txt')).replace(/^2801$/m, '2900');
    const e = thrown(() => parsePhiMultipak({ path: 'mp.txt', bytes: enc(t) }));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/DataCount says 2900 rows, found 2801/);
  });

  it('Scienta region count disagreeing with [Data n] sections → invalid', () => {
    const t = new TextDecoder().decode(readReal('xps/scienta-txt/pynxtools__Ag_0001.txt')).replace('Number of Regions=0001', 'Number of Regions=0002');
    const e = thrown(() => parseScientaTxt({ path: 'sc.txt', bytes: enc(t) }));
    expect(e.code).toBe('invalid');
    expect(e.line).toBe(2);
  });

  it('SPECS XML: entities are not expanded and the counts length is checked', () => {
    const t = new TextDecoder().decode(readReal('xps/specs-xml/pynxtools__In-situ_PBTTT_XPS_SPECS.xml'));
    const cut = t.replace(/(<sequence name="counts" length="7090"[^>]*>\s*<ulong[^>]*>\s*)(\S+\s+\S+\s+)/, '$1');
    expect(cut.length).toBeLessThan(t.length);
    const e = thrown(() => parseSpecsXml({ path: 'x.xml', bytes: enc(cut) }));
    expect(e.code).toBe('truncated');
    expect(e.found).toBe('7088');
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "AAAAAAAAAA"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">]><any><struct type_id="IDL:specs.de/Serializer/RegionGroup:1.0" type_name="RegionGroup"><string name="name">&y;</string></struct></any>';
    const [r] = parseSpecsXmlSafe(bomb);
    expect(r).toBe('no-data');
  });
});

/** A RegionGroup with no regions parses to "no spectra": the entity stays unexpanded text. */
function parseSpecsXmlSafe(xml: string): string[] {
  try {
    parseSpecsXml({ path: 'bomb.xml', bytes: enc(xml) });
    return ['parsed'];
  } catch (e) {
    return [(e as ParseError).code];
  }
}

describe.skipIf(!HAVE_REAL_DATA)('VAMAS sputter depth profile (SDP) layout', () => {
  // Built from regular.vms: experiment mode SDP, experimental variable "Etch Time" in s, the 3 sputter-ion
  // lines after the source label and the 7 sputter-source lines after the signal time correction that
  // ISO 14976 requires in SDP mode, and a second block at 30 s with halved counts.
  const lines = new TextDecoder().decode(readReal('xps/vamas/pynxtools__regular.vms')).split(/\r?\n/);
  const expMode = lines.indexOf('NORM');
  const firstBlock = 22;
  const end = lines.indexOf('end of experiment');
  const header = lines.slice(0, firstBlock);
  header[expMode] = 'SDP';
  header[expMode + 4] = 'Etch Time'; // after scan mode, number of regions, number of exp variables
  header[expMode + 5] = 's';
  header[firstBlock - 1] = '2';
  const block = (t: number, factor: number) => {
    const b = lines.slice(firstBlock, end);
    const tech = b.indexOf('XPS');
    b[tech + 1] = String(t); // experimental variable value
    b.splice(tech + 3, 0, '18', '1', '+1'); // Ar, monatomic, +1 (after the source label 'Al')
    const pc = b.indexOf('pulse counting');
    b.splice(pc + 4, 0, '500', '1.5', '2000', '2000', '45', '0', 'continuous');
    const nOrd = b.indexOf('2702');
    const firstOrd = nOrd + 5;
    for (let i = firstOrd; i < b.length; i += 2) b[i] = String(Number(b[i]) * factor);
    return b;
  };
  const text = [...header, ...block(0, 1), ...block(30, 0.5), 'end of experiment'].join('\n');

  it('reads etch levels and sputter times from the experimental variable and the sputter source', () => {
    const [r] = parseVamas({ path: 'sdp.vms', bytes: enc(text) });
    expect(r!.kind).toBe('xps-depth-profile');
    expect(r!.meta.etchLevels).toBe(2);
    const t = r!.columns.find((c) => c.name === 'Sputter Time')!;
    expect(t.unit).toBe('s');
    expect(new Set(t.values)).toEqual(new Set([0, 30]));
    expect(r!.meta.sputter).toMatchObject({ energy: 500, current: 1.5, mode: 'continuous' });
    const lev = r!.columns.find((c) => c.name === 'Etch Level')!;
    const y = r!.columns.find((c) => c.name === 'Intensity')!;
    const be = r!.columns.find((c) => c.name === 'Binding Energy')!;
    const at1350 = (L: number) => y.values[[...be.values.keys()].find((i) => lev.values[i] === L && be.values[i] === 1350)!]!;
    expect(at1350(0)).toBeCloseTo(1559.87, 6);
    expect(at1350(1)).toBeCloseTo(1559.87 / 2, 6);
  });

  it('without the SDP sputter lines the layout is off and the parse fails loudly (not a shifted profile)', () => {
    const broken = text.replace('\ncontinuous\n', '\n');
    expect(() => parseVamas({ path: 'sdp.vms', bytes: enc(broken) })).toThrow(ParseError);
  });
});
