import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { CampaignStore } from '../../src/store/store.js';
import { parametersTable, toCsv, toXlsx, writeTables } from '../../src/report/tables.js';
import { resetWork, work } from '../../src/records/work.js';
import { statSync } from 'node:fs';
import { fillStore, syntheticReport } from './synthetic.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('table exports', () => {
  it('CSV quotes, empties non-finite values and defuses formula-like text', () => {
    const csv = toCsv({
      name: 't',
      header: ['a', 'b', 'c'],
      rows: [
        ['=SUM(A1)', 1.5, null],
        ['x,"y"', Number.NaN as unknown as null, true],
      ],
    });
    expect(csv).toBe(`a,b,c\r\n'=SUM(A1),1.5,\r\n"x,""y""",,true\r\n`);
  });

  it('parameters table comes from the report document', () => {
    const t = parametersTable(syntheticReport());
    expect(t.header.slice(0, 5)).toEqual(['cell', 'group', 'parameter', 'value', 'unit']);
    expect(t.rows).toHaveLength(6);
    expect(t.rows.find((r) => r[0] === 'B1' && r[2] === 'cycle_life_80')).toEqual([
      'B1',
      'BTO-poled',
      'cycle_life_80',
      300,
      'cycles',
      null,
      null,
      null,
      true,
      1,
      'cycles',
      true,
      expect.any(String),
      'fitted',
      null,
      expect.any(String),
    ]);
  });

  it('writes tables.xlsx, parameters.csv and cycles.csv beside the report', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-tables-'));
    dirs.push(d);
    const store = await CampaignStore.open(join(d, 'store.duckdb'));
    await fillStore(store);
    const w = await writeTables(join(d, 'out'), syntheticReport(), store);
    store.close();
    expect(w.csv.map((p) => p.split('/').pop())).toEqual(['parameters.csv', 'cycles.csv']);
    const cycles = readFileSync(join(d, 'out', 'cycles.csv'), 'utf8')
      .trim()
      .split('\r\n');
    expect(cycles[0]).toBe('cell,group,file,record,Cycle Count / 1,Charging Capacity / Ah,Discharging Capacity / Ah,Coulombic Efficiency / 1,Complete / 1');
    expect(cycles).toHaveLength(1 + 3 * 5);
    const b1c1 = cycles.find((l) => l.startsWith('B1,') && l.split(',')[4] === '1')!.split(',');
    expect(Number(b1c1[6])).toBeCloseTo(0.002 * 0.97, 15);
    expect(b1c1[8]).toBe('1'); // the Int32 column decoded as integers
    // Our own workbook, read back to check it.
    const wb = XLSX.read(readFileSync(w.xlsx));
    expect(wb.SheetNames).toEqual(['parameters', 'cycles']);
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.parameters!);
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.cell === 'A2' && r.parameter === 'cycle_life_80')!.value).toBe(180);
    expect(XLSX.utils.sheet_to_json(wb.Sheets.cycles!)).toHaveLength(15);
  });

  it('without a store only the parameters are written', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-tables-'));
    dirs.push(d);
    const w = await writeTables(d, { ...syntheticReport(), parameters: [] });
    expect(w.csv.map((p) => p.split('/').pop())).toEqual(['parameters.csv']);
    expect(readFileSync(w.csv[0]!, 'utf8')).toBe(
      'cell,group,parameter,value,unit,stderr,ci95_low,ci95_high,censored,n,fitter,fit_ok,sources,status,provenance,source_files\r\n',
    );
  });

  it('our workbook reads back in SheetJS cell for cell: types kept, formula-like and odd text stays text', () => {
    const rows = [
      ['=SUM(A1)', '+1', 'a & <b> "c"', 'ctl\u0001x', '_x0041_', 'lone \ud800'],
      [1.5, -2e-7, 1e21, 0, Number.NaN, null],
      [true, false, '1', 'true', 42, ''],
    ];
    const wb = XLSX.read(
      toXlsx([
        { name: 'a sheet name longer than thirty-one characters', header: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], rows },
        { name: 'two', header: ['x'], rows: [[1]] },
      ]),
    );
    expect(wb.SheetNames).toEqual(['a sheet name longer than thirty', 'two']); // Excel's 31 characters
    const back = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: true, defval: null });
    expect(back[1]).toEqual(['=SUM(A1)', '+1', 'a & <b> "c"', 'ctl\u0001x', '_x0041_', 'lone \ufffd']);
    expect(back[2]).toEqual([1.5, -2e-7, 1e21, 0, null, null]);
    expect(back[3]).toEqual([true, false, '1', 'true', 42, '']);
    const sheet = wb.Sheets[wb.SheetNames[0]!]!;
    expect(sheet.A2).toMatchObject({ t: 's', v: '=SUM(A1)' });
    expect(sheet.A2.f).toBeUndefined(); // never a formula
    expect(sheet.C3).toMatchObject({ t: 'n', v: 1e21 });
    expect(sheet.A4).toMatchObject({ t: 'b', v: true });
  });

  it('tables already on disk as they are now are not rewritten; a change rewrites them', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-tables-'));
    dirs.push(d);
    const store = await CampaignStore.open(join(d, 'store.duckdb'));
    await fillStore(store);
    const out = join(d, 'out');
    resetWork();
    await writeTables(out, syntheticReport(), store);
    expect(work.workbooksWritten).toBe(1);
    const t0 = statSync(join(out, 'tables.xlsx')).mtimeMs;
    await writeTables(out, syntheticReport(), store);
    expect(work.workbooksWritten).toBe(1);
    expect(statSync(join(out, 'tables.xlsx')).mtimeMs).toBe(t0);
    const changed = syntheticReport();
    await writeTables(out, { ...changed, parameters: changed.parameters.slice(1) }, store);
    store.close();
    expect(work.workbooksWritten).toBe(2);
    expect(XLSX.utils.sheet_to_json(XLSX.read(readFileSync(join(out, 'tables.xlsx'))).Sheets.parameters!)).toHaveLength(5);
  });
});
