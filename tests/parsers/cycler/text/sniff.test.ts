import { describe, expect, it } from 'vitest';
import { cyclerTextFormats } from '../../../../parsers/cycler/text-formats.js';
import { HAVE_REAL_DATA, readReal, realFiles } from '../../../helpers/realData.js';
import { sniff } from './helpers.js';

const MINE: Record<string, string> = {
  'arbin-csv': 'arbin-csv',
  'generic-csv/cellpy__batmo_bdf.csv': 'bdf-csv',
  'generic-csv/bdt__CALCE': 'batteryarchive-csv',
  'maccor-csv': 'maccor-text',
  'maccor-txt': 'maccor-text',
  'basytec-txt': 'basytec-txt',
  'novonix-csv': 'novonix-csv',
  'pec-csv': 'pec-csv',
  'neware-csv': 'neware-csv',
  'neware-txt': 'neware-txt',
};

function expected(rel: string): string | undefined {
  const key = Object.keys(MINE).find((k) => rel.startsWith(`cycler/${k}`));
  return key ? MINE[key] : undefined;
}

describe.skipIf(!HAVE_REAL_DATA)('text cycler sniffers', () => {
  const files = [...realFiles('cycler'), ...['eis', 'xps', 'tofsims', 'pe-loop'].flatMap((f) => realFiles(f))];
  it('found the real files', () => expect(files.length).toBeGreaterThan(40));
  for (const rel of files) {
    const want = expected(rel);
    it(`${rel} → ${want ?? 'none of the text cycler formats'}`, () => {
      const bytes = readReal(rel);
      const name = rel.split('/').pop()!;
      for (const f of cyclerTextFormats) {
        const c = sniff(f, name, bytes);
        if (f.id === want) expect(c, f.id).toBeGreaterThanOrEqual(0.5);
        else expect(c, f.id).toBeLessThan(0.5);
      }
    });
  }
  it('the generic reader never claims a file', () => {
    const g = cyclerTextFormats.find((f) => f.id === 'generic-csv')!;
    for (const rel of files.slice(0, 10)) expect(sniff(g, rel, readReal(rel))).toBe(0);
  });
});
