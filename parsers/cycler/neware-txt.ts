/**
 * Neware BTSDA 7 tab-separated text export. Its preamble (`Device`, `Channel`, `Start Test Time`, an
 * optional `Unit scheme` and step plan) is followed by one or more layers: `Cycle Data` (one row per
 * cycle), and — when the user ticked it — the step/record layers, flat or interleaved like the BTS
 * "regular" CSV. Only the record layer is a time series. A file holding only the cycle layer cannot be
 * a cycler record (Test Time, Voltage and Current are required), so it is refused with `not-this-kind`
 * naming what it is and what to export instead; the cycle numbers are not invented into a time series.
 * Legacy builds write GB2312/GBK; a stray byte that is neither UTF-8 nor GBK falls back to windows-1252.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, RecordMeta } from '../../src/model/record.js';
import { ParseError } from '../../src/model/errors.js';
import { splitFields } from '../text/table.js';
import { splitHeaderUnit } from '../text/units.js';
import { parseDateTime, isoFromUnix } from '../text/datetime.js';
import { headLines, textSource, type HeadLine } from './text-source.js';
import { findLayerHeaders } from './neware-layers.js';
import { isRecordHeader, newareSpelling, readNewareTable } from './neware-csv.js';

function sniffNewareTxt(input: SniffInput): number {
  const t = input.headText.slice(0, 16384);
  const preamble = /(^|\n)Device\t+\d+\t+Channel\t/.test(t) && /(^|\n)Start Test Time\t/.test(t);
  const layer = /(^|\n)Cycle Data\r?\n/.test(t) || /(^|\n)Cycle ID\tCap_Chg\t/.test(t) || /(^|\n)\t\tRecord ID\t/.test(t) || /(^|\n)Record ID\t/.test(t);
  if (preamble && layer) return 0.95;
  if (preamble) return 0.7;
  return /(^|\n)Cycle ID\tCap_Chg\tCap_DChg\t/.test(t) ? 0.6 : 0;
}

/** `Unit scheme` block: names on one line, units on the next (`Cur mA`, `Vol mV`, `Cap mAh`, …). */
function unitScheme(lines: readonly HeadLine[]): Map<string, string> {
  const out = new Map<string, string>();
  const i = lines.findIndex((l) => l.text.trim() === 'Unit scheme');
  if (i < 0 || i + 2 >= lines.length) return out;
  const names = splitFields(lines[i + 1]!.text, '\t');
  const units = splitFields(lines[i + 2]!.text, '\t');
  names.forEach((n, k) => {
    const u = units[k] ?? '';
    if (n && u && u !== 'AUTO' && u !== '?') out.set(n.toLowerCase(), u === 'mO' ? 'mohm' : u);
  });
  return out;
}

function preambleMeta(lines: readonly HeadLine[]): RecordMeta {
  const meta: RecordMeta = { instrument: 'Neware BTS', software: 'BTSDA 7 text export' };
  for (const l of lines.slice(0, 40)) {
    const f = splitFields(l.text, '\t');
    for (let k = 0; k + 2 < f.length; k++) {
      const key = f[k]!;
      const value = f[k + 2] ?? '';
      if (!value) continue;
      if (key === 'Device') meta.device = value;
      else if (key === 'Channel') meta.channel = value;
      else if (key === 'Nda File Name') meta.originalFile = value;
      else if (key === 'Start Test Time') {
        const u = parseDateTime(value.replace(/\./g, '-'));
        if (Number.isFinite(u)) meta.startTime = isoFromUnix(u).replace(/\.000Z$/, '');
      }
    }
  }
  return meta;
}

function parseNewareTxt({ path, bytes }: ParseInput): ParsedRecord[] {
  const src = textSource(path, bytes, 'gbk');
  const lines = headLines(src, 600);
  const meta = preambleMeta(lines);
  const hasRecord = findLayerHeaders(lines, '\t') !== null || lines.some((l) => isRecordHeader(splitFields(l.text, '\t')));
  if (!hasRecord) {
    const c = lines.findIndex((l) => /^Cycle ID\t/.test(l.text));
    const cycles = c < 0 ? 0 : lines.slice(c + 1).findIndex((l) => !/^\d+\t/.test(l.text));
    throw new ParseError({
      file: path, code: 'not-this-kind', line: c >= 0 ? c + 1 : 1,
      message: `this Neware BTSDA export holds only the cycle layer (one summary row per cycle${cycles > 0 ? `, ${cycles} cycles` : ''}), not a time series; export the record layer ("Record"/detail data) from BTSDA to read it`,
      expected: 'a record layer with Record ID, Time, Voltage, Current', found: c >= 0 ? lines[c]!.text.trim() : (lines[0]?.text ?? ''),
    });
  }
  const scheme = unitScheme(lines);
  const respell = (f: string): string => {
    const g = newareSpelling(f);
    const { name, unit } = splitHeaderUnit(g);
    const u = unit ? undefined : scheme.get(name.toLowerCase());
    return u ? `${name}(${u})` : g;
  };
  return [readNewareTable(src, lines, '\t', meta, respell)];
}

export const newareTxt: FormatParser = {
  id: 'neware-txt',
  family: 'cycler',
  kind: 'cycler',
  title: 'Neware BTSDA 7 text export',
  version: '1.0.0',
  extensions: ['.txt'],
  sniff: sniffNewareTxt,
  parse: parseNewareTxt,
};
