/**
 * JCAMP-DX infrared/Raman spectra (`.jdx`, `.dx`): the open IUPAC standard, JCAMP-DX 4.24 (McDonald &
 * Wilks, *Appl. Spectrosc.* 42, 151 (1988)). Labelled data records `##LABEL= value`; the spectrum is
 * `##XYDATA=(X++(Y..Y))` — each line an abscissa then ordinates, x of point i being FIRSTX + i·DELTAX
 * (DELTAX = (LASTX − FIRSTX)/(NPOINTS − 1)) and y = YFACTOR·value — or `##XYPOINTS=(XY..XY)` pairs.
 * Ordinates may be written in any ASDF form and these are all decoded:
 *   AFFN  plain numbers separated by spaces, commas or a sign (PAC);
 *   SQZ   first digit and sign as one letter: @=0, A–I = 1–9, a–i = −1…−9;
 *   DIF   difference from the previous ordinate: %=0, J–R = 1–9, j–r = −1…−9 (a line ending in DIF
 *         repeats its last ordinate as the next line's first one: the Y check, verified and dropped);
 *   DUP   repeat the previous token's action: S–Z = 1–8 … s = 9 (count includes the first).
 * Not read (typed ParseError naming the form): compound files (`##BLOCKS`), n-tuple pages
 * (`##NTUPLES`, NMR/MS), and spectra that are not IR or Raman (##DATA TYPE names another technique).
 * XUNITS 1/CM are kept; MICROMETERS and NANOMETERS (IR wavelengths) become ν̃ = 10⁴/λ(µm) = 10⁷/λ(nm).
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { buildSpectrum, techniqueFromText, type VibTechnique } from './spectrum.js';

function sniff(s: SniffInput): number {
  const t = s.headText
    .slice(0, 4096)
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart();
  if (!/##JCAMP-?DX\s*=/i.test(t)) return 0;
  return /^##TITLE\s*=/i.test(t) ? 0.95 : 0.9;
}

interface Ldr {
  readonly label: string;
  readonly value: string;
  readonly line: number;
}

/** Labels normalised as the standard says: upper case, without spaces, dashes, slashes, underscores. */
const norm = (l: string): string => l.toUpperCase().replace(/[\s\-/_]/g, '');

const SQZ_POS = '@ABCDEFGHI';
const SQZ_NEG = '\0abcdefghi'; // index = digit: a = −1 … i = −9
const DIF_POS = '%JKLMNOPQR';
const DIF_NEG = '\0jklmnopqr'; // j = −1 … r = −9
const DUP = 'STUVWXYZs';

type Tok = { readonly kind: 'abs'; readonly v: number } | { readonly kind: 'dif'; readonly v: number } | { readonly kind: 'dup'; readonly n: number };

/** One ASDF line into tokens. Throws a message (the caller adds file and line). */
export function tokenizeAsdf(line: string): Tok[] {
  const out: Tok[] = [];
  const plain = /^[\s\d.+\-eE,;]*$/.test(line);
  let i = 0;
  const n = line.length;
  const digits = (): string => {
    const s = i;
    while (i < n && /[0-9.]/.test(line[i]!)) i++;
    return line.slice(s, i);
  };
  while (i < n) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === ',' || c === ';') {
      i++;
      continue;
    }
    if (c === '$' && line[i + 1] === '$') break; // comment to end of line
    if (/[0-9.+-]/.test(c)) {
      const s = i;
      if (c === '+' || c === '-') i++;
      digits();
      if (plain && (line[i] === 'e' || line[i] === 'E') && /[+\-\d]/.test(line[i + 1] ?? '')) {
        i++;
        if (line[i] === '+' || line[i] === '-') i++;
        digits();
      }
      const txt = line.slice(s, i);
      const v = Number(txt);
      if (txt === '+' || txt === '-' || !Number.isFinite(v)) throw new Error(`bad AFFN number '${txt}'`);
      out.push({ kind: 'abs', v });
      continue;
    }
    let k: number;
    if ((k = SQZ_POS.indexOf(c)) >= 0 || (k = SQZ_NEG.indexOf(c)) >= 0) {
      const neg = SQZ_NEG.includes(c);
      i++;
      const v = Number(`${k}${digits()}`);
      out.push({ kind: 'abs', v: neg ? -v : v });
      continue;
    }
    if ((k = DIF_POS.indexOf(c)) >= 0 || (k = DIF_NEG.indexOf(c)) >= 0) {
      const neg = DIF_NEG.includes(c);
      i++;
      const v = Number(`${k}${digits()}`);
      out.push({ kind: 'dif', v: neg ? -v : v });
      continue;
    }
    if ((k = DUP.indexOf(c)) >= 0) {
      i++;
      const rest = digits();
      const cnt = Number(`${k + 1}${rest}`);
      if (!Number.isInteger(cnt) || cnt < 1) throw new Error(`bad DUP count at '${c}${rest}'`);
      out.push({ kind: 'dup', n: cnt });
      continue;
    }
    if (c === '?') throw new Error("'?' (missing ordinate) is not supported");
    throw new Error(`character '${c}' is not AFFN, SQZ, DIF or DUP`);
  }
  return out;
}

/** Expand tokens into values; `endsInDif` says whether the line's last action was a difference. */
export function expandAsdf(toks: readonly Tok[]): { values: number[]; endsInDif: boolean } {
  const values: number[] = [];
  let last: Exclude<Tok, { kind: 'dup' }> | null = null;
  for (const t of toks) {
    if (t.kind === 'abs') values.push(t.v);
    else if (t.kind === 'dif') {
      if (!values.length) throw new Error('a DIF value with no ordinate before it');
      values.push(values[values.length - 1]! + t.v);
    } else {
      const prev = last;
      if (!prev) throw new Error('a DUP count with nothing to repeat');
      for (let r = 1; r < t.n; r++) values.push(prev.kind === 'abs' ? prev.v : values[values.length - 1]! + prev.v);
      continue;
    }
    last = t;
  }
  return { values, endsInDif: last?.kind === 'dif' };
}

function parse(input: ParseInput): ParsedRecord[] {
  const { path, bytes } = input;
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', message: 'file is empty' });
  const lines = splitLines(decodeText(bytes).text);
  const ldrs: Ldr[] = [];
  const dataLines = new Map<number, { start: number; end: number }>();
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*##([^=]*)=(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const label = norm(m[1]!);
    ldrs.push({ label, value: m[2]!.replace(/\$\$.*$/, '').trim(), line: i + 1 });
    if (label === 'XYDATA' || label === 'XYPOINTS' || label === 'PEAKTABLE') {
      let j = i + 1;
      while (j < lines.length && !/^\s*##/.test(lines[j]!)) j++;
      dataLines.set(ldrs.length - 1, { start: i + 1, end: j });
    }
  }
  const get = (l: string): Ldr | undefined => ldrs.find((d) => d.label === l);
  const jv = get('JCAMPDX');
  if (!jv)
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: 'no ##JCAMP-DX= record',
      expected: '##JCAMP-DX=4.24',
      found: lines[0]?.slice(0, 60) ?? '',
    });
  const blocks = get('BLOCKS');
  if (blocks)
    throw new ParseError({
      file: path,
      code: 'unsupported-version',
      line: blocks.line,
      message: `compound JCAMP-DX file (##BLOCKS=${blocks.value}) is not read: export one spectrum per file`,
      expected: 'one spectrum block',
      found: `##BLOCKS=${blocks.value}`,
    });
  const nt = get('NTUPLES');
  if (nt)
    throw new ParseError({
      file: path,
      code: 'unsupported-version',
      line: nt.line,
      message: `JCAMP-DX n-tuple form (##NTUPLES=${nt.value}, used for NMR/MS pages) is not read`,
      expected: '##XYDATA=(X++(Y..Y)) or ##XYPOINTS=(XY..XY)',
      found: `##NTUPLES=${nt.value}`,
    });
  const dt = get('DATATYPE')?.value ?? '';
  let technique: VibTechnique | null = techniqueFromText(dt);
  if (dt && !technique)
    throw new ParseError({
      file: path,
      code: 'not-this-kind',
      line: get('DATATYPE')!.line,
      message: `##DATA TYPE=${dt}: not an infrared or Raman spectrum`,
      expected: 'INFRARED SPECTRUM or RAMAN SPECTRUM',
      found: dt,
    });
  const title = get('TITLE')?.value ?? '';
  if (!technique) technique = techniqueFromText(title) ?? techniqueFromText(get('SPECTROMETERDATASYSTEM')?.value);
  const idx = ldrs.findIndex((d) => d.label === 'XYDATA' || d.label === 'XYPOINTS');
  if (idx < 0) {
    const pk = get('PEAKTABLE');
    throw new ParseError({
      file: path,
      code: 'missing-column',
      line: pk?.line ?? ldrs[ldrs.length - 1]?.line,
      message: pk ? 'only a ##PEAK TABLE (peak list), no spectrum' : 'no ##XYDATA or ##XYPOINTS record',
      expected: '##XYDATA=(X++(Y..Y))',
      found: pk ? '##PEAK TABLE' : 'none',
    });
  }
  const d = ldrs[idx]!;
  const span = dataLines.get(idx)!;
  const num = (l: string): number | undefined => {
    const v = get(l)?.value;
    if (v === undefined || v === '') return undefined;
    const x = Number(v);
    if (!Number.isFinite(x))
      throw new ParseError({
        file: path,
        code: 'bad-number',
        line: get(l)!.line,
        column: `##${l}`,
        message: `##${l} is not a number`,
        expected: 'a number',
        found: v,
      });
    return x;
  };
  const xf = num('XFACTOR') ?? 1;
  const yf = num('YFACTOR') ?? 1;
  const warnings: ParseWarning[] = [];
  let x: number[] = [];
  const y: number[] = [];
  const form = d.value.replace(/\s/g, '').toUpperCase();
  if (d.label === 'XYPOINTS') {
    if (!/^\(XY\.\.XY\)$/.test(form))
      throw new ParseError({
        file: path,
        code: 'unsupported-version',
        line: d.line,
        message: `##XYPOINTS=${d.value}: only (XY..XY) is read`,
        expected: '(XY..XY)',
        found: d.value,
      });
    for (let i = span.start; i < span.end; i++) {
      const l = lines[i]!.replace(/\$\$.*$/, '').trim();
      if (!l) continue;
      for (const pair of l
        .split(/;|\s{2,}|\t/)
        .map((p) => p.trim())
        .filter(Boolean)) {
        const f = pair.split(/[,\s]+/);
        if (f.length !== 2 || !f.every((v) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)))
          throw new ParseError({
            file: path,
            code: 'bad-number',
            line: i + 1,
            message: 'an (XY..XY) pair is not two numbers',
            expected: 'x, y',
            found: pair.slice(0, 40),
          });
        x.push(Number(f[0]) * xf);
        y.push(Number(f[1]) * yf);
      }
    }
  } else {
    if (!/^\(X\+\+\(Y\.\.Y\)\)$/.test(form))
      throw new ParseError({
        file: path,
        code: 'unsupported-version',
        line: d.line,
        message: `##XYDATA=${d.value}: only (X++(Y..Y)) is read`,
        expected: '(X++(Y..Y))',
        found: d.value,
      });
    const n = num('NPOINTS');
    const first = num('FIRSTX');
    const lastX = num('LASTX');
    if (n === undefined || first === undefined || lastX === undefined) {
      const miss = ['NPOINTS', 'FIRSTX', 'LASTX'].filter((l) => get(l) === undefined);
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: d.line,
        message: `##XYDATA needs ##${miss.join(', ##')}`,
        expected: '##FIRSTX, ##LASTX, ##NPOINTS',
        found: 'missing',
      });
    }
    if (!Number.isInteger(n) || n < 2 || n > 1e8)
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: get('NPOINTS')!.line,
        message: `##NPOINTS=${n} is not a usable point count`,
        expected: 'an integer ≥ 2',
        found: String(n),
      });
    let prevDif = false;
    for (let i = span.start; i < span.end; i++) {
      const raw = lines[i]!;
      if (!raw.trim()) continue;
      let toks: Tok[];
      let ex: { values: number[]; endsInDif: boolean };
      try {
        toks = tokenizeAsdf(raw);
        if (!toks.length) continue;
        if (toks[0]!.kind !== 'abs') throw new Error('line does not start with an abscissa');
        ex = expandAsdf(toks.slice(1));
      } catch (e) {
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: i + 1,
          message: `XYDATA line: ${(e as Error).message}`,
          expected: 'AFFN, SQZ, DIF or DUP ordinates',
          found: raw.trim().slice(0, 60),
        });
      }
      let vals = ex.values;
      if (prevDif && vals.length && y.length) {
        // Y check value: a DIF line's last ordinate repeated as this line's first
        if (Math.abs(vals[0]! * yf - y[y.length - 1]!) > 1e-9 * Math.max(1, Math.abs(y[y.length - 1]!)))
          throw new ParseError({
            file: path,
            code: 'invalid',
            line: i + 1,
            message: `DIF Y check failed: line starts with ${vals[0]} but the previous line ended at ${y[y.length - 1]! / yf}`,
            expected: String(y[y.length - 1]! / yf),
            found: String(vals[0]),
          });
        vals = vals.slice(1);
      }
      for (const v of vals) y.push(v * yf);
      prevDif = ex.endsInDif;
      if (y.length > n)
        throw new ParseError({
          file: path,
          code: 'invalid',
          line: i + 1,
          message: `more ordinates than ##NPOINTS=${n}`,
          expected: `${n} points`,
          found: `${y.length}+`,
        });
    }
    if (y.length < n)
      throw new ParseError({
        file: path,
        code: 'truncated',
        line: span.end,
        message: `##NPOINTS=${n} but ${y.length} ordinates were found`,
        expected: `${n} points`,
        found: String(y.length),
      });
    const step = (lastX - first) / (n - 1);
    x = Array.from({ length: n }, (_, i) => first + i * step);
    void xf; // FIRSTX/LASTX are already in XUNITS (XFACTOR scales only the per-line abscissae)
  }
  const xu = (get('XUNITS')?.value ?? '').toUpperCase().replace(/\s/g, '');
  if (xu === 'MICROMETERS' || xu === 'NANOMETERS') {
    if (technique === 'raman')
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: get('XUNITS')!.line,
        message: `a Raman spectrum in ${xu} needs the laser wavelength to give a Raman shift`,
        expected: '##XUNITS=1/CM',
        found: xu,
      });
    const k = xu === 'MICROMETERS' ? 1e4 : 1e7;
    if (x.some((v) => !(v > 0)))
      throw new ParseError({
        file: path,
        code: 'invalid',
        line: get('XUNITS')!.line,
        message: 'a wavelength ≤ 0 cannot be converted to a wavenumber',
        expected: 'wavelengths > 0',
        found: String(x.find((v) => !(v > 0))),
      });
    x = x.map((v) => k / v);
    warnings.push({ code: 'unit-converted', message: `abscissa in ${xu} converted to wavenumber (cm-1)` });
  } else if (xu && xu !== '1/CM' && xu !== 'CM-1' && xu !== 'CM^-1') {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: get('XUNITS')!.line,
      message: `##XUNITS=${get('XUNITS')!.value} is not a wavenumber or IR wavelength unit`,
      expected: '1/CM, MICROMETERS or NANOMETERS',
      found: get('XUNITS')!.value,
    });
  } else if (!xu) warnings.push({ code: 'assumed-unit', message: 'no ##XUNITS: abscissa read as cm-1' });
  const yuRaw = (get('YUNITS')?.value ?? '').trim();
  const yu = yuRaw.toUpperCase();
  const yUnit = /ABSORBANCE/.test(yu)
    ? 'absorbance'
    : /TRANSMITTANCE/.test(yu)
      ? 'transmittance'
      : /REFLECTANCE/.test(yu)
        ? 'reflectance'
        : /KUBELKA/.test(yu)
          ? 'Kubelka-Munk'
          : /COUNT/.test(yu)
            ? 'counts'
            : /ARBITRARY|^A\.?U\.?$/.test(yu) || !yu
              ? 'a.u.'
              : yuRaw.toLowerCase();
  const meta: Record<string, unknown> = {
    title,
    software: get('ORIGIN')?.value || undefined,
    jcampVersion: jv.value,
    dataType: dt || undefined,
    instrument: get('SPECTROMETERDATASYSTEM')?.value || undefined,
    owner: get('OWNER')?.value || undefined,
    asdfForm: d.label === 'XYPOINTS' ? 'XYPOINTS' : 'XYDATA',
  };
  const date = get('LONGDATE')?.value;
  if (date) meta.startTime = date;
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  return [buildSpectrum(path, x, y, yUnit, meta, warnings, technique, path.split(/[\\/]/).pop() ?? path)];
}

export const jcampDx: FormatParser = {
  id: 'jcamp-dx',
  family: 'vibrational',
  kind: 'vibrational-spectrum',
  title: 'JCAMP-DX IR/Raman spectrum (AFFN, SQZ, DIF, DUP; XYDATA or XYPOINTS)',
  version: '1.0.0',
  extensions: ['.jdx', '.dx', '.jcamp'],
  sniff,
  parse,
};
