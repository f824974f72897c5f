/**
 * `interphase export <campaign> --format bdf` (issue #21 §3): every cycler record as a Battery Data
 * Format CSV plus its metadata JSON sidecar. Round trip: the project's own bdf-csv parser reads each
 * file back with the same columns (names, units) and values (1e-9 relative; empty cell ↔ NaN).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Column } from '../../src/records/record.js';
import { bdfTable } from '../../src/io/bdf-write.js';
import { loadFile } from '../../src/io/load.js';
import { CampaignStore } from '../../src/store/store.js';
import { cyclerCsv } from '../../bench/pipeline.js';

const CLI = resolve(__dirname, '../../dist/pipelines/cli/main.js');

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tmpdir() });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** Columns the BDF file must give back: same name, unit and values (categories compared as text). */
function expectSameColumns(written: readonly Column[], read: readonly Column[]): void {
  for (const w of written) {
    const r = read.find((c) => c.name === w.name);
    expect(r, `column '${w.name}' read back`).toBeDefined();
    expect(r!.unit, w.name).toBe(w.unit);
    expect(r!.values.length, w.name).toBe(w.values.length);
    if (w.levels) {
      const text = (c: Column, i: number) => c.levels?.[c.values[i]!] ?? String(c.values[i]);
      for (let i = 0; i < w.values.length; i++) expect(text(r!, i), `${w.name}[${i}]`).toBe(text(w, i));
      continue;
    }
    let bad = -1;
    for (let i = 0; i < w.values.length && bad < 0; i++) if (!close(w.values[i]!, r!.values[i]!)) bad = i;
    expect(bad < 0 ? null : { row: bad, written: w.values[bad], read: r!.values[bad] }, w.name).toBeNull();
  }
}

describe('BDF CSV writer → bdf-csv parser', () => {
  it('reads back every BDF column with its unit and values (awkward numbers, NaN, categories); leaves the others out', async () => {
    const n = 257;
    const t = Float64Array.from({ length: n }, (_, i) => i / 3 + 1e-7 * i);
    const cols: Column[] = [
      { name: 'Test Time', unit: 's', values: t },
      { name: 'Unix Time', unit: 's', values: t.map((x) => 1_780_000_000.123456 + x) },
      { name: 'Voltage', unit: 'V', values: t.map((x, i) => (i === 5 ? NaN : 3.7 + Math.sin(x) / 7)) },
      { name: 'Current', unit: 'A', values: t.map((_, i) => (i % 50 < 25 ? 5.65e-4 : -5.65e-4) * (1 + i * 1e-12)) },
      { name: 'Cycle Count', unit: '1', values: Int32Array.from({ length: n }, (_, i) => 1 + Math.floor(i / 50)) },
      { name: 'Step Index', unit: '1', values: Int32Array.from({ length: n }, (_, i) => (i % 50 < 25 ? 1 : 2)) },
      { name: 'Step Type', unit: '', values: Float64Array.from({ length: n }, (_, i) => (i % 50 < 25 ? 0 : 1)), levels: ['CC charge', 'CC "dis", charge'] },
      { name: 'Charging Capacity', unit: 'Ah', values: t.map((x) => x * 1.23456789e-7) },
      { name: 'Discharging Capacity', unit: 'Ah', values: t.map((x) => (x > 40 ? 1e-300 * x : 0)) },
      { name: 'Charging Energy', unit: 'Wh', values: t.map((x) => x * 4.2e-7) },
      { name: 'Internal Resistance', unit: 'ohm', values: t.map(() => 0.1 + 2 ** -40) },
      { name: 'Ambient Temperature', unit: 'degC', values: t.map((x) => 25 - x * 1e-3) },
      { name: 'dV/dt', unit: 'V/s', values: t.map(() => 1) },
    ];
    const table = bdfTable(cols);
    expect(table.omitted.map((o) => o.name)).toEqual(['dV/dt']);
    expect(table.csv.split('\n')[0]).toBe(
      'Test Time / s,Unix Time / s,Voltage / V,Current / A,Cycle Count / 1,Step Index / 1,Step Type,Charging Capacity / Ah,Discharging Capacity / Ah,Charging Energy / Wh,Internal Resistance / ohm,Ambient Temperature / degC',
    );
    const lines = table.csv.trimEnd().split('\n');
    expect(lines).toHaveLength(n + 1);
    expect(new Set(lines.slice(1).map((l) => l.replace(/"[^"]*"/g, 'q').split(',').length))).toEqual(new Set([12])); // every row the header's width
    const dir = mkdtempSync(join(tmpdir(), 'ip-bdf-'));
    const file = join(dir, 'X__unit.bdf.csv');
    writeFileSync(file, table.csv);
    const loaded = await loadFile(file);
    expect('records' in loaded && loaded.format.id).toBe('bdf-csv');
    const rec = (loaded as { records: { columns: readonly Column[] }[] }).records[0]!;
    // the category text comes back without its comma and quotes (plain CSV fields), everything else as written
    const expected = cols.filter((c) => c.name !== 'dV/dt').map((c) => (c.levels ? { ...c, levels: ['CC charge', "CC 'dis'; charge"] } : c));
    expectSameColumns(expected, rec.columns);
  });
});

describe('interphase export --format bdf', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npm run build\` (npm test does it first)`);
  });

  it('writes each cycler record as <cell>__<file>.bdf.csv with a metadata JSON of the cell; the parser reads back the stored columns', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-bdf-cli-'));
    const camp = join(d, 'camp');
    mkdirSync(join(camp, 'cycling'), { recursive: true });
    writeFileSync(join(camp, 'cycling', 'C01_LiCu.csv'), cyclerCsv(3000, 1, 300));
    writeFileSync(join(camp, 'cycling', 'P01_LiCu.csv'), cyclerCsv(2000, 2, 250));
    writeFileSync(
      join(camp, 'campaign.yaml'),
      [
        'campaign: bdf-export',
        'defaults: { cell_type: Li||Cu, electrode_area_cm2: 1.13, electrolyte: 1 M LiPF6 EC/DEC, current_density_mA_cm2: 0.5 }',
        'cells:',
        '  - { id: C01, group: control, poling: none, rest_hours: 0 }',
        '  - { id: P01, group: BTO-poled, ferroelectric: BaTiO3, poling: poled, rest_hours: 24, batch: B7 }',
        '',
      ].join('\n'),
    );
    const out = join(d, 'out');
    const b = run('batch', camp, '--out', out, '--quiet', '--workers', '0');
    expect(b.code, b.err).toBe(0);
    const e = run('export', camp, '--out', out, '--format', 'bdf');
    expect(e.code, e.err).toBe(0);
    const dir = join(out, 'export', 'bdf');
    expect(readdirSync(dir).sort()).toEqual(['C01__C01_LiCu.bdf.csv', 'C01__C01_LiCu.metadata.json', 'P01__P01_LiCu.bdf.csv', 'P01__P01_LiCu.metadata.json']);
    expect(e.out.trim().split('\n').sort()).toEqual(
      readdirSync(dir)
        .map((f) => join(dir, f))
        .sort(),
    );

    const meta = JSON.parse(readFileSync(join(dir, 'P01__P01_LiCu.metadata.json'), 'utf8'));
    expect(meta.cell).toMatchObject({
      id: 'P01',
      group: 'BTO-poled',
      ferroelectric: 'BaTiO3',
      poling: 'poled',
      restHours: 24,
      batch: 'B7',
      cellType: 'Li||Cu',
      electrodeAreaCm2: 1.13,
      electrolyte: '1 M LiPF6 EC/DEC',
      currentDensityMaCm2: 0.5,
    });
    expect(meta.cell.files).toBeUndefined();
    expect(meta.campaign.name).toBe('bdf-export');
    expect(meta.source).toMatchObject({ path: 'cycling/P01_LiCu.csv', format: 'arbin-csv', record_index: 0 });
    expect(meta.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.bdf.data_file).toBe('P01__P01_LiCu.bdf.csv');
    expect(meta.columns.map((c: { label: string }) => c.label)).toEqual(readFileSync(join(dir, 'P01__P01_LiCu.bdf.csv'), 'utf8').split('\n')[0]!.split(','));
    expect(meta.columns.find((c: { name: string }) => c.name === 'Test Time')).toEqual({
      name: 'Test Time',
      label: 'Test Time / s',
      machine_name: 'test_time_second',
      unit: 's',
    });

    // round trip against the store's columns
    const store = await CampaignStore.open(join(out, 'store.duckdb'));
    try {
      for (const [cell, file] of [
        ['C01', 'C01_LiCu'],
        ['P01', 'P01_LiCu'],
      ] as const) {
        const rows = await store.query(`SELECT record_id FROM records WHERE path = $1`, [`cycling/${file}.csv`]);
        const stored = await store.recordColumns(rows[0]!.record_id as string);
        const written = JSON.parse(readFileSync(join(dir, `${cell}__${file}.metadata.json`), 'utf8')).columns.map((c: { name: string }) => c.name) as string[];
        expect(written).toEqual(expect.arrayContaining(['Test Time', 'Voltage', 'Current', 'Cycle Count']));
        const loaded = await loadFile(join(dir, `${cell}__${file}.bdf.csv`));
        expect('records' in loaded && loaded.format.id).toBe('bdf-csv');
        const back = (loaded as { records: { columns: readonly Column[] }[] }).records[0]!.columns;
        expectSameColumns(
          stored.filter((c) => written.includes(c.name)),
          back,
        );
      }
    } finally {
      store.close();
    }
  }, 120_000);

  it('refuses an unknown format with exit 2', () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-bdf-bad-'));
    const r = run('export', d, '--format', 'hdf5');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/parquet, csv or bdf/);
  });
});
