/** Helpers for the report plot tests: count rendered mark items and read a compiled scale's domain. */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Items drawn by the mark groups whose class contains `cls` (e.g. `mark-symbol role-mark measured_marks`):
 * each item is one `<path` (symbols, lines, areas, rects) or `<line` (rules) inside the group.
 */
export function countItems(svg: string, markType: string, name?: string): number {
  const re = new RegExp(`<g class="mark-${markType} role-mark${name ? ` ${name}` : ''}[^"]*"[^>]*>`, 'g');
  let n = 0;
  for (const m of svg.matchAll(re)) {
    const start = m.index! + m[0].length;
    const end = svg.indexOf('</g>', start);
    n += (svg.slice(start, end).match(/<(path|line)\b/g) ?? []).length;
  }
  return n;
}

/** Domain of a scale after the dataflow ran (e.g. 'x', 'y', 'concat_0_y'). */
export async function scaleDomain(spec: TopLevelSpec, scale: string): Promise<unknown[]> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  await view.runAsync();
  const d = (view.scale(scale) as unknown as { domain(): unknown[] }).domain();
  view.finalize();
  return d;
}

/** Inline data of a (possibly layered) spec, all layers together. */
export function specValues(spec: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (s: unknown): void => {
    if (!s || typeof s !== 'object') return;
    const o = s as Record<string, unknown>;
    const data = o.data as { values?: Record<string, unknown>[] } | undefined;
    if (data?.values) out.push(...data.values);
    for (const k of ['layer', 'vconcat', 'hconcat', 'concat']) if (Array.isArray(o[k])) (o[k] as unknown[]).forEach(walk);
  };
  walk(spec);
  return out;
}
