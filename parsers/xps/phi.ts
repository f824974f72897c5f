/**
 * PHI SmartSoft / Compass `.spe` (spectra) and `.pro` (sputter depth profile): an ASCII
 * `Key: value` header between `SOFH` and `EOFH`, then binary tables laid out in
 * `phi-binary.layout.ts`. Region energy axes come from the header's `SpectralRegDef` lines (binding
 * energy, start + i·step); the point counts in header and binary must agree.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { latin1 } from '../text/decode.js';
import { parseNumber } from '../text/numbers.js';
import { buildXpsRecord, sourceLabel, type XpsSpectrumIn } from './assemble.js';
import { PHI_BLOCK, PHI_DESCRIPTOR, PHI_DTYPES, type BinaryField } from './phi-binary.layout.js';

export interface PhiRegionDef {
  readonly number: number;
  readonly name: string;
  readonly nPoints: number;
  readonly step: number;
  readonly start: number;
  readonly end: number;
  readonly dwellS: number;
  readonly passEnergyEv: number;
  readonly line: number;
}

export interface PhiHeader {
  readonly entries: Record<string, string>;
  readonly regions: PhiRegionDef[];
  /** Byte offset of the binary block (just after `EOFH` and its line end). */
  readonly dataStart: number;
}

/** Header → key/values + (non-"Full") spectral region definitions. Shared with the MultiPak text reader. */
export function parsePhiHeaderLines(lines: readonly string[], path: string, firstLine = 1): Omit<PhiHeader, 'dataStart'> {
  const entries: Record<string, string> = {};
  const regions: PhiRegionDef[] = [];
  lines.forEach((raw, i) => {
    const m = /^([A-Za-z0-9_]+):\s?(.*)$/.exec(raw.trim());
    if (!m) return;
    const [, k, v] = m as unknown as [string, string, string];
    if (k === 'SpectralRegDef') {
      const f = v.trim().split(/\s+/);
      const n = Number(f[4]);
      const def: PhiRegionDef = {
        number: Number(f[0]),
        name: f[2] ?? '',
        nPoints: n,
        step: Number(f[5]),
        start: Number(f[6]),
        end: Number(f[7]),
        dwellS: Number(f[f.length - 3]),
        passEnergyEv: Number(f[f.length - 2]),
        line: firstLine + i,
      };
      if (!Number.isInteger(n) || n <= 0 || !Number.isFinite(def.step) || !Number.isFinite(def.start)) {
        throw new ParseError({
          file: path,
          code: 'bad-header',
          line: firstLine + i,
          message: 'SpectralRegDef is not "no id name Z npts step start end …"',
          expected: 'numbers in fields 1,5,6,7',
          found: raw,
        });
      }
      regions.push(def);
    } else if (!(k in entries)) entries[k] = v.trim();
  });
  return { entries, regions };
}

function readHeader(bytes: Uint8Array, path: string): PhiHeader {
  const head = latin1(bytes.subarray(0, Math.min(bytes.length, 1 << 20)));
  if (!head.startsWith('SOFH'))
    throw new ParseError({ file: path, code: 'bad-magic', offset: 0, message: 'not a PHI .spe/.pro file', expected: "'SOFH'", found: head.slice(0, 8) });
  const e = head.indexOf('EOFH');
  if (e < 0)
    throw new ParseError({
      file: path,
      code: 'truncated',
      offset: head.length,
      message: 'PHI header has no EOFH line',
      expected: "'EOFH'",
      found: 'end of header area',
    });
  let dataStart = e + 4;
  if (head[dataStart] === '\r') dataStart++;
  if (head[dataStart] === '\n') dataStart++;
  const lines = head.slice(0, e).split(/\r\n|\n|\r/);
  return { ...parsePhiHeaderLines(lines, path), dataStart };
}

type Descriptor = Record<BinaryField['name'], number | string>;

function readDescriptor(view: DataView, base: number): Descriptor {
  const d = {} as Descriptor;
  for (const f of PHI_DESCRIPTOR) {
    const o = base + f.offset;
    if (f.type === 'u32') d[f.name] = view.getUint32(o, true);
    else {
      const len = f.type === 'char4' ? 4 : 16;
      let s = '';
      for (let k = 0; k < len; k++) {
        const c = view.getUint8(o + k);
        if (c === 0) break;
        s += String.fromCharCode(c);
      }
      d[f.name] = s;
    }
  }
  return d;
}

export function sniffPhiSpe(input: SniffInput): number {
  if (!input.headText.startsWith('SOFH')) return 0;
  return /FileType:\s*SPECTRUM/.test(input.headText) ? 0.97 : /FileType:\s*DEPTHPRO/.test(input.headText) ? 0.3 : 0.7;
}

export function sniffPhiPro(input: SniffInput): number {
  if (!input.headText.startsWith('SOFH')) return 0;
  return /FileType:\s*DEPTHPRO/.test(input.headText) ? 0.97 : 0;
}

export function parsePhi(input: ParseInput) {
  const { path, bytes } = input;
  const h = readHeader(bytes, path);
  const warnings: ParseWarning[] = [];
  const bin = bytes.subarray(h.dataStart);
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const need = (end: number, what: string) => {
    if (end > bin.length) {
      throw new ParseError({
        file: path,
        code: 'truncated',
        offset: h.dataStart + bin.length,
        message: `binary data ends inside ${what}`,
        expected: `${end} bytes after EOFH`,
        found: `${bin.length}`,
      });
    }
  };
  need(PHI_BLOCK.countOffset + 4, 'the table count');
  const count = view.getUint32(PHI_BLOCK.countOffset, true);
  if (count === 0 || count > 10000)
    throw new ParseError({
      file: path,
      code: 'invalid',
      offset: h.dataStart + PHI_BLOCK.countOffset,
      message: 'implausible number of binary tables',
      expected: '1..10000',
      found: String(count),
    });
  need(PHI_BLOCK.firstDescriptor + count * PHI_BLOCK.descriptorSize, `the ${count} table descriptors`);
  const descs = Array.from({ length: count }, (_, i) => readDescriptor(view, PHI_BLOCK.firstDescriptor + i * PHI_BLOCK.descriptorSize));

  const readTable = (d: Descriptor, what: string): Float64Array => {
    const size = PHI_DTYPES[d.dtype as string];
    if (!size)
      throw new ParseError({
        file: path,
        code: 'unsupported-version',
        message: `${what}: unknown data type '${String(d.dtype)}'`,
        expected: Object.keys(PHI_DTYPES).join(' | '),
        found: String(d.dtype),
      });
    const n = (d.nPoints as number) * (d.nCycles as number);
    const off = d.byteOffset as number;
    if ((d.byteLength as number) !== n * size) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        offset: h.dataStart + off,
        message: `${what}: byte length disagrees with points × cycles × ${size}`,
        expected: String(n * size),
        found: String(d.byteLength),
      });
    }
    need(off + n * size, what);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = size === 4 ? view.getFloat32(off + i * 4, true) : view.getFloat64(off + i * 8, true);
    return out;
  };

  const spectraDescs = descs.filter((d) => d.xUnit === 'pnt');
  if (spectraDescs.length !== h.regions.length) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      offset: h.dataStart,
      message: "number of spectra in the binary block disagrees with the header's SpectralRegDef lines",
      expected: String(h.regions.length),
      found: String(spectraDescs.length),
    });
  }
  const timeDesc = descs.find((d) => d.xUnit === 'cyc' && d.yUnit === 's');
  const times = timeDesc ? readTable(timeDesc, 'the sputter-time table') : undefined;
  for (const d of descs) {
    if (d.xUnit !== 'pnt' && d !== timeDesc && !(d.xUnit === 'cyc' && d.yUnit === 'c/s * eV')) {
      warnings.push({ code: 'unknown-table', message: `binary table ${String(d.index)} (x '${String(d.xUnit)}', y '${String(d.yUnit)}') is not read` });
    }
  }
  const rateUnit = spectraDescs.every((d) => d.yUnit === 'c/s');
  if (!rateUnit)
    warnings.push({ code: 'unknown-unit', message: `spectra y units are ${[...new Set(spectraDescs.map((d) => d.yUnit))].join(', ')}; read as counts` });
  const src = /^(\S+)\s+([\d.]+)/.exec(h.entries['XraySource'] ?? '');
  const hv = src ? Number(src[2]) : undefined;

  const spectra: XpsSpectrumIn[] = [];
  spectraDescs.forEach((d, r) => {
    const def = h.regions[r]!;
    const n = d.nPoints as number;
    if (n !== def.nPoints) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        line: def.line,
        message: `region '${def.name}': header says ${def.nPoints} points, binary table says ${n}`,
        expected: String(def.nPoints),
        found: String(n),
      });
    }
    const data = readTable(d, `region '${def.name}'`);
    const cycles = d.nCycles as number;
    const energy = new Float64Array(n);
    for (let i = 0; i < n; i++) energy[i] = def.start + i * def.step;
    for (let c = 0; c < cycles; c++) {
      const t = times && times.length === cycles * spectraDescs.length ? times[r * cycles + c] : undefined;
      spectra.push({
        region: def.name,
        etchLevel: c,
        sputterTimeS: t === undefined ? undefined : Math.abs(t),
        energy,
        intensity: data.subarray(c * n, (c + 1) * n),
        axis: 'binding',
        offset: h.dataStart + (d.byteOffset as number),
        line: def.line,
      });
    }
  });
  if (times && times.length !== (spectraDescs[0]?.nCycles as number) * spectraDescs.length) {
    warnings.push({ code: 'sputter-time-shape', message: 'the sputter-time table does not match regions × cycles; sputter times not used' });
  }

  const rateAPerMin = parseNumber((h.entries['SputterRate'] ?? '').split(/\s+/)[0] ?? '');
  const rateUnitStated = (h.entries['SputterRate'] ?? '').split(/\s+/)[1];
  const sputterRateNmPerS = rateAPerMin > 0 && rateUnitStated === 'A/min' ? (rateAPerMin * 0.1) / 60 : undefined;
  const pe = [...new Set(h.regions.map((r) => r.passEnergyEv))];
  const meta: Record<string, unknown> = {
    instrument: h.entries['InstrumentModel'],
    software: h.entries['SoftwareVersion'],
    fileType: h.entries['FileType'],
    institution: h.entries['Institution'] || undefined,
    source: sourceLabel(src?.[1], hv) + (/mono/i.test(h.entries['XraySource'] ?? '') ? ' (mono)' : ''),
    excitationEnergyEv: hv,
    passEnergyEv: pe.length === 1 ? pe[0] : pe,
    workFunctionEv: parseNumber((h.entries['AnalyserWorkFcn'] ?? '').split(/\s+/)[0] ?? ''),
    acquisitionFile: h.entries['AcqFilename'],
    fileDate: h.entries['FileDate'],
    sputter: {
      ion: h.entries['SputterIon'],
      energy: h.entries['SputterEnergy'],
      current: h.entries['SputterCurrent'],
      rate: h.entries['SputterRate'],
      raster: h.entries['SputterRaster'],
      mode: h.entries['SputterMode'],
      cycles: h.entries['NoDPDataCyc'],
      depthCalibration: h.entries['DepthCalDef'],
    },
    intensityNote: 'values are PHI c/s per channel as stored (summed over sweeps by the acquisition software)',
  };
  if (!sputterRateNmPerS && h.entries['SputterRate']) {
    warnings.push({ code: 'no-sputter-rate', message: `stated sputter rate '${h.entries['SputterRate']}' is zero or not in A/min; no depth in nm` });
  }
  for (const k of Object.keys(meta)) if (meta[k] === undefined || Number.isNaN(meta[k])) delete meta[k];
  return [buildXpsRecord({ path, spectra, meta, warnings, intensityUnit: rateUnit ? 'counts/s' : 'counts', sputterRateNmPerS })];
}

export const phiSpeFormat: FormatParser = {
  id: 'phi-spe',
  family: 'xps',
  kind: 'xps-spectrum',
  title: 'PHI SmartSoft/Compass spectrum (.spe, binary)',
  version: '1.0.0',
  extensions: ['.spe'],
  sniff: sniffPhiSpe,
  parse: parsePhi,
};

export const phiProFormat: FormatParser = {
  id: 'phi-pro',
  family: 'xps',
  kind: 'xps-depth-profile',
  title: 'PHI SmartSoft depth profile (.pro, binary)',
  version: '1.0.0',
  extensions: ['.pro'],
  sniff: sniffPhiPro,
  parse: parsePhi,
};
