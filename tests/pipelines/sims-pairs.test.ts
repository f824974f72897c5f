/**
 * One file per ion through the whole batch: two cells × (LiF2⁻, C2H⁻) images with planted heterogeneity
 * give heterogeneity_index per cell from the campaign pairing, with no failed file; a lone image is parsed
 * and carries the missing-partner warning in the report.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../../pipelines/batch.js';
import { plantedSharePair, writeSimsIonImages } from '../../fixtures/virtual-lab/writers/tofsims-ion-images.js';
import { mulberry32, normal } from '../../fixtures/virtual-lab/random.js';

describe('batch: ToF-SIMS single-ion images paired per cell', () => {
  it('two cells × two ion files → heterogeneity_index per cell, 0 failed; a lone image is parsed with a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-sims-pairs-'));
    try {
      const camp = join(dir, 'camp');
      mkdirSync(join(camp, 'tofsims'), { recursive: true });
      writeFileSync(
        join(camp, 'campaign.yaml'),
        'campaign: t\ncells:\n  - { id: A1, group: control }\n  - { id: B1, group: BTO, ferroelectric: BaTiO3, poling: poled }\n',
      );
      const truth = new Map<string, number>();
      for (const [cell, het, seed] of [
        ['A1', 0.35, 31],
        ['B1', 0.15, 32],
      ] as const) {
        const rand = mulberry32(seed);
        const p = plantedSharePair({ pixels: 128, fovUm: 500, heterogeneity: het, countsPerUm2: 2 }, rand, normal(rand));
        truth.set(cell, p.fieldCv);
        for (const f of writeSimsIonImages(cell, [
          { ion: 'LiF2-', polarity: 'negative', counts: p.inorganic, width: 128, fovUm: 500 },
          { ion: 'C2H-', polarity: 'negative', counts: p.organic, width: 128, fovUm: 500 },
        ]))
          writeFileSync(join(camp, 'tofsims', f.name), f.text);
      }
      // A second acquisition of B1 with only its inorganic image.
      const rand = mulberry32(33);
      const lone = plantedSharePair({ pixels: 32, fovUm: 500, heterogeneity: 0.2 }, rand, normal(rand));
      const [f] = writeSimsIonImages('B1', [{ ion: 'LiF2-', polarity: 'negative', counts: lone.inorganic, width: 32, fovUm: 500 }]);
      writeFileSync(join(camp, 'tofsims', f!.name.replace('.txt', '_spot2.txt')), f!.text);

      const { summary, report } = await runBatch(camp, { outDir: join(dir, 'out'), workers: 0 });
      expect(summary.files).toMatchObject({ parsed: 5, failed: 0, quarantined: 0 });
      expect(report.files.map((x) => [x.path, x.status, x.format, x.cell])).toEqual([
        ['tofsims/A1_neg_C2H-_500um.txt', 'parsed', 'sims-image-text', 'A1'],
        ['tofsims/A1_neg_LiF2-_500um.txt', 'parsed', 'sims-image-text', 'A1'],
        ['tofsims/B1_neg_C2H-_500um.txt', 'parsed', 'sims-image-text', 'B1'],
        ['tofsims/B1_neg_LiF2-_500um.txt', 'parsed', 'sims-image-text', 'B1'],
        ['tofsims/B1_neg_LiF2-_500um_spot2.txt', 'parsed', 'sims-image-text', 'B1'],
      ]);
      const H = report.parameters.filter((p) => p.name === 'heterogeneity_index');
      expect(H.map((p) => [p.cell, p.fitter, p.n, p.sources.length])).toEqual([
        ['A1', 'sims-pairing', 1, 2],
        ['B1', 'sims-pairing', 1, 2],
      ]);
      for (const p of H) expect(Math.abs(p.value! - truth.get(p.cell)!)).toBeLessThan(0.01);
      expect(H[0]!.note).toContain('7.81 µm');
      // The per-record fits of single-ion images are not failures.
      const simsFits = report.fits.filter((x) => x.fitter === 'sims');
      expect(simsFits.map((x) => x.ok)).toEqual([true, true, true, true, true]);
      expect(simsFits[0]!.messages[0]).toMatch(/^single-ion image \(C_2H-: organic\)/);
      const loneFile = report.files.find((x) => x.path.endsWith('_spot2.txt'))!;
      expect(loneFile.warnings.map((w) => w.code)).toEqual(['sims-missing-organic-partner']);
      expect(loneFile.warnings[0]!.message).toContain('no organic-marker partner');
      expect(report.files.filter((x) => !x.path.endsWith('_spot2.txt')).every((x) => x.warnings.length === 0)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
