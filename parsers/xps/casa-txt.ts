/**
 * CasaXPS "Export to text" (tab-separated, one block after another). Each block: a title
 * `blockId:sample:species`, a line `\tCharacteristic Energy eV\t<hν>\tAcquisition Time s\t<t>`,
 * component rows (Name, Position, FWHM, Area, Lineshape — empty when nothing was fitted), a column
 * header `K.E.\tCounts\t\tB.E.\tCPS[\t…]` and numeric rows. We read B.E. and Counts as CasaXPS wrote
 * them and check B.E. against hν − K.E. so a mislabelled column cannot pass.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { parseNumber } from '../text/numbers.js';
import { buildXpsRecord, etchLevelFromText, sourceLabel, type XpsSpectrumIn } from './assemble.js';

const CHAR_ENERGY = /^\tCharacteristic Energy eV\t/;

export function sniffCasaTxt(input: SniffInput): number {
  const ls = input.headText.split(/\r?\n/, 12);
  return ls.length > 2 && CHAR_ENERGY.test(ls[1]!) && ls.some((l) => l.startsWith('K.E.\t')) ? 0.93 : 0;
}

export function parseCasaTxt(input: ParseInput) {
  const { path } = input;
  const lines = splitLines(decodeText(input.bytes).text);
  const starts: number[] = [];
  for (let i = 0; i + 1 < lines.length; i++) if (CHAR_ENERGY.test(lines[i + 1]!) && !lines[i]!.startsWith('\t')) starts.push(i);
  if (starts.length === 0)
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 2,
      message: 'no CasaXPS text-export block',
      expected: "'\\tCharacteristic Energy eV\\t…' on the line after a block title",
      found: lines[1] ?? '',
    });
  const warnings: ParseWarning[] = [];
  const blocks = starts.map((s, b) => {
    const end = b + 1 < starts.length ? starts[b + 1]! : lines.length;
    const title = lines[s]!.trim();
    const parts = title.split(':');
    const ce = lines[s + 1]!.split('\t');
    const hv = parseNumber(ce[2] ?? '');
    const acq = parseNumber(ce[4] ?? '');
    const comps: Record<string, string[]> = {};
    let h = s + 2;
    while (h < end && !lines[h]!.startsWith('K.E.')) {
      const f = lines[h]!.split('\t');
      const vals = f.slice(1).filter((v) => v.trim() !== '');
      if (vals.length) comps[f[0]!.trim()] = vals;
      h++;
    }
    if (h >= end)
      throw new ParseError({
        file: path,
        code: 'missing-column',
        line: s + 1,
        message: `block '${title}': no 'K.E.' column header`,
        expected: 'K.E.\\tCounts\\t\\tB.E.\\tCPS',
        found: 'end of block',
      });
    const head = lines[h]!.split('\t');
    const iKE = head.indexOf('K.E.');
    const iC = head.indexOf('Counts');
    const iBE = head.indexOf('B.E.');
    if (iC < 0 || iBE < 0)
      throw new ParseError({
        file: path,
        code: 'missing-column',
        line: h + 1,
        message: `block '${title}': Counts or B.E. column missing`,
        expected: 'Counts and B.E.',
        found: lines[h]!,
      });
    const be: number[] = [];
    const y: number[] = [];
    for (let i = h + 1; i < end; i++) {
      if (!lines[i]!.trim()) continue;
      const f = lines[i]!.split('\t');
      const e = parseNumber(f[iBE] ?? '');
      const c = parseNumber(f[iC] ?? '');
      const ke = parseNumber(f[iKE] ?? '');
      if (Number.isNaN(e) || Number.isNaN(c))
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: i + 1,
          message: `block '${title}': B.E. or Counts is not a number`,
          expected: 'numbers',
          found: lines[i]!,
        });
      if (Number.isFinite(hv) && Number.isFinite(ke) && Math.abs(hv - ke - e) > 0.05) {
        throw new ParseError({
          file: path,
          code: 'invalid',
          line: i + 1,
          message: `block '${title}': B.E. is not hν − K.E.`,
          expected: String(hv - ke),
          found: String(e),
        });
      }
      be.push(e);
      y.push(c);
    }
    return { title, parts, hv, acq, comps, be, y, line: s + 1 };
  });
  const samples = new Set(blocks.map((b) => (b.parts.length >= 3 ? b.parts[1]! : '')));
  const spectra: XpsSpectrumIn[] = blocks.map((b) => {
    const species = b.parts.length >= 3 ? b.parts.slice(2).join(':') : b.title;
    return {
      region: samples.size > 1 ? `${b.parts[1]}: ${species}` : species,
      etchLevel: etchLevelFromText(b.parts[0] ?? '') ?? 0,
      energy: b.be,
      intensity: b.y,
      axis: 'binding',
      line: b.line,
    };
  });
  if (samples.size > 1)
    warnings.push({
      code: 'several-samples',
      message: `blocks come from ${samples.size} samples (${[...samples].join(', ')}); region names are prefixed with the sample`,
    });
  const hv = blocks[0]!.hv;
  const meta: Record<string, unknown> = {
    software: 'CasaXPS',
    source: sourceLabel(undefined, Number.isFinite(hv) ? hv : undefined),
    excitationEnergyEv: Number.isFinite(hv) ? hv : undefined,
    blocks: blocks.map((b) => ({ title: b.title, acquisitionTimeS: b.acq, points: b.be.length })),
    samples: [...samples].filter(Boolean),
  };
  const comps = blocks.filter((b) => Object.keys(b.comps).length).map((b) => ({ block: b.title, ...b.comps }));
  if (comps.length) meta.casaComponents = comps;
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  return [buildXpsRecord({ path, spectra, meta, warnings, intensityUnit: 'counts' })];
}

export const casaTxtFormat: FormatParser = {
  id: 'casaxps-txt',
  family: 'xps',
  kind: 'xps-spectrum',
  title: 'CasaXPS "Export to text" (tab-separated blocks)',
  version: '1.0.0',
  extensions: ['.txt'],
  sniff: sniffCasaTxt,
  parse: parseCasaTxt,
};
