/**
 * Calibration of the hypothesis engine on parameter-level virtual campaigns
 * (src/core/hypotheses/simulate.ts): the rate of 'supported' verdicts with no true effect
 * (false-supported rate, target ≤ 5 %) and with a planted effect d = 1.2 (power, target ≥ 80 % for
 * the group-comparison hypotheses), 8 cells per arm; also the power at 12 cells per arm.
 * Run: `npm run calibrate` (→ node dist/bench/calibrate.js [campaigns] [seed]). Prints a Markdown table.
 */
import { HYPOTHESES } from '../src/core/hypotheses/catalog.js';
import { calibrate, GROUP_COMPARISON_IDS } from '../src/core/hypotheses/calibration.js';
import { powerTwoSampleT } from '../src/core/stats/power.js';

const campaigns = Number(process.argv[2] ?? 200);
const seed = Number(process.argv[3] ?? 20260601);
const t0 = Date.now();
const nul = calibrate({ campaigns, seed, effect: 0, nPerGroup: 8 });
const alt = calibrate({ campaigns, seed: seed + 1, effect: 1.2, nPerGroup: 8 });
const alt12 = calibrate({ campaigns, seed: seed + 2, effect: 1.2, nPerGroup: 12 });
const altRaw = calibrate({ campaigns, seed: seed + 1, effect: 1.2, nPerGroup: 8, evaluate: { decideWith: 'raw' } });
const pct = (r: number) => `${(100 * r).toFixed(1)} %`;
const group = new Set<string>(GROUP_COMPARISON_IDS);
const lines: string[] = [];
lines.push(`Calibration: ${campaigns} virtual campaigns per column, seed ${seed}, decision on BH-adjusted p at α = 0.05 (engine defaults).`);
lines.push(`Reference: a single two-sided Welch t at d = 1.2 has power ${pct(powerTwoSampleT(1.2, 8, 8))} with 8 vs 8 cells and ${pct(powerTwoSampleT(1.2, 12, 12))} with 12 vs 12.`);
lines.push('');
lines.push('| Hypothesis | Kind | False-supported (d = 0, n = 8) | Power (d = 1.2, n = 8) | Power, unadjusted p (d = 1.2, n = 8) | Power (d = 1.2, n = 12) | Verdicts under d = 0 |');
lines.push('|---|---|---|---|---|---|---|');
for (let i = 0; i < HYPOTHESES.length; i++) {
  const h = HYPOTHESES[i]!;
  const a = nul[i]!;
  const b = alt[i]!;
  const c = alt12[i]!;
  const r = altRaw[i]!;
  const nt = (a.verdicts['not testable'] ?? 0) === a.campaigns;
  const verdicts = Object.entries(a.verdicts).map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push(`| ${h.id} | ${group.has(h.id) ? 'group comparison' : 'regression / model'} | ${nt ? 'not testable' : `${pct(a.rate)} ± ${pct(a.se)}`} | ${nt ? 'not testable' : `${pct(b.rate)} ± ${pct(b.se)}`} | ${nt ? 'not testable' : `${pct(r.rate)} ± ${pct(r.se)}`} | ${nt ? 'not testable' : `${pct(c.rate)} ± ${pct(c.se)}`} | ${verdicts} |`);
}
lines.push('');
lines.push(`(± = Monte-Carlo standard error; ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
console.log(lines.join('\n'));
