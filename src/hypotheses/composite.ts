/**
 * O'Brien (1984) rank-sum composite for hypotheses with several endpoints: each endpoint is turned
 * into per-cell standardised scores computed on the pooled cells without using the arm labels
 * (mid-ranks for continuous endpoints, log-rank scores for censored cycle life), oriented so that
 * larger = the claimed benefit, and averaged per cell. Because the scores ignore the labels, a
 * permutation test (or Jonckheere–Terpstra) on the composite is exact under the null whatever the
 * correlation between endpoints.
 */
import type { CellSpec } from '../campaign/manifest.js';
import { ranks } from '../stats/descriptive.js';
import { logRankScores } from '../stats/logRank.js';
import type { CampaignData, Quantity } from './data.js';

export interface EndpointSpec {
  /** Parameter name (CampaignData.value) or 'cycle_life_80' for censored life. */
  readonly param: Quantity;
  /** +1 when larger values are the claimed benefit, −1 when smaller. */
  readonly sign: 1 | -1;
  readonly label: string;
}

export interface CompositeScores {
  readonly scores: ReadonlyMap<string, number>;
  readonly used: readonly EndpointSpec[];
}

function standardise(v: readonly number[]): number[] {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, v.length - 1));
  return v.map((x) => (sd > 0 ? (x - m) / sd : 0));
}

/**
 * Composite scores over `cells`. An endpoint is used when at least `minCells` of the cells have it;
 * a cell's composite is the mean over the endpoints it has.
 */
export function compositeScores(data: CampaignData, cells: readonly CellSpec[], endpoints: readonly EndpointSpec[], minCells: number): CompositeScores {
  const sums = new Map<string, { s: number; k: number }>();
  const used: EndpointSpec[] = [];
  for (const ep of endpoints) {
    let ids: string[] = [];
    let raw: number[] = [];
    if (ep.param === 'cycle_life_80') {
      const t: number[] = [];
      const e: (0 | 1)[] = [];
      for (const c of cells) {
        const l = data.life(c.id);
        if (l) {
          ids.push(c.id);
          t.push(l.time);
          e.push(l.event);
        }
      }
      if (ids.length < minCells || e.every((v) => v === 0)) continue;
      raw = logRankScores(t, e).map((s) => -s); // higher = longer survival
    } else {
      for (const c of cells) {
        const v = data.value(c.id, ep.param);
        if (v !== null) {
          ids.push(c.id);
          raw.push(v);
        }
      }
      if (ids.length < minCells) {
        ids = [];
        continue;
      }
      raw = ranks(raw);
    }
    const z = standardise(raw);
    used.push(ep);
    ids.forEach((id, i) => {
      const cur = sums.get(id) ?? { s: 0, k: 0 };
      cur.s += ep.sign * z[i]!;
      cur.k += 1;
      sums.set(id, cur);
    });
  }
  const scores = new Map<string, number>();
  for (const [id, { s, k }] of sums) scores.set(id, s / k);
  return { scores, used };
}
