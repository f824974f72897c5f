/**
 * Access to ../shared/real-data (beside the checkout in CI). When it is absent the suites that need it
 * skip with a message, never pass vacuously.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REAL_DATA = resolve(__dirname, '../../../shared/real-data');
export const HAVE_REAL_DATA = existsSync(REAL_DATA);
if (!HAVE_REAL_DATA) {
  console.warn(`[interphase tests] ${REAL_DATA} not found: real-data tests are skipped`);
}

export function realPath(rel: string): string {
  return join(REAL_DATA, rel);
}

/**
 * The bytes of a real file. Without the folder it returns no bytes, because a skipped suite's body still
 * runs at collection (`describe.skipIf` collects it); with the folder, a missing file is an error.
 */
export function readReal(rel: string): Uint8Array {
  if (!HAVE_REAL_DATA) return new Uint8Array(0);
  return new Uint8Array(readFileSync(realPath(rel)));
}

/** All files under a family folder (e.g. 'eis'), as paths relative to REAL_DATA. */
export function realFiles(family = ''): string[] {
  if (!HAVE_REAL_DATA) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const r = rel ? `${rel}/${e}` : e;
      if (statSync(p).isDirectory()) walk(p, r);
      else if (e !== 'SOURCES.md') out.push(r);
    }
  };
  const base = family ? join(REAL_DATA, family) : REAL_DATA;
  if (existsSync(base)) walk(base, family);
  return out.sort();
}
