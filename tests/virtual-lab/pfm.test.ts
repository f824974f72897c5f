/**
 * Issue #20 §4 end to end: the virtual lab's opt-in `pfmImages` writer (off by default: the demo is
 * unchanged) → .gwy detected and parsed → the PFM fitter recovers each cell's planted net polarisation
 * fraction within 0.03 (the writer's stripes quantise f_up to 1/64; the orientation is uncalibrated, so
 * the magnitude is compared).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeVirtualCampaign } from '../../fixtures/virtual-lab/campaign.js';
import { fdStudyDesign } from '../../fixtures/virtual-lab/design.js';
import { detectFormat, sniffInput } from '../../parsers/index.js';
import { fitPfmRecord } from '../../src/fit/pfm/index.js';
import type { ParsedRecord } from '../../src/records/record.js';
import { runBatch } from '../../pipelines/batch.js';

describe('virtual lab pfmImages flag', () => {
  it('off by default: no pfm folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-pfm0-'));
    try {
      await writeVirtualCampaign(join(dir, 'c'), fdStudyDesign({ cellsPerGroup: 1, cycles: 6 }));
      expect(existsSync(join(dir, 'c', 'pfm'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on: one .gwy per layer cell, planted net polarisation recovered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-pfm-'));
    try {
      const camp = join(dir, 'c');
      await writeVirtualCampaign(camp, fdStudyDesign({ cellsPerGroup: 2, cycles: 6 }), { pfmImages: true });
      const truth = JSON.parse(readFileSync(join(camp, 'truth.json'), 'utf8')) as { cells: Record<string, { pfm?: { netPolarisation: number } }> };
      const files = readdirSync(join(camp, 'pfm'));
      const layered = Object.entries(truth.cells).filter(([, t]) => t.pfm);
      expect(files.length).toBe(layered.length);
      expect(layered.some(([, t]) => t.pfm!.netPolarisation > 0.3)).toBe(true);
      for (const [id, t] of layered) {
        const f = files.find((x) => x.startsWith(`${id}_`))!;
        const bytes = new Uint8Array(readFileSync(join(camp, 'pfm', f)));
        const det = detectFormat(sniffInput(f, bytes, bytes.length)).best!;
        expect(det.format.id).toBe('gwyddion-gwy');
        const [rec] = (await det.format.parse({ path: f, bytes })) as ParsedRecord[];
        const out = fitPfmRecord(rec!);
        const net = out.parameters.find((p) => p.name === 'pfm_net_polarisation')!.value;
        expect(Math.abs(net - Math.abs(t.pfm!.netPolarisation)), `${id}: ${net} vs ${t.pfm!.netPolarisation}`).toBeLessThan(0.03);
      }
      // through the batch pipeline: one pfm_net_polarisation per layer cell in the report
      const { summary, report } = await runBatch(camp, { outDir: join(dir, 'out'), workers: 0 });
      expect(summary.failures).toEqual([]);
      const pn = report.parameters.filter((p) => p.name === 'pfm_net_polarisation');
      expect(new Set(pn.map((p) => p.cell))).toEqual(new Set(layered.map(([id]) => id)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
