/**
 * aixACCT TF Analyzer / aixPlorer "Export as ASCII" (.dat).
 *
 * Layout (real files: JAnderson419/Ferro FeFETD1 fatigue + leakage exports, aixPlorer 3.0.25):
 *   <Section title>               e.g. Fatigue, DynamicHysteresis, DynamicHysteresisResult, LeakageResult, Leakage
 *   Key: value                    section header (Program, TimeStamp, TfaModule, ...)
 *   <blank>
 *   Result Table n | Table n | Data Table [i,j] | Data Measurement Parameters
 *   Key: value                    table header (Area [mm2], Thickness [nm], Hysteresis Frequency [Hz], Vc+ [V], ...)
 *   Name [unit]<TAB>Name [unit]…  column header (trailing TAB)
 *   numbers<TAB>…                 rows until a blank line
 * Every data table with Time and P columns becomes one 'pe-loop' record; a leakage I–V table becomes a
 * 'pe-loop' record with meta.technique 'leakage'; result tables go into meta (`results`, and `fatigue`
 * when a Cycles column is present) of every record of the file.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { PE } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines, splitKeyValue } from '../text/lines.js';
import { parseNumber } from '../text/numbers.js';
import { parseDateTime, isoFromUnix } from '../text/datetime.js';
import { buildLoop, readLoopOptions } from './loop.js';
import { mapAixColumns, splitAixHeader } from './aixacct-columns.js';
import { peFactor } from './units.js';

interface Table {
  title: string;
  line: number;
  kv: Record<string, string>;
  headers?: string[];
  headerLine?: number;
  rows: number[][];
  closed: boolean;
}

interface Section {
  title: string;
  line: number;
  kv: Record<string, string>;
  tables: Table[];
}

const TABLE_TITLE = /^(Result Table \d+|Table \d+|Data Table \[[\d,\s]+\]|Data Measurement Parameters)$/;
const KNOWN_SECTIONS =
  /^(DynamicHysteresis|DynamicHysteresisResult|Fatigue|FatigueResult|Leakage|LeakageResult|Pulse|PulseResult|PUND|Retention|RetentionResult|Imprint|ImprintResult|CV|CVResult)$/;

/** Table header keys → meta, as data. */
const META_KEYS: readonly { key: RegExp; to: string; dim?: Parameters<typeof peFactor>[0]; text?: boolean }[] = [
  { key: /^Hysteresis Frequency \[(.+)\]$/, to: 'frequencyHz', dim: 'frequency' },
  { key: /^Hysteresis Amplitude \[(.+)\]$/, to: 'amplitudeV', dim: 'voltage' },
  { key: /^Waveform$/, to: 'waveform', text: true },
  { key: /^Total Cycles$/, to: 'totalCycles' },
  { key: /^Averages$/, to: 'averages' },
  { key: /^SampleName$/, to: 'sampleName', text: true },
  { key: /^Rav \[(.+)\]$/, to: 'ravOhm' },
];

function sniff(s: SniffInput): number {
  const first = s.headText.split(/\r?\n/, 1)[0]!.trim();
  const aix = /aixPlorer|TfaModule|TfaVersion/.test(s.headText);
  if (KNOWN_SECTIONS.test(first) && aix) return 0.95;
  return aix ? 0.6 : 0;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = parseNumber(v.split(/\s/)[0] ?? '');
  return Number.isFinite(x) ? x : undefined;
}

function tableMeta(t: Table, section: Section, fileKv: Record<string, string>): RecordMeta {
  const meta: RecordMeta = {
    instrument: (t.kv['Basic System'] ?? fileKv['Basic System'])?.replace(/[^\x20-\x7e]/g, '').trim(),
    software: 'aixPlorer',
    softwareVersion: (t.kv['Program Version'] ?? section.kv.Program?.replace(/^.*version\s*/i, ''))?.trim(),
    technique: section.title,
    module: section.kv.TfaModule,
    table: t.title,
  };
  const ts = t.kv.Timestamp ?? section.kv.TimeStamp;
  if (ts) {
    const u = parseDateTime(ts, 'mdy');
    if (Number.isFinite(u)) meta.startTime = isoFromUnix(u).replace(/\.000Z$/, '');
  }
  for (const m of META_KEYS) {
    for (const [k, v] of Object.entries(t.kv)) {
      const mm = m.key.exec(k);
      if (!mm) continue;
      if (m.text) meta[m.to] = v;
      else {
        const x = num(v);
        const f = m.dim && mm[1] ? peFactor(m.dim, mm[1]) : 1;
        if (x !== undefined && f !== null) meta[m.to] = x * f;
      }
    }
  }
  // The file's own result values for this loop (Vc±, Pr±, Pmax, Wloss, ...): kept for cross-checks.
  const reported: Record<string, number> = {};
  for (const [k, v] of Object.entries(t.kv)) {
    if (/^(Vc[+-]|Pr[+-]|Prrel[+-]|Pmax-?|Psw|Pnsw|dPsw|Wloss|Cls|Epsls|Imax[+-]|Rav)\s*\[/.test(k)) {
      const x = num(v);
      if (x !== undefined) reported[k] = x;
    }
  }
  if (Object.keys(reported).length) meta.reported = reported;
  meta.tableHeader = { ...t.kv };
  return meta;
}

function fileGeometry(t: Table): { thicknessNm?: number; areaCm2?: number } {
  const out: { thicknessNm?: number; areaCm2?: number } = {};
  for (const [k, v] of Object.entries(t.kv)) {
    let m = /^Thickness \[(.+)\]$/.exec(k);
    if (m) {
      const f = peFactor('length', m[1]!);
      const x = num(v);
      if (f !== null && x !== undefined && x > 0) out.thicknessNm = x * f;
    }
    m = /^Area \[(.+)\]$/.exec(k);
    if (m) {
      const f = peFactor('area', m[1]!);
      const x = num(v);
      if (f !== null && x !== undefined && x > 0) out.areaCm2 = x * f;
    }
  }
  return out;
}

function parse(input: ParseInput): ParsedRecord[] {
  const { path, bytes } = input;
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', message: 'file is empty' });
  const lines = splitLines(decodeText(bytes).text);
  const sections: Section[] = [];
  let sec: Section | undefined;
  let tab: Table | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const t = raw.trim();
    if (t === '') {
      if (tab && tab.headers) tab.closed = true;
      continue;
    }
    if (TABLE_TITLE.test(t)) {
      if (!sec) {
        sec = { title: '', line: i + 1, kv: {}, tables: [] };
        sections.push(sec);
      }
      tab = { title: t, line: i + 1, kv: {}, rows: [], closed: false };
      sec.tables.push(tab);
      continue;
    }
    if (raw.includes('\t')) {
      if (!tab)
        throw new ParseError({
          file: path,
          code: 'bad-header',
          line: i + 1,
          message: 'tabular line outside a table',
          expected: "a 'Table n' or 'Data Table [i,j]' title first",
          found: t,
        });
      const fields = raw.split('\t');
      while (fields.length > 1 && fields[fields.length - 1]!.trim() === '') fields.pop();
      if (!tab.headers) {
        if (Number.isFinite(parseNumber(fields[0]!))) {
          throw new ParseError({
            file: path,
            code: 'bad-header',
            line: i + 1,
            message: 'numbers before a column header',
            expected: 'Name [unit] headers',
            found: t,
          });
        }
        tab.headers = fields.map((f) => f.trim());
        tab.headerLine = i + 1;
        continue;
      }
      if (tab.closed)
        throw new ParseError({
          file: path,
          code: 'bad-header',
          line: i + 1,
          message: `data after the end of '${tab.title}'`,
          expected: 'a table title',
          found: t,
        });
      if (fields.length !== tab.headers.length) {
        throw new ParseError({
          file: path,
          code: 'ragged-row',
          line: i + 1,
          message: `row has ${fields.length} fields but the header has ${tab.headers.length}`,
          expected: `${tab.headers.length} fields`,
          found: `${fields.length} fields`,
        });
      }
      const row = fields.map((f, j) => {
        const v = parseNumber(f);
        if (Number.isNaN(v) && !/^\s*(nan|n\/a)\s*$/i.test(f)) {
          throw new ParseError({
            file: path,
            code: 'bad-number',
            line: i + 1,
            column: tab!.headers![j],
            message: 'text in a numeric column',
            expected: 'a number',
            found: f,
          });
        }
        return v;
      });
      tab.rows.push(row);
      continue;
    }
    const kv = splitKeyValue(t, [':']);
    if (kv) {
      (tab ?? sec ?? ((sec = { title: '', line: i + 1, kv: {}, tables: [] }), sections.push(sec), sec)).kv[kv[0]] = kv[1];
      continue;
    }
    // A bare word line: a new section.
    sec = { title: t, line: i + 1, kv: {}, tables: [] };
    sections.push(sec);
    tab = undefined;
  }
  if (!sections.some((s) => s.tables.some((t) => t.headers))) {
    throw new ParseError({
      file: path,
      code: 'no-data',
      line: 1,
      message: 'no data table',
      expected: "a 'Table n' / 'Data Table [i,j]' with a column header",
      found: `${sections.length} sections without tables`,
    });
  }
  const fileKv: Record<string, string> = {};
  for (const s of sections) Object.assign(fileKv, s.kv);

  // Result tables → plain JSON for meta.
  const results: { section: string; table: string; columns: Record<string, number[]> }[] = [];
  let fatigue: Record<string, number[]> | undefined;
  for (const s of sections) {
    for (const t of s.tables) {
      if (!t.headers) continue;
      const isResult = /^Result Table/.test(t.title) || /Result$/.test(s.title);
      if (!isResult) continue;
      const columns: Record<string, number[]> = {};
      t.headers.forEach((h, j) => (columns[h] = t.rows.map((r) => r[j]!)));
      results.push({ section: s.title, table: t.title, columns });
      if (t.headers.some((h) => /^Cycles\b/.test(h))) fatigue = columns;
    }
  }
  const opts = readLoopOptions(input.options);
  const out: ParsedRecord[] = [];
  for (const s of sections) {
    for (const t of s.tables) {
      if (!t.headers || /^Result Table/.test(t.title) || /Result$/.test(s.title)) continue;
      const warnings: ParseWarning[] = [];
      if (t.rows.length === 0) {
        throw new ParseError({
          file: path,
          code: 'no-data',
          line: t.headerLine,
          message: `'${t.title}' has a header but no rows`,
          expected: 'data rows',
          found: 'none',
        });
      }
      const data = t.headers.map((_, j) => Float64Array.from(t.rows, (r) => r[j]!));
      const meta = tableMeta(t, s, fileKv);
      if (results.length) meta.results = results;
      if (fatigue) meta.fatigue = fatigue;
      const geo = fileGeometry(t);
      const names = t.headers.map((h) => splitAixHeader(h).name);
      if (names.some((n) => /^Leakage Current Density$/i.test(n))) {
        meta.technique = 'leakage';
        meta.section = s.title;
        const cols = t.headers.map((h, j) => {
          const { name, unit } = splitAixHeader(h);
          if (/^voltage$/i.test(name)) return { ...PE.voltage, values: data[j]! };
          return { name, unit: unit.replace(/[µμ]/g, 'u'), values: data[j]! };
        });
        if (geo.thicknessNm) meta.thicknessNm = geo.thicknessNm;
        if (geo.areaCm2) meta.areaCm2 = geo.areaCm2;
        out.push({ kind: 'pe-loop', meta, columns: cols, warnings });
        continue;
      }
      const parts = mapAixColumns(path, t.headerLine!, t.headers, data, warnings);
      if (!parts.polarization || !(parts.voltage || parts.field)) {
        warnings.push({ code: 'not-a-loop', message: `'${t.title}' in section '${s.title}' has no voltage + polarisation columns; skipped` });
        continue;
      }
      meta.section = s.title;
      out.push(buildLoop({ ...parts, fileThicknessNm: geo.thicknessNm, fileAreaCm2: geo.areaCm2 }, opts, meta, warnings));
    }
  }
  if (out.length === 0)
    throw new ParseError({
      file: path,
      code: 'no-data',
      line: 1,
      message: 'no loop or leakage table in the file',
      expected: 'a data table with Time, V+ and P1 columns',
      found: results.length ? 'result tables only' : 'none',
    });
  return out;
}

export const aixacctDat: FormatParser = {
  id: 'aixacct-dat',
  family: 'pe-loop',
  kind: 'pe-loop',
  title: 'aixACCT TF Analyzer / aixPlorer ASCII export (.dat)',
  version: '1.0.0',
  extensions: ['.dat'],
  sniff,
  parse,
};
