import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { validateManifest } from '../../src/campaign/manifest.js';
import { ManifestError } from '../../src/records/errors.js';
import { assignFiles, manifestFromSheets } from '../../src/campaign/load.js';
import { globToRegExp, nameContainsId, globEscapes } from '../../src/campaign/glob.js';

const ok = `
campaign: rest-study
defaults: { electrolyte: 1M LiPF6 EC/DEC, cell_type: li||cu, current_density_mA_cm2: 0.5, electrode_area_cm2: 1.13 }
cells:
  - { id: C01, group: control }
  - { id: F01, group: BTO-poled, ferroelectric: BaTiO3, poling: poled, rest_hours: 24, files: ["cycling/F01_*.csv"] }
  - { id: F02, group: BTO-poled, ferroelectric: BaTiO3, poling: Poled, preadsorbed_anion: NO3- }
`;

/** Problems are local (issue #18): returned on the manifest; only a non-mapping document throws. */
function problems(text: string): string[] {
  try {
    return [...(validateManifest(parse(text), 'campaign.yaml').problems ?? [])];
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return [...(e as ManifestError).problems];
  }
}

describe('campaign manifest', () => {
  it('reads cells with defaults, units and enums normalised', () => {
    const m = validateManifest(parse(ok), 'campaign.yaml');
    expect(m.name).toBe('rest-study');
    expect(m.cells.map((c) => c.id)).toEqual(['C01', 'F01', 'F02']);
    const [c01, f01, f02] = m.cells;
    expect(c01!.poling).toBe('none');
    expect(c01!.cellType).toBe('Li||Cu'); // case-insensitive enum, canonical spelling
    expect(c01!.electrodeAreaCm2).toBe(1.13);
    expect(f01!.restHours).toBe(24);
    expect(f01!.files).toEqual(['cycling/F01_*.csv']);
    expect(f02!.poling).toBe('poled');
    expect(f02!.preadsorbedAnion).toBe('NO3-');
  });

  it('names an unknown key and suggests the closest', () => {
    const p = problems(`cells:\n  - { id: C01, group: control, rest_hour: 3 }\n`);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/unknown key 'rest_hour' \(did you mean 'rest_hours'\?\)/);
  });

  it('reports missing and duplicate ids, missing group, bad numbers and enums together', () => {
    const p = problems(`cells:
  - { group: control }
  - { id: A1, group: x, rest_hours: ten }
  - { id: A1, group: y, cell_type: coin }
  - { id: B1 }
  - { id: B2, group: z, ferroelectric: PZT }
`);
    expect(p.some((x) => /cells\[0\]: missing 'id'/.test(x))).toBe(true);
    expect(p.some((x) => /'rest_hours' must be a number, found 'ten'/.test(x))).toBe(true);
    expect(p.some((x) => /duplicate id 'A1' \(also cells\[1\]\)/.test(x))).toBe(true);
    expect(p.some((x) => /'cell_type' must be one of Li\|\|Cu, Li\|\|Li, full, anode-free, found 'coin'/.test(x))).toBe(true);
    expect(p.some((x) => /\(B1\): missing 'group'/.test(x))).toBe(true);
    expect(p.some((x) => /\(B2\): a layer \('ferroelectric' \/ 'layer'\) is given, so 'poling' must say/.test(x))).toBe(true);
  });

  it('refuses file patterns that leave the campaign folder', () => {
    const p = problems(`cells:\n  - { id: C1, group: g, files: ["../other/*.csv", "/etc/passwd", "ok/*.csv"] }\n`);
    expect(p.filter((x) => /leaves the campaign folder/.test(x))).toHaveLength(2);
  });

  it('an empty or non-mapping manifest gets an example', () => {
    expect(problems('just text')[0]).toMatch(/for example:/);
    expect(problems('cells: []')[0]).toMatch(/non-empty list/);
  });

  it('a file claimed by two cells is reported and left unassigned', () => {
    const m = validateManifest(
      parse(`cells:\n  - { id: A, group: g, files: ["data/*.csv"] }\n  - { id: B, group: g, files: ["data/x*.csv"] }\n`),
      'campaign.yaml',
    );
    const { assignments, problems: pr } = assignFiles(m, ['data/x1.csv', 'data/y.csv']);
    expect(pr).toHaveLength(1);
    expect(pr[0]).toMatch(/'data\/x1.csv' is claimed by cells A and B/);
    expect(assignments.find((a) => a.file === 'data/x1.csv')!.cellId).toBeNull();
    expect(assignments.find((a) => a.file === 'data/y.csv')!.cellId).toBe('A');
  });

  it('default assignment matches the id as a whole token', () => {
    const m = validateManifest(parse(`cells:\n  - { id: A1, group: g }\n  - { id: A10, group: g }\n`), 'c.yaml');
    const { assignments } = assignFiles(m, ['A1_cycling.csv', 'run-A10.mpt', 'XA1.csv', 'eis/a1.DTA']);
    expect(assignments.map((a) => a.cellId)).toEqual(['A1', 'A10', null, 'A1']);
  });

  it('reads an XLSX-style sheet table into the same manifest', () => {
    const doc = manifestFromSheets({
      cells: [
        ['id', 'group', 'rest_hours'],
        ['C1', 'control', 0],
        ['F1', 'BTO', '24'],
        [null, null, null],
      ],
      campaign: [['campaign', 'xl']],
    });
    const m = validateManifest(doc, 'campaign.xlsx');
    expect(m.name).toBe('xl');
    expect(m.cells.map((c) => [c.id, c.restHours])).toEqual([
      ['C1', 0],
      ['F1', 24],
    ]);
  });
});

describe('globs', () => {
  it('matches *, **, ? and braces', () => {
    expect(globToRegExp('cycling/*.csv').test('cycling/a.csv')).toBe(true);
    expect(globToRegExp('cycling/*.csv').test('cycling/sub/a.csv')).toBe(false);
    expect(globToRegExp('**/F01*').test('a/b/F01_x.mpt')).toBe(true);
    expect(globToRegExp('**/F01*').test('F01_x.mpt')).toBe(true);
    expect(globToRegExp('eis/F0?.{DTA,z}').test('eis/F01.z')).toBe(true);
    expect(globToRegExp('eis/F0?.{DTA,z}').test('eis/F01.mpt')).toBe(false);
    expect(globEscapes('a/../../b')).toBe(true);
    expect(nameContainsId('C01_LiCu.csv', 'C01')).toBe(true);
    expect(nameContainsId('C010.csv', 'C01')).toBe(false);
  });
});

import { readManifest } from '../../src/campaign/load.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';

describe('campaign.xlsx', () => {
  it('reads a real workbook (written with xlsx) through the sandboxed reader', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['campaign', 'xl-study']]), 'campaign');
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['id', 'group', 'poling', 'ferroelectric', 'rest_hours', 'files'],
        ['C1', 'control', 'none', null, 0, null],
        ['P1', 'BTO', 'poled', 'BaTiO3', 24, 'cyc/P1*; eis/P1*'],
      ]),
      'cells',
    );
    const d = mkdtempSync(join(tmpdir(), 'ip-xl-'));
    const p = join(d, 'campaign.xlsx');
    writeFileSync(p, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }));
    const m = await readManifest(p, 'folder');
    expect(m.name).toBe('xl-study');
    expect(m.cells.map((c) => [c.id, c.poling, c.restHours])).toEqual([
      ['C1', 'none', 0],
      ['P1', 'poled', 24],
    ]);
    expect(m.cells[1]!.files).toEqual(['cyc/P1*', 'eis/P1*']);
  });
});
