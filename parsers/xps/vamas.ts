/**
 * VAMAS / ISO 14976 (`.vms`, `.npl`): the exchange format most XPS software writes (CasaXPS, Kratos,
 * PHI MultiPak, SPECS Prodigy). A line-oriented text format whose meaning depends on position, so the
 * layout is data (`vamas.layout.ts`) and this file is its interpreter plus the spectrum assembly.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { parseNumber } from '../text/numbers.js';
import { buildXpsRecord, etchLevelFromText, sourceLabel, type XpsSpectrumIn } from './assemble.js';
import { parseCasaComments, type CasaBlockAnalysis } from './casa-comments.js';
import { DEPTH_PROFILE_MODES, EXP_MODES, VAMAS_BLOCK, VAMAS_HEADER, VAMAS_UNSPECIFIED, type LayoutContext, type LayoutField } from './vamas.layout.js';

const MAGIC = 'VAMAS Surface Chemical Analysis Standard Data Transfer Format';

/** Sequential line reader that knows line numbers and names what it wanted when the file ends. */
class LineCursor {
  i = 0;
  constructor(
    readonly lines: readonly string[],
    readonly path: string,
  ) {}
  next(what: string): string {
    if (this.i >= this.lines.length) {
      throw new ParseError({
        file: this.path,
        code: 'truncated',
        line: this.lines.length,
        message: `file ends while reading ${what}`,
        expected: what,
        found: 'end of file',
      });
    }
    return this.lines[this.i++]!.trim();
  }
  num(what: string): number {
    const s = this.next(what);
    const v = parseNumber(s);
    if (Number.isNaN(v))
      throw new ParseError({ file: this.path, code: 'bad-number', line: this.i, message: `${what} is not a number`, expected: 'a number', found: s });
    return v;
  }
  int(what: string): number {
    const v = this.num(what);
    if (!Number.isInteger(v) || v < 0)
      throw new ParseError({
        file: this.path,
        code: 'bad-number',
        line: this.i,
        message: `${what} must be a non-negative integer`,
        expected: 'integer ≥ 0',
        found: String(v),
      });
    return v;
  }
}

interface MutableContext extends LayoutContext {
  expMode: string;
  scanMode: string;
  technique: string;
  nExpVariables: number;
  nFutureBlock: number;
  nFutureExp: number;
}

/** The interpreter: read `layout` at the cursor, updating the context as mode-defining fields appear. */
function readLayout(cur: LineCursor, layout: readonly LayoutField[], ctx: MutableContext, what: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of layout) {
    if (f.when && !f.when(ctx)) continue;
    const label = `${what} field '${f.key}'`;
    switch (f.t) {
      case 'str':
        out[f.key] = cur.next(label);
        break;
      case 'num':
        out[f.key] = cur.num(label);
        break;
      case 'int':
        out[f.key] = cur.int(label);
        break;
      case 'lines': {
        const n = cur.int(`${label} (line count)`);
        const ls: string[] = [];
        for (let k = 0; k < n; k++) ls.push(cur.next(label));
        out[f.key] = ls;
        break;
      }
      case 'pairs': {
        const n = cur.int(`${label} (count)`);
        const items: Record<string, string>[] = [];
        for (let k = 0; k < n; k++) {
          const item: Record<string, string> = {};
          for (const nm of f.names) item[nm] = cur.next(`${label} #${k + 1} ${nm}`);
          items.push(item);
        }
        out[f.key] = items;
        break;
      }
      case 'repeat': {
        const n = f.count(ctx);
        const ls: string[] = [];
        for (let k = 0; k < n; k++) ls.push(cur.next(label));
        out[f.key] = ls;
        break;
      }
    }
    if (f.key === 'expMode') ctx.expMode = out.expMode as string;
    if (f.key === 'scanMode') ctx.scanMode = out.scanMode as string;
    if (f.key === 'technique') ctx.technique = out.technique as string;
    if (f.key === 'expVariables') ctx.nExpVariables = (out.expVariables as unknown[]).length;
    if (f.key === 'nFutureBlock') ctx.nFutureBlock = out.nFutureBlock as number;
    if (f.key === 'nFutureExp') ctx.nFutureExp = out.nFutureExp as number;
  }
  return out;
}

const spec = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < VAMAS_UNSPECIFIED * 0.99 ? v : undefined);
const RATE_RE = /counts per second|count rate|\bcps\b|c\/s/i;

export function sniffVamas(input: SniffInput): number {
  return input.headText.startsWith(MAGIC) || input.headText.replace(/^\uFEFF/, '').startsWith(MAGIC) ? 0.97 : 0;
}

export function parseVamas(input: ParseInput) {
  const { path } = input;
  const text = decodeText(input.bytes).text;
  const lines = splitLines(text);
  const first = (lines[0] ?? '').trim();
  if (!first.startsWith(MAGIC)) {
    const fragment = /^\d+$/.test(first) && lines.length > 1;
    throw new ParseError({
      file: path,
      code: 'bad-magic',
      line: 1,
      message: fragment
        ? 'not a complete VAMAS file: it starts with a comment-line count, i.e. it is a fragment of VAMAS block-comment lines without the ISO 14976 header and data'
        : 'not a VAMAS (ISO 14976) file',
      expected: `'${MAGIC} 1988 May 4'`,
      found: first,
    });
  }
  const cur = new LineCursor(lines, path);
  const ctx: MutableContext = { expMode: '', scanMode: '', technique: '', nExpVariables: 0, nFutureBlock: 0, nFutureExp: 0 };
  const header = readLayout(cur, VAMAS_HEADER, ctx, 'header');
  if (!(EXP_MODES as readonly string[]).includes(ctx.expMode)) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: lineOf(lines, ctx.expMode),
      message: 'unknown VAMAS experiment mode',
      expected: EXP_MODES.join(' | '),
      found: ctx.expMode,
    });
  }
  if (ctx.scanMode !== 'REGULAR' && ctx.scanMode !== 'IRREGULAR') {
    throw new ParseError({
      file: path,
      code: 'unsupported-version',
      message: `VAMAS scan mode '${ctx.scanMode}' is not supported (MAPPING is an image)`,
      expected: 'REGULAR | IRREGULAR',
      found: ctx.scanMode,
    });
  }
  if ((header.inclusionList as string[]).length > 0) {
    throw new ParseError({
      file: path,
      code: 'unsupported-version',
      message: 'VAMAS parameter inclusion/exclusion lists (blocks that omit fields) are not supported',
      expected: '0 entries',
      found: String((header.inclusionList as string[]).length),
    });
  }
  const nBlocks = header.nBlocks as number;
  const expVars = header.expVariables as { label: string; unit: string }[];
  const warnings: ParseWarning[] = [];
  const raw: { block: Record<string, unknown>; line: number; x: Float64Array; y: Float64Array; rate: boolean; axis: 'binding' | 'kinetic' }[] = [];

  for (let b = 0; b < nBlocks; b++) {
    if (cur.i >= lines.length || /^end of experiment$/i.test(lines[cur.i]!.trim())) {
      throw new ParseError({
        file: path,
        code: 'truncated',
        line: cur.i + 1,
        message: `header declares ${nBlocks} blocks but the file holds only ${b}`,
        expected: `${nBlocks} blocks`,
        found: `${b}`,
      });
    }
    const startLine = cur.i + 1;
    const blk = readLayout(cur, VAMAS_BLOCK, ctx, `block ${b + 1}`);
    const vars = blk.variables as { label: string; unit: string }[];
    const irregular = ctx.scanMode === 'IRREGULAR';
    const nVar = vars.length; // in IRREGULAR the first one is the abscissa
    const nY = irregular ? nVar - 1 : nVar;
    if (nY < 1)
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: startLine,
        message: `block ${b + 1}: no ordinate variable`,
        expected: '≥ 1 corresponding variable',
        found: String(nVar),
      });
    for (let k = 0; k < nVar; k++) {
      cur.num(`block ${b + 1} min ordinate ${k + 1}`);
      cur.num(`block ${b + 1} max ordinate ${k + 1}`);
    }
    const nOrd = blk.nOrdinates as number;
    if (nOrd % nVar !== 0) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        line: cur.i,
        message: `block ${b + 1}: ${nOrd} ordinate values do not divide into ${nVar} corresponding variables`,
        expected: `a multiple of ${nVar}`,
        found: String(nOrd),
      });
    }
    const n = nOrd / nVar;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      for (let k = 0; k < nVar; k++) {
        const v = cur.num(`block ${b + 1} ordinate ${p * nVar + k + 1} of ${nOrd}`);
        if (irregular && k === 0) x[p] = v;
        else if (k === (irregular ? 1 : 0)) y[p] = v;
      }
    }
    if (!irregular) {
      const x0 = blk.abscissaStart as number;
      const dx = blk.abscissaStep as number;
      for (let p = 0; p < n; p++) x[p] = x0 + p * dx;
    }
    const absLabel = irregular ? vars[0]!.label : (blk.abscissaLabel as string);
    const axis = /kinetic/i.test(absLabel) ? 'kinetic' : /binding/i.test(absLabel) ? 'binding' : undefined;
    if (!axis)
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: startLine,
        message: `block ${b + 1}: abscissa is neither kinetic nor binding energy`,
        expected: "'kinetic energy' | 'binding energy'",
        found: absLabel,
      });
    const yVar = vars[irregular ? 1 : 0]!;
    const rate = RATE_RE.test(`${yVar.label} ${yVar.unit}`) || RATE_RE.test(blk.blockId as string);
    raw.push({ block: blk, line: startLine, x, y, rate, axis });
  }
  // Anything but the terminator after the declared blocks means the count in the header is wrong.
  while (cur.i < lines.length && lines[cur.i]!.trim() === '') cur.i++;
  if (cur.i < lines.length && !/^end of experiment$/i.test(lines[cur.i]!.trim())) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      line: cur.i + 1,
      message: `header declares ${nBlocks} blocks but more data follows the last one`,
      expected: "'end of experiment'",
      found: lines[cur.i]!,
    });
  }
  if (cur.i >= lines.length)
    warnings.push({ code: 'no-terminator', message: "file has no 'end of experiment' line (it may have been cut after the last block)" });

  // One intensity unit per record: if blocks disagree, counts become rates via dwell × scans.
  const anyRate = raw.some((r) => r.rate);
  const allRate = raw.every((r) => r.rate);
  if (anyRate && !allRate) {
    for (const r of raw) {
      if (r.rate) continue;
      const dwell = spec(r.block.dwellTime);
      const scans = spec(r.block.nScans) ?? 1;
      if (!dwell)
        throw new ParseError({
          file: path,
          code: 'bad-header',
          line: r.line,
          message: 'blocks mix counts and count rates and this block states no dwell time',
          expected: 'dwell time (s)',
          found: String(r.block.dwellTime),
        });
      for (let i = 0; i < r.y.length; i++) r.y[i]! /= dwell * scans;
    }
    warnings.push({ code: 'mixed-intensity-units', message: 'blocks mix counts and counts/s; counts were divided by dwell time × scans' });
  }

  const depthProfile = (DEPTH_PROFILE_MODES as readonly string[]).includes(ctx.expMode);
  const timeVar = expVars.findIndex((v) => /^(s|sec|min)$/i.test(v.unit.trim()) || /etch|sputter/i.test(v.label));
  const samples = new Set(raw.map((r) => r.block.sampleId as string));
  const levelKeys: string[] = [];
  const casa: Record<string, CasaBlockAnalysis> = {};
  const spectra: XpsSpectrumIn[] = raw.map((r) => {
    const blk = r.block;
    const species = `${blk.speciesLabel as string} ${blk.transitionLabel as string}`.trim();
    let region = species || (blk.blockId as string);
    if (samples.size > 1) region = `${blk.sampleId as string}: ${region}`;
    const comments = (blk.comment as string[]).join('\n');
    const expValues = (blk.expVariableValues as string[]).map((s) => parseNumber(s));
    let etchLevel = 0;
    let sputterTimeS: number | undefined;
    if (depthProfile && expValues.length) {
      const key = String(expValues[timeVar >= 0 ? timeVar : 0]);
      if (!levelKeys.includes(key)) levelKeys.push(key);
      etchLevel = levelKeys.indexOf(key);
    } else {
      etchLevel = etchLevelFromText(blk.blockId as string) ?? etchLevelFromText(comments) ?? 0;
    }
    if (timeVar >= 0 && Number.isFinite(expValues[timeVar])) {
      sputterTimeS = expValues[timeVar]! * (/^min$/i.test(expVars[timeVar]!.unit.trim()) ? 60 : 1);
    }
    const analysis = parseCasaComments(blk.comment as string[], spec(blk.sourceEnergy));
    if (analysis) casa[region] = analysis;
    return {
      region,
      etchLevel,
      sputterTimeS,
      energy: r.x,
      intensity: r.y,
      axis: r.axis,
      excitationEnergyEv: spec(blk.sourceEnergy),
      workFunctionEv: spec(blk.workFunction),
      line: r.line,
    };
  });

  const b0 = raw[0]?.block ?? {};
  const headerComment = (header.comment as string[]).join('\n');
  const software = /CasaXPS Version ([^\s]+)/.exec(headerComment);
  const created = /Created by ([^,\n]+?)(?:, Version ([^\s]+))?\s*$/m.exec(headerComment);
  const passEnergies = [...new Set(raw.map((r) => spec(r.block.passEnergy)).filter((v) => v !== undefined))];
  const meta: Record<string, unknown> = {
    instrument: notSpecified(header.instrumentModel as string),
    software: software ? 'CasaXPS' : created?.[1]?.trim(),
    softwareVersion: software?.[1] ?? created?.[2],
    acquisitionSoftware: created ? `${created[1]!.trim()}${created[2] ? ' ' + created[2] : ''}` : undefined,
    institution: notSpecified(header.institution as string),
    operator: notSpecified(header.operator as string),
    experimentMode: ctx.expMode,
    scanMode: ctx.scanMode,
    source: sourceLabel(b0.sourceLabel as string, spec(b0.sourceEnergy)),
    excitationEnergyEv: spec(b0.sourceEnergy),
    passEnergyEv: passEnergies.length === 1 ? passEnergies[0] : passEnergies.length ? passEnergies : undefined,
    analyserMode: b0.analyserMode,
    workFunctionEv: spec(b0.workFunction),
    samples: [...samples],
    startTime: isoTime(b0),
    headerComment: headerComment || undefined,
  };
  if (depthProfile) {
    meta.sputter = {
      energy: spec(b0.sputterEnergy),
      current: spec(b0.sputterCurrent),
      mode: b0.sputterMode,
      ionZ: b0.sputterIonZ,
      variable: expVars[timeVar >= 0 ? timeVar : 0],
    };
  }
  if (Object.keys(casa).length) meta.casaAnalysis = casa;
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  const intensityUnit = anyRate ? 'counts/s' : 'counts';
  return [buildXpsRecord({ path, spectra, meta, warnings, intensityUnit })];
}

function notSpecified(s: string | undefined): string | undefined {
  return !s || /^not specified$/i.test(s) ? undefined : s;
}

function isoTime(b: Record<string, unknown>): string | undefined {
  const y = b.year as number | undefined;
  if (!y || y < 1900) return undefined;
  const p = (v: unknown) => String(Math.trunc(Number(v))).padStart(2, '0');
  const off = Number(b.gmtOffsetHours ?? 0);
  const tz = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${p(Math.abs(off))}:00`;
  return `${y}-${p(b.month)}-${p(b.day)}T${p(b.hour)}:${p(b.minute)}:${p(b.second)}${tz}`;
}

function lineOf(lines: readonly string[], s: string): number | undefined {
  const i = lines.findIndex((l) => l.trim() === s);
  return i >= 0 ? i + 1 : undefined;
}

export const vamasFormat: FormatParser = {
  id: 'vamas',
  family: 'xps',
  kind: 'xps-spectrum',
  title: 'VAMAS ISO 14976 (.vms) — CasaXPS, Kratos, PHI, SPECS Prodigy exports',
  version: '1.0.1', // 1.0.1: CasaXPS component positions labelled kinetic, with their binding energy
  extensions: ['.vms', '.npl'],
  sniff: sniffVamas,
  parse: parseVamas,
};
