/** The campaign.yaml shown in the README is a valid manifest (documentation that cannot rot silently). */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { validateManifest } from '../../src/campaign/manifest.js';

describe('README manifest example', () => {
  it('parses and validates, with the generic-CSV mapping and the ignore list', () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const m = validateManifest(parse(block), 'README.md');
    expect(m.cells.map((c) => [c.id, c.poling, c.cellType, c.restHours])).toEqual([
      ['C01', 'none', 'Li||Cu', 0],
      ['P01', 'poled', 'Li||Cu', 24],
      ['U01', 'unpoled', 'Li||Cu', 24],
    ]);
    expect(m.cells[2]!.files).toEqual(['cycling/U01_*.csv', 'eis/U01*']);
    expect(m.ignore).toEqual(['notes/*']);
    expect(m.formats[0]).toMatchObject({ files: 'export/*.csv', format: 'generic-csv' });
  });
});
