/**
 * Print the verdicts of the measurement-level lab's campaigns (a quick look, not a benchmark):
 * `node dist/bench/lab-verdicts.js [family] [seeds] [layout]` with layout 'lab24' or 'random'.
 */
import { createRng } from '../src/stats/rng.js';
import { evaluateHypotheses } from '../src/hypotheses/engine.js';
import { labDesign24, manifestCells, randomDesign, type Family } from '../fixtures/measurement-lab/design.js';
import { generateLab } from '../fixtures/measurement-lab/generate.js';

const family = (process.argv[2] ?? 'effects') as Family;
const seeds = Number(process.argv[3] ?? 5);
const layout = process.argv[4] ?? 'lab24';
const tally = new Map<string, Record<string, number>>();
for (let s = 1; s <= seeds; s++) {
  const rng = createRng(1000 + s);
  const design = layout === 'lab24' ? labDesign24() : randomDesign(rng, family);
  const { params } = generateLab(rng, design, family, layout === 'lab24' ? { coverage: 1 } : {});
  const res = evaluateHypotheses(manifestCells(design), params, { tukeyCi: false, nPerm: 999, bootstrapB: 199, seed: s });
  for (const r of res) {
    const t = tally.get(r.id) ?? {};
    t[r.verdict] = (t[r.verdict] ?? 0) + 1;
    tally.set(r.id, t);
    if (seeds === 1) console.log(r.id, r.verdict, '|', r.reason.slice(0, 220));
  }
}
for (const [id, t] of tally) console.log(id, JSON.stringify(t));
