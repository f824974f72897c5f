/**
 * The one-way stack (docs/architecture.md): every import in src/, parsers/, pipelines/ and fixtures/
 * goes down, never up. The check itself is tested on planted violations so it cannot pass vacuously.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { LAYERS, layerOf, importsOf, readTree, sqlOutsideStore, violations } from '../../scripts/check-layers.mjs';

const ROOT = resolve(__dirname, '../..');

describe('import direction', () => {
  it('the repository has no import that goes up the stack', () => {
    const tree = readTree(ROOT);
    expect(tree.size).toBeGreaterThan(300);
    const bad = violations(tree);
    expect(bad.map((v) => `${v.from} → ${v.to}`)).toEqual([]);
  });

  it('a planted upward import is reported with both layers', () => {
    const tree = new Map<string, string>([
      ['src/records/names.ts', "import type { CampaignReport } from '../report/types.js';\nexport const x = 1;"],
      ['src/stats/welch.ts', "import { x } from '../records/names.js';"],
      ['src/hypotheses/rest.ts', "const m = await import('../store/store.js');"],
      ['parsers/index.ts', "export { fitCycles } from '../src/fit/cycles/index.js';"],
      ['pipelines/batch.ts', "import { main } from './cli/main.js';"],
      ['pipelines/cli/main.ts', "import { runBatch } from '../batch.js';\nconst lazy = require('../watch.js');"],
    ]);
    const bad = violations(tree);
    expect(bad.map((v) => [v.from, v.fromLayer, v.toLayer])).toEqual([
      ['src/records/names.ts', 'records', 'report'],
      ['src/hypotheses/rest.ts', 'hypotheses', 'store'],
      ['parsers/index.ts', 'parsers', 'fitters and model'],
      ['pipelines/batch.ts', 'pipelines', 'cli'],
    ]);
  });

  it('files map to their layer, the most specific prefix first', () => {
    const names = LAYERS.map((l) => l.name);
    expect(names[layerOf('pipelines/cli/main.ts')]).toBe('cli');
    expect(names[layerOf('pipelines/watch.ts')]).toBe('pipelines');
    expect(names[layerOf('src/version.ts')]).toBe('records');
    expect(names[layerOf('src/model/replay-fit/lm.ts')]).toBe('fitters and model');
    expect(layerOf('tests/x.test.ts')).toBe(-1);
    expect(importsOf('src/a/b.ts', "import type { T } from '../c/d.js';\nexport * from './e.js';")).toEqual(['src/c/d.ts', 'src/a/e.ts']);
  });

  it('the store owns every query: no SQL outside src/store, and a planted one is found', () => {
    expect(sqlOutsideStore(readTree(ROOT)).map((q) => `${q.file}:${q.line}`)).toEqual([]);
    const planted = new Map<string, string>([
      ['src/store/queries.ts', 'export const q = (s) => s.query(`SELECT 1`);'],
      ['pipelines/summary.ts', "const a = 1;\nconst rows = await ctx.store.query(`\n    SELECT path FROM files`);\nconst b = 'Select a file';"],
      ['src/report/tables.ts', "await store.query('DELETE FROM derived WHERE kind = $1', [k]);"],
    ]);
    expect(sqlOutsideStore(planted).map((q) => [q.file, q.line, q.text])).toEqual([
      ['pipelines/summary.ts', 2, 'SELECT'],
      ['src/report/tables.ts', 1, 'DELETE FROM'],
    ]);
  });
});
