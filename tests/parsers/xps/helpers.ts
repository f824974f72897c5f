/** Small accessors over an XPS record for the tests: one region at one etch level as plain arrays. */
import type { ParsedRecord } from '../../../src/records/record.js';
import { requireColumn, findColumn } from '../../../src/records/record.js';

export interface RegionView {
  be: number[];
  y: number[];
  t: number[];
}

export function region(r: ParsedRecord, name: string, level = 0): RegionView {
  const reg = requireColumn(r, 'Region');
  const lev = requireColumn(r, 'Etch Level');
  const be = requireColumn(r, 'Binding Energy');
  const y = requireColumn(r, 'Intensity');
  const t = findColumn(r, 'Sputter Time');
  const k = reg.levels!.indexOf(name);
  if (k < 0) throw new Error(`no region '${name}' (have ${reg.levels!.join(', ')})`);
  const out: RegionView = { be: [], y: [], t: [] };
  for (let i = 0; i < reg.values.length; i++) {
    if (reg.values[i] !== k || lev.values[i] !== level) continue;
    out.be.push(be.values[i]!);
    out.y.push(y.values[i]!);
    if (t) out.t.push(t.values[i]!);
  }
  return out;
}

/** Intensity at the point whose binding energy is closest to `e`. */
export function at(v: RegionView, e: number): number {
  let best = 0;
  for (let i = 1; i < v.be.length; i++) if (Math.abs(v.be[i]! - e) < Math.abs(v.be[best]! - e)) best = i;
  return v.y[best]!;
}
