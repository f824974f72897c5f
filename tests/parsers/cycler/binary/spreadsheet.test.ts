import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import * as XLSX from 'xlsx';
import { HAVE_REAL_DATA, readReal } from '../../../helpers/realData.js';
import { cyclerSpreadsheet } from '../../../../parsers/cycler/spreadsheet/index.js';
import { readWorkbook } from '../../../../parsers/cycler/spreadsheet/workbook.js';
import { findColumn, rowCount, type ParsedRecord } from '../../../../src/records/record.js';
import { sniffOf } from './sniff-input.js';

const ARBIN = 'cycler/arbin-xlsx/navani__bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx';
const NEWARE = 'cycler/neware-xls/cellpy__custom_data_003.xls';
const LANDT = 'cycler/landt-xlsx/cellpy__custom_data_002.xlsx';
const col = (r: ParsedRecord, n: string): Float64Array | Int32Array => findColumn(r, n)!.values;
const parse = async (p: string): Promise<ParsedRecord[]> => cyclerSpreadsheet.parse({ path: p, bytes: readReal(p) });

/** Per cycle: max of a column. */
function maxPerCycle(r: ParsedRecord, name: string): Map<number, number> {
  const c = col(r, 'Cycle Count');
  const v = col(r, name);
  const m = new Map<number, number>();
  for (let i = 0; i < c.length; i++) m.set(c[i]!, Math.max(m.get(c[i]!) ?? 0, v[i]!));
  return m;
}

describe.skipIf(!HAVE_REAL_DATA)('cycler-spreadsheet on real workbooks', () => {
  it('sniff: generic xlsx zip 0.6; BIFF8 .xls with Neware sheet names 0.8', () => {
    expect(cyclerSpreadsheet.sniff(sniffOf('a.xlsx', readReal(ARBIN)))).toBe(0.6);
    expect(cyclerSpreadsheet.sniff(sniffOf('a.xls', readReal(NEWARE)))).toBe(0.8);
  });

  it('Arbin MITS Pro 7 XLSX: 4526 rows of Channel_11_1, Global_Info metadata', async () => {
    const [r, more] = await parse(ARBIN);
    expect(more).toBeUndefined();
    expect(r!.meta.layout).toBe('arbin-xlsx');
    expect(rowCount(r!)).toBe(4526);
    expect(r!.meta.softwareVersion).toBe('PV7.0 Build: 180508USB');
    expect(r!.meta.channel).toBe('11');
    expect(col(r!, 'Test Time')[0]).toBeCloseTo(1.001, 6);
    expect(col(r!, 'Test Time')[4525]).toBeCloseTo(1204815.81068, 4);
    expect(col(r!, 'Voltage')[0]).toBeCloseTo(2.637299, 5);
    expect(col(r!, 'Voltage')[4525]).toBeCloseTo(0.072287, 5);
    expect(col(r!, 'Current')[4525]).toBeCloseTo(5.0828e-5, 9);
    // 50 µA both ways (navani: gr||Li 50 uA): charge positive, discharge negative
    expect(Math.max(...col(r!, 'Current'))).toBeCloseTo(5.26e-5, 7);
    expect(Math.min(...col(r!, 'Current'))).toBeCloseTo(-5.0e-5, 7);
    // Date_Time (Excel serial) and Test_Time advance together: two independent clocks in the file.
    const u = col(r!, 'Unix Time');
    const t = col(r!, 'Test Time');
    expect(Math.abs(u[4525]! - u[0]! - (t[4525]! - t[0]!))).toBeLessThan(1);
    expect(Math.max(...col(r!, 'Cycle Count'))).toBe(1);
  });

  it('Neware BTSDA 7 .xls: Detail sheet rows; per-cycle charge and discharge capacities agree with the Cycle sheet', async () => {
    const [r] = await parse(NEWARE);
    expect(r!.meta.layout).toBe('neware-xls');
    expect(rowCount(r!)).toBe(2943);
    expect(r!.meta.channel).toBe('14-1-3');
    expect(r!.meta.startTime).toBe('2021-05-20T23:36:04');
    expect(col(r!, 'Voltage')[0]).toBeCloseTo(2.3304, 6);
    expect(col(r!, 'Voltage')[2942]).toBeCloseTo(0.0499, 6);
    expect(col(r!, 'Current')[2942]).toBeCloseTo(-0.00163, 9); // Cur(mA) -1.63 → A
    expect(Math.max(...col(r!, 'Cycle Count'))).toBe(14);
    expect(findColumn(r!, 'Step Type')!.levels).toEqual(['Rest', 'CCCV_DChg', 'CC_Chg', 'CC_DChg']);
    // Independent: the Cycle sheet's "Capacity of discharge(mAh)" per cycle, read straight from the workbook.
    const wb = await readWorkbook(NEWARE, readReal(NEWARE));
    const cyc = wb.sheets
      .find((s) => s.name.startsWith('Cycle_'))!
      .rows.slice(1)
      .filter((x) => typeof x[1] === 'number');
    const dq = maxPerCycle(r!, 'Discharging Capacity');
    const cq = maxPerCycle(r!, 'Charging Capacity');
    expect(cyc.length).toBeGreaterThan(10);
    for (const row of cyc.slice(0, 13)) {
      expect(dq.get(row[1] as number)! * 1000).toBeCloseTo(row[3] as number, 6);
      expect(cq.get(row[1] as number)! * 1000).toBeCloseTo(row[2] as number, 6);
    }
  });

  it('Landt LANDdt XLSX: Record-Tab rows; per-cycle capacities and energies agree with Cycle-Tab', async () => {
    const [r] = await parse(LANDT);
    expect(r!.meta.layout).toBe('landt-xlsx');
    expect(rowCount(r!)).toBe(16538);
    expect(col(r!, 'Test Time')[16537]).toBe(388864);
    expect(col(r!, 'Voltage')[0]).toBeCloseTo(2.81529, 6);
    expect(col(r!, 'Voltage')[16537]).toBeCloseTo(0.588418, 6);
    expect(Math.max(...col(r!, 'Cycle Count'))).toBe(14);
    expect(findColumn(r!, 'Step Type')!.levels).toEqual(['R', 'RateD', 'RateC']);
    expect(Math.min(...col(r!, 'Current'))).toBeCloseTo(-0.00145771, 9);
    expect(findColumn(r!, 'Aux Temperature')).toBeUndefined(); // all '-' in this file
    const wb = await readWorkbook(LANDT, readReal(LANDT));
    const tab = wb.sheets.find((s) => s.name === 'Cycle-Tab')!.rows.slice(1);
    const cq = maxPerCycle(r!, 'Charging Capacity');
    const dq = maxPerCycle(r!, 'Discharging Capacity');
    const de = maxPerCycle(r!, 'Discharging Energy');
    expect(tab.length).toBe(14);
    for (const row of tab) {
      const c = row[0] as number;
      expect(cq.get(c)! * 1000).toBeCloseTo(row[1] as number, 5);
      expect(dq.get(c)! * 1000).toBeCloseTo(row[2] as number, 5);
      expect(de.get(c)! * 1000).toBeCloseTo(row[7] as number, 4);
    }
  });
});

describe('cycler-spreadsheet defences and bad input', () => {
  const book = (sheets: Record<string, unknown[][]>): Uint8Array => {
    const wb = XLSX.utils.book_new();
    for (const [n, rows] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), n);
    return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  };

  it('an unknown workbook is not-this-kind and names its sheets', async () => {
    const b = book({
      Budget: [
        ['Item', 'Cost'],
        ['pens', 3],
      ],
      Notes: [['hello']],
    });
    await expect(cyclerSpreadsheet.parse({ path: 'b.xlsx', bytes: b })).rejects.toMatchObject({
      code: 'not-this-kind',
      found: expect.stringContaining('Budget [Item, Cost]'),
    });
  });

  it('files over the size limit are refused before reading', async () => {
    const b = book({ S: [['a']] });
    await expect(cyclerSpreadsheet.parse({ path: 'b.xlsx', bytes: b, options: { maxBytes: 100 } })).rejects.toMatchObject({ code: 'too-large' });
  });

  it('a zip bomb is refused from its declared sizes, before inflating', async () => {
    const z = zipSync({ 'xl/workbook.xml': new Uint8Array(20_000_000) }, { level: 9 });
    expect(z.length).toBeLessThan(100_000);
    await expect(cyclerSpreadsheet.parse({ path: 'bomb.xlsx', bytes: z, options: { maxUnzippedBytes: 10_000_000 } })).rejects.toMatchObject({
      code: 'too-large',
    });
  });

  it('the worker is stopped at the wall-clock limit (ParseError timeout)', async () => {
    if (!HAVE_REAL_DATA) return;
    await expect(cyclerSpreadsheet.parse({ path: LANDT, bytes: readReal(LANDT), options: { timeoutMs: 5 } })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('garbage with an OLE2 magic is a ParseError from the worker, not a crash', async () => {
    const b = new Uint8Array(4096).fill(7);
    b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await expect(cyclerSpreadsheet.parse({ path: 'g.xls', bytes: b })).rejects.toMatchObject({ name: 'ParseError' });
  });

  it('a required column with text in it names sheet, line and column', async () => {
    const b = book({
      'Record-Tab': [
        ['Record', 'TestTime/Sec', 'Current/mA', 'Voltage/V'],
        [1, 0, 0, 3.1],
        [2, 'oops', 0, 3.2],
      ],
    });
    await expect(cyclerSpreadsheet.parse({ path: 'l.xlsx', bytes: b })).rejects.toMatchObject({ code: 'bad-number', line: 3, found: 'oops' });
  });
});
