/**
 * ToF-SIMS ion images exported as text (2D or 3D). No public real export exists, so this reader accepts
 * the layouts documented precisely in docs/tofsims.md ("Accepted image layouts"):
 *
 *  - MATRIX: per ion, one text row per image row (y), one number per pixel (x), separated by spaces/tabs,
 *    or by tab, ',' or ';' (one delimiter per file, decided by the first data line). `# Ion: <name>` starts an ion, `# Mass: <u>` gives its
 *    mass, `# Slice: <n>` or a blank line starts the next slice of a 3D stack. Without any `# Ion:` line
 *    the file holds one ion named after the file (see `ionFromFileName`).
 *  - TABLE: a header row naming x, y, optional z/slice, then one counts column per ion ("generic CSV");
 *    a single generic counts column (`counts`, `intensity`) takes the ion name as in MATRIX. Headerless
 *    `x y [z] counts` rows that form a complete pixel grid are read as this layout too.
 *  - SINGLE-ION export (IONTOF SurfaceLab's usual way: one file per ion), either layout under a header like
 *    `# Image: LiF_2-, negative ions`, `# Field of view (µm): 500 x 500`, `# Pixels: 128 x 128`, `# Scans: 50`.
 *    Ion, polarity and field of view fall back to the file name (`C07_neg_LiF2-_500um.txt`; image-names.ts),
 *    else a warning. Such records are paired per cell at the campaign level (src/derived/sims-pairs.ts).
 *
 * Output: one 'sims-image' record; columns X, Y, Slice (pixel indices) and one counts column per ion,
 * flattened row-major within a slice and slice-major across slices: index = (z·H + y)·W + x.
 * meta = {width, height, slices, ions, masses, layout, origin, polarity, fovUm, fovHeightUm, pixelUm,
 * fovSource, scans, header}; single-ion records add ionSource and ionInFileName (the pairing key).
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { Column, ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { SIMS } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { parseNumberBytes } from '../text/table.js';
import { polarityOf } from './ions.js';
import { Growing } from '../../src/records/growing.js';
import { fileStem, fovOfName, ionTokens, lastStemPart, lengthUnitUm, parseExtent, polarityOfName, polarityWord, type ImagePolarity } from './image-names.js';

type HeaderRole = 'ion' | 'mass' | 'slice' | 'width' | 'height' | 'slices' | 'meta' | 'fov' | 'size' | 'pixels' | 'scans' | 'pixelsize' | 'polarity';

/**
 * Recognised `# Key: value` header keys (lower case, a bracketed unit removed: `Field of view (µm)` →
 * `field of view`) → role. Anything else is warned about by name. The acquisition keys (fov, size,
 * pixels, scans, pixel size, polarity) are also kept in meta.header as written.
 */
const HEADER_ROLES: Readonly<Record<string, HeaderRole>> = {
  ion: 'ion',
  species: 'ion',
  peak: 'ion',
  image: 'ion',
  name: 'ion',
  'ion image': 'ion',
  'secondary ion': 'ion',
  mass: 'mass',
  'm/z': 'mass',
  slice: 'slice',
  scan: 'slice',
  layer: 'slice',
  plane: 'slice',
  z: 'slice',
  width: 'width',
  height: 'height',
  slices: 'slices',
  'field of view': 'fov',
  fov: 'fov',
  'field-of-view': 'fov',
  'analysis area': 'fov',
  'scan area': 'fov',
  'image size': 'size',
  size: 'size',
  raster: 'size',
  'raster size': 'size',
  'image area': 'size',
  pixels: 'pixels',
  pixel: 'pixels',
  'pixel count': 'pixels',
  'number of pixels': 'pixels',
  'no. of pixels': 'pixels',
  resolution: 'pixels',
  'image resolution': 'pixels',
  'pixels per side': 'pixels',
  'image pixels': 'pixels',
  scans: 'scans',
  'number of scans': 'scans',
  'no. of scans': 'scans',
  'nb of scans': 'scans',
  'scan count': 'scans',
  'total scans': 'scans',
  'scans summed': 'scans',
  'summed scans': 'scans',
  'pixel size': 'pixelsize',
  'pixel width': 'pixelsize',
  polarity: 'polarity',
  'ion polarity': 'polarity',
  'primary ion': 'meta',
  instrument: 'meta',
  software: 'meta',
  sample: 'meta',
  date: 'meta',
  'total dose': 'meta',
};

/** Header key and the unit written in brackets after it: `Field of view (µm)` → ['field of view', 'µm']. */
function splitKey(raw: string): [string, string] {
  if (raw.length > 128) return [raw.toLowerCase(), ''];
  const m = /^(.*?)\s*[([]\s*([^)\]]*)\s*[)\]]\s*$/.exec(raw);
  const key = (m ? m[1]! : raw).trim().toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '');
  return [key, m ? m[2]!.trim() : ''];
}

/**
 * `# Image: LiF_2-, negative ions` → ion `LiF_2-`, polarity negative. The ion is the value up to the
 * first `,` `;` `(` or ` - `; what follows may name the polarity.
 */
function splitIonValue(v: string): { ion: string; polarity?: ImagePolarity } {
  const m = /^(.*?)(?:\s*[,;(]\s*|\s+-\s+)(.*)$/.exec(v);
  if (!m || !m[1]) return { ion: v.trim() };
  return { ion: m[1].trim(), polarity: polarityWord(m[2]!) };
}

/** What the header says about the acquisition (all optional; the file name fills gaps later). */
interface Acquisition {
  fov?: { x: number; y: number; line: number };
  pixels?: { x: number; y: number; line: number };
  pixelSize?: { x: number; y: number; line: number };
  scans?: number;
  polarity?: { value: ImagePolarity; line: number; from: string };
  /** The header named the ion (`# Ion:` / `# Image:`). */
  ionFromHeader?: string;
}

/** Read one acquisition header line into `acq`; a malformed value is a ParseError naming the line. */
function readAcquisitionHeader(
  acq: Acquisition,
  role: HeaderRole,
  rawKey: string,
  keyUnit: string,
  value: string,
  line: number,
  path: string,
  warnings: ParseWarning[],
): void {
  const bad = (expected: string): never => {
    throw new ParseError({ file: path, code: 'bad-header', line, message: `header '${rawKey}' cannot be read`, expected, found: value || '(empty)' });
  };
  if (role === 'polarity') {
    const p = polarityWord(value);
    if (p) acq.polarity = { value: p, line, from: `header '${rawKey}'` };
    return;
  }
  if (role === 'scans') {
    const n = Number(/^\s*(\d+)\b/.exec(value)?.[1]);
    if (!Number.isInteger(n) || n <= 0) bad('a positive whole number of scans');
    acq.scans = n;
    return;
  }
  const e = parseExtent(value);
  if (!e && role === 'size') {
    // `Image size` may be pixels or a length: an unreadable one is kept, not fatal.
    warnings.push({ code: 'unread-header', message: `header '${rawKey}: ${value}' is neither pixels nor a length; kept in meta.header only`, line });
    return;
  }
  if (!e) bad(role === 'pixels' ? 'pixels as `128` or `128 x 128`' : 'a length, e.g. `500 µm` or `500 x 500 µm`');
  const ext = e!;
  const unit = ext.unit || keyUnit;
  const k = lengthUnitUm(unit);
  const isPixels = /^(pixels?|px|pix)$/i.test(unit);
  if (role === 'size' && k === undefined && !(Number.isInteger(ext.x) && Number.isInteger(ext.y))) {
    warnings.push({
      code: 'unread-header',
      message: `header '${rawKey}: ${value}' is neither whole pixels nor a length in µm/mm/nm; kept in meta.header only`,
      line,
    });
    return;
  }
  if (role === 'pixels' || (role === 'size' && k === undefined)) {
    if (!(Number.isInteger(ext.x) && Number.isInteger(ext.y))) bad('whole numbers of pixels');
    acq.pixels = { x: ext.x, y: ext.y, line };
    return;
  }
  if (isPixels) bad('a length in µm, mm or nm');
  let um = k;
  if (um === undefined) {
    if (unit) bad('a length in µm, mm or nm');
    // IONTOF states the field of view in µm; a bare number is read so, and said so.
    um = 1;
    warnings.push({ code: 'fov-unit-assumed', message: `header '${rawKey}' gives no unit: ${value} read as µm`, line });
  }
  const v = { x: ext.x * um, y: ext.y * um, line };
  if (role === 'pixelsize') acq.pixelSize = v;
  else acq.fov = v;
}

/** Table-layout header names (whole header, unit part in brackets ignored). */
const X_NAMES = /^(x|col|column|i)$/i;
const Y_NAMES = /^(y|row|j)$/i;
const Z_NAMES = /^(z|slice|scan|layer|plane|k)$/i;
const GENERIC_COUNTS = /^(counts?|intensity|total counts|value|signal)$/i;

const LF = 10;
const CR = 13;
const SP = 32;
const TAB = 9;
const HASH = 35;
const utf8 = new TextDecoder('utf-8');

/**
 * Ion name from a file name: its last signed ion formula (`C07_neg_LiF2-_500um.txt` → `LiF2-`,
 * `C07-CH2--image.txt` → `CH2-`, `x - LiF_2-.txt` → `LiF_2-`), else the stem after its last separator
 * (space, `__`, `@`, ` - `), e.g. `cell3 LiF2-.txt` → `LiF2-`, `LiO-.txt` → `LiO-`.
 */
export function ionFromFileName(path: string): string {
  const t = ionTokens(fileStem(path));
  return t.length ? t[t.length - 1]!.token : lastStemPart(path);
}

/** The ion a single-ion file holds when no header names it, and where that came from. */
interface FallbackIon {
  readonly name: string;
  readonly source: 'option' | 'file name' | 'file stem';
}

function fallbackIonOf(path: string, opts: Readonly<Record<string, unknown>>): FallbackIon {
  if (typeof opts.ion === 'string' && opts.ion) return { name: opts.ion, source: 'option' };
  const t = ionTokens(fileStem(path));
  if (t.length) return { name: t[t.length - 1]!.token, source: 'file name' };
  return { name: lastStemPart(path), source: 'file stem' };
}

function stripUnit(h: string): string {
  // Long fields are not headers with units; the regex is quadratic on bracket runs (fuzz regression).
  return h.length > 256 ? h.trim() : h.replace(/\s*[([][^)\]]*[)\]]\s*$/, '').trim();
}

interface Line {
  readonly start: number;
  readonly end: number;
  readonly no: number;
}

function* linesOf(b: Uint8Array): Generator<Line> {
  let pos = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  let no = 1;
  while (pos < b.length) {
    let e = pos;
    while (e < b.length && b[e] !== LF && b[e] !== CR) e++;
    yield { start: pos, end: e, no };
    pos = e < b.length && b[e] === CR && b[e + 1] === LF ? e + 2 : e + 1;
    no++;
  }
}

function isBlank(b: Uint8Array, l: Line): boolean {
  for (let i = l.start; i < l.end; i++) if (b[i] !== SP && b[i] !== TAB) return false;
  return true;
}

function firstByte(b: Uint8Array, l: Line): number {
  let i = l.start;
  while (i < l.end && (b[i] === SP || b[i] === TAB)) i++;
  return i < l.end ? b[i]! : -1;
}

/** Split a data line into numbers. `delim` is the ',' / ';' / tab code, or -1 for runs of spaces. */
function tokenize(b: Uint8Array, l: Line, delim: number, out: number[], path: string): void {
  out.length = 0;
  let i = l.start;
  if (delim < 0) {
    while (i < l.end) {
      while (i < l.end && (b[i] === SP || b[i] === TAB)) i++;
      if (i >= l.end) break;
      const s = i;
      while (i < l.end && b[i] !== SP && b[i] !== TAB) i++;
      out.push(num(b, s, i, l, path, out.length));
    }
    return;
  }
  let s = i;
  for (; i <= l.end; i++) {
    if (i === l.end || b[i] === delim) {
      // A trailing delimiter at the end of a row is tolerated.
      if (i === l.end && out.length > 0 && isEmpty(b, s, i)) break;
      out.push(num(b, s, i, l, path, out.length));
      s = i + 1;
    }
  }
}

function isEmpty(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== SP && b[i] !== TAB) return false;
  return true;
}

function num(b: Uint8Array, s: number, e: number, l: Line, path: string, field: number): number {
  const v = parseNumberBytes(b, s, e, 46);
  if (!Number.isFinite(v)) {
    throw new ParseError({
      file: path,
      code: 'bad-number',
      line: l.no,
      message: `field ${field + 1} is not a finite number`,
      expected: 'a count',
      found: utf8.decode(b.subarray(s, e)).trim() || '(empty)',
    });
  }
  return v;
}

function detectDelim(b: Uint8Array, l: Line): number {
  let comma = false;
  let semi = false;
  let tab = false;
  for (let i = l.start; i < l.end; i++) {
    if (b[i] === 44) comma = true;
    else if (b[i] === 59) semi = true;
    else if (b[i] === TAB) tab = true;
  }
  return semi ? 59 : comma ? 44 : tab ? TAB : -1;
}

function lineText(b: Uint8Array, l: Line): string {
  return utf8.decode(b.subarray(l.start, l.end));
}

interface IonBlock {
  name: string;
  mass?: number;
  line: number;
  values: Growing;
  /** Rows per completed slice, and the line each slice started on. */
  sliceRows: number[];
  sliceLines: number[];
  rowsInSlice: number;
  sliceStart: number;
}

interface Declared {
  width?: number;
  height?: number;
  slices?: number;
}

function headerKeyValue(text: string): [string, string] | null {
  const t = text.replace(/^\s*#\s*/, '');
  const i = t.indexOf(':');
  if (i <= 0) return null;
  return [t.slice(0, i).trim(), t.slice(i + 1).trim()];
}

/** Header keys that, over numeric rows, say "ion image" (narrower than the parse roles: `size`, `resolution` are too common elsewhere). */
const SNIFF_ACQ_KEYS = /^(field of view|fov|field-of-view|pixels|number of pixels|pixel count|pixels per side|image pixels|pixel size)$/;
const IMAGE_KEYS = /^(image|ion image|secondary ion)$/;

function sniff(s: SniffInput): number {
  const t = s.headText;
  if (/^[^\S\r\n]*#\s*(ion|species)\s*:/im.test(t)) return 0.9; // not ^\s*: quadratic on blank-line runs (fuzz regression)
  const lines = t.split(/\r?\n/, 4000);
  let imageKey = false;
  let acqKey = false;
  let first: string | undefined;
  let dataLines = 0;
  const data: string[] = [];
  for (const l of lines) {
    const tl = l.trim();
    if (tl === '') continue;
    if (tl.startsWith('#')) {
      if (first !== undefined) continue;
      const kv = headerKeyValue(tl);
      if (!kv) continue;
      const [key] = splitKey(kv[0]);
      if (IMAGE_KEYS.test(key)) imageKey = true;
      else if (SNIFF_ACQ_KEYS.test(key)) acqKey = true;
      continue;
    }
    if (first === undefined) first = tl;
    if (data.length < 32) data.push(tl);
    if (++dataLines >= 32) break;
  }
  if (!first) return 0;
  const numeric = (l: string): boolean => /^[\d\s.,;eE+-]+$/.test(l);
  const fieldsOf = (l: string): number => l.split(/[\s,;]+/).length;
  // A SurfaceLab single-ion export: `# Image: LiF_2-, negative ions` (or field of view / pixels) over counts.
  if (numeric(first) && imageKey && fieldsOf(first) >= 2) return 0.9;
  if (numeric(first) && acqKey && fieldsOf(first) >= 3) return 0.8;
  const fields = first.split(/[\s,;]+/).map(stripUnit);
  const hasX = fields.some((f) => X_NAMES.test(f));
  const hasY = fields.some((f) => Y_NAMES.test(f));
  if (hasX && hasY && fields.length >= 3) return imageKey || acqKey ? 0.85 : 0.7;
  // A bare numeric matrix (or x y counts list) is too generic to claim, unless the file name names an ion.
  if (data.length >= 8 && data.every(numeric)) {
    const counts = data.map(fieldsOf);
    const uniform = counts.every((c) => c === counts[0]);
    const ionInName = ionTokens(fileStem(s.name)).length > 0;
    if (uniform && counts[0]! >= 8) return ionInName ? 0.6 : 0.3;
    if (uniform && (counts[0] === 3 || counts[0] === 4) && data.length >= 16 && ionInName) return 0.6;
  }
  return 0;
}

/** Headerless `x y [z] counts` rows (the IONTOF tomography export) rather than a 3- or 4-pixel-wide matrix. */
function looksLikeTriplets(bytes: Uint8Array, firstData: Line): string[] | null {
  const delim = detectDelim(bytes, firstData);
  const row: number[] = [];
  let fields = -1;
  let n = 0;
  const seen = new Set<string>();
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const l of linesOf(bytes)) {
    if (l.no < firstData.no || isBlank(bytes, l) || firstByte(bytes, l) === HASH) continue;
    try {
      tokenize(bytes, l, delim, row, '');
    } catch {
      return null;
    }
    if (fields < 0) {
      fields = row.length;
      if (fields !== 3 && fields !== 4) return null;
    } else if (row.length !== fields) return null;
    for (let k = 0; k < fields - 1; k++) {
      const c = row[k]!;
      if (!Number.isInteger(c) || c < 0) return null;
      if (c < lo[k]!) lo[k] = c;
      if (c > hi[k]!) hi[k] = c;
    }
    const key = row.slice(0, fields - 1).join(',');
    if (seen.has(key)) return null;
    seen.add(key);
    n++;
  }
  if (n < 16) return null;
  let grid = 1;
  for (let k = 0; k < fields - 1; k++) grid *= hi[k]! - lo[k]! + 1;
  // Only a complete grid proves the first columns are coordinates.
  if (grid !== n) return null;
  return fields === 3 ? ['x', 'y', 'counts'] : ['x', 'y', 'z', 'counts'];
}

function parse(input: ParseInput): ParsedRecord[] {
  const { path, bytes } = input;
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', message: 'file is empty' });
  // Decide the layout from the first non-comment, non-blank line.
  let firstData: Line | undefined;
  for (const l of linesOf(bytes)) {
    if (isBlank(bytes, l) || firstByte(bytes, l) === HASH) continue;
    firstData = l;
    break;
  }
  if (!firstData)
    throw new ParseError({
      file: path,
      code: 'no-data',
      line: 1,
      message: 'no data lines',
      expected: 'a matrix of counts or an x/y/counts table',
      found: 'only comments',
    });
  const firstText = lineText(bytes, firstData);
  const isTable = /[A-Za-z_]/.test(firstText.replace(/[eE][+-]?\d/g, '').replace(/\b(nan|inf)\b/gi, ''));
  const fallback = fallbackIonOf(path, input.options ?? {});
  if (isTable) return [parseTable(bytes, path, firstData, fallback)];
  const triplets = looksLikeTriplets(bytes, firstData);
  return triplets ? [parseTable(bytes, path, firstData, fallback, triplets)] : [parseMatrix(bytes, path, fallback)];
}

function parseMatrix(bytes: Uint8Array, path: string, fallback: FallbackIon): ParsedRecord {
  const warnings: ParseWarning[] = [];
  const header: Record<string, string> = {};
  const acq: Acquisition = {};
  const declared: Declared = {};
  const blocks: IonBlock[] = [];
  let current: IonBlock | undefined;
  let pendingMass: number | undefined;
  let width = -1;
  let widthLine = 0;
  let delim: number | undefined;
  let sawIonHeader = false;
  const row: number[] = [];
  const warnedKeys = new Set<string>();

  const closeSlice = (endLine: number): void => {
    if (!current || current.rowsInSlice === 0) return;
    current.sliceRows.push(current.rowsInSlice);
    current.sliceLines.push(current.sliceStart);
    current.rowsInSlice = 0;
    void endLine;
  };
  const newIon = (name: string, line: number): void => {
    closeSlice(line);
    current = { name, line, values: new Growing(1024), sliceRows: [], sliceLines: [], rowsInSlice: 0, sliceStart: line };
    if (pendingMass !== undefined) {
      current.mass = pendingMass;
      pendingMass = undefined;
    }
    blocks.push(current);
  };

  for (const l of linesOf(bytes)) {
    if (isBlank(bytes, l)) {
      closeSlice(l.no);
      continue;
    }
    if (firstByte(bytes, l) === HASH) {
      const text = lineText(bytes, l);
      const kv = headerKeyValue(text);
      if (!kv) continue;
      const [key, keyUnit] = splitKey(kv[0]);
      const role = HEADER_ROLES[key];
      if (role === 'ion') {
        const named = splitIonValue(kv[1]);
        if (!named.ion)
          throw new ParseError({ file: path, code: 'bad-header', line: l.no, message: 'ion header without a name', expected: '# Ion: <name>', found: text });
        if (!sawIonHeader && blocks.length > 0 && blocks[0]!.values.n > 0) {
          throw new ParseError({
            file: path,
            code: 'bad-header',
            line: l.no,
            message: 'data appear before the first "# Ion:" line',
            expected: 'every ion block to start with "# Ion: <name>"',
            found: `data from line ${blocks[0]!.line}`,
          });
        }
        if (!sawIonHeader) blocks.length = 0;
        sawIonHeader = true;
        if (named.polarity && !acq.polarity) acq.polarity = { value: named.polarity, line: l.no, from: `header '${kv[0]}'` };
        acq.ionFromHeader ??= named.ion;
        newIon(named.ion, l.no);
      } else if (role === 'mass') {
        const m = Number(kv[1].replace(/\s*u$/i, ''));
        if (!Number.isFinite(m))
          throw new ParseError({ file: path, code: 'bad-number', line: l.no, message: 'mass is not a number', expected: 'a mass in u', found: kv[1] });
        if (current && current.values.n === 0) current.mass = m;
        else pendingMass = m;
      } else if (role === 'slice') {
        closeSlice(l.no);
        if (current) current.sliceStart = l.no + 1;
      } else if (role === 'width' || role === 'height' || role === 'slices') {
        const v = Number(kv[1]);
        if (!Number.isInteger(v) || v <= 0)
          throw new ParseError({
            file: path,
            code: 'bad-number',
            line: l.no,
            message: `${kv[0]} is not a positive integer`,
            expected: 'a positive integer',
            found: kv[1],
          });
        declared[role] = v;
      } else if (role === 'meta') {
        header[kv[0]] = kv[1];
      } else if (role) {
        header[kv[0]] = kv[1];
        readAcquisitionHeader(acq, role, kv[0], keyUnit, kv[1], l.no, path, warnings);
      } else {
        header[kv[0]] = kv[1];
        if (!warnedKeys.has(key)) {
          warnedKeys.add(key);
          warnings.push({ code: 'unknown-header-key', message: `header key '${kv[0]}' is not one we know; kept in meta.header`, line: l.no });
        }
      }
      continue;
    }
    if (delim === undefined) delim = detectDelim(bytes, l);
    tokenize(bytes, l, delim, row, path);
    if (!current) newIon(fallback.name, l.no);
    const cur = current!;
    if (cur.rowsInSlice === 0) cur.sliceStart = l.no;
    if (width < 0) {
      width = row.length;
      widthLine = l.no;
    } else if (row.length !== width) {
      throw new ParseError({
        file: path,
        code: 'ragged-row',
        line: l.no,
        message: `image row has ${row.length} pixels but line ${widthLine} has ${width}`,
        expected: `${width} values`,
        found: `${row.length} values`,
      });
    }
    for (let k = 0; k < row.length; k++) {
      const v = row[k]!;
      if (v < 0)
        throw new ParseError({
          file: path,
          code: 'invalid',
          line: l.no,
          column: cur.name,
          message: `negative count at x=${k}`,
          expected: 'counts ≥ 0',
          found: String(v),
        });
      cur.values.push(v);
    }
    cur.rowsInSlice++;
  }
  closeSlice(Number.MAX_SAFE_INTEGER);
  const ions = blocks.filter((b) => b.values.n > 0);
  if (ions.length === 0) throw new ParseError({ file: path, code: 'no-data', line: 1, message: 'no image data', expected: 'rows of counts', found: 'none' });
  for (const b of blocks) {
    if (b.values.n === 0) warnings.push({ code: 'empty-ion-block', message: `ion '${b.name}' (line ${b.line}) has no data and was dropped`, line: b.line });
  }
  const height = ions[0]!.sliceRows[0]!;
  const slices = ions[0]!.sliceRows.length;
  for (const b of ions) {
    for (let s = 0; s < b.sliceRows.length; s++) {
      if (b.sliceRows[s] !== height) {
        throw new ParseError({
          file: path,
          code: 'ragged-row',
          line: b.sliceLines[s],
          column: b.name,
          message: `slice ${s + 1} of ion '${b.name}' has ${b.sliceRows[s]} rows, the first slice has ${height}`,
          expected: `${height} rows`,
          found: `${b.sliceRows[s]} rows`,
        });
      }
    }
    if (b.sliceRows.length !== slices) {
      throw new ParseError({
        file: path,
        code: 'ragged-row',
        line: b.line,
        column: b.name,
        message: `ion '${b.name}' has ${b.sliceRows.length} slices, ion '${ions[0]!.name}' has ${slices}`,
        expected: `${slices} slices`,
        found: `${b.sliceRows.length} slices`,
      });
    }
  }
  checkDeclared(path, declared, width, height, slices);
  checkPixels(path, acq, width, height);
  const named = sawIonHeader ? null : fallback;
  return buildRecord(
    path,
    ions.map((b) => ({ name: b.name, mass: b.mass, values: b.values.f64(), line: b.line })),
    width,
    height,
    slices,
    'matrix',
    { x: 0, y: 0, z: 0 },
    header,
    warnings,
    acq,
    named,
  );
}

/** `# Pixels: 128 x 128` must agree with the data (x = columns, y = rows). */
function checkPixels(path: string, acq: Acquisition, w: number, h: number): void {
  const p = acq.pixels;
  if (p && (p.x !== w || p.y !== h)) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      line: p.line,
      message: `header says ${p.x} × ${p.y} pixels but the data have ${w} × ${h}`,
      expected: `${p.x} × ${p.y} pixels`,
      found: `${w} × ${h}`,
    });
  }
}

/** Same ion label up to SurfaceLab subscripts, spaces and Unicode signs (`LiF_2-` = `LiF2-` = `LiF₂⁻`). */
function sameIon(a: string, b: string): boolean {
  const n = (x: string): string =>
    x
      .replace(/[₀-₉]/g, (c) => String(c.charCodeAt(0) - 0x2080))
      .replace(/[⁻−]/g, '-')
      .replace(/⁺/g, '+')
      .replace(/[_\s]/g, '');
  return n(a) === n(b);
}

function checkDeclared(path: string, d: Declared, w: number, h: number, s: number): void {
  const pairs: [keyof Declared, number][] = [
    ['width', w],
    ['height', h],
    ['slices', s],
  ];
  for (const [k, v] of pairs) {
    if (d[k] !== undefined && d[k] !== v) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        line: 1,
        message: `header says ${k} ${d[k]} but the data have ${v}`,
        expected: `${k} ${d[k]}`,
        found: String(v),
      });
    }
  }
}

/** `headerLine` is the column header, or (with `synthetic` names) the first data row of a headerless list. */
function parseTable(bytes: Uint8Array, path: string, headerLine: Line, fallback: FallbackIon, synthetic?: readonly string[]): ParsedRecord {
  const warnings: ParseWarning[] = [];
  const header: Record<string, string> = {};
  const acq: Acquisition = {};
  let namedIon: string | undefined;
  let namedMass: number | undefined;
  // Header comments before the column header.
  for (const l of linesOf(bytes)) {
    if (l.no >= headerLine.no) break;
    if (firstByte(bytes, l) !== HASH) continue;
    const kv = headerKeyValue(lineText(bytes, l));
    if (!kv) continue;
    const [key, keyUnit] = splitKey(kv[0]);
    const role = HEADER_ROLES[key];
    if (role === 'ion') {
      const named = splitIonValue(kv[1]);
      namedIon = named.ion;
      acq.ionFromHeader ??= named.ion;
      if (named.polarity && !acq.polarity) acq.polarity = { value: named.polarity, line: l.no, from: `header '${kv[0]}'` };
    } else if (role === 'mass') namedMass = Number(kv[1].replace(/\s*u$/i, ''));
    else {
      header[kv[0]] = kv[1];
      if (role && role !== 'meta' && role !== 'slice' && role !== 'width' && role !== 'height' && role !== 'slices')
        readAcquisitionHeader(acq, role, kv[0], keyUnit, kv[1], l.no, path, warnings);
      if (!role) warnings.push({ code: 'unknown-header-key', message: `header key '${kv[0]}' is not one we know; kept in meta.header`, line: l.no });
    }
  }
  const htext = lineText(bytes, headerLine);
  const delim = detectDelim(bytes, headerLine);
  const names = synthetic
    ? [...synthetic]
    : (delim < 0 ? htext.trim().split(/[ \t]+/) : htext.split(String.fromCharCode(delim))).map((s) => s.trim().replace(/^"|"$/g, ''));
  if (names.length > 1 && names[names.length - 1] === '') names.pop();
  const bare = names.map(stripUnit);
  const xi = bare.findIndex((n) => X_NAMES.test(n));
  const yi = bare.findIndex((n) => Y_NAMES.test(n));
  const zi = bare.findIndex((n) => Z_NAMES.test(n));
  if (xi < 0 || yi < 0) {
    throw new ParseError({
      file: path,
      code: 'missing-column',
      line: headerLine.no,
      message: 'image table needs x and y pixel columns',
      expected: 'headers x and y (or col and row)',
      found: names.join(', '),
    });
  }
  const countIdx: number[] = [];
  for (let i = 0; i < names.length; i++) if (i !== xi && i !== yi && i !== zi) countIdx.push(i);
  if (countIdx.length === 0) {
    throw new ParseError({
      file: path,
      code: 'missing-column',
      line: headerLine.no,
      message: 'image table has no counts column',
      expected: 'one counts column per ion after x, y[, z]',
      found: names.join(', '),
    });
  }
  const generic = countIdx.length === 1 && GENERIC_COUNTS.test(bare[countIdx[0]!]!);
  const ionNames = countIdx.map((i) => (generic ? (namedIon ?? fallback.name) : bare[i]!));
  const xs = new Growing(1024);
  const ys = new Growing(1024);
  const zs = new Growing(1024);
  const lineNo = new Growing(1024);
  const vals = countIdx.map(() => new Growing(1024));
  const row: number[] = [];
  for (const l of linesOf(bytes)) {
    if ((synthetic ? l.no < headerLine.no : l.no <= headerLine.no) || isBlank(bytes, l) || firstByte(bytes, l) === HASH) continue;
    tokenize(bytes, l, delim, row, path);
    if (row.length !== names.length) {
      throw new ParseError({
        file: path,
        code: 'ragged-row',
        line: l.no,
        message: `row has ${row.length} fields but the header has ${names.length}`,
        expected: `${names.length} fields`,
        found: `${row.length} fields`,
      });
    }
    const coords = [row[xi]!, row[yi]!, zi >= 0 ? row[zi]! : 0];
    for (const c of coords) {
      if (!Number.isInteger(c))
        throw new ParseError({
          file: path,
          code: 'bad-number',
          line: l.no,
          message: 'pixel coordinate is not an integer',
          expected: 'integer pixel indices',
          found: String(c),
        });
    }
    xs.push(coords[0]!);
    ys.push(coords[1]!);
    zs.push(coords[2]!);
    lineNo.push(l.no);
    for (let k = 0; k < countIdx.length; k++) {
      const v = row[countIdx[k]!]!;
      if (v < 0)
        throw new ParseError({
          file: path,
          code: 'invalid',
          line: l.no,
          column: names[countIdx[k]!],
          message: 'negative count',
          expected: 'counts ≥ 0',
          found: String(v),
        });
      vals[k]!.push(v);
    }
  }
  const n = xs.n;
  if (n === 0)
    throw new ParseError({
      file: path,
      code: 'no-data',
      line: headerLine.no + 1,
      message: 'no pixel rows after the header',
      expected: 'x, y, counts rows',
      found: 'end of file',
    });
  const range = (g: Growing): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < g.n; i++) {
      const v = g.data[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  };
  const [x0, x1] = range(xs);
  const [y0, y1] = range(ys);
  const [z0, z1] = range(zs);
  const W = x1 - x0 + 1;
  const H = y1 - y0 + 1;
  const S = z1 - z0 + 1;
  const size = W * H * S;
  // Coordinates decide the grid size: a stray huge index must not allocate gigabytes (fuzz regression).
  if (!(size <= Math.max(64 * n, 1 << 20))) {
    throw new ParseError({
      file: path,
      code: 'too-large',
      message: `pixel coordinates span ${W} × ${H} × ${S} pixels but only ${n} rows are listed`,
      expected: `at most ${Math.max(64 * n, 1 << 20)} pixels (64 per listed row, or 2^20)`,
      found: `x ${x0}…${x1}, y ${y0}…${y1}, z ${z0}…${z1}`,
    });
  }
  const filled = new Uint8Array(size);
  const grids = countIdx.map(() => new Float64Array(size));
  for (let r = 0; r < n; r++) {
    const idx = ((zs.data[r]! - z0) * H + (ys.data[r]! - y0)) * W + (xs.data[r]! - x0);
    if (filled[idx]) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        line: lineNo.data[r],
        message: `pixel (x=${xs.data[r]}, y=${ys.data[r]}${zi >= 0 ? `, z=${zs.data[r]}` : ''}) appears twice`,
        expected: 'each pixel once',
        found: 'a duplicate',
      });
    }
    filled[idx] = 1;
    for (let k = 0; k < grids.length; k++) grids[k]![idx] = vals[k]!.data[r]!;
  }
  if (n < size) {
    warnings.push({
      code: 'missing-pixels',
      message: `${size - n} of ${size} pixels are not listed (sparse export?); they are read as 0 counts`,
      rows: size - n,
    });
  }
  checkPixels(path, acq, W, H);
  const blocks = ionNames.map((name, k) => ({ name, mass: countIdx.length === 1 ? namedMass : undefined, values: grids[k]!, line: headerLine.no }));
  return buildRecord(path, blocks, W, H, S, 'table', { x: x0, y: y0, z: z0 }, header, warnings, acq, generic && namedIon === undefined ? fallback : null);
}

function buildRecord(
  path: string,
  ions: readonly { name: string; mass?: number; values: Float64Array; line: number }[],
  W: number,
  H: number,
  S: number,
  layout: 'matrix' | 'table',
  origin: { x: number; y: number; z: number },
  header: Record<string, string>,
  warnings: ParseWarning[],
  acq: Acquisition,
  /** How the (single) ion was named when no header or column did; null when one did. */
  named: FallbackIon | null,
): ParsedRecord {
  const size = W * H * S;
  const seen = new Set<string>();
  for (const ion of ions) {
    if (seen.has(ion.name))
      throw new ParseError({
        file: path,
        code: 'invalid',
        line: ion.line,
        column: ion.name,
        message: `ion '${ion.name}' appears twice`,
        expected: 'unique ion names',
        found: ion.name,
      });
    seen.add(ion.name);
    let total = 0;
    for (let i = 0; i < ion.values.length; i++) total += ion.values[i]!;
    if (total === 0) {
      throw new ParseError({
        file: path,
        code: 'no-data',
        line: ion.line,
        column: ion.name,
        message: `ion '${ion.name}' has zero total counts`,
        expected: 'some counts > 0',
        found: `${size} zero pixels`,
      });
    }
  }
  const X = new Int32Array(size);
  const Y = new Int32Array(size);
  const Z = new Int32Array(size);
  let i = 0;
  for (let z = 0; z < S; z++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        X[i] = x;
        Y[i] = y;
        Z[i] = z;
        i++;
      }
    }
  }
  const columns: Column[] = [
    { name: SIMS.x.name, unit: SIMS.x.unit, values: X },
    { name: SIMS.y.name, unit: SIMS.y.unit, values: Y },
    { name: SIMS.z.name, unit: SIMS.z.unit, values: Z },
    ...ions.map((ion) => ({ name: ion.name, unit: SIMS.intensity.unit, values: ion.values })),
  ];
  const ionNames = ions.map((x) => x.name);
  const single = ions.length === 1;
  const signs = polarityOf(ionNames);
  let polarity: string | undefined;
  if (acq.polarity) {
    polarity = acq.polarity.value;
    if ((signs === 'negative' || signs === 'positive') && signs !== polarity) {
      warnings.push({
        code: 'polarity-conflict',
        message: `${acq.polarity.from} says ${polarity} ions but the ion label${single ? '' : 's'} ${ionNames.join(', ')} ${single ? 'carries' : 'carry'} a ${signs} charge; the header is kept`,
        line: acq.polarity.line,
      });
    }
  } else {
    polarity = (header.Polarity ?? header.polarity)?.toLowerCase() ?? signs ?? (single ? polarityOfName(path) : undefined);
  }
  const fromName = fovOfName(path);
  const fov = acq.fov
    ? { x: acq.fov.x, y: acq.fov.y, source: 'header' }
    : acq.pixelSize
      ? { x: acq.pixelSize.x * W, y: acq.pixelSize.y * H, source: 'header pixel size × pixels' }
      : fromName
        ? { ...fromName, source: 'file name' }
        : null;
  const acquisition: Record<string, unknown> = {
    fovUm: fov ? fov.x : null,
    fovHeightUm: fov ? fov.y : null,
    pixelUm: fov ? fov.x / W : null,
    fovSource: fov ? fov.source : null,
    scans: acq.scans ?? null,
  };
  if (single) {
    const ion = ionNames[0]!;
    const inName = ionTokens(fileStem(path)).find((t) => sameIon(t.token, ion));
    acquisition.ionSource = named ? named.source : 'header';
    acquisition.ionInFileName = inName ? inName.token : null;
    if (named?.source === 'file stem') {
      warnings.push({
        code: 'no-ion-name',
        message: `no ion named in the header ('# Image:' / '# Ion:') or in the file name (a formula with its charge sign, e.g. LiF2-): the image is called '${ion}' after the file`,
      });
    }
    if (!fov) {
      warnings.push({
        code: 'no-field-of-view',
        message:
          "no field of view in the header ('# Field of view: 500 µm') or the file name ('…_500um'): the pixel size is unknown, so no heterogeneity index can be computed at a fixed physical scale",
      });
    }
  }
  return {
    kind: 'sims-image',
    meta: {
      technique: S > 1 ? 'ToF-SIMS 3D ion image stack' : 'ToF-SIMS ion image',
      width: W,
      height: H,
      slices: S,
      ions: ionNames,
      masses: ions.map((x) => x.mass ?? null),
      layout,
      origin,
      polarity,
      ...acquisition,
      header,
    },
    columns,
    warnings,
  };
}

export const simsImageText: FormatParser = {
  id: 'sims-image-text',
  family: 'tofsims',
  kind: 'sims-image',
  title: 'ToF-SIMS ion image(s) as text (matrix per ion, x/y[/z]/counts table, or SurfaceLab one-file-per-ion export)',
  version: '1.1.0',
  extensions: ['.txt', '.csv', '.asc', '.dat', '.tsv'],
  sniff,
  parse,
};
