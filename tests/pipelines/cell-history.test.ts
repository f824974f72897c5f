/**
 * Issue #19 in the batch: a cell whose cycling log is split over two files gets one stitched history
 * (the same CE and cycle count as the same log in one file, joins reported); a cell with only a per-cycle
 * table (a Neware cycle layer saved as CSV) gets its CE from that table, saying no raw rows were available.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../../pipelines/batch.js';
import { writeArbinCsv } from '../../fixtures/virtual-lab/writers/arbin-csv.js';

const START = 1_780_000_000;

/** Li||Cu log: each cycle = rest row, plating (I < 0), stripping at CE(k) × the plating current, rest row. */
function liCuLog(cycles: number, pts = 10): { time: number[]; voltage: number[]; current: number[]; cycle: number[]; step: number[] } {
  const L = { time: [] as number[], voltage: [] as number[], current: [] as number[], cycle: [] as number[], step: [] as number[] };
  let t = 0;
  const I = 5e-4;
  const push = (i: number, v: number, c: number, s: number): void => {
    L.time.push(t);
    L.voltage.push(v);
    L.current.push(i);
    L.cycle.push(c);
    L.step.push(s);
    t += 60;
  };
  for (let k = 1; k <= cycles; k++) {
    const ce = k === 1 ? 0.9 : 0.985 - 5e-4 * k;
    push(0, 0.5, k, 1);
    for (let j = 0; j < pts; j++) push(-I, -0.02 - 1e-4 * j, k, 2);
    for (let j = 0; j < pts; j++) push(I * ce, 0.05 + 1e-3 * j, k, 3);
    push(0, 0.6, k, 4);
  }
  return L;
}

function arbin(L: ReturnType<typeof liCuLog>, from: number, to: number, startUnix: number, cycleShift = 0): string {
  const t0 = L.time[from]!;
  return writeArbinCsv({
    time: Float64Array.from(L.time.slice(from, to), (x) => x - t0),
    voltage: Float64Array.from(L.voltage.slice(from, to)),
    current: Float64Array.from(L.current.slice(from, to)),
    cycle: Int32Array.from(L.cycle.slice(from, to), (c) => c - cycleShift),
    step: Int32Array.from(L.step.slice(from, to)),
    startUnix,
  });
}

describe('one cell, many files (batch)', () => {
  it('a split log is stitched into the cell history; a per-cycle table alone gives CE without raw rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-history-'));
    try {
      const camp = join(dir, 'camp');
      mkdirSync(join(camp, 'cycling'), { recursive: true });
      const L = liCuLog(12);
      const split = L.cycle.indexOf(7);
      writeFileSync(join(camp, 'cycling', 'S1_part1.csv'), arbin(L, 0, split, START));
      // resumed after a 30 min impedance break: time, cycle count and counters restart
      writeFileSync(join(camp, 'cycling', 'S1_part2.csv'), arbin(L, split, L.time.length, START + L.time[split]! + 1800, 6));
      writeFileSync(join(camp, 'cycling', 'W1_whole.csv'), arbin(L, 0, L.time.length, START + 7));
      writeFileSync(
        join(camp, 'cycling', 'N1_cycles.csv'),
        'Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah),Chg.-DChg. Eff(%)\n1,0.00090,0.00100,111.1\n2,0.00098,0.00100,102.04\n3,0.00099,0.00100,101.01\n',
      );
      writeFileSync(
        join(camp, 'campaign.yaml'),
        `campaign: history
defaults: { cell_type: Li||Cu, current_density_mA_cm2: 0.5, areal_capacity_mAh_cm2: 1, electrode_area_cm2: 1.13 }
cells:
  - { id: S1, group: a }
  - { id: W1, group: a }
  - { id: N1, group: b }
`,
      );
      const { report } = await runBatch(camp, { outDir: join(dir, 'out'), workers: 0, log: () => undefined });
      const p = (cell: string, name: string) => report.parameters.find((x) => x.cell === cell && x.name === name && x.fitter === 'cycles');
      expect(p('S1', 'ce_mean')!.value).toBeCloseTo(p('W1', 'ce_mean')!.value!, 10);
      expect(p('S1', 'cycles_completed')!.value).toBe(12);
      expect(p('S1', 'cycle_life_80')!.value).toBe(p('W1', 'cycle_life_80')!.value);
      expect(p('S1', 'ce_mean')!.sources).toHaveLength(2);
      const stage = report.stages.find((s) => s.name === 'cell history S1')!;
      expect(stage.detail).toContain('ordered by clock');
      expect(stage.detail).toContain('S1_part1.csv → cycling/S1_part2.csv: gap 31 min'); // 60 s sample step + 30 min break
      expect(stage.detail).toContain('cycle numbers +6');
      expect(p('N1', 'ce_mean')!.value).toBeCloseTo((0.98 + 0.99) / 2, 12);
      expect(report.fits.find((f) => f.cell === 'N1' && f.fitter === 'cycles')!.messages.join(' ')).toContain('no raw rows were available');
      expect(report.files.find((f) => f.path.endsWith('N1_cycles.csv'))!.kind).toBe('cycle-summary');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
