/**
 * The virtual lab's opt-in nucleation dip (WriteOptions.nucleationDip, issue #20 §1): the Arbin CSV it writes
 * is read back with the project's parser and the cycle fitter recovers the planted η_nuc of the first and
 * later platings; without the option the same cell's log has no dip and η_nuc is refused as unresolved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBytes } from '../../../src/io/load.js';
import { fdStudyDesign } from '../../../fixtures/virtual-lab/design.js';
import { writeVirtualCampaign, type CampaignTruth } from '../../../fixtures/virtual-lab/campaign.js';
import { cycleFitter } from '../../../src/fit/cycles/fitter.js';
import { PARAMETERS } from '../../../src/records/parameters.js';
import type { FitOutcome } from '../../../src/fit/types.js';

const design = fdStudyDesign({ cellsPerGroup: 1, cycles: 4 });
let dirs: string[] = [];
let withDip: { dir: string; truth: CampaignTruth };
let plain: { dir: string; truth: CampaignTruth };

beforeAll(async () => {
  const a = await mkdtemp(join(tmpdir(), 'vlab-nuc-'));
  const b = await mkdtemp(join(tmpdir(), 'vlab-plain-'));
  dirs = [a, b];
  withDip = await writeVirtualCampaign(a, design, {
    eis: false,
    nucleationDip: { etaFirst_V: 0.1, etaLater_V: (c) => (c.group.poling === 'poled' ? 0.03 : 0.05), tMin_s: 20 },
  });
  plain = await writeVirtualCampaign(b, design, { eis: false });
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function fitCell(dir: string, id: string): Promise<FitOutcome> {
  const path = join(dir, 'cycling', `${id}_LiCu_cycling.csv`);
  const rec = (await parseBytes(path, new Uint8Array(await readFile(path)))).records[0]!;
  return cycleFitter.fit(rec, { cellType: 'Li||Cu', electrodeAreaCm2: design.electrodeAreaCm2 });
}

describe('virtual lab: opt-in nucleation dip', () => {
  it('η_nuc of the first and later platings come back within 1 mV; truth.json records them', async () => {
    for (const [id, t] of Object.entries(withDip.truth.cells)) {
      expect(t.nucleation).toBeDefined();
      const out = await fitCell(withDip.dir, id);
      const first = out.parameters.find((p) => p.name === PARAMETERS.nucleationOverpotentialFirst.name)!;
      expect(Math.abs(first.value - t.nucleation!.etaFirst_V), id).toBeLessThan(1e-3);
      const mean = out.parameters.find((p) => p.name === PARAMETERS.nucleationOverpotentialMean.name)!;
      expect(Math.abs(mean.value - t.nucleation!.etaLater_V), id).toBeLessThan(1e-3);
    }
  });

  it('off by default: the same cell without the option has no resolvable dip (η_nuc refused, flagged)', async () => {
    const id = Object.keys(plain.truth.cells)[0]!;
    expect(plain.truth.cells[id]!.nucleation).toBeUndefined();
    const out = await fitCell(plain.dir, id);
    const first = out.parameters.find((p) => p.name === PARAMETERS.nucleationOverpotentialFirst.name)!;
    expect(Number.isNaN(first.value)).toBe(true);
    expect(first.flags).toContain('non-identifiable');
  });
});
