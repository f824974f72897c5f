/**
 * The virtual lab's opt-in Raman samples (issue #20 §3): off by default (no raman/ folder, the demo's
 * files unchanged); on, each cell gets a JCAMP-DX spectrum that the registry detects, the vibrational
 * fitter recovers the planted CIP + AGG share within 0.03, and H16 decides the planted layer effect.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { writeVirtualCampaign } from '../../fixtures/virtual-lab/campaign.js';
import { fdStudyDesign } from '../../fixtures/virtual-lab/design.js';
import { parseBytes } from '../../src/io/load.js';
import { fitRecord } from '../../src/fit/index.js';
import { evaluateHypotheses } from '../../src/hypotheses/engine.js';
import { runBatch } from '../../pipelines/batch.js';
import type { CellSpec } from '../../src/campaign/manifest.js';
import type { CellParameter } from '../../src/report/types.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'interphase-raman-'));
  dirs.push(d);
  return d;
};

describe('virtual lab Raman samples', () => {
  it('are not written unless asked', async () => {
    const dir = tmp();
    await writeVirtualCampaign(dir, fdStudyDesign({ cellsPerGroup: 1, cycles: 6 }), { eis: false });
    expect(existsSync(join(dir, 'raman'))).toBe(false);
  });

  it('when asked: detected as JCAMP-DX, fitted back to the planted share, and H16 supported', async () => {
    const dir = tmp();
    const plant = (poling: string, fe: boolean): number => (poling === 'poled' ? 0.6 : fe ? 0.53 : 0.45);
    const { cells, truth } = await writeVirtualCampaign(dir, fdStudyDesign({ cellsPerGroup: 3, cycles: 6 }), {
      eis: false,
      ramanSpectra: { sheathFraction: (c) => plant(c.group.poling, !!c.group.ferroelectric) },
    });
    const specs: CellSpec[] = [];
    const params: CellParameter[] = [];
    for (const c of cells) {
      const name = `${c.id}_electrolyte_raman.jdx`;
      const { records } = await parseBytes(name, new Uint8Array(readFileSync(join(dir, 'raman', name))));
      expect(records[0]!.format).toBe('jcamp-dx');
      expect(records[0]!.meta.technique).toBe('raman');
      const [out] = fitRecord(records[0]!, {});
      const sheath = out!.parameters.find((p) => p.name === 'anion_sheath_fraction')!;
      expect(Math.abs(sheath.value - truth.cells[c.id]!.solvation!.sheathFraction), c.id).toBeLessThan(0.03);
      const bound = out!.parameters.find((p) => p.name === 'solvent_coordinated_fraction')!;
      expect(Math.abs(bound.value - 0.3), c.id).toBeLessThan(0.03);
      specs.push({
        id: c.id,
        group: c.group.name,
        poling: c.group.poling as CellSpec['poling'],
        ferroelectric: c.group.ferroelectric ?? undefined,
        files: [],
      } as CellSpec);
      for (const p of out!.parameters)
        params.push({
          cell: c.id,
          group: c.group.name,
          name: p.name,
          value: p.value,
          unit: p.unit,
          stderr: p.stderr ?? null,
          ci95: p.ci95 ?? null,
          censored: null,
          n: 1,
          fitter: out!.fitter,
          fitOk: out!.quality.ok,
          sources: [],
        });
    }
    const h16 = evaluateHypotheses(specs, params, { tukeyCi: false }).find((r) => r.id === 'H16')!;
    expect(h16.verdict, h16.reason).toBe('supported');
    expect(h16.reason).toMatch(/an effect of the layer/);
  });

  it('through the batch pipeline (files → store → fits → report): H16 supported, the fractions in the parameters', async () => {
    const dir = tmp();
    await writeVirtualCampaign(join(dir, 'campaign'), fdStudyDesign({ cellsPerGroup: 3, cycles: 6 }), {
      eis: false,
      ramanSpectra: { sheathFraction: (c) => (c.group.poling === 'poled' ? 0.6 : c.group.ferroelectric ? 0.53 : 0.45) },
    });
    const { summary, report } = await runBatch(join(dir, 'campaign'), { outDir: join(dir, 'out'), workers: 0 });
    expect(summary.files.failed).toBe(0);
    expect(summary.parameters.filter((p) => p.name === 'anion_sheath_fraction')).toHaveLength(9);
    const h16 = report.hypotheses.find((h) => h.id === 'H16')!;
    expect(h16.verdict, h16.reason).toBe('supported');
    expect(h16.reason).toMatch(/poled − unpoled layer Δ = /);
  }, 120_000);
});
