/**
 * Hostile campaign folders: manifest globs and paths cannot leave the campaign folder, symlinks are
 * not followed (listFiles, watcher), and a symlink loop in a watched folder does not hang the watcher.
 */
import { describe, expect, it, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateManifest } from '../../src/campaign/manifest.js';
import { globEscapes } from '../../src/campaign/glob.js';
import { assignFiles, listFiles } from '../../src/campaign/load.js';
import { startWatch } from '../../pipelines/watch.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = (p: string): string => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

const ESCAPING = [
  '../secret/*.csv',
  '../../etc/passwd',
  '/etc/*',
  '/abs/file.csv',
  'C:\\data\\*.csv',
  'C:/data/*.csv',
  'a/../../b.csv',
  'cycling/..\\..\\x',
  '**/../*',
];

describe('manifest globs stay inside the campaign folder', () => {
  it('globEscapes flags absolute paths and any `..` segment', () => {
    for (const g of ESCAPING) expect(globEscapes(g), g).toBe(true);
    for (const g of ['cycling/*.csv', '**/*.DTA', 'eis/F01*', 'a..b.csv', '..hidden-name.csv'.slice(2)]) expect(globEscapes(g), g).toBe(false);
  });

  it('validateManifest rejects escaping cell files, format overrides and ignore patterns, naming each', () => {
    const doc = {
      cells: [
        { id: 'C01', group: 'control', files: ['../secret/*.csv', 'cycling/*.csv'] },
        { id: 'C02', group: 'control', files: '/etc/*' },
      ],
      formats: [{ files: '../../x.csv', format: 'generic-csv' }],
      ignore: ['C:\\windows\\*', 'notes/*'],
    };
    // Problems are local (issue #18): each escaping pattern is refused and named; the cells are kept.
    const m = validateManifest(doc, 'campaign.yaml');
    expect(m.cells.map((c) => [c.id, c.files])).toEqual([
      ['C01', ['cycling/*.csv']],
      ['C02', []],
    ]);
    expect(m.cells[1]!.filesRefused).toBe(true);
    expect(m.formats).toEqual([]);
    expect(m.ignore).toEqual(['notes/*']);
    const text = m.problems!.join('\n');
    for (const g of ['../secret/*.csv', '/etc/*', '../../x.csv', 'C:\\windows\\*']) expect(text).toContain(g);
    expect(text).not.toContain("'cycling/*.csv'");
  });

  it('globs are matched against the listed files only, so brace tricks like {..,x}/* reach nothing outside', async () => {
    const root = tmp('ip-hostile-');
    const camp = join(root, 'campaign');
    mkdirSync(join(camp, 'x'), { recursive: true });
    writeFileSync(join(root, 'outside.csv'), 'secret');
    writeFileSync(join(camp, 'x', 'in.csv'), 'data');
    const files = await listFiles(camp);
    const m = validateManifest({ cells: [{ id: 'C01', group: 'g', files: ['{..,x}/*', '*'] }] }, 'campaign.yaml');
    const { assignments } = assignFiles(m, files);
    expect(assignments.map((a) => a.file)).toEqual(['x/in.csv']);
  });
});

describe('listFiles never leaves the folder through symlinks', () => {
  it('symlinks to an outside file, an outside folder, the root and a loop are all skipped', async () => {
    const root = tmp('ip-hostile-');
    const camp = join(root, 'campaign');
    const outside = join(root, 'outside');
    mkdirSync(join(camp, 'cycling'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.csv'), 'x');
    writeFileSync(join(camp, 'cycling', 'C01.csv'), 'a');
    symlinkSync(join(outside, 'secret.csv'), join(camp, 'link-file.csv'));
    symlinkSync(outside, join(camp, 'link-dir'));
    symlinkSync('/', join(camp, 'root'));
    symlinkSync('.', join(camp, 'cycling', 'loop'));
    symlinkSync(join(camp, 'a'), join(camp, 'b'));
    symlinkSync(join(camp, 'b'), join(camp, 'a'));
    const t0 = performance.now();
    expect(await listFiles(camp)).toEqual(['cycling/C01.csv']);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('watch: a symlink loop does not hang the watcher', () => {
  it('startWatch on a folder with symlink loops gets ready and closes', async () => {
    const root = tmp('ip-watch-loop-');
    const camp = join(root, 'campaign');
    mkdirSync(join(camp, 'sub'), { recursive: true });
    symlinkSync('..', join(camp, 'sub', 'up'));
    symlinkSync('.', join(camp, 'self'));
    symlinkSync(join(camp, 'l2'), join(camp, 'l1'));
    symlinkSync(join(camp, 'l1'), join(camp, 'l2'));
    symlinkSync('/', join(camp, 'root'));
    const h = startWatch(camp, { outDir: join(root, 'out'), settleMs: 50, debounceMs: 50 });
    try {
      const ready = await Promise.race([h.ready.then(() => 'ready'), new Promise((r) => setTimeout(() => r('hung'), 20_000))]);
      expect(ready).toBe('ready');
    } finally {
      await h.close();
    }
  }, 40_000);
});
