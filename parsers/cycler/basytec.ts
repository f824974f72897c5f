/**
 * BaSyTec Battery Test System result text: `~`-prefixed header lines (`~Name of Test:`, `~Start of Test:`
 * …), the last of which is the tab-separated column line (`~Time[s]\tDataSet\t…\tU[V]\tI[A]\t…`), then
 * tab data. Units sit in brackets; a few counters (`Ah-Cyc-Charge`) have none and are in Ah/Wh.
 * Current is positive on charge. BaSyTec writes discharge Ah counters negative: Discharging Capacity /
 * Energy are reported as magnitudes (BDF counters are non-negative).
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ColumnRule } from '../text/columns.js';
import type { ParsedRecord, RecordMeta } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { parseDateTime, isoFromUnix } from '../text/datetime.js';
import { cyclerRecord } from './record.js';
import { commonUnitSpelling, headLines, looksDecimalComma, readTable, respellHeader, textSource } from './text-source.js';
import { findCol, numbers } from './column-ops.js';

const RULES: readonly ColumnRule[] = [
  { match: ['Time'], to: CYCLER.testTime, unit: 's', required: true },
  { match: ['DataSet'], to: CYCLER.recordIndex },
  { match: ['t-Step'], to: CYCLER.stepTime, unit: 's' },
  { match: ['Line'], to: CYCLER.stepIndex },
  { match: ['Command'], to: CYCLER.stepType, parse: 'category' },
  { match: ['U'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['I'], to: CYCLER.current, unit: 'A', required: true },
  { match: ['P'], to: CYCLER.power, unit: 'W' },
  { match: ['Ah-Cyc-Charge'], to: CYCLER.chargeCapacity, unit: 'Ah' },
  { match: ['Ah-Cyc-Discharge'], to: CYCLER.dischargeCapacity, unit: 'Ah' },
  { match: ['Ah-Step'], to: CYCLER.stepCapacity, unit: 'Ah' },
  { match: ['Wh-Cyc-Charge'], to: CYCLER.chargeEnergy, unit: 'Wh' },
  { match: ['Wh-Cyc-Discharge'], to: CYCLER.dischargeEnergy, unit: 'Wh' },
  { match: ['R-DC'], to: CYCLER.internalResistance, unit: 'ohm' },
  { match: ['Cyc-Count'], to: CYCLER.cycle },
];

function sniffBasytec(input: SniffInput): number {
  const t = input.headText.slice(0, 16384);
  const banner = /^(\xef\xbb\xbf)?~\s*Resultfile from Basytec/i.test(t);
  const columns = /(^|\n)~\s*Time\[[^\]]*\]\t/.test(t) && /\tU\[V\]/.test(t) && /\tI\[m?A\]/.test(t);
  if (banner && columns) return 0.98;
  if (banner || columns) return 0.8;
  return 0;
}

function parseBasytec({ path, bytes, source }: ParseInput): ParsedRecord[] {
  const src = textSource(path, bytes, undefined, source);
  const lines = headLines(src, 200);
  let h = -1;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.text;
    if (!t.startsWith('~')) break;
    if (t.includes('\t')) h = i;
  }
  if (h < 0) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: 'no BaSyTec column line (a `~` line with tab-separated names) before the data',
      expected: '~Time[s]\tDataSet\t…',
      found: lines[0]?.text ?? '',
    });
  }
  const sample = lines.slice(h + 1, h + 20).map((l) => l.text);
  const table = readTable(src, lines, h, {
    delimiter: '\t',
    rules: RULES,
    what: 'BaSyTec result file',
    header: respellHeader(lines[h]!.text.slice(1), '\t', commonUnitSpelling),
    decimalComma: looksDecimalComma(sample, '\t'),
  });
  const columns = [...table.columns];
  for (const q of [CYCLER.dischargeCapacity, CYCLER.dischargeEnergy]) {
    const v = numbers(findCol(columns, q.name));
    if (v) for (let i = 0; i < v.length; i++) v[i] = Math.abs(v[i]!);
  }
  const meta: RecordMeta = { instrument: 'BaSyTec Battery Test System' };
  for (const l of lines.slice(0, h)) {
    const m = /^~\s*([^:]+):\s*(.*)$/.exec(l.text);
    if (!m) continue;
    const [key, value] = [m[1]!.trim(), m[2]!.trim()];
    if (!value) continue;
    if (key === 'Name of Test') meta.testName = value;
    else if (key === 'Battery') meta.cellId = value;
    else if (key === 'Testplan') meta.technique = value;
    else if (key === 'Testchannel') meta.channel = value;
    else if (key === 'Start of Test') {
      const u = parseDateTime(value, 'dmy');
      if (Number.isFinite(u)) meta.startTime = isoFromUnix(u).replace(/\.000Z$/, '');
    } else if (key === 'End of Test') meta.endTime = value;
    else if (key === 'Operator (Test)') meta.operator = value;
  }
  return [cyclerRecord(path, columns, meta, table.warnings)];
}

export const basytecTxt: FormatParser = {
  id: 'basytec-txt',
  family: 'cycler',
  kind: 'cycler',
  title: 'BaSyTec Battery Test System result text',
  version: '1.0.0',
  extensions: ['.txt'],
  sniff: sniffBasytec,
  parse: parseBasytec,
  streams: true,
};
