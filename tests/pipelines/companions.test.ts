/**
 * Metadata companion files (issue #16): an Arbin `_Metadata.csv` (or a BioLogic `.mps`) is stored as
 * `sidecar`, never failed or quarantined, and its fields are attached to its data file's record meta —
 * whichever of the two arrives first, in batch and in watch.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../../pipelines/batch.js';
import { openCampaign } from '../../pipelines/campaign.js';
import { startWatch } from '../../pipelines/watch.js';
import type { FileOutcome } from '../../pipelines/process-file.js';
import { COMPANION_RULES, companionPathsFor, matchCompanion, readCompanion } from '../../parsers/companions.js';
import { HAVE_REAL_DATA, readReal, realPath } from '../helpers/realData.js';
import type { CampaignReport } from '../../src/report/types.js';

const META = 'cycler/arbin-csv/beep__FastCharge_000025_CH8_Metadata.csv';
const DATA = 'cycler/arbin-csv/beep__FastCharge_000025_CH8.csv';
const META_NAME = 'beep__FastCharge_000025_CH8_Metadata.csv';
const DATA_NAME = 'beep__FastCharge_000025_CH8.csv';

/** The fields of the real BEEP metadata file, as written there (Unix seconds shown as UTC). */
const REAL_FIELDS = {
  testId: 153,
  device: '60369369',
  channel: 7,
  startTime: '2017-05-13T03:13:34.000Z', // first_start_datetime 1494645214
  lastEndTime: '2017-05-13T00:51:16.000Z', // last_end_datetime 1494636676
  lastResumeTime: null, //                    0 = never resumed
  resumedTimes: 0,
  schedule: '2017-05-12_TESTS\\20170512-4_4C-80PER_4_4C.SDU',
  scheduleVersion: 'Schedule Version 7.00.08',
  itemId: 'EL150800453116',
  databases: ['ArbinResult_6', 'ArbinResult_7'],
};

function campaignDir(): { dir: string; camp: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ip-companion-'));
  const camp = join(dir, 'camp');
  mkdirSync(join(camp, 'cycling'), { recursive: true });
  writeFileSync(join(camp, 'campaign.yaml'), 'campaign: t\ncells:\n  - { id: CH8, group: control }\n');
  return { dir, camp, out: join(dir, 'out') };
}

async function storeView(camp: string, out: string): Promise<{ files: Record<string, unknown>[]; meta: Record<string, unknown>[] }> {
  const { ctx } = await openCampaign(camp, { outDir: out });
  try {
    const files = await ctx.store.query(`SELECT path, status, format, companion_of, warnings FROM files ORDER BY path`);
    const meta = (await ctx.store.query(`SELECT path, meta FROM records ORDER BY path`)).map((r) => ({ path: r.path, meta: JSON.parse(r.meta as string) }));
    return { files, meta };
  } finally {
    ctx.store.close();
  }
}

describe('companion rules', () => {
  it('are a table: every rule names its pair by suffix and has a content check', () => {
    expect(COMPANION_RULES.map((r) => [r.id, r.companionSuffix, r.dataSuffixes])).toEqual([
      ['arbin-metadata-csv', '_Metadata.csv', ['.csv']],
      ['biologic-mps', '.mps', ['.mpr', '.mpt']],
    ]);
    expect(companionPathsFor('cycling/X_CH12.csv')).toEqual(['cycling/X_CH12_Metadata.csv']);
    expect(companionPathsFor('run_C01.mpt')).toEqual(['run_C01.mps']);
  });

  it.skipIf(!HAVE_REAL_DATA)('reads the real BEEP _Metadata.csv: start time, channel, schedule, test id, device', () => {
    const bytes = readReal(META);
    const m = matchCompanion(`cycling/${META_NAME}`, bytes);
    expect(m?.rule.id).toBe('arbin-metadata-csv');
    expect(m?.dataPaths).toEqual([`cycling/${DATA_NAME}`]);
    const f = readCompanion(m!.rule, bytes);
    expect(f).toMatchObject(REAL_FIELDS);
    expect((f.raw as Record<string, string>).first_start_datetime).toBe('1494645214');
    // The data CSV beside it is not a companion, and neither is data merely named like one.
    expect(matchCompanion(DATA_NAME, readReal(DATA))).toBeNull();
    expect(matchCompanion('copy_Metadata.csv', readReal(DATA))).toBeNull();
  });

  it('reads a BioLogic .mps in the documented layout (EC-LAB SETTING FILE, linked techniques)', () => {
    const mps = [
      'EC-LAB SETTING FILE',
      '',
      'Number of linked techniques : 2',
      '',
      'EC-LAB for windows v11.50 (software)',
      'Internet server v11.50 (firmware)',
      '',
      'Filename : C:\\Data\\cell7_C01.mps',
      '',
      'Device : SP-300',
      'Electrode connection : standard',
      'Electrode material : Li',
      'Comments : poled BTO',
      '',
      'Technique : 1',
      'Open Circuit Voltage',
      'tR (h:m:s)          0:10:0.0000',
      '',
      'Technique : 2',
      'Galvanostatic Cycling with Potential Limitation',
      'Device : ignored in technique table',
      '',
    ].join('\r\n');
    const m = matchCompanion('bio/cell7_C01.mps', new TextEncoder().encode(mps));
    expect(m?.rule.id).toBe('biologic-mps');
    expect(m?.dataPaths).toEqual(['bio/cell7_C01.mpr', 'bio/cell7_C01.mpt']);
    expect(readCompanion(m!.rule, new TextEncoder().encode(mps))).toMatchObject({
      software: 'EC-LAB',
      softwareVersion: 'EC-LAB for windows v11.50 (software)',
      device: 'SP-300',
      linkedTechniques: 2,
      settingsFile: 'C:\\Data\\cell7_C01.mps',
      techniques: ['Open Circuit Voltage', 'Galvanostatic Cycling with Potential Limitation'],
      electrodeMaterial: 'Li',
      comments: 'poled BTO',
    });
  });
});

describe.skipIf(!HAVE_REAL_DATA)('companion files in batch and watch', () => {
  it('batch: data + sidecar → 1 parsed, 0 failed, 1 sidecar; the fields are in the data record meta; the report separates the counts', async () => {
    const { dir, camp, out } = campaignDir();
    try {
      copyFileSync(realPath(DATA), join(camp, 'cycling', DATA_NAME));
      copyFileSync(realPath(META), join(camp, 'cycling', META_NAME));
      const { summary, report } = await runBatch(camp, { outDir: out, workers: 0 });
      expect(summary.files).toMatchObject({ parsed: 1, failed: 0, sidecars: 1, quarantined: 0, duplicates: 0 });
      expect(summary.failures).toEqual([]);
      expect(existsSync(join(out, 'quarantine', 'cycling', META_NAME))).toBe(false);

      const v = await storeView(camp, out);
      expect(v.files).toEqual([
        { path: `cycling/${DATA_NAME}`, status: 'parsed', format: 'arbin-csv', companion_of: null, warnings: '[]' },
        { path: `cycling/${META_NAME}`, status: 'sidecar', format: 'arbin-metadata-csv', companion_of: `cycling/${DATA_NAME}`, warnings: '[]' },
      ]);
      expect(v.meta).toHaveLength(1);
      const side = (v.meta[0]!.meta as { sidecar: { file: string; rule: string; fields: Record<string, unknown> } }).sidecar;
      expect(side.file).toBe(`cycling/${META_NAME}`);
      expect(side.rule).toBe('arbin-metadata-csv');
      expect(side.fields).toMatchObject(REAL_FIELDS);

      const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CampaignReport;
      expect(json.schemaVersion).toBeGreaterThanOrEqual(3); // 3: paths, pathStates, manifestProblems (issue #18)
      expect(json.fileCounts).toEqual({ total: 2, parsed: 1, failed: 0, duplicates: 0, sidecars: 1 });
      expect(report.stages[0]!.detail).toBe('1 parsed, 0 unreadable (failed), 0 duplicates, 1 companion files (sidecars)');
      const dataRow = json.files.find((f) => f.path === `cycling/${DATA_NAME}`)!;
      const metaRow = json.files.find((f) => f.path === `cycling/${META_NAME}`)!;
      expect(dataRow.companions).toEqual([`cycling/${META_NAME}`]);
      expect(metaRow).toMatchObject({ status: 'sidecar', error: null, quarantined: null, companionOf: `cycling/${DATA_NAME}` });
      expect(metaRow.companionFields).toMatchObject({ channel: 7, startTime: REAL_FIELDS.startTime });
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain('1 parsed, 0 unreadable (failed), 1 companion file (metadata sidecars, attached to their data file)');
      expect(html).toContain(`companion of <code>cycling/${DATA_NAME}</code>`);
      const md = readFileSync(join(out, 'report.md'), 'utf8');
      expect(md).toContain('1 parsed, 0 unreadable (failed), 0 duplicates, 1 companion files');
      expect(md).toContain(`companion of cycling/${DATA_NAME}`);

      // The sidecar leaves: its fields leave the data record too (no re-parse of the data file).
      rmSync(join(camp, 'cycling', META_NAME));
      const after = await runBatch(camp, { outDir: out, workers: 0 });
      expect(after.summary.files).toMatchObject({ parsed: 0, skipped: 1, sidecars: 0, failed: 0 });
      expect((await storeView(camp, out)).meta[0]!.meta).not.toHaveProperty('sidecar');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('batch: a lone sidecar is stored as sidecar with a warning naming its data file; the data file arriving later gets its fields', async () => {
    const { dir, camp, out } = campaignDir();
    try {
      copyFileSync(realPath(META), join(camp, 'cycling', META_NAME));
      const first = await runBatch(camp, { outDir: out, workers: 0 });
      expect(first.summary.files).toMatchObject({ parsed: 0, failed: 0, sidecars: 1, quarantined: 0 });
      const lone = first.report.files.find((f) => f.path === `cycling/${META_NAME}`)!;
      expect(lone.status).toBe('sidecar');
      expect(lone.warnings).toEqual([
        {
          code: 'companion-data-missing',
          message: `metadata companion of cycling/${DATA_NAME}, which is not in the folder: its fields are attached when that file arrives`,
        },
      ]);

      copyFileSync(realPath(DATA), join(camp, 'cycling', DATA_NAME));
      const second = await runBatch(camp, { outDir: out, workers: 0 });
      expect(second.summary.files).toMatchObject({ parsed: 1, skipped: 1, failed: 0, sidecars: 1 });
      const v = await storeView(camp, out);
      expect(v.files.map((f) => [f.path, f.status, f.companion_of, f.warnings])).toEqual([
        [`cycling/${DATA_NAME}`, 'parsed', null, '[]'],
        [`cycling/${META_NAME}`, 'sidecar', `cycling/${DATA_NAME}`, '[]'],
      ]);
      expect((v.meta[0]!.meta as { sidecar: { fields: unknown } }).sidecar.fields).toMatchObject(REAL_FIELDS);

      // The data file leaves: its results are kept, marked "source removed" (issue #18); the sidecar stays, warned again.
      rmSync(join(camp, 'cycling', DATA_NAME));
      const third = await runBatch(camp, { outDir: out, workers: 0 });
      expect(third.summary.files).toMatchObject({ failed: 0, sidecars: 1 });
      expect(third.report.files.map((f) => [f.path, f.state, f.warnings.map((w) => w.code)])).toEqual([
        [`cycling/${DATA_NAME}`, 'source removed', []],
        [`cycling/${META_NAME}`, 'companion', ['companion-data-missing']],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('batch: a sidecar added after its data file was stored is attached without re-parsing the data', async () => {
    const { dir, camp, out } = campaignDir();
    try {
      copyFileSync(realPath(DATA), join(camp, 'cycling', DATA_NAME));
      const first = await runBatch(camp, { outDir: out, workers: 0 });
      expect(first.summary.files).toMatchObject({ parsed: 1, sidecars: 0 });
      expect((await storeView(camp, out)).meta[0]!.meta).not.toHaveProperty('sidecar');
      copyFileSync(realPath(META), join(camp, 'cycling', META_NAME));
      const second = await runBatch(camp, { outDir: out, workers: 0 });
      expect(second.summary.files).toMatchObject({ parsed: 0, skipped: 1, sidecars: 1, failed: 0 });
      expect((await storeView(camp, out)).meta[0]!.meta).toMatchObject({
        sidecar: { file: `cycling/${META_NAME}`, fields: { channel: 7, schedule: REAL_FIELDS.schedule } },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('batch: a lone .mps is attached to the .mpt that arrives later (the second data name its rule allows)', async () => {
    const { dir, camp, out } = campaignDir();
    try {
      const mps = 'EC-LAB SETTING FILE\r\n\r\nNumber of linked techniques : 1\r\n\r\nDevice : SP-240\r\n\r\nTechnique : 1\r\nChronopotentiometry\r\n';
      writeFileSync(join(camp, 'cycling', 'cp.mps'), mps);
      const first = await runBatch(camp, { outDir: out, workers: 0 });
      expect(first.summary.files).toMatchObject({ sidecars: 1, failed: 0 });
      expect(first.report.files[0]!.warnings[0]!.message).toContain('metadata companion of cycling/cp.mpr, which is not in the folder');
      copyFileSync(realPath('cycler/biologic-mpt/yadg__cp.mpt'), join(camp, 'cycling', 'cp.mpt'));
      const second = await runBatch(camp, { outDir: out, workers: 0 });
      expect(second.summary.files).toMatchObject({ parsed: 1, sidecars: 1, failed: 0 });
      const v = await storeView(camp, out);
      expect(v.files.map((f) => [f.path, f.status, f.companion_of, f.warnings])).toEqual([
        ['cycling/cp.mps', 'sidecar', 'cycling/cp.mpt', '[]'],
        ['cycling/cp.mpt', 'parsed', null, '[]'],
      ]);
      expect(v.meta.length).toBeGreaterThan(0);
      for (const r of v.meta)
        expect(r.meta).toMatchObject({
          sidecar: { file: 'cycling/cp.mps', rule: 'biologic-mps', fields: { device: 'SP-240', techniques: ['Chronopotentiometry'] } },
        });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('watch: the sidecar arrives first, then the data file: attached', async () => {
    const { dir, camp, out } = campaignDir();
    const outcomes: FileOutcome[] = [];
    const h = startWatch(camp, { outDir: out, settleMs: 150, debounceMs: 50, workers: 0, onOutcome: (o) => outcomes.push(o) });
    try {
      await h.ready;
      copyFileSync(realPath(META), join(camp, 'cycling', META_NAME));
      await waitFor(() => outcomes.some((o) => o.status === 'sidecar'));
      await h.idle();
      expect(outcomes.find((o) => o.status === 'sidecar')).toMatchObject({ path: `cycling/${META_NAME}`, of: `cycling/${DATA_NAME}`, missing: true });
      copyFileSync(realPath(DATA), join(camp, 'cycling', DATA_NAME));
      await waitFor(() => outcomes.some((o) => o.status === 'parsed'));
      await h.idle();
    } finally {
      await h.close();
    }
    expect(outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    const v = await storeView(camp, out);
    expect(v.files.map((f) => [f.path, f.status, f.companion_of, f.warnings])).toEqual([
      [`cycling/${DATA_NAME}`, 'parsed', null, '[]'],
      [`cycling/${META_NAME}`, 'sidecar', `cycling/${DATA_NAME}`, '[]'],
    ]);
    expect((v.meta[0]!.meta as { sidecar: { fields: unknown } }).sidecar.fields).toMatchObject(REAL_FIELDS);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);
});

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting for the watcher');
    await new Promise((r) => setTimeout(r, 50));
  }
}
