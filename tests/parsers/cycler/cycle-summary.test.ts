import { describe, expect, it } from 'vitest';
import { newareTxt } from '../../../parsers/cycler/neware-txt.js';
import { cycleSummaryText } from '../../../parsers/cycler/cycle-summary-text.js';
import { readWorkbook, resolveReadWorkbookOptions } from '../../../parsers/cycler/spreadsheet/workbook.js';
import { cycleSheetRecords } from '../../../parsers/cycler/spreadsheet/cycle-sheet.js';
import { cyclerSpreadsheet } from '../../../parsers/cycler/spreadsheet/index.js';
import { cycleFitter } from '../../../src/fit/cycles/index.js';
import { detectFormat, sniffInput } from '../../../parsers/index.js';
import type { CanonicalRecord, ParsedRecord } from '../../../src/records/record.js';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';
import { col, expectParseError, first, last } from './text/helpers.js';

const prov = { path: 'x', size: 0, sha256: '', parser: 'test', parserVersion: '0', recordIndex: 0 };
const fitOf = (r: ParsedRecord, cellType?: 'Li||Cu' | 'full') =>
  cycleFitter.fit({ ...r, format: 'test', provenance: prov } as CanonicalRecord, cellType ? { cellType } : {});
const param = (o: ReturnType<typeof fitOf>, name: string) => o.parameters.find((p) => p.name === name);
const enc = (s: string) => new TextEncoder().encode(s);

describe.skipIf(!HAVE_REAL_DATA)('cycle layers of real files → cycle-summary records', () => {
  it('Neware BTSDA TestData1.txt (no Unit scheme): 150 cycles, BTSDA default mAh/mWh stated in a warning', async () => {
    const rel = 'cycler/neware-txt/btsda__TestData1.txt';
    const [r] = await newareTxt.parse({ path: rel, bytes: readReal(rel) });
    expect(r!.kind).toBe('cycle-summary');
    expect(r!.meta.rows).toBe(150);
    expect(r!.meta.startTime).toBe('2018-02-24T19:39:14');
    expect(col(r!, 'Cycle Count').v).toHaveLength(150);
    expect(first(col(r!, 'Charging Capacity').v)).toBeCloseTo(2.05e-3, 12);
    expect(first(col(r!, 'Discharging Capacity').v)).toBeCloseTo(2.025e-3, 12);
    expect(last(col(r!, 'Charging Capacity').v)).toBeCloseTo(1.744e-3, 12);
    expect(last(col(r!, 'Discharging Capacity').v)).toBeCloseTo(1.745e-3, 12);
    expect(first(col(r!, 'Charging Energy').v)).toBeCloseTo(8.147e-3, 12);
    expect(last(col(r!, 'Discharging Energy').v)).toBeCloseTo(6.306e-3, 12);
    expect(first(col(r!, 'Stated Coulombic Efficiency').v)).toBeCloseTo(0.9878, 12);
    expect(last(col(r!, 'Stated Coulombic Efficiency').v)).toBeCloseTo(1.0005, 12);
    expect(col(r!, 'RCap_Chg').unit).toBe('mAh/g');
    expect(r!.warnings.map((w) => w.code)).toEqual(['unit-assumed']);
    const o = fitOf(r!);
    expect(o.quality.ok).toBe(true);
    expect(param(o, 'cycles_completed')!.value).toBe(150);
    expect(param(o, 'ce_mean')!.note).toContain('no raw rows were available');
    expect(param(o, 'cycle_life_80')!.censored).toBe(true);
    expect(param(o, 'short_circuit_cycle')!.value).toBe(118); // CE 1.0257 in cycle 118 (> 1.02)
    expect(o.quality.messages.join(' ')).toContain('no raw rows were available');
  });

  it('Neware BTSDA TestData3.txt (Unit scheme mAh, mWh): 150 cycles, CE and LCE from the capacities', async () => {
    const rel = 'cycler/neware-txt/btsda__TestData3.txt';
    const [r] = await newareTxt.parse({ path: rel, bytes: readReal(rel) });
    expect(r!.kind).toBe('cycle-summary');
    expect(col(r!, 'Cycle Count').v).toHaveLength(150);
    expect(first(col(r!, 'Charging Capacity').v)).toBeCloseTo(1.974e-3, 12);
    expect(first(col(r!, 'Discharging Capacity').v)).toBeCloseTo(1.955e-3, 12);
    expect(last(col(r!, 'Charging Capacity').v)).toBeCloseTo(1.787e-3, 12);
    expect(last(col(r!, 'Discharging Energy').v)).toBeCloseTo(6.568e-3, 12);
    expect(r!.warnings).toEqual([]);
    const o = fitOf(r!, 'full');
    expect(param(o, 'ce_mean')!.value).toBeCloseTo(0.99994686, 7);
    expect(param(o, 'lce_mean')!.value).toBeCloseTo(4.2746, 3);
    expect(param(o, 'cycle_life_80')!.value).toBe(149);
    expect(o.quality.messages.join(' ')).toContain("file's own efficiency column (discharge/charge) agrees");
  });

  it('Neware XLS Cycle_ sheet read alone gives the same CE, LCE and cycle life as the Detail sheet', async () => {
    const rel = 'cycler/neware-xls/cellpy__custom_data_003.xls';
    const wb = await readWorkbook(rel, readReal(rel), resolveReadWorkbookOptions(undefined));
    const [cs] = cycleSheetRecords(rel, wb);
    expect(cs!.kind).toBe('cycle-summary');
    expect(col(cs!, 'Cycle Count').v).toHaveLength(14);
    expect(first(col(cs!, 'Discharging Capacity').v)).toBeCloseTo(3.5241456666666665e-3, 15);
    expect(last(col(cs!, 'Charging Capacity').v)).toBeCloseTo(1.209321388888889e-3, 15);
    const [detail] = await cyclerSpreadsheet.parse({ path: rel, bytes: readReal(rel) });
    expect(detail!.kind).toBe('cycler'); // the record layer still wins when present
    const a = fitOf(cs!);
    const b = fitOf(detail!);
    for (const n of ['ce_mean', 'lce_mean', 'cycle_life_80', 'cycles_completed']) expect(param(a, n)!.value, n).toBeCloseTo(param(b, n)!.value, 10);
  });

  it('Landt Cycle-Tab: 14 cycles in mAh → Ah; cycles 2–14 equal the Record-Tab integration', async () => {
    const rel = 'cycler/landt-xlsx/cellpy__custom_data_002.xlsx';
    const wb = await readWorkbook(rel, readReal(rel), resolveReadWorkbookOptions(undefined));
    const [cs] = cycleSheetRecords(rel, wb);
    expect(col(cs!, 'Cycle Count').v).toHaveLength(14);
    expect(first(col(cs!, 'Charging Capacity').v)).toBeCloseTo(2.74823e-3, 15);
    expect(first(col(cs!, 'Stated Coulombic Efficiency').v)).toBeCloseTo(0.906072, 12);
    const [rec] = await cyclerSpreadsheet.parse({ path: rel, bytes: readReal(rel) });
    const t = fitOf(rec!).tables!.cycles!;
    const qd = t.find((c) => c.name === 'Discharging Capacity')!.values;
    const qdc = col(cs!, 'Discharging Capacity').v;
    for (let k = 1; k < 14; k++) expect(qdc[k]).toBeCloseTo(qd[k]!, 9);
  });
});

describe('cycle and step layers, hand-made in the documented layouts', () => {
  it('Neware BTS cycle layer saved alone as CSV (Ah, %): detected and read', async () => {
    const text =
      'Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah),Chg.-DChg. Eff(%),Chg. Energy(Wh),DChg. Energy(Wh),Chg. Time,DChg. Time\r\n' +
      '1,0.00100,0.00095,95.00,0.0040,0.0036,01:00:00,00:57:00\r\n2,0.00100,0.00098,98.00,0.0040,0.0037,01:00:00,00:58:48\r\n3,0.00099,0.00097,97.98,0.0040,0.0037,00:59:24,00:58:12\r\n';
    const bytes = enc(text);
    expect(detectFormat(sniffInput('C03_cycles.csv', bytes, bytes.length)).best?.format.id).toBe('cycle-summary-text');
    const [r] = await cycleSummaryText.parse({ path: 'C03_cycles.csv', bytes });
    expect(col(r!, 'Discharging Capacity').v).toEqual([0.00095, 0.00098, 0.00097]);
    expect(col(r!, 'Stated Coulombic Efficiency').v.map((x) => +x.toFixed(6))).toEqual([0.95, 0.98, 0.9798]);
    expect(param(fitOf(r!, 'full'), 'ce_mean')!.value).toBeCloseTo((0.98 + 0.97 / 0.99) / 2, 12);
  });

  it('Arbin statistics CSV (Ah, Wh) and BioLogic cycle export (mA.h, W.h, tab, decimal comma)', async () => {
    const arbin =
      'Cycle_Index,Test_Time(s),Charge_Capacity(Ah),Discharge_Capacity(Ah),Charge_Energy(Wh),Discharge_Energy(Wh)\n1,7200,0.0020,0.0019,0.0080,0.0072\n2,14400,0.0019,0.00188,0.0076,0.0071\n';
    const [a] = await cycleSummaryText.parse({ path: 'stats.csv', bytes: enc(arbin) });
    expect(col(a!, 'End Time').v).toEqual([7200, 14400]);
    expect(col(a!, 'Charging Energy').v).toEqual([0.008, 0.0076]);
    const biologic =
      'cycle number\tQ charge/mA.h\tQ discharge/mA.h\tEnergy charge/W.h\tEnergy discharge/W.h\n1\t1,000\t0,950\t0,0040\t0,0036\n2\t0,990\t0,980\t0,0039\t0,0036\n';
    const [b] = await cycleSummaryText.parse({ path: 'cycles.txt', bytes: enc(biologic) });
    expect(col(b!, 'Charging Capacity').v).toEqual([0.001, 0.00099]);
    expect(col(b!, 'Discharging Capacity').v).toEqual([0.00095, 0.00098]);
    expect(b!.meta.decimalComma).toBe(true);
  });

  it('Landt cycle table as CSV (unit after the first slash)', async () => {
    const text =
      'Cycle,CapC/mAh,CapD/mAh,SpeCapC/mAh/g,SpeCapD/mAh/g,Efficiency/%,EnergyC/mWh,EnergyD/mWh\n1,2.0,1.9,100,95,95,8,7\n2,1.9,1.88,95,94,98.9474,7.6,7.1\n';
    const [r] = await cycleSummaryText.parse({ path: 'landt_cycles.csv', bytes: enc(text) });
    expect(col(r!, 'Charging Capacity').v).toEqual([0.002, 0.0019]);
    expect(col(r!, 'SpeCapC').unit).toBe('mAh/g');
  });

  it('a step layer (one row per step) is summed per cycle and direction', async () => {
    const text =
      'Cycle ID,Step ID,Step Type,Capacity(mAh),Energy(mWh)\n1,1,Rest,0,0\n1,2,CC_Chg,1.0,4.0\n1,3,CV_Chg,0.1,0.42\n1,4,CC_DChg,1.0,3.6\n2,5,CC_Chg,1.0,4.0\n2,6,CC_DChg,0.98,3.5\n';
    const [r] = await cycleSummaryText.parse({ path: 'steps.csv', bytes: enc(text) });
    expect(r!.kind).toBe('cycle-summary');
    expect(col(r!, 'Charging Capacity').v.map((x) => +x.toPrecision(12))).toEqual([0.0011, 0.001]);
    expect(col(r!, 'Discharging Capacity').v).toEqual([0.001, 0.00098]);
    expect(r!.meta.steps).toBe(6);
  });

  it('a capacity without a unit is refused, not guessed', async () => {
    const text = 'Cycle,Charge Capacity,Discharge Capacity\n1,2.0,1.9\n2,1.9,1.88\n';
    await expectParseError(() => cycleSummaryText.parse({ path: 'hand-made.csv', bytes: enc(text) }), 'bad-header', 1);
  });

  it('Li||Cu: CE is Q_strip / Q_plate = charge / discharge of the per-cycle table', async () => {
    const text = 'Cycle,CapC/mAh,CapD/mAh\n1,0.90,1.00\n2,0.98,1.00\n3,0.99,1.00\n';
    const [r] = await cycleSummaryText.parse({ path: 'licu.csv', bytes: enc(text) });
    expect(param(fitOf(r!, 'Li||Cu'), 'ce_mean')!.value).toBeCloseTo(0.985, 12);
  });
});
