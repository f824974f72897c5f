/**
 * The virtual lab's opt-in `xpsTi2p` writer option (off by default: the XPS files are byte-identical to
 * the writer without it): cells with a ferroelectric layer get Ti 2p + Ba 3d regions at every etch level
 * with a planted Ti³⁺/(Ti³⁺ + Ti⁴⁺); read back by the `vamas` parser and fitted by src/fit/xps, and run
 * through the batch pipeline, `ti3_fraction` comes back within 0.03 (the tolerance of
 * tests/fit/xps/ti2p.test.ts), per level and depth-averaged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeVirtualCampaign, type CampaignTruth } from '../../fixtures/virtual-lab/campaign.js';
import { fdStudyDesign } from '../../fixtures/virtual-lab/design.js';
import { mulberry32, normal } from '../../fixtures/virtual-lab/random.js';
import type { VirtualCell } from '../../fixtures/virtual-lab/simulate.js';
import { TI2P_LINES, writeVamasDepthProfile } from '../../fixtures/virtual-lab/writers/vamas-xps.js';
import { detectFormat, sniffInput } from '../../parsers/index.js';
import { fitXpsRecord } from '../../src/fit/xps/fitter.js';
import { SPECIES_LIBRARY } from '../../src/fit/xps/species.js';
import type { ParsedRecord } from '../../src/records/record.js';
import { runBatch } from '../../pipelines/batch.js';

const TOL = 0.03;
// 12 cycles, not 6: with 6 cycles and XPS on, the replay model's 'SEI repair base fraction' CI comes out
// ≈ 2e70, an integer-valued double that src/store/store.ts binds as BIGINT ("bigint out of int64 range").
const design = fdStudyDesign({ cellsPerGroup: 1, cycles: 12 });
const planted = (c: VirtualCell): number => (c.group.poling === 'poled' ? 0.15 : 0.35);

let root: string;
let on: string;
let off: string;
let offCells: VirtualCell[];
let truth: CampaignTruth;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ip-xpsti-'));
  on = join(root, 'on');
  off = join(root, 'off');
  ({ truth } = await writeVirtualCampaign(on, design, { xpsTi2p: { ti3Fraction: planted } }));
  ({ cells: offCells } = await writeVirtualCampaign(off, design, { xpsProfiles: true }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function parse(path: string): Promise<ParsedRecord> {
  const bytes = new Uint8Array(readFileSync(path));
  const det = detectFormat(sniffInput(path, bytes, bytes.length)).best!;
  expect(det.format.id).toBe('vamas');
  const [rec] = (await det.format.parse({ path, bytes })) as ParsedRecord[];
  return rec!;
}

function regionsOf(rec: ParsedRecord): Set<string> {
  const reg = rec.columns.find((c) => c.name === 'Region')!;
  return new Set(Array.from(reg.values as Int32Array, (i) => reg.levels![i]!));
}

describe('virtual lab xpsTi2p option', () => {
  it('the planted lines sit in the species library windows, 2p1/2 and 3d3/2 at its splittings', () => {
    const win = (id: string) => SPECIES_LIBRARY.find((s) => s.id === id)!.window;
    const inside = (x: number, w: readonly [number, number]) => x >= w[0] && x <= w[1];
    const { ti4, ti3, ti2pSplit, ba, ba3dSplit } = TI2P_LINES;
    expect(inside(ti4, win('BaTiO3:Ti2p'))).toBe(true);
    expect(inside(ti3, win('Ti3+:Ti2p'))).toBe(true);
    expect(inside(ti4 + ti2pSplit, win('BaTiO3:Ti2p1/2'))).toBe(true);
    expect(inside(ti3 + ti2pSplit, win('Ti3+:Ti2p1/2'))).toBe(true);
    expect(inside(ba, win('BaTiO3:Ba3d'))).toBe(true);
    expect(inside(ba + ba3dSplit, win('BaTiO3:Ba3d3/2'))).toBe(true);
    // the library states its 2p1/2 windows as the 2p3/2 windows + 5.7 eV, Ba 3d 778.82 / 794.12
    expect(win('BaTiO3:Ti2p1/2')[0] - win('BaTiO3:Ti2p')[0]).toBeCloseTo(ti2pSplit, 9);
    expect(win('Ti3+:Ti2p1/2')[1] - win('Ti3+:Ti2p')[1]).toBeCloseTo(ti2pSplit, 9);
    expect(SPECIES_LIBRARY.find((s) => s.id === 'BaTiO3:Ba3d3/2')!.source).toContain(String(ba + ba3dSplit));
  });

  it('off: the XPS file is byte-identical to the writer without the option', () => {
    for (const [i, c] of offCells.entries()) {
      const noise = normal(mulberry32((design.seed ^ 0x0e1a5) + 7919 * (i + 1)));
      const expected = writeVamasDepthProfile({ inorganicFraction: c.replay.traces.inorganicFraction[c.replay.cycles - 1]! }, noise);
      expect(readFileSync(join(off, 'xps', `${c.id}_depth_profile.vms`), 'utf8'), c.id).toBe(expected);
    }
  });

  it('on: only the layer cells change; every other file stays as it was', async () => {
    const layer = offCells.filter((c) => c.group.ferroelectric).map((c) => c.id);
    expect(layer.length).toBe(2);
    expect(
      Object.entries(truth.cells)
        .filter(([, t]) => t.xpsTi2p)
        .map(([id]) => id)
        .sort(),
    ).toEqual([...layer].sort());
    for (const sub of ['cycling', 'eis', 'xps']) {
      for (const f of readdirSync(join(off, sub))) {
        const same = readFileSync(join(on, sub, f)).equals(readFileSync(join(off, sub, f)));
        expect(same, `${sub}/${f}`).toBe(!(sub === 'xps' && layer.some((id) => f.startsWith(`${id}_`))));
      }
    }
    // in a layer cell's file the F/O/C/Li spectra are those of the file without the layer (own noise stream)
    const id = layer[0]!;
    const a = await parse(join(on, 'xps', `${id}_depth_profile.vms`));
    const b = await parse(join(off, 'xps', `${id}_depth_profile.vms`));
    expect(regionsOf(a)).toEqual(new Set(['F 1s', 'O 1s', 'C 1s', 'Li 1s', 'Ti 2p', 'Ba 3d']));
    expect(regionsOf(b)).toEqual(new Set(['F 1s', 'O 1s', 'C 1s', 'Li 1s']));
    const sei = (r: ParsedRecord) => {
      const reg = r.columns.find((c) => c.name === 'Region')!;
      const y = r.columns.find((c) => c.name === 'Intensity')!;
      return Array.from(y.values).filter((_, k) => !/^(Ti|Ba)/.test(reg.levels![(reg.values as Int32Array)[k]!]!));
    };
    expect(sei(a)).toEqual(sei(b));
  });

  it('on: the XPS fitter recovers the planted Ti³⁺ fraction within 0.03 per level and depth-averaged', async () => {
    for (const [id, t] of Object.entries(truth.cells).filter(([, t]) => t.xpsTi2p)) {
      const r = t.xpsTi2p!.ti3Fraction;
      expect(r).toBe(t.poling === 'poled' ? 0.15 : 0.35);
      const out = fitXpsRecord(await parse(join(on, 'xps', `${id}_depth_profile.vms`)));
      expect(out.quality.ok, `${id}: ${out.quality.messages.join('; ')}`).toBe(true);
      const per = out.parameters.filter((p) => p.name === 'ti3_fraction' && p.scope);
      expect(per).toHaveLength(6); // Ti 2p detected at every etch level
      for (const p of per) {
        expect(Math.abs(p.value - r), `${id} ${p.scope}: ${p.value.toFixed(3)} vs ${r}`).toBeLessThan(TOL);
        expect(p.stderr).toBeGreaterThan(0);
      }
      const avg = out.parameters.find((p) => p.name === 'ti3_fraction' && !p.scope)!;
      expect(Math.abs(avg.value - r), `${id}: ${avg.value.toFixed(3)} vs ${r}`).toBeLessThan(TOL);
      // Ba 3d fitted with its 3d3/2 partner
      expect(
        out.levels[0]!.fits.get('Ba 3d')!
          .components.map((c) => c.id)
          .sort(),
      ).toEqual(['BaTiO3:Ba3d', 'BaTiO3:Ba3d3/2']);
    }
  });

  it('on: through the batch pipeline, one depth-averaged ti3_fraction per layer cell, within 0.03', async () => {
    const { summary, report } = await runBatch(on, { outDir: join(root, 'out'), workers: 0 });
    expect(summary.failures).toEqual([]);
    const avg = report.parameters.filter((p) => p.name === 'ti3_fraction'); // the report holds only unscoped (depth-averaged) values
    const layer = Object.entries(truth.cells).filter(([, t]) => t.xpsTi2p);
    expect(new Set(avg.map((p) => p.cell))).toEqual(new Set(layer.map(([id]) => id)));
    for (const p of avg) expect(Math.abs(p.value! - truth.cells[p.cell!]!.xpsTi2p!.ti3Fraction), p.cell).toBeLessThan(TOL);
  });
});
