/**
 * Replay-model bench (src/model): replay of 100 cells × 1,000 cycles, and the staged fit of a 96-cell
 * virtual campaign (M0/M1/M2, profile intervals on M2, LOCO). Targets from the issue: < 1 s and < 30 s.
 * Numbers only, never assertions. Runs alone (`node dist/bench/model.js`) or as the `model` suite of
 * bench/run.ts (export `modelBench`), or via `run()`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSuite, CaseOutcome } from './types.js';
import { buildModel } from '../src/model/variants.js';
import { replayCell } from '../src/model/solve/replay.js';
import { protocol } from '../src/model/protocol/index.js';
import { carbonateFec_Gunnarsdottir2020 } from '../src/model/params/Gunnarsdottir2020.js';
import { withValues } from '../src/model/params/resolve.js';
import { fitCampaign } from '../src/model/replay-fit/fit-campaign.js';
import { fdStudyDesign } from '../fixtures/virtual-lab/design.js';
import { simulateCampaign } from '../fixtures/virtual-lab/simulate.js';

export interface BenchRow {
  readonly id: string;
  readonly ms: number;
  readonly targetMs: number;
  readonly note: string;
}

/** 100 cells (φ₀ spread ±20 %) × 1,000 cycles, a 24 h rest every 100th cycle, M2, full traces. */
export function benchReplay(): BenchRow {
  const steps = [
    'Plate at 0.5 mA cm-2 for 2 hours',
    'Rest for 24 hours',
    'Strip at 0.5 mA cm-2 to 1 V',
    'Plate at 0.5 mA cm-2 for 2 hours',
    'Strip at 0.5 mA cm-2 to 1 V',
    'Repeat 99 times',
  ];
  const p = protocol(Array.from({ length: 10 }, () => steps).flat());
  const model = buildModel({ variant: 'M2' });
  const cells = Array.from({ length: 100 }, (_, i) =>
    withValues(carbonateFec_Gunnarsdottir2020.values, {
      'Dead Li base fraction [1]': carbonateFec_Gunnarsdottir2020.values['Dead Li base fraction [1]'] * (0.8 + (0.4 * i) / 99),
      'Initial polarisation retention [1]': i % 2,
    }),
  );
  replayCell(model, cells[0]!, p, { stopAtFailure: false }); // warm-up
  const t0 = performance.now();
  let cyc = 0;
  for (const v of cells) cyc += replayCell(model, v, p, { stopAtFailure: false }).cycles;
  const ms = performance.now() - t0;
  return { id: 'replay 100 cells × 1,000 cycles', ms, targetMs: 1000, note: `${cyc} cycles, ${((ms * 1000) / cyc).toFixed(2)} µs/cycle` };
}

/** 96 cells (3 arms × 32), 60 cycles, two 24 h rests: staged fit of M0, M1, M2 with profiles on M2 and LOCO. */
export function benchFit(): BenchRow {
  const design = fdStudyDesign({ cellsPerGroup: 32, cycles: 60 });
  const cells = simulateCampaign(design);
  const t0 = performance.now();
  const res = fitCampaign(
    cells.map((c) => c.observations),
    { base: design.parameterSet.values },
  );
  const ms = performance.now() - t0;
  const m2 = res.variants.find((v) => v.variant === 'M2')!;
  const conv = m2.fits.filter((f) => f.converged).length;
  return { id: 'fit 96-cell campaign (M0/M1/M2, profiles, LOCO)', ms, targetMs: 30000, note: `${conv}/96 converged; preferred AIC ${res.preferred.aic}` };
}

export async function run(): Promise<BenchRow[]> {
  return [benchReplay(), benchFit()];
}

export const modelBench: BenchSuite = {
  id: 'model',
  title: 'Replay model: replay and campaign fit',
  prepare: async () => ({}),
  cases: () => [
    { id: 'replay-100x1000', input: '100 cells × 1,000 cycles', tool: 'interphase' },
    { id: 'fit-96', input: '96-cell virtual campaign', tool: 'interphase' },
  ],
  run: async (caseId): Promise<CaseOutcome> => {
    const r = caseId === 'fit-96' ? benchFit() : benchReplay();
    return { status: 'ok', ms: r.ms, note: `${r.note} (target < ${r.targetMs / 1000} s)` };
  },
};

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  for (const r of await run()) console.log(`${r.id.padEnd(52)} ${r.ms.toFixed(0).padStart(7)} ms  (target < ${r.targetMs} ms)  ${r.note}`);
}
