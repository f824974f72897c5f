/**
 * The CLI contract (README "CLI"): JSON shapes, exit codes, bad input. Runs the compiled CLI, as a
 * user would (`npm test` compiles first).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readFileSync, mkdirSync, copyFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HAVE_REAL_DATA, realPath } from '../helpers/realData.js';
import { HYPOTHESES } from '../../src/hypotheses/catalog.js';

const CLI = resolve(__dirname, '../../dist/pipelines/cli/main.js');

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tmpdir() });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npm run build\` (npm test does it first)`);
});

describe('the installed command', () => {
  it('is executable, so `npx interphase` runs it', () => {
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    const r = spawnSync('npx', ['--no-install', 'interphase', '--version'], { encoding: 'utf8', cwd: resolve(__dirname, '../..') });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('interphase detect / parse', () => {
  const d = mkdtempSync(join(tmpdir(), 'ip-cli-'));
  const empty = join(d, 'empty.csv');
  const blob = join(d, 'blob.bin');
  writeFileSync(empty, '');
  writeFileSync(blob, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));

  it('detect --json: one object per line, format null with a reason for unknown files, exit 1', () => {
    const r = run('detect', empty, blob, '--json');
    expect(r.code).toBe(1);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ file: empty, format: null, kind: null });
    expect(lines[0].reason).toMatch(/empty file \(0 bytes\)/);
    expect(lines[1]).toMatchObject({ file: blob, format: null });
    expect(lines[1].reason).toMatch(/unrecognised format/);
    // Issue #18: the 3 closest formats and why each did not match, not the list of every format id
    expect(lines[1].reason).toMatch(
      /^not a recognised instrument file .*; closest: 1\. biologic-mpr \(.*\): a binary file, but not its magic bytes or container; 2\. .*; 3\. .* — `interphase formats` lists all \d+$/,
    );
    expect(lines[1].reason).not.toMatch(/gamry-dta/);
  });

  it('parse --json on bad input: ok false with a typed error naming the file, exit 1', () => {
    for (const [f, type] of [
      [empty, 'empty-file'],
      [blob, 'unrecognised-format'],
    ] as const) {
      const r = run('parse', f, '--json');
      expect(r.code).toBe(1);
      const j = JSON.parse(r.out);
      expect(j.ok).toBe(false);
      expect(j.file).toBe(f);
      expect(j.error.type).toBe(type);
      expect(j.error).toHaveProperty('line');
      expect(j.error).toHaveProperty('offset');
      expect(j.error.message).toContain(f);
    }
  });

  it.skipIf(!HAVE_REAL_DATA)('parse --json on a real Gamry file gives the contract shape; --out writes CSV', () => {
    const f = realPath('eis/gamry-dta/impedancepy__exampleDataGamry.DTA');
    const out = join(d, 'g.csv');
    const r = run('parse', f, '--json', '--out', out);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ ok: true, file: f, format: 'gamry-dta', kind: 'eis', records: 1, rows: 72 });
    expect(j.columns.slice(0, 3)).toEqual([
      { name: 'Frequency', unit: 'Hz' },
      { name: 'Real Impedance', unit: 'ohm' },
      { name: 'Imaginary Impedance', unit: 'ohm' },
    ]);
    expect(Array.isArray(j.warnings)).toBe(true);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(73);
    expect(csv[0]!.startsWith('Frequency / Hz,Real Impedance / ohm,Imaginary Impedance / ohm')).toBe(true);
    expect(csv[1]!.split(',').slice(0, 3).map(Number)).toEqual([200015.6, 825.8584, -1367.239]);
  });

  it('usage errors exit 2; --help exits 0', () => {
    expect(run('parse').code).toBe(2);
    expect(run('frobnicate').code).toBe(2);
    expect(run('export', d, '--format', 'xml').code).toBe(2);
    const h = run('batch', '--help');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/--json/);
  });
});

describe('interphase batch', () => {
  it('parses, quarantines bad files with a reason, re-runs parse nothing, a changed file is re-parsed', () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-batch-'));
    const camp = join(d, 'camp');
    mkdirSync(join(camp, 'eis'), { recursive: true });
    writeFileSync(
      join(camp, 'campaign.yaml'),
      'campaign: t\ncells:\n  - { id: A1, group: control }\n  - { id: B1, group: BTO, ferroelectric: BaTiO3, poling: poled }\n',
    );
    const z = (f: number[]) =>
      [
        'EXPLAIN',
        'TAG\tEISPOT',
        'ZCURVE\tTABLE',
        '\tPt\tTime\tFreq\tZreal\tZimag\tZsig\tZmod\tZphz\tIdc\tVdc\tIERange',
        '\t#\ts\tHz\tohm\tohm\tV\tohm\t°\tA\tV\t#',
        ...f.map((fr, i) => `\t${i}\t${i}\t${fr}\t${10 + i}\t${-1 - i}\t1\t10\t-5\t0\t0\t7`),
      ].join('\r\n') + '\r\n';
    writeFileSync(join(camp, 'eis', 'A1_eis.DTA'), Buffer.from(z([1e5, 1e4, 1e3, 100, 10, 1]), 'latin1'));
    writeFileSync(join(camp, 'eis', 'B1_broken.DTA'), 'EXPLAIN\r\nTAG\tEISPOT\r\nZCURVE\tTABLE\r\n');
    writeFileSync(join(camp, 'notes.md'), '# not data');
    const out = join(d, 'out');
    let r = run('batch', camp, '--out', out, '--json');
    expect(r.code).toBe(1);
    let j = JSON.parse(r.out);
    expect(j.cells).toBe(2);
    expect(j.files).toMatchObject({ parsed: 1, failed: 1, skipped: 0, quarantined: 1 });
    expect(j.report).toBe(join(out, 'report.html'));
    expect(j.hypotheses.map((h: { id: string }) => h.id)).toEqual(HYPOTHESES.map((h) => h.id)); // every catalogued hypothesis, in order
    const reason = readFileSync(join(out, 'quarantine', 'eis', 'B1_broken.DTA.reason.txt'), 'utf8');
    expect(reason).toMatch(/eis\/B1_broken\.DTA/);
    expect(existsSync(join(camp, 'eis', 'B1_broken.DTA'))).toBe(true); // the original is never moved
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.files.find((f: { path: string }) => f.path === 'eis/A1_eis.DTA')).toMatchObject({
      status: 'parsed',
      format: 'gamry-dta',
      cell: 'A1',
      rows: 6,
    });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('B1_broken.DTA');

    r = run('batch', camp, '--out', out, '--json');
    j = JSON.parse(r.out);
    expect(j.files).toMatchObject({ parsed: 0, failed: 1, skipped: 2 });
    // Issue #18: an unchanged failed file is still named, from the store (it was `problems: []`).
    expect(j.problems).toHaveLength(1);
    expect(j.problems[0]).toMatch(/^failed: eis\/B1_broken\.DTA/);
    expect(j.failures.map((f: { path: string }) => f.path)).toEqual(['eis/B1_broken.DTA']);
    expect(j.states).toEqual({ parsed: 1, quarantined: 1, ignored: 2 }); // notes.md and campaign.yaml
    const text = run('batch', camp, '--out', out);
    expect(text.err).toMatch(/failed now \(1, from the store; each is retried when its bytes change\):\n {2}eis\/B1_broken\.DTA/);
    expect(text.err).toMatch(/not read \(2\):\n {2}campaign\.yaml — ignored: the campaign manifest\n {2}notes\.md — ignored: not instrument data/);
    expect(text.out).toMatch(/paths: 1 parsed, 1 quarantined, 2 ignored|paths: .*1 parsed/);

    writeFileSync(join(camp, 'eis', 'A1_eis.DTA'), Buffer.from(z([1e5, 1e4, 1e3, 100, 10, 1, 0.1]), 'latin1'));
    copyFileSync(join(camp, 'eis', 'A1_eis.DTA'), join(camp, 'eis', 'copy_of_A1.DTA'));
    r = run('batch', camp, '--out', out, '--json');
    j = JSON.parse(r.out);
    expect(j.files).toMatchObject({ parsed: 1, duplicates: 1, skipped: 1 });
    const rep2 = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(rep2.files.find((f: { path: string }) => f.path === 'eis/A1_eis.DTA').rows).toBe(7);
    expect(rep2.files.find((f: { path: string }) => f.path === 'eis/copy_of_A1.DTA')).toMatchObject({ status: 'duplicate', duplicateOf: 'eis/A1_eis.DTA' });

    const ex = run('export', camp, '--out', out, '--format', 'csv');
    expect(ex.code).toBe(0);
    expect(readdirSync(join(out, 'export')).sort()).toEqual(['files.csv', 'fits.csv', 'parameters.csv', 'records.csv', 'verdicts.csv']);
  });

  it('a manifest with errors is reported in one line per problem and the files are still processed', () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-batch-'));
    writeFileSync(join(d, 'campaign.yaml'), 'cells:\n  - { id: A1, grup: control }\n');
    writeFileSync(join(d, 'x.bin'), Buffer.from([0, 1, 2, 3, 255, 254]));
    const r = run('batch', d, '--out', join(d, 'o'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/campaign\.yaml: cells\[0\] \(A1\): unknown key 'grup' \(did you mean 'group'\?\)/);
    expect(r.err).toMatch(/x\.bin@0: not a recognised instrument file \(unrecognised format/);
    expect(r.out).toMatch(/parsed 0, failed 1/);
    // Issue #18: printed on every run until fixed, even when nothing was read
    const again = run('batch', d, '--out', join(d, 'o'), '--quiet');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(
      /MANIFEST PROBLEMS \(2\) — each entry named is left out until fixed; every valid cell is used:\n {2}.*campaign\.yaml: cells\[0\] \(A1\): unknown key 'grup'/,
    );
    expect(again.err).toMatch(/failed now \(1,/);
  });
});
