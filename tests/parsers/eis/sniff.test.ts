/**
 * Every EIS sniffer stays below the detection threshold (0.5) on every real file that is not its
 * own format: all other families, BioLogic EIS, and the other EIS readers' folders.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal, realFiles } from '../../helpers/realData.js';
import { eisFormats } from '../../../parsers/eis/index.js';
import { latin1 } from '../../../parsers/text/decode.js';

/** Real-data folders that hold each reader's own format (none for the generic CSV). */
const OWN: Record<string, readonly string[]> = {
  'gamry-dta': ['eis/gamry-dta/'],
  'gamry-chronoa': [], // no real CHRONOA .DTA in shared/real-data (hand-made file in tests/fixtures/transference)
  'zplot-z': ['eis/zview-z/'],
  'autolab-z60w-txt': ['eis/autolab-txt/'],
  'zahner-ism': ['eis/zahner-ism/'],
  'versastudio-par': ['eis/versastudio-par/'],
  'parstat-txt': ['eis/parstat-txt/'],
  'chi-txt': ['eis/chi-txt/'],
  'powersuite-txt': ['eis/powersuite-txt/'],
  'maccor-eis-txt': ['eis/maccor-eis-txt/'],
  'autolab-dfr': [], // no real .dfr in shared/real-data (hand-made file in tests/fixtures/issue19)
  'eis-generic-csv': [],
};

describe.skipIf(!HAVE_REAL_DATA)('EIS sniffers on foreign files', () => {
  const files = ['cycler', 'xps', 'tofsims', 'pe-loop', 'eis'].flatMap((f) => realFiles(f));

  it('covers every reader and a real set of files', () => {
    expect(Object.keys(OWN).sort()).toEqual(eisFormats.map((f) => f.id).sort());
    expect(files.length).toBeGreaterThan(50);
  });

  for (const p of eisFormats) {
    it(`${p.id} < 0.5 on every foreign file`, () => {
      const high: string[] = [];
      for (const rel of files) {
        if (OWN[p.id]!.some((o) => rel.startsWith(o))) continue;
        const bytes = readReal(rel);
        const head = bytes.subarray(0, 65536);
        const r = p.sniff({ name: rel.split('/').pop()!, head, headText: latin1(head), size: bytes.length });
        const c = typeof r === 'number' ? r : r.confidence;
        if (c >= 0.5) high.push(`${rel} (${c})`);
      }
      expect(high).toEqual([]);
    });
  }
});
