/**
 * Calibration of the hypothesis engine on measurement-level campaigns in randomised designs
 * (fixtures/measurement-lab): for each family (null, effects, dielectric-only, corrosion-only,
 * non-ferroelectric route correlated with Pr across materials, reduction = effects + Ti³⁺ eroding the
 * layer's benefit) and hypothesis, the share of
 * campaigns called 'supported' — false claims where the family makes the claim false, power where
 * it makes it true — next to the best single test on the same campaigns.
 * Run: `npm run calibrate` (→ node dist/bench/calibrate.js [campaigns] [seed] [layout] [planted overrides as JSON]);
 * prints Markdown.
 */
import { HYPOTHESES } from '../src/hypotheses/catalog.js';
import { FERROELECTRIC_IDS } from '../src/hypotheses/engine.js';
import { calibrateFamily, FAMILIES, mcSe, type FamilyRow } from '../fixtures/measurement-lab/calibrate.js';
import { PLANTED } from '../fixtures/measurement-lab/generate.js';

const campaigns = Number(process.argv[2] ?? 200);
const seed = Number(process.argv[3] ?? 20261206);
const layout = (process.argv[4] ?? 'random') as 'random' | 'lab24';
/** Optional 5th argument: planted sizes other than PLANTED's, as JSON (sensitivity runs), e.g. '{"ti3Erode":3}'. */
const planted = process.argv[5] ? (JSON.parse(process.argv[5]) as Partial<typeof PLANTED>) : undefined;
const t0 = Date.now();
const rows = new Map<string, FamilyRow[]>();
FAMILIES.forEach((f, i) => rows.set(f, calibrateFamily(f, { campaigns, seed: seed + i, layout, ...(planted ? { planted } : {}) })));
const pct = (k: number, n: number) => (n > 0 ? `${((100 * k) / n).toFixed(1)} %` : '—');
const pm = (k: number, n: number) => (n > 0 ? `${pct(k, n)} ± ${(100 * mcSe(k, n)).toFixed(1)}` : '—');
const out: string[] = [];
out.push(
  `Calibration: ${campaigns} campaigns per family, ${layout === 'lab24' ? "issue #23's 24-cell layout" : 'randomised designs'}, seed ${seed}; decisions on BH-adjusted p at α = 0.05 (engine defaults).`,
);
out.push(`Mean cells per campaign: ${FAMILIES.map((f) => `${f} ${rows.get(f)![0]!.meanCells.toFixed(1)}`).join(', ')}.`);
out.push(`Planted (effects family): ${JSON.stringify({ ...PLANTED, ...planted })}${planted ? ` (overridden: ${JSON.stringify(planted)})` : ''}`);
out.push('');
out.push('False "supported" where the family makes the claim false (target ≤ 5 %); the single test\'s rate in brackets:');
out.push('');
out.push(`| H | ${FAMILIES.join(' | ')} |`);
out.push(`|---|${FAMILIES.map(() => '---').join('|')}|`);
for (const h of HYPOTHESES) {
  const cells = FAMILIES.map((f) => {
    const r = rows.get(f)!.find((x) => x.id === h.id)!;
    if (r.claimTrue) return 'true here';
    if (r.testable === 0) return 'not testable';
    return `${pm(r.supported, r.campaigns)}${r.single ? ` [${pct(r.single.supported, r.single.ran)}]` : ''}`;
  });
  out.push(`| ${h.id} | ${cells.join(' | ')} |`);
}
const fe = rows.get('dielectric')!.filter((r) => (FERROELECTRIC_IDS as readonly string[]).includes(r.id));
const anyFe = fe.reduce((a, r) => a + r.supported, 0);
out.push('');
out.push(
  `False ferroelectric claims on dielectric-only campaigns: ${fe.map((r) => `${r.id} ${pct(r.supported, r.campaigns)}`).join(', ')} (sum ${pct(anyFe, campaigns)}).`,
);
out.push('');
const powerTable = (family: 'effects' | 'reduction') => {
  out.push('| H | testable | campaigns compared | engine supported | single test | single test supported | ratio |');
  out.push('|---|---|---|---|---|---|---|');
  for (const r of rows.get(family)!) {
    if (!r.claimTrue) continue;
    const p = r.paired;
    if (!r.single) {
      out.push(`| ${r.id} | ${pct(r.testable, r.campaigns)} | ${r.testable} | ${pm(r.supported, r.testable)} | — (no single test) | — | — |`);
      continue;
    }
    const ratio = p.single > 0 ? p.engine / p.single : NaN;
    out.push(
      `| ${r.id} | ${pct(r.testable, r.campaigns)} | ${p.campaigns} | ${pm(p.engine, p.campaigns)} | ${r.single?.name ?? '—'} | ${pm(p.single, p.campaigns)} | ${Number.isFinite(ratio) ? ratio.toFixed(2) : '—'} |`,
    );
  }
};
out.push(
  'Power in the effects family (all claims but H17 true): engine (BH-adjusted) vs the best single test of the same contrast (unadjusted), over the campaigns where both could run:',
);
out.push('');
powerTable('effects');
out.push('');
out.push("Power in the reduction family (the effects family in which Ti³⁺ also takes back the layer's benefit, so H17 is true too):");
out.push('');
powerTable('reduction');
out.push('');
out.push(`(± = Monte-Carlo SE; ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
console.log(out.join('\n'));
