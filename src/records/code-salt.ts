/**
 * A hash of Interphase's own code as it runs (the compiled .js under dist/, or the .ts sources under a
 * test runner): results cached under it are recomputed after any code change, a rebuild included, even
 * without a version bump. Read once per process (~20 ms for ~370 files).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';

let salt: string | null = null;

export function codeSalt(): string {
  if (salt !== null) return salt;
  const h = createHash('sha256').update(VERSION);
  // this file is <root>/src/records/code-salt.(js|ts): <root> is dist/ or the source tree
  const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|ts)$/.test(e.name) && !e.name.endsWith('.d.ts')) h.update(p.slice(root.length)).update(readFileSync(p));
    }
  };
  for (const d of ['src', 'pipelines', 'parsers']) walk(join(root, d));
  salt = h.digest('hex');
  return salt;
}
