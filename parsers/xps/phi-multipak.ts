/**
 * PHI MultiPak "Exporter" text rendering of a `.spe` (`//` comment lines, the PHI `Key:Value` header,
 * then per region seven lines — area comment, region no, atomic name, area no, x label, y label,
 * data count — followed by `energy\tvalue` rows). The per-region count is checked against the rows.
 *
 * Depth-profile exports (issue #19; layout as read by NIMS M-DaC_XPS `PHI_XPS_depth_tools/txt2csv_depth.py`,
 * MIT): every block starts with its own `//Area Comment,…` line naming its header fields, rows are
 * comma-separated, blocks end at a blank line. Spectrum blocks have `…,RegionNo,AtomicName,Cycle,…`
 * (one spectrum per region per sputter cycle → etch level); the vendor's depth curves have
 * `//Area Comment,AtomicName,XLabel,YLabel,DataCount` with `Sputter Time(min)` against intensity, one
 * point per cycle: their time axis gives each level's sputter time, their intensities are not imported.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
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
  const header = parsePhiHeaderLines(
    lines.slice(0, areaAt).filter((l) => !l.startsWith('//')),
    path,
  );
  const hv = parseNumber((/^\S+\s+([\d.]+)/.exec(header.entries['XraySource'] ?? '') ?? [])[1] ?? '');
  const warnings: ParseWarning[] = [];
  const spectra: (XpsSpectrumIn & { cycle: number })[] = [];
  const depthCurves: { atomic: string; xLabel: string; yLabel: string; x: Float64Array; y: Float64Array; line: number }[] = [];
  // Each `//Area Comment,…` line names the fields of the block header lines that follow (one value per
  // line). A survey/spectrum export has `…,Area No,…`; a depth-profile export has `…,Cycle,…` per
  // spectrum and, for the intensity-vs-sputter-time curves, `//Area Comment,AtomicName,XLabel,YLabel,DataCount`.
  let fields = AREA_HEADER.slice(2).split(',');
  let i = areaAt;
  const units = new Set<string>();
  while (i < lines.length) {
    const raw = lines[i]!;
    if (raw.trim().startsWith('//Area Comment')) {
      fields = raw
        .trim()
        .replace(/^\/\//, '')
        .split(',')
        .map((f) => f.trim());
      i++;
      continue;
    }
    if (!raw.trim() || raw.startsWith('//')) {
      i++;
      continue;
    }
    const nh = fields.length;
    if (i + nh > lines.length)
      throw new ParseError({
        file: path,
        code: 'truncated',
        line: i + 1,
        message: 'region header cut short',
        expected: `${nh} header lines (${fields.join(', ')})`,
        found: `${lines.length - i}`,
      });
    const hdr: Record<string, string> = {};
    fields.forEach((f, k) => {
      hdr[f] = lines[i + k]!.trim();
    });
    const atomic = hdr['AtomicName'] ?? '';
    const xLabel = hdr['XLabel'] ?? '';
    const yLabel = hdr['YLabel'] ?? '';
    const countS = hdr['DataCount'] ?? '';
    const count = parseNumber(countS);
    const countLine = i + 1 + Math.max(0, fields.indexOf('DataCount'));
    if (!Number.isInteger(count) || count <= 0)
      throw new ParseError({
        file: path,
        code: 'bad-number',
        line: countLine,
        message: `region '${atomic}': DataCount is not a positive integer`,
        expected: 'integer',
        found: countS,
      });
    const start = i + nh;
    // A count beyond the lines left cannot be right (and must not size an allocation: fuzz, 1e308).
    if (count > lines.length - start)
      throw new ParseError({
        file: path,
        code: 'truncated',
        line: countLine,
        message: `region '${atomic}': DataCount says ${count} rows, found ${lines.length - start} lines left in the file`,
        expected: `≤ ${lines.length - start}`,
        found: countS,
      });
    const x = new Float64Array(count);
    const y = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const l = lines[start + k];
      if (l === undefined || l.startsWith('//') || !l.trim()) {
        throw new ParseError({
          file: path,
          code: 'truncated',
          line: start + k + 1,
          message: `region '${atomic}': DataCount says ${count} rows, found ${k}`,
          expected: String(count),
          found: String(k),
        });
      }
      const f = l.trim().split(/[\t ,]+/);
      x[k] = parseNumber(f[0] ?? '');
      y[k] = parseNumber(f[1] ?? '');
      if (Number.isNaN(x[k]!) || Number.isNaN(y[k]!))
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: start + k + 1,
          message: `region '${atomic}': row is not 'x,value'`,
          expected: 'two numbers',
          found: l,
        });
    }
    if (!fields.includes('RegionNo') && !/energy/i.test(xLabel)) {
      // Intensity vs sputter time (or cycle): the vendor's depth curve. Kept for its time axis, not as data.
      depthCurves.push({ atomic, xLabel, yLabel, x, y, line: i + 1 });
    } else {
      const cycleS = hdr['Cycle'];
      const cycle = cycleS === undefined ? 0 : parseNumber(cycleS);
      if (!Number.isInteger(cycle) || cycle < 0)
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: i + 1 + fields.indexOf('Cycle'),
          message: `region '${atomic}': Cycle is not a non-negative integer`,
          expected: 'integer',
          found: cycleS ?? '',
        });
      units.add(yLabel);
      spectra.push({
        region: atomic,
        etchLevel: 0,
        cycle,
        energy: x,
        intensity: y,
        axis: /kinetic/i.test(xLabel) ? 'kinetic' : 'binding',
        excitationEnergyEv: Number.isFinite(hv) ? hv : undefined,
        line: i + 1,
      });
    }
    i = start + count;
  }
  // Depth profile: cycles → etch levels in order; the sputter time of each cycle from the depth curves'
  // time axis (`Sputter Time(min)` → s), only when a curve has exactly one point per cycle.
  const cycles = [...new Set(spectra.map((sp) => sp.cycle))].sort((a, b) => a - b);
  let sputterTimes: number[] | undefined;
  if (cycles.length > 1) {
    const curve = depthCurves.find((c) => c.x.length === cycles.length && /time/i.test(c.xLabel));
    const unit = curve ? (/\((min|s|sec|h)\)/i.exec(curve.xLabel)?.[1] ?? '').toLowerCase() : '';
    const factor = unit === 'min' ? 60 : unit === 's' || unit === 'sec' ? 1 : unit === 'h' ? 3600 : NaN;
    if (curve && Number.isFinite(factor)) sputterTimes = Array.from(curve.x, (v) => v * factor);
    else
      warnings.push({
        code: 'etch-time-unstated',
        message: depthCurves.length
          ? `no depth curve with one sputter time (in min, s or h) per cycle (${cycles.length} cycles); levels are numbered only`
          : `${cycles.length} cycles but no intensity-vs-sputter-time block; levels are numbered only`,
      });
  }
  const spectraIn: XpsSpectrumIn[] = spectra.map(({ cycle, ...sp }) => {
    const level = cycles.indexOf(cycle);
    return { ...sp, etchLevel: level, ...(sputterTimes ? { sputterTimeS: sputterTimes[level] } : {}) };
  });
  if (spectraIn.length === 0)
    throw new ParseError({
      file: path,
      code: 'no-data',
      line: areaAt + 1,
      message: 'no spectrum blocks (only depth curves or nothing after the region table header)',
      expected: 'a block with XLabel Binding Energy(eV)',
      found: depthCurves.length ? `${depthCurves.length} depth curve(s)` : 'nothing',
    });
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
  if (depthCurves.length)
    meta.depthCurves = depthCurves.map((c) => ({ region: c.atomic, xLabel: c.xLabel, yLabel: c.yLabel, points: c.x.length, line: c.line }));
  if (cycles.length > 1) meta.depthProfileCycles = cycles;
  return [buildXpsRecord({ path, spectra: spectraIn, meta, warnings, intensityUnit: rate ? 'counts/s' : 'counts' })];
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
