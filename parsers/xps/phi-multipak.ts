/**
 * PHI MultiPak "Exporter" text rendering of a `.spe` (`//` comment lines, the PHI `Key:Value` header,
 * then per region seven lines — area comment, region no, atomic name, area no, x label, y label,
 * data count — followed by `energy\tvalue` rows). The per-region count is checked against the rows.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParseWarning } from '../../src/model/record.js';
import { ParseError } from '../../src/model/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { parseNumber } from '../text/numbers.js';
import { buildXpsRecord, sourceLabel, type XpsSpectrumIn } from './assemble.js';
import { parsePhiHeaderLines } from './phi.js';

const AREA_HEADER = '//Area Comment,RegionNo,AtomicName,Area No,XLabel,YLabel,DataCount';

export function sniffPhiMultipak(input: SniffInput): number {
  const t = input.headText;
  if (!t.startsWith('//')) return 0;
  return /\/\/Multipak Exporter/i.test(t) ? 0.95 : /\/\/HEADER INFORMATION/.test(t) && /^Technique:XPS/m.test(t) ? 0.7 : 0;
}

export function parsePhiMultipak(input: ParseInput) {
  const { path } = input;
  const lines = splitLines(decodeText(input.bytes).text);
  const areaAt = lines.findIndex((l) => l.trim().startsWith('//Area Comment'));
  if (areaAt < 0) throw new ParseError({ file: path, code: 'bad-header', message: 'no region table header', expected: AREA_HEADER, found: 'none' });
  const header = parsePhiHeaderLines(lines.slice(0, areaAt).filter((l) => !l.startsWith('//')), path);
  const hv = parseNumber((/^\S+\s+([\d.]+)/.exec(header.entries['XraySource'] ?? '') ?? [])[1] ?? '');
  const warnings: ParseWarning[] = [];
  const spectra: XpsSpectrumIn[] = [];
  let i = areaAt + 1;
  const units = new Set<string>();
  while (i < lines.length) {
    if (!lines[i]!.trim() || lines[i]!.startsWith('//')) { i++; continue; }
    if (i + 7 > lines.length) throw new ParseError({ file: path, code: 'truncated', line: i + 1, message: 'region header cut short', expected: '7 header lines', found: `${lines.length - i}` });
    const [, , atomic, , xLabel, yLabel, countS] = lines.slice(i, i + 7).map((l) => l.trim());
    const count = parseNumber(countS!);
    if (!Number.isInteger(count) || count <= 0) throw new ParseError({ file: path, code: 'bad-number', line: i + 7, message: `region '${atomic}': DataCount is not a positive integer`, expected: 'integer', found: countS! });
    const start = i + 7;
    // A count beyond the lines left cannot be right (and must not size an allocation: fuzz, 1e308).
    if (count > lines.length - start) throw new ParseError({ file: path, code: 'truncated', line: i + 7, message: `region '${atomic}': DataCount says ${count} rows, found ${lines.length - start} lines left in the file`, expected: `≤ ${lines.length - start}`, found: countS! });
    const x = new Float64Array(count);
    const y = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const l = lines[start + k];
      if (l === undefined || l.startsWith('//') || !l.trim()) {
        throw new ParseError({ file: path, code: 'truncated', line: start + k + 1, message: `region '${atomic}': DataCount says ${count} rows, found ${k}`, expected: String(count), found: String(k) });
      }
      const f = l.trim().split(/[\t ,]+/);
      x[k] = parseNumber(f[0] ?? '');
      y[k] = parseNumber(f[1] ?? '');
      if (Number.isNaN(x[k]!) || Number.isNaN(y[k]!)) throw new ParseError({ file: path, code: 'bad-number', line: start + k + 1, message: `region '${atomic}': row is not 'energy value'`, expected: 'two numbers', found: l });
    }
    units.add(yLabel!);
    spectra.push({ region: atomic!, etchLevel: 0, energy: x, intensity: y, axis: /kinetic/i.test(xLabel!) ? 'kinetic' : 'binding', excitationEnergyEv: Number.isFinite(hv) ? hv : undefined, line: i + 1 });
    i = start + count;
  }
  const rate = [...units].every((u) => /cps|c\/s/i.test(u));
  const pe = [...new Set(header.regions.map((r) => r.passEnergyEv))];
  const meta: Record<string, unknown> = {
    instrument: header.entries['InstrumentModel'],
    software: header.entries['SoftwareVersion'],
    exporter: (lines.find((l) => /Multipak Exporter/i.test(l)) ?? '').replace(/^\/\//, '').trim() || undefined,
    source: sourceLabel(header.entries['XraySource']?.split(/\s+/)[0], Number.isFinite(hv) ? hv : undefined),
    excitationEnergyEv: Number.isFinite(hv) ? hv : undefined,
    passEnergyEv: pe.length === 1 ? pe[0] : pe.length ? pe : undefined,
    fileType: header.entries['FileType'],
    acquisitionFile: header.entries['AcqFilename'],
    sputter: { ion: header.entries['SputterIon'], energy: header.entries['SputterEnergy'], current: header.entries['SputterCurrent'] },
  };
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  return [buildXpsRecord({ path, spectra, meta, warnings, intensityUnit: rate ? 'counts/s' : 'counts' })];
}

export const phiMultipakFormat: FormatParser = {
  id: 'phi-multipak-txt',
  family: 'xps',
  kind: 'xps-spectrum',
  title: 'PHI MultiPak Exporter text (.txt)',
  version: '1.0.0',
  extensions: ['.txt'],
  sniff: sniffPhiMultipak,
  parse: parsePhiMultipak,
};
