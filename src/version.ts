/** Interphase's version, from package.json (kept in one place). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

function findVersion(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const p = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (p.name === 'interphase' && p.version) return p.version;
    } catch {
      /* go up */
    }
    d = dirname(d);
  }
  return 'unknown';
}

export const VERSION = findVersion();
