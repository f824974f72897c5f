/**
 * Issue #18: the pipeline tells the truth about every file and cell. Each numbered problem of the issue
 * that this covers is reproduced and shown fixed:
 *   1. one bad cell entry no longer throws the whole manifest away; banner, title note, last good report kept
 *   3. nothing is skipped without a word: every path in one state; empty cells and unclaimed files listed
 *   5. failures stay visible: named every run (text + --json problems), failures first in the HTML, the
 *      unrecognised-file reason names the 3 closest formats
 *   6. a folder without a manifest reports per-file results
 *   7. deleting a file keeps its results (source removed); --prune drops them and the quarantine copy
 *   8. CasaXPS component positions labelled kinetic; parameter sources are file names
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, readFileSync, symlinkSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runBatch } from '../../pipelines/batch.js';
import { openCampaign } from '../../pipelines/campaign.js';
import { validateManifest } from '../../src/campaign/manifest.js';
import { assignFiles, claimCoverage, surveyFolder } from '../../src/campaign/load.js';
import { detectFormat, sniffInput } from '../../parsers/index.js';
import { parseCasaComments } from '../../parsers/xps/casa-comments.js';
import type { CampaignReport } from '../../src/report/types.js';
import { tinyDta, smallArbin, MALFORMED_DTA } from './helpers.js';

const GOOD =
  'campaign: t\ncells:\n  - { id: A1, group: control }\n  - { id: B1, group: BTO, ferroelectric: BaTiO3, poling: poled }\n  - { id: C1, group: control }\n';

function campaign(manifest = GOOD): { dir: string; camp: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ip-issue18-'));
  const camp = join(dir, 'camp');
  mkdirSync(join(camp, 'eis'), { recursive: true });
  mkdirSync(join(camp, 'cycling'), { recursive: true });
  writeFileSync(join(camp, 'campaign.yaml'), manifest);
  writeFileSync(join(camp, 'eis', 'A1_eis_0.DTA'), tinyDta(1));
  writeFileSync(join(camp, 'eis', 'B1_eis_0.DTA'), tinyDta(2));
  writeFileSync(join(camp, 'eis', 'C1_eis_0.DTA'), tinyDta(3));
  writeFileSync(join(camp, 'cycling', 'A1_cycling.csv'), smallArbin(1));
  return { dir, camp, out: join(dir, 'out') };
}

const json = (out: string): CampaignReport => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CampaignReport;

describe('issue #18 (1): manifest errors are local', () => {
  it('a typo `gruop` and a `..` pattern invalidate their entries alone; the valid cells keep working', () => {
    const m = validateManifest(
      parseYaml(`cells:
  - { id: A1, gruop: control }
  - { id: B1, group: BTO, ferroelectric: BaTiO3, poling: poled, files: ["../elsewhere/*.DTA"] }
  - { id: C1, group: control, rest_hours: ten }
  - { id: D1, group: control }
`),
      'campaign.yaml',
    );
    // Before: ManifestError thrown, 0 cells. Now: A1 left out (no group), B1 kept but claims nothing, C1 kept without rest_hours, D1 fine.
    expect(m.cells.map((c) => c.id)).toEqual(['B1', 'C1', 'D1']);
    expect(m.cells.find((c) => c.id === 'B1')).toMatchObject({ files: [], filesRefused: true });
    expect(m.cells.find((c) => c.id === 'C1')!.restHours).toBeUndefined();
    expect(m.problems).toEqual([
      "cells[0] (A1): unknown key 'gruop' (did you mean 'group'?)",
      "cells[0] (A1): missing 'group' (e.g. control, BTO-poled) — cell 'A1' is left out until fixed",
      "cells[1]: file pattern '../elsewhere/*.DTA' leaves the campaign folder (absolute path or '..'); patterns are relative to the folder — this pattern is ignored, so the cell claims no file until it is fixed",
      "cells[2]: 'rest_hours' must be a number, found 'ten' — this key is ignored",
    ]);
    // B1's refused pattern does not fall back to "files named B1": it claims nothing.
    const { assignments } = assignFiles(m, ['eis/B1_x.DTA', 'eis/D1_x.DTA']);
    expect(assignments.map((a) => a.cellId)).toEqual([null, 'D1']);
  });

  it('batch: banner + title note, CLI problems every run, the last good report kept in last-good/', async () => {
    const { dir, camp, out } = campaign();
    try {
      const good = await runBatch(camp, { outDir: out, workers: 0 });
      expect(good.summary.cells).toBe(3);
      expect(good.summary.manifestProblems).toEqual([]);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain('id="manifest-problems"');
      writeFileSync(join(camp, 'campaign.yaml'), GOOD.replace('{ id: A1, group: control }', '{ id: A1, gruop: control }'));
      for (let run = 0; run < 2; run++) {
        const bad = await runBatch(camp, { outDir: out, workers: 0 });
        expect(bad.summary.cells).toBe(2); // B1 and C1 keep working
        expect(bad.report.cells.map((c) => c.id)).toEqual(['B1', 'C1']);
        expect(bad.summary.manifestProblems).toHaveLength(2);
        expect(bad.summary.manifestProblems[0]).toMatch(/campaign\.yaml: cells\[0\] \(A1\): unknown key 'gruop' \(did you mean 'group'\?\)/);
        const html = readFileSync(join(out, 'report.html'), 'utf8');
        expect(html).toMatch(/<h1>Interphase report — t <span class="title-note">\(built from a manifest with 2 problems: see the banner\)<\/span><\/h1>/);
        expect(html).toContain('<div class="banner" id="manifest-problems" role="alert"><h2>The manifest has 2 problems</h2>');
        expect(html).toContain('<a href="last-good/report.html">');
        expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/^# Interphase report — t \(built from a manifest with 2 problems\)/);
        // the good report is not overwritten: it is kept, with all 3 cells
        expect((JSON.parse(readFileSync(join(out, 'last-good', 'report.json'), 'utf8')) as CampaignReport).cells).toHaveLength(3);
        expect(json(out).manifestProblems).toHaveLength(2);
        // A1's files are listed as unclaimed with the pattern that would claim them
        expect(bad.summary.coverage!.unclaimed.map((u) => [u.path, u.pattern])).toEqual([
          ['cycling/A1_cycling.csv', 'cycling/A1_cycling.csv'],
          ['eis/A1_eis_0.DTA', 'eis/A1_eis_0.DTA'],
        ]);
      }
      writeFileSync(join(camp, 'campaign.yaml'), GOOD);
      const fixed = await runBatch(camp, { outDir: out, workers: 0 });
      expect(fixed.summary.cells).toBe(3);
      expect(existsSync(join(out, 'last-good'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('issue #18 (3): nothing skipped without a word', () => {
  it('every path ends in one state: parsed, companion-free here, ignored, temporary, symlink, unreadable, quarantined, duplicate', async () => {
    const { dir, camp, out } = campaign(
      GOOD.replace('cells:', 'ignore: [notes/*]\ncells:').replace('{ id: C1, group: control }', '{ id: C1, group: control, files: ["cycling/C1_*"] }'),
    );
    try {
      mkdirSync(join(camp, 'notes'));
      writeFileSync(join(camp, 'notes', 'log.txt'), 'lab notes');
      writeFileSync(join(camp, 'eis', 'B1_eis_1.DTA.part'), 'half');
      writeFileSync(join(camp, 'README.md'), '# about');
      symlinkSync(join(camp, 'eis', 'A1_eis_0.DTA'), join(camp, 'eis', 'A1_link.DTA'));
      execFileSync('mkfifo', [join(camp, 'eis', 'pipe.DTA')]);
      writeFileSync(join(camp, 'eis', 'B1_broken.DTA'), MALFORMED_DTA);
      copyFileSync(join(camp, 'eis', 'B1_eis_0.DTA'), join(camp, 'eis', 'B1_eis_0_copy.DTA'));
      const { summary } = await runBatch(camp, { outDir: out, workers: 0 });
      const r = json(out);
      const state = Object.fromEntries(r.paths!.map((p) => [p.path, p.state]));
      expect(state).toEqual({
        'README.md': 'ignored',
        'campaign.yaml': 'ignored',
        'cycling/A1_cycling.csv': 'parsed',
        'eis/A1_eis_0.DTA': 'parsed',
        'eis/A1_link.DTA': 'symlink-not-followed',
        'eis/B1_broken.DTA': 'quarantined',
        'eis/B1_eis_0.DTA': 'parsed',
        'eis/B1_eis_0_copy.DTA': 'duplicate',
        'eis/B1_eis_1.DTA.part': 'temporary',
        'eis/C1_eis_0.DTA': 'parsed',
        'eis/pipe.DTA': 'unreadable',
        'notes/log.txt': 'ignored',
      });
      expect(r.paths!.find((p) => p.path === 'notes/log.txt')!.detail).toBe("manifest ignore pattern 'notes/*'");
      expect(summary.states).toEqual({ ignored: 3, parsed: 4, 'symlink-not-followed': 1, quarantined: 1, duplicate: 1, temporary: 1, unreadable: 1 });
      // C1 has an explicit files list that matches nothing: listed with its pattern; its orphaned file too
      expect(r.coverage!.emptyCells).toEqual([
        {
          cell: 'C1',
          patterns: ['cycling/C1_*'],
          rule: "files matching 'cycling/C1_*'",
          hint: "unclaimed file with 'C1' in the name: eis/C1_eis_0.DTA — the pattern 'eis/C1*' would claim it",
        },
      ]);
      expect(r.coverage!.unclaimed).toEqual([
        {
          path: 'eis/C1_eis_0.DTA',
          reason: "cell C1's id is in its name, but its 'files' list ('cycling/C1_*') does not match it",
          pattern: 'eis/C1*',
          cell: 'C1',
        },
      ]);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain('<td><code>eis/A1_link.DTA</code></td><td>symlink-not-followed</td>');
      expect(html).toContain('<td><code>eis/pipe.DTA</code></td><td>unreadable</td><td>not a regular file (a FIFO, socket or device): not read</td>');
      expect(html).toContain('<h3 id="cells-without-files">');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable file is listed with the OS error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-issue18-survey-'));
    try {
      writeFileSync(join(dir, 'a.DTA'), 'x');
      writeFileSync(join(dir, 'b.DTA'), 'y');
      const s = await surveyFolder(dir, [], {
        access: async (p) => {
          if (p.endsWith('b.DTA')) throw Object.assign(new Error(`EACCES: permission denied, access '${p}'`), { code: 'EACCES' });
        },
      });
      expect(s.files).toEqual(['a.DTA']);
      expect(s.skipped).toEqual([{ path: 'b.DTA', state: 'unreadable', detail: `EACCES: permission denied, access '${join(dir, 'b.DTA')}'` }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('claimCoverage: a cell with the default rule and no file says which names it claims', () => {
    const m = validateManifest({ cells: [{ id: 'Z9', group: 'g' }] }, 'c.yaml');
    expect(claimCoverage(m, []).emptyCells[0]!.rule).toBe("files whose name contains 'Z9' as a whole token (e.g. Z9_eis.DTA, not Z90.csv)");
  });
});

describe('issue #18 (5): failures stay visible', () => {
  it('an unchanged failed file is named on every run, in problems (--json) and first in the Files table', async () => {
    const { dir, camp, out } = campaign();
    try {
      writeFileSync(join(camp, 'eis', 'Z_broken.DTA'), MALFORMED_DTA);
      await runBatch(camp, { outDir: out, workers: 0 });
      const again = await runBatch(camp, { outDir: out, workers: 0 }); // nothing read this time
      expect(again.summary.files.skipped).toBe(5);
      expect(again.summary.failures.map((f) => f.path)).toEqual(['eis/Z_broken.DTA']);
      expect(again.summary.problems.some((p) => p.startsWith('failed: eis/Z_broken.DTA'))).toBe(true);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      const files = html.slice(html.indexOf('<table class="files">'));
      expect(files.indexOf('eis/Z_broken.DTA')).toBeLessThan(files.indexOf('cycling/A1_cycling.csv'));
      expect(files).toContain('<tr class="failed"><td class="path"><code>eis/Z_broken.DTA</code></td><td class="s-failed">quarantined</td>');
      expect(html).toContain('table.files td.path code,table.paths td code{white-space:normal;overflow-wrap:anywhere;word-break:break-all}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unrecognised file: "not a recognised instrument file" and the 3 closest formats with why, not 43 ids', () => {
    const bytes = new TextEncoder().encode('sample,weight\nA,1.2\nB,3.4\n');
    const d = detectFormat(sniffInput('scale.csv', bytes, bytes.length));
    expect(d.best).toBeNull();
    expect(d.reason).toMatch(/^not a recognised instrument file \(unrecognised format: no content check matched\); closest: 1\. /);
    const closest = d.reason!.match(/\d\. [a-z0-9-]+ \(/g)!;
    expect(closest).toHaveLength(3);
    expect(d.reason).toMatch(/the extension \.csv fits, but none of its header words or magic bytes are in the first bytes/);
    expect(d.reason!.length).toBeLessThan(900);
    expect(d.reason).toMatch(/`interphase formats` lists all \d+$/);
  });
});

describe('issue #18 (7): deletion keeps results by default', () => {
  it('a deleted file is "source removed" with its results; --prune drops them and the quarantine copy', async () => {
    const { dir, camp, out } = campaign();
    try {
      writeFileSync(join(camp, 'eis', 'B1_broken.DTA'), MALFORMED_DTA);
      const first = await runBatch(camp, { outDir: out, workers: 0 });
      const b1Params = first.report.parameters.filter((p) => p.cell === 'B1').length;
      expect(b1Params).toBeGreaterThan(0);
      rmSync(join(camp, 'eis', 'B1_eis_0.DTA'));
      rmSync(join(camp, 'eis', 'B1_broken.DTA'));
      const kept = await runBatch(camp, { outDir: out, workers: 0 });
      expect(kept.report.parameters.filter((p) => p.cell === 'B1').length).toBe(b1Params);
      expect(kept.report.files.find((f) => f.path === 'eis/B1_eis_0.DTA')).toMatchObject({ status: 'parsed', state: 'source removed', sourceRemoved: true });
      expect(kept.summary.states).toMatchObject({ 'source removed': 2, parsed: 3 });
      expect(kept.summary.failures).toEqual([]); // a removed file is not "failed now"
      expect(existsSync(join(out, 'quarantine', 'eis', 'B1_broken.DTA'))).toBe(true);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('source removed from the folder: results kept');
      // it comes back unchanged: the mark goes, nothing is re-parsed
      writeFileSync(join(camp, 'eis', 'B1_eis_0.DTA'), tinyDta(2));
      const back = await runBatch(camp, { outDir: out, workers: 0 });
      expect(back.report.files.find((f) => f.path === 'eis/B1_eis_0.DTA')).toMatchObject({ state: 'parsed' });
      expect(back.summary.files.parsed).toBe(0);
      rmSync(join(camp, 'eis', 'B1_eis_0.DTA'));
      const pruned = await runBatch(camp, { outDir: out, workers: 0, prune: true });
      expect(pruned.report.files.map((f) => f.path)).toEqual(['cycling/A1_cycling.csv', 'eis/A1_eis_0.DTA', 'eis/C1_eis_0.DTA']);
      expect(pruned.report.parameters.filter((p) => p.cell === 'B1')).toEqual([]);
      expect(existsSync(join(out, 'quarantine', 'eis', 'B1_broken.DTA'))).toBe(false);
      expect(existsSync(join(out, 'quarantine', 'eis', 'B1_broken.DTA.reason.txt'))).toBe(false);
      const { ctx } = await openCampaign(camp, { outDir: out });
      try {
        expect(await ctx.store.removedPaths()).toEqual([]);
      } finally {
        ctx.store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('issue #18 (6) and (8): no manifest; parameter sources; CasaXPS positions', () => {
  it('a folder with no manifest reports per-file parameters (report and parameters.csv), sources as file names', async () => {
    const { dir, camp, out } = campaign();
    try {
      rmSync(join(camp, 'campaign.yaml'));
      const { report } = await runBatch(camp, { outDir: out, workers: 0 });
      expect(report.cells).toEqual([]);
      const files = [...new Set(report.parameters.map((p) => p.file))].sort();
      expect(files).toEqual(['cycling/A1_cycling.csv', 'eis/A1_eis_0.DTA', 'eis/B1_eis_0.DTA', 'eis/C1_eis_0.DTA']);
      for (const p of report.parameters) expect(p.sourceFiles).toEqual([p.file]);
      const csv = readFileSync(join(out, 'parameters.csv'), 'utf8').trim().split('\r\n');
      expect(csv.length - 1).toBe(report.parameters.length);
      expect(csv[0]!.endsWith(',source_files')).toBe(true);
      expect(csv.slice(1).filter((l) => l.endsWith(',eis/B1_eis_0.DTA')).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with a manifest, parameter sources are shown as file names', async () => {
    const { dir, camp, out } = campaign();
    try {
      const { report } = await runBatch(camp, { outDir: out, workers: 0 });
      const p = report.parameters.find((x) => x.cell === 'B1')!;
      expect(p.sourceFiles).toEqual(['eis/B1_eis_0.DTA']);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<code title="[0-9a-f]{16}:0">eis\/B1_eis_0\.DTA<\/code>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a CasaXPS component position is labelled a kinetic energy, with its binding energy', () => {
    const a = parseCasaComments(
      [
        'CASA comp (*Fe 2p3/2*) (*LF(0.54,10,80,100,6)*) Area 63507.374 1e-020 1e+011 -1 1 MFWHM 3.28 0.02 6 -1 1 Position 777.56313 776 780 -1 1 RSF 2.957 MASS 55.85 INDEX -1 (*Fe*) CONST (**) UNCORRECTEDRSF 2.957',
      ],
      1486.61,
    );
    expect(a!.components[0]).toMatchObject({ position: 777.56313, positionScale: 'kinetic energy / eV', bindingEnergyEv: 709.04687 });
  });
});
