/**
 * Every real instrument file is detected as its true format (by content) or cleanly reported as
 * unknown — never as another family's format. SOURCES.md in shared/real-data says what each file is.
 */
import { describe, it, expect } from 'vitest';
import { basename } from 'node:path';
import { detectFormat, sniffInput, FORMATS } from '../../parsers/index.js';
import { HAVE_REAL_DATA, readReal, realFiles } from '../helpers/realData.js';

/** Folder under real-data → the format id that must detect its files. */
const EXPECTED: Record<string, string> = {
  'cycler/arbin-csv': 'arbin-csv',
  'cycler/arbin-res': 'arbin-res',
  'cycler/arbin-xlsx': 'cycler-spreadsheet',
  'cycler/basytec-txt': 'basytec-txt',
  'cycler/biologic-mpr': 'biologic-mpr',
  'cycler/biologic-mpt': 'biologic-mpt',
  'cycler/landt-xlsx': 'cycler-spreadsheet',
  'cycler/maccor-csv': 'maccor-text',
  'cycler/maccor-txt': 'maccor-text',
  'cycler/neware-csv': 'neware-csv',
  'cycler/neware-nda': 'neware-nda',
  'cycler/neware-ndax': 'neware-ndax',
  'cycler/neware-txt': 'neware-txt',
  'cycler/neware-xls': 'cycler-spreadsheet',
  'cycler/novonix-csv': 'novonix-csv',
  'cycler/pec-csv': 'pec-csv',
  'eis/autolab-txt': 'autolab-z60w-txt',
  'eis/biologic-mpr': 'biologic-mpr',
  'eis/biologic-mpt': 'biologic-mpt',
  'eis/chi-txt': 'chi-txt',
  'eis/gamry-dta': 'gamry-dta',
  'eis/maccor-eis-txt': 'maccor-eis-txt',
  'eis/parstat-txt': 'parstat-txt',
  'eis/powersuite-txt': 'powersuite-txt',
  'eis/versastudio-par': 'versastudio-par',
  'eis/zahner-ism': 'zahner-ism',
  'eis/zview-z': 'zplot-z',
  'xps/casaxps-txt': 'casaxps-txt',
  'xps/phi-multipak-txt': 'phi-multipak-txt',
  'xps/phi-pro': 'phi-pro',
  'xps/phi-spe': 'phi-spe',
  'xps/scienta-txt': 'scienta-txt',
  'xps/specs-xml': 'specs-xml',
  'xps/specs-xy': 'specs-xy',
  'tofsims/iontof-depth-profile-txt': 'iontof-depth-profile-txt',
  'tofsims/iontof-spectrum-txt': 'iontof-spectrum-txt',
  'pe-loop/aixacct-dat': 'aixacct-dat',
  'pe-loop/aixacct-tsv': 'aixacct-tsv',
};
/** Files whose folder holds several formats. */
const BY_FILE: Record<string, string> = {
  'cycler/generic-csv/cellpy__batmo_bdf.csv': 'bdf-csv',
  'cycler/generic-csv/bdt__CALCE_CX2-33_timeseries.csv': 'batteryarchive-csv',
  'xps/vamas/pynxtools__regular.vms': 'vamas',
  'xps/vamas/pynxtools__irregular.vms': 'vamas',
  'xps/vamas/pynxtools__FeO_analyzed.vms': 'vamas',
};
/** Record kinds a folder's family may yield. */
const KIND_OF_FAMILY: Record<string, RegExp> = { cycler: /^cycler$/, eis: /^eis$/, xps: /^xps-/, tofsims: /^sims-/, 'pe-loop': /^pe-loop$/ };

describe.skipIf(!HAVE_REAL_DATA)('format detection over shared/real-data', () => {
  const files = realFiles();
  it('finds the real files', () => {
    expect(files.length).toBeGreaterThanOrEqual(81);
  });
  it('every expected format id is registered', () => {
    const ids = new Set(FORMATS.map((f) => f.id));
    for (const id of new Set([...Object.values(EXPECTED), ...Object.values(BY_FILE)])) expect(ids.has(id), id).toBe(true);
  });
  for (const rel of files) {
    it(rel, () => {
      const bytes = readReal(rel);
      const d = detectFormat(sniffInput(basename(rel), bytes, bytes.length));
      const folder = rel.split('/').slice(0, 2).join('/');
      const family = rel.split('/')[0]!;
      const want = BY_FILE[rel] ?? EXPECTED[folder];
      if (want) {
        expect(d.best?.format.id, `${rel}: ${d.reason ?? ''}`).toBe(want);
      }
      if (d.best) expect(d.best.kind).toMatch(KIND_OF_FAMILY[family]!);
      else expect(d.reason).toMatch(/unrecognised format/);
    });
  }
});
