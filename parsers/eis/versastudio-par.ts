/**
 * Princeton Applied Research VersaStudio `.par`: XML-like sections `<Application>`, `<Instrument>`,
 * `<Experiment>`, `<ActionN>` (`Key=value` lines) and `<SegmentN>` holding `Definition=` (column
 * names, comma + space) followed by comma-separated rows. Not well-formed XML (`Direction=<`,
 * an embedded `<?xml` docking layout), so sections are found line by line.
 * Each segment that has a `Frequency(Hz)` column is one spectrum; other segments (DC techniques)
 * are not impedance.
 *
 * Sign: `Z Imag` is Im(Z) itself (negative on the fixture's capacitive arc; impedance.py's
 * readVersaStudio keeps it), so no flip. The file states no unit for Z Real/Z Imag: ohm is assumed
 * with a `unit-not-stated` warning.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { EIS } from '../../src/records/names.js';
import { buildSpectrum, formatSign } from './spectrum.js';
import { clockOf, eisText, fieldCountAt, isoLocal, monthOf, num, readEisTable, zRules, type EisRule } from './text.js';

export const VERSASTUDIO_RULES: readonly EisRule[] = [
  ...zRules({ freq: ['Frequency(Hz)', 'Frequency'], real: ['Z Real'], imag: ['Z Imag'], zUnitAssumed: true }),
  { match: ['Elapsed Time(s)', 'Elapsed Time'], to: EIS.time, unit: 's' },
  { match: ['E(V)'], to: EIS.voltage, unit: 'V' },
  { match: ['I(A)'], to: EIS.current, unit: 'A' },
];

interface Section {
  readonly name: string;
  readonly open: number; // 0-based line of <Name>
  readonly close: number; // 0-based line of </Name>
}

function sections(lines: readonly string[]): Section[] {
  const out: Section[] = [];
  let cur: { name: string; open: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (!cur) {
      const m = /^<([A-Za-z]\w*)>$/.exec(l);
      if (m) cur = { name: m[1]!, open: i };
    } else if (l === `</${cur.name}>`) {
      out.push({ ...cur, close: i });
      cur = null;
    }
  }
  return out;
}

function kv(lines: readonly string[], s: Section | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!s) return out;
  for (let i = s.open + 1; i < s.close; i++) {
    const l = lines[i]!;
    const k = l.indexOf('=');
    if (k > 0 && !out.has(l.slice(0, k))) out.set(l.slice(0, k).trim(), l.slice(k + 1).trim());
  }
  return out;
}

export function parseVersaStudioPar(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  const { lines } = t;
  const secs = sections(lines);
  if (!secs.some((s) => s.name === 'Application')) {
    throw new ParseError({
      file: t.path,
      code: 'bad-header',
      line: 1,
      message: 'not a VersaStudio .par file (no <Application> section)',
      expected: '<Application>',
      found: lines[0] ?? '',
    });
  }
  const app = kv(
    lines,
    secs.find((s) => s.name === 'Application'),
  );
  const ins = kv(
    lines,
    secs.find((s) => s.name === 'Instrument'),
  );
  const ex = kv(
    lines,
    secs.find((s) => s.name === 'Experiment'),
  );
  const baseWarnings: ParseWarning[] = [];
  const meta: RecordMeta = { software: app.get('Name') ?? 'VersaStudio' };
  if (app.get('Version')) meta.softwareVersion = app.get('Version');
  const model = [ins.get('Type'), ins.get('Model')].filter(Boolean).join(' ');
  meta.instrument = model ? `Princeton Applied Research ${model}` : 'Princeton Applied Research (VersaStudio)';
  if (ins.get('SN')) meta.serialNumber = ins.get('SN');
  // `DateAcquired=Thursday, July 19, 2018`, `TimeAcquired=9:40:30 AM` (no zone).
  const d = /([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})/.exec(ex.get('DateAcquired') ?? '');
  if (d && Number.isFinite(monthOf(d[1]!))) meta.startTime = isoLocal(+d[3]!, monthOf(d[1]!), +d[2]!, ...(clockOf(ex.get('TimeAcquired') ?? '') ?? [0, 0, 0]));
  else baseWarnings.push({ code: 'unreadable-date', message: `DateAcquired '${ex.get('DateAcquired') ?? ''}' not understood` });

  const segs = secs.filter((s) => /^Segment\d+$/.test(s.name));
  const eisSegs: { seg: Section; def: number }[] = [];
  for (const seg of segs) {
    let def = -1;
    for (let i = seg.open + 1; i < seg.close; i++)
      if (lines[i]!.startsWith('Definition=')) {
        def = i;
        break;
      }
    if (def >= 0 && /Frequency\(Hz\)/.test(lines[def]!)) eisSegs.push({ seg, def });
  }
  if (eisSegs.length === 0) {
    throw new ParseError({
      file: t.path,
      code: segs.length ? 'not-this-kind' : 'no-data',
      line: segs[0] ? segs[0].open + 1 : undefined,
      message: segs.length
        ? `VersaStudio file has segments (${segs.map((s) => s.name).join(', ')}) but none with a Frequency(Hz) column: not impedance`
        : 'VersaStudio file has no <SegmentN> data section',
      expected: 'a segment whose Definition includes Frequency(Hz)',
      found: segs.map((s) => s.name).join(', ') || 'no segments',
    });
  }
  return eisSegs.map(({ seg, def }, k) => {
    const warnings = [...baseWarnings];
    const names = lines[def]!.slice('Definition='.length)
      .split(',')
      .map((x) => x.trim());
    // Definition lists one more name than the rows carry (a trailing `0` in the fixture): read the
    // header to the rows' width and say which names had no data.
    const width = fieldCountAt(lines, def + 1, ',', seg.close);
    const used = width > 0 && width < names.length ? names.slice(0, width) : names;
    const extra = names.slice(used.length);
    if (extra.some((x) => !/^\d+$/.test(x)))
      warnings.push({ code: 'definition-wider-than-rows', message: `Definition names without data: ${extra.join(', ')}` });
    const table = readEisTable(t, { beforeData: def, header: used.join(','), endLine: seg.close, delimiter: ',', rules: VERSASTUDIO_RULES });
    warnings.push(...table.warnings);
    // SegmentN is assumed to belong to ActionN (true in the fixture; multi-action files are untested).
    const action = kv(
      lines,
      secs.find((s) => s.name === `Action${seg.name.slice('Segment'.length)}`),
    );
    const m: RecordMeta = { ...meta, segment: seg.name, unreadColumns: table.unread };
    if (action.get('Name')) m.technique = action.get('Name');
    const dc = num(action.get('Potential (V),Value'));
    if (dc !== undefined) {
      m.dcPotential = dc;
      if (action.get('Potential (V),Versus')) m.dcPotentialVersus = action.get('Potential (V),Versus');
    }
    const amp = num(action.get('Amplitude (mV RMS)'));
    if (amp !== undefined) m.acAmplitudeMvRms = amp;
    return buildSpectrum({
      path: t.path,
      columns: table.columns,
      spectrumIndex: k,
      line: def + 1,
      warnings,
      meta: m,
      imagSign: formatSign('im', "VersaStudio column 'Z Imag' is Im(Z) (true imaginary part)"),
    });
  });
}

export function sniffVersaStudioPar(s: SniffInput): number {
  const t = s.headText;
  if (!/^<Application>\r?\n/.test(t)) return 0;
  if (/\nName=VersaStudio/.test(t)) return /Frequency\(Hz\)/.test(t) ? 0.95 : 0.8;
  return 0.4;
}

export const versaStudioPar: FormatParser = {
  id: 'versastudio-par',
  family: 'eis',
  kind: 'eis',
  title: 'Princeton Applied Research VersaStudio .par (EIS segments)',
  version: '1',
  extensions: ['.par'],
  sniff: sniffVersaStudioPar,
  parse: parseVersaStudioPar,
};
