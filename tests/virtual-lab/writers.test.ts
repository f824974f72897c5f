/**
 * Every virtual-lab writer is read back with the project's own parsers (src/io/load.ts parseBytes →
 * the format registry): the parsed currents, when integrated, must give back the simulated CE of every
 * cycle; the spectrum must give back R0 and R0 + R_SEI + R_ct. A read-back whose parser is not
 * registered is skipped with a message naming the parser (never silently).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBytes } from '../../src/io/load.js';
import { formatById } from '../../parsers/index.js';
import type { CanonicalRecord } from '../../src/records/record.js';
import { fdStudyDesign } from '../../fixtures/virtual-lab/design.js';
import { writeVirtualCampaign, type CampaignTruth } from '../../fixtures/virtual-lab/campaign.js';

function registered(id: string): boolean {
  const ok = formatById(id) !== undefined;
  if (!ok) console.warn(`virtual-lab read-back skipped: parser '${id}' is not registered in parsers/index.ts yet`);
  return ok;
}

function col(r: CanonicalRecord, name: string): Float64Array {
  const c = r.columns.find((x) => x.name === name);
  if (!c) throw new Error(`record has no '${name}' column; it has ${r.columns.map((x) => x.name).join(', ')}`);
  return Float64Array.from(c.values as ArrayLike<number>);
}

/** CE per cycle from the logged current (sample-and-hold, as the writer lays the samples out). */
function ceFromRecord(r: CanonicalRecord): number[] {
  const t = col(r, 'Test Time');
  const I = col(r, 'Current');
  const cyc = col(r, 'Cycle Count');
  const out = new Map<number, { p: number; s: number }>();
  for (let i = 0; i + 1 < t.length; i++) {
    const q = I[i]! * (t[i + 1]! - t[i]!);
    const e = out.get(cyc[i]!) ?? { p: 0, s: 0 };
    if (q < 0) e.p -= q;
    else e.s += q;
    out.set(cyc[i]!, e);
  }
  // the last sample of the file holds no interval: the final cycle's strip ends on its cut-off point
  return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e.s / e.p);
}

let dir: string;
let truth: CampaignTruth;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vlab-'));
  const d = fdStudyDesign({ cellsPerGroup: 2, cycles: 12 });
  ({ truth } = await writeVirtualCampaign(
    dir,
    { ...d, groups: d.groups.map((g) => ({ ...g, restCycles: [3] })) },
    { cyclerFormat: 'alternate', eis: true, pointsPerHalf: 5, simsImages: true, peLoops: true, xpsProfiles: true },
  ));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readBack(name: string): Promise<CanonicalRecord[]> {
  const path = join(dir, name);
  return (await parseBytes(path, new Uint8Array(await readFile(path)))).records;
}

describe('cycler writers', () => {
  it.skipIf(!registered('arbin-csv'))('Arbin CSV: detected as arbin-csv, per-cycle CE equals the simulated (noisy) CE', async () => {
    const files = (await readdir(join(dir, 'cycling'))).filter((f) => f.endsWith('.csv'));
    expect(files.length).toBe(3);
    for (const f of files) {
      const [rec] = await readBack(join('cycling', f));
      expect(rec!.format).toBe('arbin-csv');
      const id = f.split('_')[0]!;
      const ce = ceFromRecord(rec!);
      expect(ce.length).toBe(12);
      ce.forEach((x, i) => expect(Math.abs(x - truth.cells[id]!.ceMeasured[i]!), `${id} cycle ${i + 1}`).toBeLessThan(2e-5));
    }
  });
  it.skipIf(!registered('biologic-mpt'))('BioLogic .mpt: detected as biologic-mpt (cycler), per-cycle CE equals the simulated CE', async () => {
    const files = (await readdir(join(dir, 'cycling'))).filter((f) => f.endsWith('.mpt'));
    expect(files.length).toBe(3);
    for (const f of files) {
      const [rec] = await readBack(join('cycling', f));
      expect(rec!.format).toBe('biologic-mpt');
      expect(rec!.kind).toBe('cycler');
      const id = f.split('_')[0]!;
      const ce = ceFromRecord(rec!);
      expect(ce.length).toBe(12);
      ce.forEach((x, i) => expect(Math.abs(x - truth.cells[id]!.ceMeasured[i]!), `${id} cycle ${i + 1}`).toBeLessThan(2e-5));
      const I = col(rec!, 'Current');
      expect(Math.max(...I.map(Math.abs))).toBeCloseTo((0.5 * 1.13) / 1000, 9); // mA → A at the parser
    }
  });
});

describe('impedance writer', () => {
  it.skipIf(!registered('gamry-dta'))('Gamry .DTA: detected as gamry-dta, Z gives back R0 and R0 + R_SEI + R_ct', async () => {
    const files = (await readdir(join(dir, 'eis'))).filter((f) => f.endsWith('.DTA'));
    expect(files.length).toBe(6);
    for (const f of files) {
      const recs = await readBack(join('eis', f));
      expect(recs[0]!.format).toBe('gamry-dta');
      const fr = col(recs[0]!, 'Frequency');
      const zr = col(recs[0]!, 'Real Impedance');
      const zi = col(recs[0]!, 'Imaginary Impedance');
      const id = f.split('_')[0]!;
      const hi = fr.indexOf(Math.max(...fr));
      expect(zr[hi]!).toBeGreaterThan(3.2 * 0.97);
      expect(zr[hi]!).toBeLessThan(3.2 + 0.1 * truth.cells[id]!.rSei + 1);
      expect(Math.min(...zi)).toBeLessThan(0); // capacitive arcs: true imaginary part negative
      const lo = fr.indexOf(Math.min(...fr));
      expect(Math.abs(zr[lo]! / (3.2 + truth.cells[id]!.rSei + 18) - 1)).toBeLessThan(0.1);
    }
  });
});

describe('ToF-SIMS image writer', () => {
  it.skipIf(!registered('sims-image-text'))('image text: detected as sims-image-text; the sims fitter gives the planted H back (±15 %)', async () => {
    const { createSimsFitter } = await import('../../src/fit/sims/fitter.js');
    const files = (await readdir(join(dir, 'tofsims'))).filter((f) => f.endsWith('_image.txt'));
    expect(files.length).toBe(6);
    for (const f of files) {
      const [rec] = await readBack(join('tofsims', f));
      expect(rec!.format).toBe('sims-image-text');
      expect(rec!.kind).toBe('sims-image');
      const out = createSimsFitter().fit(rec!, {});
      const h =
        out.parameters.find((p) => p.name === 'heterogeneity_index' && p.scope === undefined) ?? out.parameters.find((p) => p.name === 'heterogeneity_index');
      const id = f.split('_')[0]!;
      expect(h, out.quality.messages.join(' | ')).toBeDefined();
      expect(Math.abs(h!.value / truth.cells[id]!.final.heterogeneity - 1), `${id}: ${h!.value} vs ${truth.cells[id]!.final.heterogeneity}`).toBeLessThan(0.15);
    }
  });
});

describe('aixACCT P–E writer', () => {
  it.skipIf(!registered('aixacct-tsv'))('TSV: detected as aixacct-tsv; P at V = 0 gives Pr back and after/pristine gives the retention', async () => {
    const files = (await readdir(join(dir, 'pe'))).filter((f) => f.endsWith('.tsv'));
    expect(files.length).toBe(4); // two poled cells × pristine, after cycling
    const prOf = async (f: string): Promise<number> => {
      const [rec] = await readBack(join('pe', f));
      expect(rec!.format).toBe('aixacct-tsv');
      const V = col(rec!, 'Voltage');
      const P = col(rec!, 'Polarization');
      const cross: number[] = [];
      for (let i = 1; i < V.length; i++) if (V[i - 1]! > 0 && V[i]! <= 0) cross.push(P[i - 1]! + ((P[i]! - P[i - 1]!) * V[i - 1]!) / (V[i - 1]! - V[i]!));
      return cross[0]!;
    };
    for (const id of ['P01', 'P02']) {
      const pristine = await prOf(`${id}_pristine_Table1.tsv`);
      const after = await prOf(`${id}_after_cycling_Table1.tsv`);
      // the writer adds 1 % measurement noise to each loop's Pr (so no two cells write identical files)
      expect(Math.abs(pristine / 20 - 1)).toBeLessThan(0.04);
      expect(Math.abs(after / pristine / truth.cells[id]!.final.polarisationRetention! - 1)).toBeLessThan(0.06);
    }
  });
});

describe('VAMAS XPS writer', () => {
  it.skipIf(!registered('vamas'))('depth profile: detected as vamas, 6 etch levels × 4 regions with their sputter times', async () => {
    const files = (await readdir(join(dir, 'xps'))).filter((f) => f.endsWith('.vms'));
    expect(files.length).toBe(6);
    const errors: number[] = [];
    const { xpsFitter } = await import('../../src/fit/xps/fitter.js');
    for (const f of files) {
      const [rec] = await readBack(join('xps', f));
      expect(rec!.format).toBe('vamas');
      const levels = new Set(Array.from(col(rec!, 'Etch Level')));
      expect(levels.size).toBe(6);
      expect(Math.max(...col(rec!, 'Sputter Time'))).toBe(480);
      const region = rec!.columns.find((c) => c.name === 'Region')!;
      expect(new Set(Array.from(region.values as Int32Array, (i) => region.levels![i]))).toEqual(new Set(['F 1s', 'O 1s', 'C 1s', 'Li 1s']));
      // The writer and the XPS fitter share one atomic-basis definition of f (and the reader's hν − KE
      // axis). Per file: the median over the levels where the SEI dominates the probed depth (30–120 s).
      const out = xpsFitter.fit(rec!, {});
      // Every low-count level is usable (issue #5): no background non-convergence, no charging flag.
      expect(out.quality.ok, `${f}: ${out.quality.messages.join('; ')}`).toBe(true);
      const planted = truth.cells[f.split('_')[0]!]!.final.inorganicFraction;
      const deep = out.parameters
        .filter((p) => p.name === 'sei_inorganic_fraction' && p.scope && /level [123] /.test(p.scope))
        .map((p) => p.value)
        .sort((a, b) => a - b);
      expect(deep.length).toBe(3);
      errors.push(Math.abs(deep[1]! - planted));
    }
    // The planted f comes back in every file (it missed by up to ~0.13 while the Shirley background of
    // these low-count levels was imposed through noisy end points and peak fits stopped unconverged).
    errors.sort((a, b) => a - b);
    expect(errors[errors.length >> 1]!).toBeLessThan(0.02);
    expect(errors[errors.length - 1]!).toBeLessThan(0.04);
  });
});
