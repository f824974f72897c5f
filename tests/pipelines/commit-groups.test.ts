/**
 * A batch stores parsed files in groups (one transaction and one set of appenders per group,
 * pipelines/batch.ts → commitResults → store.replaceParsedMany; issue #18: the 96-cell first run). The
 * store it leaves must be the one that storing each file alone, in the same order, leaves: compared here
 * table by table (column bytes by MD5) on a folder whose files cross group boundaries and include a copy
 * of a file within a group, a copy across groups, an unreadable file, and metadata companions with and
 * without their data file; then a second run in which a touched file (same bytes) and a file turned to
 * garbage each get a new copy in the same group.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../../pipelines/batch.js';
import { openCampaign } from '../../pipelines/campaign.js';
import { processFile } from '../../pipelines/process-file.js';
import { writeArbinCsv } from '../../fixtures/virtual-lab/writers/arbin-csv.js';
import { writeArbinMetadata } from '../../fixtures/virtual-lab/writers/arbin-metadata.js';
import { writeGamryDta } from '../../fixtures/virtual-lab/writers/gamry-dta.js';
import { cellSpectrum } from '../../fixtures/virtual-lab/eis-spectrum.js';
import { mulberry32, normal } from '../../fixtures/virtual-lab/random.js';

function cycler(rows: number, seed: number): string {
  const rand = mulberry32(seed);
  const pts = 50;
  const time = new Float64Array(rows);
  const voltage = new Float64Array(rows);
  const current = new Float64Array(rows);
  const cycle = new Int32Array(rows);
  const step = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const half = Math.floor(i / pts);
    const strip = half % 2 === 1;
    time[i] = i * 10;
    current[i] = strip ? 5e-4 : -5e-4;
    voltage[i] = (strip ? 0.03 : -0.03) + 1e-4 * (rand() - 0.5);
    cycle[i] = Math.floor(half / 2) + 1;
    step[i] = strip ? 2 : 1;
  }
  return writeArbinCsv({ time, voltage, current, cycle, step, startUnix: 1_780_000_000 + seed });
}

function spectrum(seed: number): Buffer {
  const s = cellSpectrum(20 + seed, 0.8, 50, normal(mulberry32(seed)));
  return Buffer.from(writeGamryDta(s, { title: `EIS ${seed}`, date: '11/25/2026', time: '10:00:00', areaCm2: 1.13, vdc: 0 }), 'latin1');
}

function writeFolder(camp: string): void {
  mkdirSync(join(camp, 'cycling'), { recursive: true });
  mkdirSync(join(camp, 'eis'), { recursive: true });
  writeFileSync(join(camp, 'campaign.yaml'), 'campaign: groups\ncells:\n  - { id: CH1, group: control }\n  - { id: CH2, group: BTO }\n');
  writeFileSync(join(camp, 'cycling/CH1_log.csv'), cycler(2000, 1));
  const meta = { testId: 7, deviceId: '60369369', startUnix: 1_780_000_000, endUnix: 1_780_100_000, schedule: 'LiCu.sdu', itemId: 'EL1' };
  writeFileSync(join(camp, 'cycling/CH1_log_Metadata.csv'), writeArbinMetadata({ ...meta, channel: 0 }));
  writeFileSync(join(camp, 'cycling/CH2_nodata_Metadata.csv'), writeArbinMetadata({ ...meta, channel: 1 }));
  for (let k = 1; k <= 22; k++) writeFileSync(join(camp, `eis/CH${(k % 2) + 1}_s${String(k).padStart(2, '0')}.DTA`), spectrum(k));
  // copies: one next to its original (same group), one far from it (another group)
  writeFileSync(join(camp, 'eis/CH2_s03b.DTA'), spectrum(3));
  writeFileSync(join(camp, 'eis/CH1_s20_copy.DTA'), spectrum(2));
  writeFileSync(join(camp, 'eis/CH1_s07bad.DTA'), 'EXPLAIN\r\nTAG\tEISPOT\r\nZCURVE\tTABLE\r\n\tPt\tTime\r\ngarbage\r\n');
}

const QUERIES: Record<string, string> = {
  files: `SELECT path, sha256, size, status, format, kind, parser_version, cell_id, records, rows, warnings, error_type, error_line, duplicate_of, companion_of, companion_fields FROM files ORDER BY path`,
  records: `SELECT record_id, path, record_index, kind, format, cell_id, rows, meta, columns, warnings, data_stored FROM records ORDER BY record_id`,
  record_columns: `SELECT record_id, col_index, name, unit, dtype, levels, md5(data) AS data FROM record_columns ORDER BY record_id, col_index`,
  fits: `SELECT record_id, cell_id, fitter, fitter_version, ok, metrics, messages, options FROM fits ORDER BY record_id, fitter`,
  parameters: `SELECT * FROM parameters ORDER BY record_id, fitter, name`,
  fit_tables: `SELECT record_id, fitter, table_name, col_index, name, unit, dtype, md5(data) AS data FROM fit_tables ORDER BY record_id, fitter, table_name, col_index`,
};

async function dump(camp: string, out: string): Promise<Record<string, unknown[]>> {
  const { ctx } = await openCampaign(camp, { outDir: out });
  try {
    const d: Record<string, unknown[]> = {};
    for (const [t, q] of Object.entries(QUERIES)) d[t] = await ctx.store.query(q);
    return d;
  } finally {
    ctx.store.close();
  }
}

describe('batch stores files in groups, exactly as one by one', () => {
  it('leaves the same rows as processFile on each file in order (28 files, 2 groups; copies, a failure, companions)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-groups-'));
    try {
      const [a, b] = [join(dir, 'a'), join(dir, 'b')];
      writeFolder(a);
      writeFolder(b);
      const { summary } = await runBatch(a, { outDir: join(dir, 'out-a'), workers: 0 });
      expect(summary.files).toMatchObject({ parsed: 23, failed: 1, sidecars: 2, duplicates: 2 });

      const { ctx, files } = await openCampaign(b, { outDir: join(dir, 'out-b') });
      const statuses: string[] = [];
      try {
        for (const rel of files) statuses.push((await processFile(ctx, rel)).status);
      } finally {
        ctx.store.close();
      }
      expect(statuses.filter((s) => s === 'parsed').length).toBe(23);

      const [ga, gb] = [await dump(a, join(dir, 'out-a')), await dump(b, join(dir, 'out-b'))];
      for (const t of Object.keys(QUERIES)) expect({ table: t, rows: ga[t] }).toEqual({ table: t, rows: gb[t] });
      // what the comparison covers
      const byPath = new Map(ga.files!.map((r) => [(r as { path: string }).path, r as Record<string, unknown>]));
      expect(byPath.get('eis/CH2_s03b.DTA')).toMatchObject({ status: 'duplicate', duplicate_of: 'eis/CH2_s03.DTA' });
      expect(byPath.get('eis/CH1_s20_copy.DTA')).toMatchObject({ status: 'duplicate', duplicate_of: 'eis/CH1_s02.DTA' });
      expect(byPath.get('eis/CH1_s07bad.DTA')).toMatchObject({ status: 'failed' });
      expect(byPath.get('cycling/CH1_log_Metadata.csv')).toMatchObject({ status: 'sidecar', companion_of: 'cycling/CH1_log.csv' });
      expect(String(byPath.get('cycling/CH2_nodata_Metadata.csv')?.warnings)).toContain('companion-data-missing');
      const logRecord = ga.records!.find((r) => (r as { path: string }).path === 'cycling/CH1_log.csv') as { meta: string; data_stored: boolean };
      expect(JSON.parse(logRecord.meta).sidecar.file).toBe('cycling/CH1_log_Metadata.csv');
      expect(logRecord.data_stored).toBe(true);
      expect(ga.record_columns!.length).toBeGreaterThan(24 * 3);
      expect(ga.parameters!.length).toBeGreaterThan(24 * 3);

      // Second run: a file touched (same bytes, new mtime: stored row kept) and a new copy of it in the
      // same group, a file rewritten as garbage and a new copy of its old bytes: the copy of the touched
      // file is a duplicate of it; the old bytes of the broken file are parsed again under the new name.
      for (const camp of [a, b]) {
        const later = new Date(Date.now() + 5000);
        utimesSync(join(camp, 'eis/CH2_s05.DTA'), later, later);
        writeFileSync(join(camp, 'eis/CH2_s05z.DTA'), spectrum(5));
        writeFileSync(join(camp, 'eis/CH1_s08.DTA'), 'EXPLAIN\r\nnot a spectrum any more\r\n');
        writeFileSync(join(camp, 'eis/CH1_s08z.DTA'), spectrum(8));
      }
      await runBatch(a, { outDir: join(dir, 'out-a'), workers: 0 });
      const again = await openCampaign(b, { outDir: join(dir, 'out-b') });
      try {
        for (const rel of again.files) await processFile(again.ctx, rel);
      } finally {
        again.ctx.store.close();
      }
      const [ha, hb] = [await dump(a, join(dir, 'out-a')), await dump(b, join(dir, 'out-b'))];
      for (const t of Object.keys(QUERIES)) expect({ table: t, rows: ha[t] }).toEqual({ table: t, rows: hb[t] });
      const second = new Map(ha.files!.map((r) => [(r as { path: string }).path, r as Record<string, unknown>]));
      expect(second.get('eis/CH2_s05z.DTA')).toMatchObject({ status: 'duplicate', duplicate_of: 'eis/CH2_s05.DTA' });
      expect(second.get('eis/CH2_s05.DTA')).toMatchObject({ status: 'parsed' });
      expect(second.get('eis/CH1_s08.DTA')).toMatchObject({ status: 'failed' });
      expect(second.get('eis/CH1_s08z.DTA')).toMatchObject({ status: 'parsed' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
