/**
 * Gamry Framework `.DTA` (EISPOT, EISGALV, EISMON…): a `KEY<TAB>TYPE<TAB>value…` header, then
 * tables introduced by `NAME<TAB>TABLE[<TAB>count]`, each followed by a names row, a units row and
 * indented data rows. Impedance lives in `ZCURVE` tables (one per spectrum; repeated measurements
 * write ZCURVE, ZCURVE2… or several blocks); other tables (OCVCURVE, CURVEn of a CV) are not EIS.
 *
 * Sign: Gamry's `Zimag` is the true imaginary part (negative on capacitive arcs, as in both real
 * fixtures), so it is kept as is. impedance.py's `readGamry` reads it the same way.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import { incompleteMark, type ParsedRecord, type ParseWarning, type RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { EIS } from '../../src/records/names.js';
import { buildSpectrum, formatSign } from './spectrum.js';
import { eisText, readEisTable, startTimeFrom, num, zRules, type EisRule } from './text.js';

/** Column names of a Gamry ZCURVE (names row), mapped to canonical quantities. Units come from the units row. */
export const GAMRY_RULES: readonly EisRule[] = [
  ...zRules({ freq: ['Freq'], real: ['Zreal'], imag: ['Zimag'] }),
  { match: ['Time'], to: EIS.time, unit: 's' },
  { match: ['Vdc'], to: EIS.voltage, unit: 'V' },
  { match: ['Idc'], to: EIS.current, unit: 'A' },
];

/** Table names that hold impedance. */
const EIS_TABLE = /^ZCURVE\d*$/;
const EIS_TAGS = /^(EIS\w*|GALVEIS|HYBRIDEIS)$/i;

export interface GamryTable {
  readonly name: string;
  readonly line: number; // 0-based index of the `NAME\tTABLE` line
  readonly declaredRows?: number;
  readonly end: number; // 0-based index of the first line after the rows
}

export function findTables(lines: readonly string[]): GamryTable[] {
  const out: GamryTable[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z]\w*)\tTABLE(?:\t(\d+))?\s*$/.exec(lines[i]!);
    if (!m) continue;
    let end = i + 3;
    // Rows are indented (tab, or spaces in hand-edited files); the table ends at the first line that is not.
    while (end < lines.length && /^[\t ]+\S/.test(lines[end]!)) end++;
    out.push({ name: m[1]!, line: i, declaredRows: m[2] !== undefined ? Number(m[2]) : undefined, end: Math.min(end, lines.length) });
  }
  return out;
}

export function headerFields(lines: readonly string[], until: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < until; i++) {
    const l = lines[i]!;
    if (/^\s/.test(l) || !l) continue;
    const f = l.split('\t');
    if (!out.has(f[0]!)) out.set(f[0]!, f.slice(1));
  }
  return out;
}

export function parseGamryDta(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  const { lines } = t;
  if (lines[0]?.trim() !== 'EXPLAIN' && !lines.slice(0, 5).some((l) => /^TAG\t/.test(l))) {
    throw new ParseError({
      file: t.path,
      code: 'bad-header',
      line: 1,
      message: 'not a Gamry .DTA file',
      expected: "'EXPLAIN' then 'TAG\\t…'",
      found: lines[0] ?? '',
    });
  }
  const tables = findTables(lines);
  const hdr = headerFields(lines, lines.length);
  const tag = hdr.get('TAG')?.[0]?.trim() ?? '';
  const eisTables = tables.filter((x) => EIS_TABLE.test(x.name));
  if (eisTables.length === 0) {
    const found = tables.length ? tables.map((x) => x.name).join(', ') : 'no tables';
    throw new ParseError({
      file: t.path,
      code: tables.length ? 'not-this-kind' : 'no-data',
      line: tables[0] ? tables[0].line + 1 : undefined,
      message: tables.length
        ? `Gamry file with TAG '${tag || '?'}' holds no impedance table (tables: ${found}); it is not an EIS measurement`
        : `Gamry file with TAG '${tag || '?'}' has no data table`,
      expected: 'a ZCURVE table',
      found,
    });
  }
  const baseWarnings: ParseWarning[] = [];
  if (tag && !EIS_TAGS.test(tag))
    baseWarnings.push({ code: 'unexpected-tag', message: `TAG '${tag}' is not a known EIS technique; its ZCURVE table was read anyway` });
  const meta = gamryMeta(hdr, baseWarnings);

  return eisTables.map((tb, k) => {
    const warnings = [...baseWarnings];
    const names = lines[tb.line + 1];
    const units = lines[tb.line + 2];
    if (names === undefined || units === undefined) {
      throw new ParseError({
        file: t.path,
        code: 'truncated',
        line: tb.line + 1,
        message: `table ${tb.name} ends before its names and units rows`,
        expected: 'names row and units row',
        found: 'end of file',
      });
    }
    const table = readEisTable(t, { beforeData: tb.line + 2, header: combineHeader(names, units), endLine: tb.end, delimiter: ' ', rules: GAMRY_RULES });
    warnings.push(...table.warnings);
    // Fewer rows than the TABLE line declares: the sweep was cut (incomplete); more: the count is wrong.
    const cut =
      tb.declaredRows !== undefined
        ? incompleteMark({ declared: tb.declaredRows, read: table.rows, unit: 'points', source: `${tb.name} TABLE header` }, tb.line + 1)
        : null;
    if (cut) warnings.push(cut.warning);
    else if (tb.declaredRows !== undefined && tb.declaredRows !== table.rows) {
      warnings.push({ code: 'row-count-mismatch', message: `table ${tb.name} declares ${tb.declaredRows} rows but has ${table.rows}`, line: tb.line + 1 });
    }
    return buildSpectrum({
      path: t.path,
      columns: table.columns,
      spectrumIndex: k,
      line: tb.line + 1,
      warnings,
      imagSign: formatSign('im', `Gamry ZCURVE 'Zimag' is Im(Z) (true imaginary part)`),
      meta: { ...meta, table: tb.name, unreadColumns: table.unread, ...(cut?.meta ?? {}) },
    });
  });
}

/**
 * Gamry writes names and units on two rows; rows are split on runs of whitespace (hand-trimmed files
 * mix tabs and spaces), so the synthetic header is `Name/unit` with no spaces inside a field.
 */
function combineHeader(names: string, units: string): string {
  const n = names.trim().split(/\t/);
  const u = units.replace(/^\t/, '').split(/\t/);
  return n
    .map((name, i) => {
      const unit = (u[i] ?? '').trim();
      const bare = name.trim().replace(/\s+/g, '_');
      return unit && unit !== '#' ? `${bare}/${unit.replace(/\s+/g, '')}` : bare;
    })
    .join(' ');
}

export function gamryMeta(h: Map<string, string[]>, warnings: ParseWarning[]): RecordMeta {
  const v = (k: string, i = 1): string | undefined => h.get(k)?.[i]?.trim() || undefined;
  const meta: RecordMeta = { software: 'Gamry Framework' };
  const tag = h.get('TAG')?.[0]?.trim();
  if (tag) meta.technique = tag;
  const title = v('TITLE');
  if (title) meta.title = title;
  const pstat = v('PSTAT');
  meta.instrument = pstat ? `Gamry ${pstat}` : 'Gamry potentiostat';
  const fw = v('FRAMEWORKVERSION');
  if (fw) meta.softwareVersion = fw;
  const date = v('DATE');
  const time = v('TIME');
  if (date) meta.dateText = time ? `${date} ${time}` : date;
  const start = startTimeFrom(date, time, warnings);
  if (start) meta.startTime = start;
  // VDC is `POTEN value flag`: the flag (T/F) says whether the value is relative to open circuit; kept as written.
  const vdc = num(v('VDC'));
  if (vdc !== undefined) {
    meta.dcPotential = vdc;
    meta.dcPotentialVsOpenCircuitFlag = v('VDC', 2);
  }
  const idc = num(v('IDC'));
  if (idc !== undefined) meta.dcCurrent = idc;
  const eoc = num(v('EOC'));
  if (eoc !== undefined) meta.openCircuitPotential = eoc;
  const area = num(v('AREA'));
  if (area !== undefined) meta.areaCm2 = area;
  const vac = num(v('VAC'));
  if (vac !== undefined) meta.acAmplitudeMvRms = vac;
  return meta;
}

export function sniffGamryDta(s: SniffInput): number {
  const t = s.headText;
  if (!/^EXPLAIN\r?\n/.test(t) || !/\nTAG\t/.test(t)) return 0;
  if (/\nZCURVE\d*\tTABLE/.test(t)) return 0.95;
  const tag = /\nTAG\t(\w+)/.exec(t)?.[1] ?? '';
  if (EIS_TAGS.test(tag)) return 0.9;
  // A Gamry file of another technique (CV, CA…): still claimed, so the reader can say clearly that it
  // is not impedance (ParseError 'not-this-kind') instead of 'unrecognised format'.
  return 0.6;
}

export const gamryDta: FormatParser = {
  id: 'gamry-dta',
  family: 'eis',
  kind: 'eis',
  title: 'Gamry Framework .DTA (EIS: ZCURVE tables)',
  version: '1',
  extensions: ['.dta'],
  sniff: sniffGamryDta,
  parse: parseGamryDta,
};
