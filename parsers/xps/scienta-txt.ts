/**
 * Scienta SES text export (`.txt`): INI-like sections `[Info]`, then per region `[Region n]`
 * (name, dimension 1 name/size/scale), `[Info n]` (excitation energy, pass energy, energy scale…),
 * optional `[Run Mode Information n]`, and `[Data n]` with `energy value…` rows. The energy axis comes
 * from the data rows; the `Dimension 1 size` and `Number of Regions` are checked against them.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { parseNumber } from '../text/numbers.js';
import { buildXpsRecord, sourceLabel, type XpsSpectrumIn } from './assemble.js';
import { headerNumber } from '../text/columns.js';

export function sniffScientaTxt(input: SniffInput): number {
  const t = input.headText.replace(/^\uFEFF/, '');
  if (!t.startsWith('[Info]')) return 0;
  return /Number of Regions=/.test(t) && /\[Region 1\]/.test(t) ? 0.95 : 0.4;
}

interface Section {
  name: string;
  line: number;
  kv: Record<string, string>;
  rows: string[];
  rowLine: number;
}

export function parseScientaTxt(input: ParseInput) {
  const { path } = input;
  const lines = splitLines(decodeText(input.bytes).text);
  const sections: Section[] = [];
  let cur: Section | undefined;
  lines.forEach((l, i) => {
    const h = /^\[(.+)\]\s*$/.exec(l.trim());
    if (h) {
      cur = { name: h[1]!, line: i + 1, kv: {}, rows: [], rowLine: i + 2 };
      sections.push(cur);
      return;
    }
    if (!cur || !l.trim()) return;
    if (cur.name.startsWith('Data ')) cur.rows.push(l);
    else {
      const eq = l.indexOf('=');
      if (eq > 0) cur.kv[l.slice(0, eq).trim()] = l.slice(eq + 1).trim();
    }
  });
  const info = sections.find((s) => s.name === 'Info');
  if (!info) throw new ParseError({ file: path, code: 'bad-header', line: 1, message: 'no [Info] section', expected: '[Info]', found: lines[0] ?? '' });
  const nRegions = parseNumber(info.kv['Number of Regions'] ?? '');
  const dataSections = sections.filter((s) => /^Data \d+$/.test(s.name));
  if (!Number.isFinite(nRegions) || nRegions !== dataSections.length) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      line: info.line + 1,
      message: '[Info] Number of Regions disagrees with the [Data n] sections present',
      expected: String(info.kv['Number of Regions']),
      found: String(dataSections.length),
    });
  }
  const warnings: ParseWarning[] = [];
  const spectra: XpsSpectrumIn[] = [];
  const infos: Record<string, string>[] = [];
  for (const ds of dataSections) {
    const k = ds.name.slice(5);
    const reg = sections.find((s) => s.name === `Region ${k}`)?.kv ?? {};
    const inf = sections.find((s) => s.name === `Info ${k}`)?.kv ?? {};
    infos.push(inf);
    const name = reg['Region Name'] ?? inf['Region Name'] ?? `Region ${k}`;
    const dimName = reg['Dimension 1 name'] ?? '';
    const axis: 'binding' | 'kinetic' = /binding/i.test(dimName)
      ? 'binding'
      : /kinetic/i.test(dimName)
        ? 'kinetic'
        : /binding/i.test(inf['Energy Scale'] ?? '')
          ? 'binding'
          : 'kinetic';
    if (reg['Dimension 2 name'])
      warnings.push({ code: 'image-summed', message: `region '${name}': 2-D data (dimension 2 '${reg['Dimension 2 name']}'); the value columns are summed` });
    const x: number[] = [];
    const y: number[] = [];
    ds.rows.forEach((row, j) => {
      const f = row
        .trim()
        .split(/\s+/)
        .map((s) => parseNumber(s));
      if (f.length < 2 || f.some((v) => Number.isNaN(v))) {
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: ds.rowLine + j,
          message: `region '${name}': data row is not numbers`,
          expected: 'energy value…',
          found: row,
        });
      }
      x.push(f[0]!);
      let s = 0;
      for (let c = 1; c < f.length; c++) s += f[c]!;
      y.push(s);
    });
    const size = parseNumber(reg['Dimension 1 size'] ?? '');
    if (Number.isFinite(size) && size !== x.length) {
      throw new ParseError({
        file: path,
        code: 'truncated',
        line: ds.line,
        message: `region '${name}': Dimension 1 size is ${size} but ${x.length} data rows`,
        expected: String(size),
        found: String(x.length),
      });
    }
    spectra.push({ region: name, etchLevel: 0, energy: x, intensity: y, axis, excitationEnergyEv: headerNumber(inf['Excitation Energy']), line: ds.line });
  }
  const i0 = infos[0] ?? {};
  const pe = [...new Set(infos.map((i) => headerNumber(i['Pass Energy'])).filter((v) => v !== undefined))];
  const meta: Record<string, unknown> = {
    instrument: i0['Instrument'] ? `Scienta ${i0['Instrument']}` : 'Scienta',
    software: 'Scienta SES',
    softwareVersion: info.kv['Version'],
    source: sourceLabel(undefined, headerNumber(i0['Excitation Energy'])),
    excitationEnergyEv: headerNumber(i0['Excitation Energy']),
    passEnergyEv: pe.length === 1 ? pe[0] : pe,
    lensMode: i0['Lens Mode'],
    acquisitionMode: i0['Acquisition Mode'],
    sweeps: headerNumber(i0['Number of Sweeps']),
    stepTimeMs: headerNumber(i0['Step Time']),
    sample: i0['Sample'],
    startTime: i0['Date'] && i0['Time'] ? `${i0['Date']}T${i0['Time']}` : undefined,
    intensityNote: 'SES intensities as exported (not normalised by Interphase)',
  };
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  return [buildXpsRecord({ path, spectra, meta, warnings, intensityUnit: 'counts' })];
}

export const scientaTxtFormat: FormatParser = {
  id: 'scienta-txt',
  family: 'xps',
  kind: 'xps-spectrum',
  title: 'Scienta SES text export (.txt)',
  version: '1.0.0',
  extensions: ['.txt'],
  sniff: sniffScientaTxt,
  parse: parseScientaTxt,
};
