/**
 * Gamry Framework `.DTA` of the Chronoamperometry script (`TAG CHRONOA`): the same EXPLAIN header as
 * every Gamry file (`KEY<TAB>TYPE<TAB>value…`), then one `CURVE<TAB>TABLE[<TAB>rows]` table with a names
 * row (`Pt T Vf Im Vu Sig Ach IERange Over`), a units row (`# s V vs. Ref. A V V V # bits`) and
 * tab-indented data rows — layout as written by Gamry Framework and read by gamry-parser's
 * ChronoAmperometry (T, Vf, Im; SAMPLETIME). The header's step settings:
 *   VPRESTEP POTEN v flag / TPRESTEP QUANT s   potential and time before the step
 *   VSTEP1   POTEN v flag / TSTEP1   QUANT s   the step (the Bruce–Vincent polarisation)
 *   VSTEP2   POTEN v flag / TSTEP2   QUANT s   a second step (not used for t₊)
 *   EOC      QUANT v                           open-circuit potential before the run
 * The POTEN flag T means the value is relative to the open circuit, F against the reference electrode
 * (as for VDC in parsers/eis/gamry-dta.ts). T is the time from the start of the pre-step, so the step
 * spans TPRESTEP … TPRESTEP + TSTEP1 on the record's time axis.
 */
import type { FormatParser, ParseInput, SniffInput, SniffResult } from '../types.js';
import { incompleteMark, type Column, type IncompleteInfo, type ParsedRecord, type ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { CA } from '../../src/records/names.js';
import { chronoRecord, type CaStep } from '../chrono/record.js';
import { findTables, gamryMeta, headerFields } from './gamry-dta.js';
import { eisText, num } from './text.js';

const CURVE_TABLE = /^CURVE\d*$/;
/** Gamry column name → canonical quantity; the units row must agree (checked). */
const RULES: Readonly<Record<string, { to: { name: string; unit: string }; units: RegExp }>> = {
  T: { to: CA.time, units: /^s$/ },
  Vf: { to: CA.voltage, units: /^V\b/ },
  Im: { to: CA.current, units: /^A$/ },
};
/** Other numeric columns, kept under their Gamry names; `#` and `bits` columns are counters / flags. */
const UNIT_OF: Readonly<Record<string, string>> = { s: 's', A: 'A', V: 'V', '#': '1' };

export function sniffGamryChronoa(s: SniffInput): SniffResult {
  const t = s.headText;
  if (!/^EXPLAIN\r?\n/.test(t)) return { confidence: 0 };
  return /\nTAG\tCHRONOA\s*\r?\n/.test(t) ? { confidence: 0.97, kind: 'chronoamperometry' } : { confidence: 0 };
}

export function parseGamryChronoa(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  const { lines } = t;
  const tagLine = lines.slice(0, 5).findIndex((l) => /^TAG\t/.test(l));
  if (lines[0]?.trim() !== 'EXPLAIN' || tagLine < 0) {
    throw new ParseError({
      file: t.path,
      code: 'bad-header',
      line: 1,
      message: 'not a Gamry .DTA file',
      expected: "'EXPLAIN' then 'TAG\\t…'",
      found: lines[0] ?? '',
    });
  }
  const hdr = headerFields(lines, lines.length);
  const tag = hdr.get('TAG')?.[0]?.trim() ?? '';
  if (tag !== 'CHRONOA') {
    throw new ParseError({
      file: t.path,
      code: 'not-this-kind',
      line: tagLine + 1,
      message: `Gamry file with TAG '${tag || '?'}' is not a chronoamperometry (CHRONOA) run`,
      expected: 'TAG\tCHRONOA',
      found: tag || '(empty)',
    });
  }
  const tables = findTables(lines).filter((x) => CURVE_TABLE.test(x.name));
  if (!tables.length) {
    throw new ParseError({
      file: t.path,
      code: 'no-data',
      message: 'CHRONOA file without a CURVE table',
      expected: 'CURVE\tTABLE',
      found:
        findTables(lines)
          .map((x) => x.name)
          .join(', ') || 'no tables',
    });
  }
  const warnings: ParseWarning[] = [];
  const meta = gamryMeta(hdr, warnings);
  const v = (k: string, i = 1): string | undefined => hdr.get(k)?.[i]?.trim() || undefined;
  // ---- the step settings ----
  const vstep = num(v('VSTEP1'));
  const flag = v('VSTEP1', 2);
  const tpre = num(v('TPRESTEP'));
  const tstep = num(v('TSTEP1'));
  const vpre = num(v('VPRESTEP'));
  const sample = num(v('SAMPLETIME'));
  if (sample !== undefined) meta.samplePeriodS = sample;
  if (vstep !== undefined && (flag === 'T' || flag === 'F')) {
    const step: CaStep = {
      potentialV: vstep,
      reference: flag === 'T' ? 'open-circuit' : 'reference',
      ...(tpre !== undefined ? { startS: tpre } : {}),
      ...(tpre !== undefined && tstep !== undefined ? { endS: tpre + tstep } : {}),
      ...(vpre !== undefined ? { preStepV: vpre } : {}),
      source: `Gamry CHRONOA settings: VSTEP1 = ${vstep} V (${flag === 'T' ? 'vs. Eoc' : 'vs. reference'}), TPRESTEP = ${tpre ?? '?'} s, TSTEP1 = ${tstep ?? '?'} s`,
    };
    meta.caStep = step;
  } else if (vstep !== undefined) {
    warnings.push({ code: 'ca-step-reference', message: `VSTEP1 = ${vstep} V without a T/F 'vs. Eoc' flag: ΔV will be taken from the data` });
  }
  // ---- the CURVE table(s), concatenated in file order ----
  let names: string[] = [];
  let units: string[] = [];
  const cells: number[][] = [];
  let incomplete: IncompleteInfo | undefined;
  for (const tb of tables) {
    const nRow = lines[tb.line + 1];
    const uRow = lines[tb.line + 2];
    if (nRow === undefined || uRow === undefined) {
      throw new ParseError({
        file: t.path,
        code: 'truncated',
        line: tb.line + 1,
        message: `table ${tb.name} ends before its names and units rows`,
        expected: 'names row and units row',
        found: 'end of file',
      });
    }
    const n = nRow
      .replace(/^\t/, '')
      .split('\t')
      .map((x) => x.trim());
    const u = uRow
      .replace(/^\t/, '')
      .split('\t')
      .map((x) => x.trim());
    if (!names.length) {
      names = n;
      units = u;
      for (const [col, rule] of Object.entries(RULES)) {
        const i = names.indexOf(col);
        if (i >= 0 && !rule.units.test(units[i] ?? '')) {
          throw new ParseError({
            file: t.path,
            code: 'bad-header',
            line: tb.line + 3,
            column: col,
            message: `column '${col}' in unit '${units[i] ?? ''}'`,
            expected: `${rule.to.unit}`,
            found: units[i] ?? '(none)',
          });
        }
      }
      names.forEach(() => cells.push([]));
    } else if (n.join('\t') !== names.join('\t')) {
      throw new ParseError({
        file: t.path,
        code: 'bad-header',
        line: tb.line + 2,
        message: `table ${tb.name} has other columns than the first CURVE table`,
        expected: names.join(' '),
        found: n.join(' '),
      });
    }
    let rows = 0;
    for (let li = tb.line + 3; li < tb.end; li++) {
      const f = lines[li]!.replace(/^[\t ]/, '').split('\t');
      for (let c = 0; c < names.length; c++) {
        const raw = (f[c] ?? '').trim();
        // `Over` holds overload flags as text (`...........`): not a number, not kept.
        const x = raw === '' || names[c] === 'Over' ? NaN : Number(raw);
        if (raw !== '' && !Number.isFinite(x) && names[c]! in RULES) {
          throw new ParseError({
            file: t.path,
            code: 'bad-number',
            line: li + 1,
            column: names[c],
            message: 'text in a numeric column',
            expected: 'a number',
            found: raw,
          });
        }
        cells[c]!.push(x);
      }
      rows++;
    }
    const cut =
      tb.declaredRows !== undefined
        ? incompleteMark({ declared: tb.declaredRows, read: rows, unit: 'rows', source: `${tb.name} TABLE header` }, tb.line + 1)
        : null;
    if (cut) {
      warnings.push(cut.warning);
      incomplete = incomplete
        ? { ...incomplete, declared: incomplete.declared + cut.meta.incomplete.declared, read: incomplete.read + cut.meta.incomplete.read }
        : cut.meta.incomplete;
    } else if (tb.declaredRows !== undefined && tb.declaredRows !== rows) {
      warnings.push({ code: 'row-count-mismatch', line: tb.line + 1, message: `table ${tb.name} declares ${tb.declaredRows} rows but has ${rows}` });
    }
  }
  const columns: Column[] = [];
  for (let c = 0; c < names.length; c++) {
    const name = names[c]!;
    const rule = RULES[name];
    if (rule) {
      const vals = Float64Array.from(cells[c]!);
      const empty = vals.filter((x) => Number.isNaN(x)).length;
      if (empty) warnings.push({ code: 'empty-cells', message: `column '${name}': ${empty} empty cells read as NaN`, rows: empty });
      columns.push({ name: rule.to.name, unit: rule.to.unit, values: vals });
    } else if (name !== 'Over' && name !== '' && UNIT_OF[(units[c] ?? '').split(' ')[0]!] !== undefined) {
      columns.push({ name, unit: UNIT_OF[(units[c] ?? '').split(' ')[0]!]!, values: Float64Array.from(cells[c]!) });
    }
  }
  return [chronoRecord(t.path, columns, { ...meta, technique: 'CHRONOA', tables: tables.map((x) => x.name), ...(incomplete ? { incomplete } : {}) }, warnings)];
}

export const gamryChronoa: FormatParser = {
  id: 'gamry-chronoa',
  family: 'eis',
  kind: 'chronoamperometry',
  title: 'Gamry Framework .DTA (Chronoamperometry: CHRONOA CURVE table)',
  version: '1',
  extensions: ['.dta'],
  sniff: sniffGamryChronoa,
  parse: parseGamryChronoa,
};
