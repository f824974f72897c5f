/**
 * Issue #20 §2 end to end: the virtual lab's opt-in `transference` writer (off by default) → the batch
 * pipeline (EC-Lab CA .mpt and Gamry CHRONOA .DTA, spectra before and after) → Bruce–Vincent t₊ per
 * cell recovered against truth.json → H15 on a planted layer effect.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeVirtualCampaign } from '../../fixtures/virtual-lab/campaign.js';
import { fdStudyDesign } from '../../fixtures/virtual-lab/design.js';
import { runBatch } from '../../pipelines/batch.js';

describe('virtual lab transference flag → pipeline → t₊ and H15', () => {
  it('off by default: no transference files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-bv0-'));
    try {
      await writeVirtualCampaign(join(dir, 'c'), fdStudyDesign({ cellsPerGroup: 1, cycles: 6 }));
      expect(existsSync(join(dir, 'c', 'transference'))).toBe(false);
      expect(readdirSync(join(dir, 'c', 'eis')).some((f) => f.includes('_bv_'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on: both CA layouts parsed, planted t₊ recovered per cell, H15 supported (layer effect), poled − unpoled reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-bv-'));
    try {
      const camp = join(dir, 'c');
      const tPlus = (c: { group: { poling: string } }): number => (c.group.poling === 'none' ? 0.3 : c.group.poling === 'poled' ? 0.45 : 0.42);
      await writeVirtualCampaign(camp, fdStudyDesign({ cellsPerGroup: 2, cycles: 4 }), { transference: { tPlus, format: 'alternate' } });
      const files = readdirSync(join(camp, 'transference'));
      expect(files.some((f) => f.endsWith('.mpt'))).toBe(true);
      expect(files.some((f) => f.endsWith('.DTA'))).toBe(true);
      const truth = JSON.parse(readFileSync(join(camp, 'truth.json'), 'utf8')) as { cells: Record<string, { transference?: { tPlus: number } }> };
      const { summary, report } = await runBatch(camp, { outDir: join(dir, 'out'), workers: 0 });
      expect(summary.failures).toEqual([]);
      const tp = report.parameters.filter((p) => p.name === 'transference_number');
      expect(tp.length).toBe(Object.keys(truth.cells).length);
      for (const p of tp) {
        // R₀ / R_ss come from the impedance fits of noisy spectra: recovered within 0.02
        expect(Math.abs(p.value! - truth.cells[p.cell]!.transference!.tPlus), `${p.cell} ${p.value}`).toBeLessThan(0.02);
        expect(p.stderr).toBeGreaterThan(0);
      }
      const h15 = report.hypotheses.find((h) => h.id === 'H15')! as { verdict: string; reason: string };
      expect(h15.verdict).toBe('supported');
      expect(h15.reason).toMatch(/an effect of the layer; polarisation is H8's question/);
      expect(h15.reason).toMatch(/poled − unpoled layer Δt₊/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
