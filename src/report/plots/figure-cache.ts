/**
 * Report figures cached in the store (issue #18: a refresh touches only what changed). A figure's
 * compiled page spec (and, for a campaign figure, its static SVG) depends only on its Vega-Lite spec
 * and on the code that decorates, compiles and renders it: it is cached under the hash of both, so a
 * report rebuilt after one new spectrum compiles only the figures whose data changed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../../version.js';

/** `derived.kind` of a cached figure (campaign entry: no record). */
export const FIGURE_KIND = 'figure';

/** What the page gets for one figure: the compiled Vega spec, and the static SVG of a campaign figure. */
export interface CachedFigure {
  readonly spec: unknown;
  readonly svg?: string;
}

let salt: string | null = null;

/** Interphase's version, the decorating and rendering code, and the vega / vega-lite versions. */
function cacheSalt(): string {
  if (salt !== null) return salt;
  const h = createHash('sha256').update(VERSION);
  for (const rel of ['../interactive', './render']) {
    for (const ext of ['.js', '.ts']) {
      try {
        h.update(readFileSync(fileURLToPath(new URL(rel + ext, import.meta.url))));
        break;
      } catch {
        /* the other extension (sources under test) */
      }
    }
  }
  const req = createRequire(import.meta.url);
  for (const pkg of ['vega', 'vega-lite']) {
    try {
      let d = dirname(req.resolve(pkg));
      for (let i = 0; i < 4; i++, d = dirname(d)) {
        try {
          const p = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: string; version?: string };
          if (p.name === pkg) {
            h.update(`${pkg}@${p.version}`);
            break;
          }
        } catch {
          /* go up */
        }
      }
    } catch {
      h.update(`${pkg}@?`);
    }
  }
  salt = h.digest('hex');
  return salt;
}

/** The cache key of a figure: its Vega-Lite spec (data included) and whether its static SVG is wanted. */
export function figureKey(spec: unknown, withSvg: boolean): string {
  return createHash('sha256')
    .update(cacheSalt())
    .update(withSvg ? '\u0000svg\u0000' : '\u0000page\u0000')
    .update(JSON.stringify(spec))
    .digest('hex');
}
