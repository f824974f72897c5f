/**
 * SPECS SpecsLab Prodigy "XY-Serializer" export (`.xy`): `#`-prefixed `Key: value` metadata, a
 * `# Region:` line per region, `# Cycle: c, Curve: k[, Scan: s]` before each data block of
 * `energy value` lines. The export settings at the top say which energy axis and whether values are
 * counts or counts per second; we trust those lines and nothing else.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { parseNumber } from '../text/numbers.js';
import { buildXpsRecord, sourceLabel, type XpsSpectrumIn } from './assemble.js';
import { headerNumber } from '../text/columns.js';

export function sniffSpecsXy(input: SniffInput): number {
  const t = input.headText;
  if (!t.startsWith('#')) return 0;
  if (/XY-Serializer/.test(t) && /SpecsLab|Prodigy/i.test(t)) return 0.96;
  if (/^# Region:/m.test(t) && /^# Cycle: \d+/m.test(t)) return 0.8;
  return 0;
}

interface Block {
  group: string;
  region: string;
  settings: Record<string, string>;
  cycle: number;
  curve: number;
  scan: number;
  line: number;
  x: number[];
  y: number[];
  /** Transmission function values, when the export wrote them (third column). */
  tf: number[];
}

export function parseSpecsXy(input: ParseInput) {
  const { path } = input;
  const lines = splitLines(decodeText(input.bytes).text);
  const global: Record<string, string> = {};
  const blocks: Block[] = [];
  let group = '';
  let region = '';
  let regionSettings: Record<string, string> = {};
  let inRegion = false;
  let current: Block | undefined;
  // The export settings block precedes every region; the flag is read from it as soon as it is seen.
  let withTf = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('#')) {
      const body = l.replace(/^#\s?/, '');
      const cyc = /^Cycle:\s*(\d+)(?:,\s*Curve:\s*(\d+))?(?:,\s*Scan:\s*(\d+))?/.exec(body.trim());
      if (cyc) {
        current = undefined;
        if (cyc[2] !== undefined) {
          current = {
            group,
            region,
            settings: regionSettings,
            cycle: +cyc[1]!,
            curve: +cyc[2],
            scan: cyc[3] !== undefined ? +cyc[3] : 0,
            line: i + 1,
            x: [],
            y: [],
            tf: [],
          };
          blocks.push(current);
        }
        continue;
      }
      const kv = /^\s*([^:]+?):\s*(.*)$/.exec(body);
      if (!kv) continue;
      const [, k, v] = kv as unknown as [string, string, string];
      if (k === 'Group') {
        group = v.trim();
        inRegion = false;
        continue;
      }
      if (k === 'Region') {
        region = v.trim();
        regionSettings = {};
        inRegion = true;
        current = undefined;
        continue;
      }
      if (inRegion) regionSettings[k.trim()] = v.trim();
      else {
        global[k.trim()] = v.trim();
        if (k.trim() === 'Transmission Function') withTf = /^yes$/i.test(v.trim());
      }
      continue;
    }
    if (!l.trim()) continue;
    if (!current) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        line: i + 1,
        message: 'data line outside a "# Cycle: c, Curve: k" block',
        expected: 'a # Cycle/Curve line first',
        found: l,
      });
    }
    const f = l.trim().split(/\s+/);
    const x = parseNumber(f[0] ?? '');
    const y = parseNumber(f[1] ?? '');
    if (Number.isNaN(x) || Number.isNaN(y)) {
      throw new ParseError({
        file: path,
        code: 'bad-number',
        line: i + 1,
        message: `region '${current.region}': data line is not 'energy value'`,
        expected: 'two numbers',
        found: l,
      });
    }
    if (withTf) {
      const tf = parseNumber(f[2] ?? '');
      if (!(tf > 0)) {
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: i + 1,
          column: 'transmission',
          message: `region '${current.region}': the export says 'Transmission Function: yes' but this line has no positive third value`,
          expected: 'energy value transmission',
          found: l,
        });
      }
      current.tf.push(tf);
    }
    current.x.push(x);
    current.y.push(y);
  }
  if (blocks.length === 0)
    throw new ParseError({
      file: path,
      code: 'no-data',
      message: 'no "# Cycle: c, Curve: k" data blocks',
      expected: 'SpecsLab Prodigy XY export with data',
      found: 'metadata only',
    });

  const warnings: ParseWarning[] = [];
  const axisSetting = global['Energy Axis'] ?? '';
  const axis: 'binding' | 'kinetic' = /kinetic/i.test(axisSetting) ? 'kinetic' : 'binding';
  if (!axisSetting) warnings.push({ code: 'energy-axis-unstated', message: "no 'Energy Axis' export setting; binding energy assumed" });
  const rate = /per second/i.test(global['Count Rate'] ?? '');
  const groups = new Set(blocks.map((b) => b.group));
  const cyclesPerRegion = new Map<string, Set<number>>();
  for (const b of blocks) {
    const k = `${b.group}\u0000${b.region}`;
    if (!cyclesPerRegion.has(k)) cyclesPerRegion.set(k, new Set());
    cyclesPerRegion.get(k)!.add(b.cycle);
  }
  const multiCycle = [...cyclesPerRegion.values()].some((s) => s.size > 1);
  if (multiCycle)
    warnings.push({
      code: 'cycle-as-etch-level',
      message: 'regions have several cycles; each cycle is read as a successive etch level (the file does not say whether sputtering happened between cycles)',
    });

  // Transmission correction (issue #19): with `Transmission Function: yes` every data line carries T(E)
  // as a third value; the intensity is divided by it (I/T), point by point, before scans are combined.
  // Without it, the record says the correction was not applied (as the SPECS XML reader's meta does).
  if (withTf) {
    for (const b of blocks) for (let i = 0; i < b.y.length; i++) b.y[i] = b.y[i]! / b.tf[i]!;
  }
  // Scans (and curves) of the same region and cycle are combined: averaged for rates, summed for counts.
  // A scan whose point count differs from the region's (`Values/Curve`, else the first scan's) — an
  // acquisition stopped mid-scan — is left out with a warning; the same count on another axis is an error.
  const groupsOf = new Map<string, Block[]>();
  for (const b of blocks) {
    const k = `${b.group}\u0000${b.region}\u0000${b.cycle}`;
    if (!groupsOf.has(k)) groupsOf.set(k, []);
    groupsOf.get(k)!.push(b);
  }
  const merged: { b: Block; sum: Float64Array; n: number }[] = [];
  for (const list of groupsOf.values()) {
    const stated = parseNumber(list[0]!.settings['Values/Curve'] ?? '');
    const expected = Number.isFinite(stated) ? stated : list[0]!.x.length;
    const full = list.filter((b) => b.x.length === expected);
    const partial = list.filter((b) => b.x.length !== expected);
    const first = list[0]!;
    if (full.length === 0) {
      throw new ParseError({
        file: path,
        code: 'truncated',
        line: first.line,
        message: `region '${first.region}': header says ${stated} values per curve, ${first.x.length} read`,
        expected: String(stated),
        found: String(first.x.length),
      });
    }
    if (partial.length) {
      warnings.push({
        code: 'incomplete-scans-dropped',
        line: partial[0]!.line,
        message: `region '${first.region}' cycle ${first.cycle}: ${partial.length} scan(s) with a different point count (${partial.map((b) => `scan ${b.scan}: ${b.x.length}`).join(', ')}; expected ${expected}) left out of the ${rate ? 'average' : 'sum'}`,
        rows: partial.reduce((a, b) => a + b.x.length, 0),
      });
    }
    const ref = full[0]!;
    const m = { b: ref, sum: Float64Array.from(ref.y), n: 1 };
    for (const b of full.slice(1)) {
      if (b.x.some((v, i) => Math.abs(v - ref.x[i]!) > 1e-6)) {
        throw new ParseError({
          file: path,
          code: 'invalid',
          line: b.line,
          message: `region '${b.region}' cycle ${b.cycle}: scan/curve ${b.scan}/${b.curve} has a different energy axis from the first`,
          expected: `${ref.x.length} points on the same axis`,
          found: `${b.x.length} points`,
        });
      }
      for (let i = 0; i < b.y.length; i++) m.sum[i]! += b.y[i]!;
      m.n++;
    }
    merged.push(m);
  }
  const spectra: XpsSpectrumIn[] = [];
  for (const { b, sum, n } of merged) {
    const y = rate ? sum.map((v) => v / n) : sum;
    const regionName = groups.size > 1 ? `${b.group}: ${b.region}` : b.region;
    const cycles = [...cyclesPerRegion.get(`${b.group}\u0000${b.region}`)!].sort((p, q) => p - q);
    spectra.push({
      region: regionName,
      etchLevel: multiCycle ? cycles.indexOf(b.cycle) : 0,
      energy: b.x,
      intensity: y,
      axis,
      excitationEnergyEv: headerNumber(b.settings['Excitation Energy']),
      workFunctionEv: headerNumber(b.settings['Eff. Workfunction']),
      line: b.line,
    });
  }
  const first = blocks[0]!.settings;
  const created = /SpecsLab Prodigy,?\s*Version\s*(\S+)/.exec(global['Created by'] ?? '');
  const pe = [...new Set(blocks.map((b) => headerNumber(b.settings['Pass Energy'])).filter((v) => v !== undefined))];
  const meta: Record<string, unknown> = {
    software: created ? 'SpecsLab Prodigy' : global['Created by'],
    softwareVersion: created?.[1],
    instrument: first['Analyzer'],
    source: sourceLabel(first['Source'], headerNumber(first['Excitation Energy'])),
    excitationEnergyEv: headerNumber(first['Excitation Energy']),
    passEnergyEv: pe.length === 1 ? pe[0] : pe,
    analyserLens: first['Analyzer Lens'],
    scanMode: first['Scan Mode'],
    workFunctionEv: headerNumber(first['Eff. Workfunction']),
    acquisitionDate: first['Acquisition Date'],
    groups: [...groups],
    exportSettings: {
      energyAxis: axisSetting,
      countRate: global['Count Rate'],
      separateScanData: global['Separate Scan Data'],
      transmissionFunction: global['Transmission Function'],
    },
    transmissionCorrection: withTf
      ? { applied: true, method: 'intensity divided by the transmission function T(E) written by Prodigy as the third column' }
      : {
          applied: false,
          reason:
            global['Transmission Function'] === undefined
              ? 'the export settings do not say whether a transmission function was written'
              : 'the export has no transmission-function column (Transmission Function: no)',
        },
  };
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  return [buildXpsRecord({ path, spectra, meta, warnings, intensityUnit: rate ? 'counts/s' : 'counts' })];
}

export const specsXyFormat: FormatParser = {
  id: 'specs-xy',
  family: 'xps',
  kind: 'xps-spectrum',
  title: 'SPECS SpecsLab Prodigy XY-Serializer export (.xy)',
  version: '1.0.0',
  extensions: ['.xy'],
  sniff: sniffSpecsXy,
  parse: parseSpecsXy,
};
