/**
 * ToF-SIMS ion images exported as text (2D or 3D). No public real export exists, so this reader accepts
 * the two layouts documented precisely in docs/tofsims.md ("Accepted image layouts"):
 *
 *  - MATRIX: per ion, one text row per image row (y), one number per pixel (x), separated by spaces/tabs,
 *    or by tab, ',' or ';' (one delimiter per file, decided by the first data line). `# Ion: <name>` starts an ion, `# Mass: <u>` gives its
 *    mass, `# Slice: <n>` or a blank line starts the next slice of a 3D stack. Without any `# Ion:` line
 *    the file holds one ion named after the file (see `ionFromFileName`).
 *  - TABLE: a header row naming x, y, optional z/slice, then one counts column per ion ("generic CSV");
 *    a single generic counts column (`counts`, `intensity`) takes the ion name as in MATRIX.
 *
 * Output: one 'sims-image' record; columns X, Y, Slice (pixel indices) and one counts column per ion,
 * flattened row-major within a slice and slice-major across slices: index = (z·H + y)·W + x.
 * meta = {width, height, slices, ions, masses, layout, origin}.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { Column, ParsedRecord, ParseWarning } from '../../src/model/record.js';
import { SIMS } from '../../src/model/names.js';
import { ParseError } from '../../src/model/errors.js';
import { parseNumberBytes } from '../text/table.js';
import { polarityOf } from './ions.js';
import { Growing } from '../../src/util/growing.js';

/** Recognised `# Key: value` header keys (lower case) → role. Anything else is warned about by name. */
const HEADER_ROLES: Readonly<Record<string, 'ion' | 'mass' | 'slice' | 'width' | 'height' | 'slices' | 'meta'>> = {
  ion: 'ion', species: 'ion', peak: 'ion', image: 'ion', name: 'ion',
  mass: 'mass', 'm/z': 'mass',
  slice: 'slice', scan: 'slice', layer: 'slice', plane: 'slice', z: 'slice',
  width: 'width', height: 'height', slices: 'slices',
  polarity: 'meta', 'primary ion': 'meta', 'field of view': 'meta', 'pixel size': 'meta', instrument: 'meta',
  software: 'meta', sample: 'meta', date: 'meta', 'image size': 'meta', 'total dose': 'meta',
};

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
 * Ion name from a file name: the stem after its last separator (space, `__`, `@`, ` - `), e.g.
 * `cell3 LiF2-.txt` → `LiF2-`, `cell3__C2H-.csv` → `C2H-`, `LiO-.txt` → `LiO-`.
 */
export function ionFromFileName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const stem = base.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const parts = stem.split(/ - |__|@| /).filter((p) => p.length > 0);
  return parts.length ? parts[parts.length - 1]! : stem;
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
      file: path, code: 'bad-number', line: l.no, message: `field ${field + 1} is not a finite number`,
      expected: 'a count', found: utf8.decode(b.subarray(s, e)).trim() || '(empty)',
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

function sniff(s: SniffInput): number {
  const t = s.headText;
  if (/^[^\S\r\n]*#\s*(ion|species)\s*:/im.test(t)) return 0.9; // not ^\s*: quadratic on blank-line runs (fuzz regression)
  const first = t.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (!first) return 0;
  const fields = first.trim().split(/[\s,;]+/).map(stripUnit);
  const hasX = fields.some((f) => X_NAMES.test(f));
  const hasY = fields.some((f) => Y_NAMES.test(f));
  if (hasX && hasY && fields.length >= 3) return 0.7;
  // A bare numeric matrix is too generic to claim: only below the detection threshold.
  const lines = t.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 8);
  if (lines.length >= 8) {
    const counts = lines.map((l) => l.trim().split(/[\s,;]+/).length);
    if (counts.every((c) => c === counts[0] && c >= 8) && lines.every((l) => /^[\d\s.,;eE+-]+$/.test(l))) return 0.3;
  }
  return 0;
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
  if (!firstData) throw new ParseError({ file: path, code: 'no-data', line: 1, message: 'no data lines', expected: 'a matrix of counts or an x/y/counts table', found: 'only comments' });
  const firstText = lineText(bytes, firstData);
  const isTable = /[A-Za-z_]/.test(firstText.replace(/[eE][+-]?\d/g, '').replace(/\b(nan|inf)\b/gi, ''));
  const opts = input.options ?? {};
  const fallbackIon = typeof opts.ion === 'string' && opts.ion ? opts.ion : ionFromFileName(path);
  return isTable ? [parseTable(bytes, path, firstData, fallbackIon)] : [parseMatrix(bytes, path, fallbackIon)];
}

function parseMatrix(bytes: Uint8Array, path: string, fallbackIon: string): ParsedRecord {
  const warnings: ParseWarning[] = [];
  const header: Record<string, string> = {};
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
      const key = kv[0].toLowerCase();
      const role = HEADER_ROLES[key];
      if (role === 'ion') {
        if (!kv[1]) throw new ParseError({ file: path, code: 'bad-header', line: l.no, message: 'ion header without a name', expected: '# Ion: <name>', found: text });
        if (!sawIonHeader && blocks.length > 0 && blocks[0]!.values.n > 0) {
          throw new ParseError({ file: path, code: 'bad-header', line: l.no, message: 'data appear before the first "# Ion:" line', expected: 'every ion block to start with "# Ion: <name>"', found: `data from line ${blocks[0]!.line}` });
        }
        if (!sawIonHeader) blocks.length = 0;
        sawIonHeader = true;
        newIon(kv[1], l.no);
      } else if (role === 'mass') {
        const m = Number(kv[1].replace(/\s*u$/i, ''));
        if (!Number.isFinite(m)) throw new ParseError({ file: path, code: 'bad-number', line: l.no, message: 'mass is not a number', expected: 'a mass in u', found: kv[1] });
        if (current && current.values.n === 0) current.mass = m;
        else pendingMass = m;
      } else if (role === 'slice') {
        closeSlice(l.no);
        if (current) current.sliceStart = l.no + 1;
      } else if (role === 'width' || role === 'height' || role === 'slices') {
        const v = Number(kv[1]);
        if (!Number.isInteger(v) || v <= 0) throw new ParseError({ file: path, code: 'bad-number', line: l.no, message: `${kv[0]} is not a positive integer`, expected: 'a positive integer', found: kv[1] });
        declared[role] = v;
      } else if (role === 'meta') {
        header[kv[0]] = kv[1];
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
    if (!current) newIon(fallbackIon, l.no);
    const cur = current!;
    if (cur.rowsInSlice === 0) cur.sliceStart = l.no;
    if (width < 0) {
      width = row.length;
      widthLine = l.no;
    } else if (row.length !== width) {
      throw new ParseError({ file: path, code: 'ragged-row', line: l.no, message: `image row has ${row.length} pixels but line ${widthLine} has ${width}`, expected: `${width} values`, found: `${row.length} values` });
    }
    for (let k = 0; k < row.length; k++) {
      const v = row[k]!;
      if (v < 0) throw new ParseError({ file: path, code: 'invalid', line: l.no, column: cur.name, message: `negative count at x=${k}`, expected: 'counts ≥ 0', found: String(v) });
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
        throw new ParseError({ file: path, code: 'ragged-row', line: b.sliceLines[s], column: b.name, message: `slice ${s + 1} of ion '${b.name}' has ${b.sliceRows[s]} rows, the first slice has ${height}`, expected: `${height} rows`, found: `${b.sliceRows[s]} rows` });
      }
    }
    if (b.sliceRows.length !== slices) {
      throw new ParseError({ file: path, code: 'ragged-row', line: b.line, column: b.name, message: `ion '${b.name}' has ${b.sliceRows.length} slices, ion '${ions[0]!.name}' has ${slices}`, expected: `${slices} slices`, found: `${b.sliceRows.length} slices` });
    }
  }
  checkDeclared(path, declared, width, height, slices);
  return buildRecord(path, ions.map((b) => ({ name: b.name, mass: b.mass, values: b.values.f64(), line: b.line })), width, height, slices, 'matrix', { x: 0, y: 0, z: 0 }, header, warnings);
}

function checkDeclared(path: string, d: Declared, w: number, h: number, s: number): void {
  const pairs: [keyof Declared, number][] = [['width', w], ['height', h], ['slices', s]];
  for (const [k, v] of pairs) {
    if (d[k] !== undefined && d[k] !== v) {
      throw new ParseError({ file: path, code: 'invalid', line: 1, message: `header says ${k} ${d[k]} but the data have ${v}`, expected: `${k} ${d[k]}`, found: String(v) });
    }
  }
}

function parseTable(bytes: Uint8Array, path: string, headerLine: Line, fallbackIon: string): ParsedRecord {
  const warnings: ParseWarning[] = [];
  const header: Record<string, string> = {};
  let namedIon: string | undefined;
  let namedMass: number | undefined;
  // Header comments before the column header.
  for (const l of linesOf(bytes)) {
    if (l.no >= headerLine.no) break;
    if (firstByte(bytes, l) !== HASH) continue;
    const kv = headerKeyValue(lineText(bytes, l));
    if (!kv) continue;
    const role = HEADER_ROLES[kv[0].toLowerCase()];
    if (role === 'ion') namedIon = kv[1];
    else if (role === 'mass') namedMass = Number(kv[1].replace(/\s*u$/i, ''));
    else {
      header[kv[0]] = kv[1];
      if (!role) warnings.push({ code: 'unknown-header-key', message: `header key '${kv[0]}' is not one we know; kept in meta.header`, line: l.no });
    }
  }
  const htext = lineText(bytes, headerLine);
  const delim = detectDelim(bytes, headerLine);
  const names = (delim < 0 ? htext.trim().split(/[ \t]+/) : htext.split(String.fromCharCode(delim))).map((s) => s.trim().replace(/^"|"$/g, ''));
  if (names.length > 1 && names[names.length - 1] === '') names.pop();
  const bare = names.map(stripUnit);
  const xi = bare.findIndex((n) => X_NAMES.test(n));
  const yi = bare.findIndex((n) => Y_NAMES.test(n));
  const zi = bare.findIndex((n) => Z_NAMES.test(n));
  if (xi < 0 || yi < 0) {
    throw new ParseError({ file: path, code: 'missing-column', line: headerLine.no, message: 'image table needs x and y pixel columns', expected: 'headers x and y (or col and row)', found: names.join(', ') });
  }
  const countIdx: number[] = [];
  for (let i = 0; i < names.length; i++) if (i !== xi && i !== yi && i !== zi) countIdx.push(i);
  if (countIdx.length === 0) {
    throw new ParseError({ file: path, code: 'missing-column', line: headerLine.no, message: 'image table has no counts column', expected: 'one counts column per ion after x, y[, z]', found: names.join(', ') });
  }
  const ionNames = countIdx.map((i) => (countIdx.length === 1 && GENERIC_COUNTS.test(bare[i]!) ? namedIon ?? fallbackIon : bare[i]!));
  const xs = new Growing(1024);
  const ys = new Growing(1024);
  const zs = new Growing(1024);
  const lineNo = new Growing(1024);
  const vals = countIdx.map(() => new Growing(1024));
  const row: number[] = [];
  for (const l of linesOf(bytes)) {
    if (l.no <= headerLine.no || isBlank(bytes, l) || firstByte(bytes, l) === HASH) continue;
    tokenize(bytes, l, delim, row, path);
    if (row.length !== names.length) {
      throw new ParseError({ file: path, code: 'ragged-row', line: l.no, message: `row has ${row.length} fields but the header has ${names.length}`, expected: `${names.length} fields`, found: `${row.length} fields` });
    }
    const coords = [row[xi]!, row[yi]!, zi >= 0 ? row[zi]! : 0];
    for (const c of coords) {
      if (!Number.isInteger(c)) throw new ParseError({ file: path, code: 'bad-number', line: l.no, message: 'pixel coordinate is not an integer', expected: 'integer pixel indices', found: String(c) });
    }
    xs.push(coords[0]!);
    ys.push(coords[1]!);
    zs.push(coords[2]!);
    lineNo.push(l.no);
    for (let k = 0; k < countIdx.length; k++) {
      const v = row[countIdx[k]!]!;
      if (v < 0) throw new ParseError({ file: path, code: 'invalid', line: l.no, column: names[countIdx[k]!], message: 'negative count', expected: 'counts ≥ 0', found: String(v) });
      vals[k]!.push(v);
    }
  }
  const n = xs.n;
  if (n === 0) throw new ParseError({ file: path, code: 'no-data', line: headerLine.no + 1, message: 'no pixel rows after the header', expected: 'x, y, counts rows', found: 'end of file' });
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
    throw new ParseError({ file: path, code: 'too-large', message: `pixel coordinates span ${W} × ${H} × ${S} pixels but only ${n} rows are listed`, expected: `at most ${Math.max(64 * n, 1 << 20)} pixels (64 per listed row, or 2^20)`, found: `x ${x0}…${x1}, y ${y0}…${y1}, z ${z0}…${z1}` });
  }
  const filled = new Uint8Array(size);
  const grids = countIdx.map(() => new Float64Array(size));
  for (let r = 0; r < n; r++) {
    const idx = ((zs.data[r]! - z0) * H + (ys.data[r]! - y0)) * W + (xs.data[r]! - x0);
    if (filled[idx]) {
      throw new ParseError({ file: path, code: 'invalid', line: lineNo.data[r], message: `pixel (x=${xs.data[r]}, y=${ys.data[r]}${zi >= 0 ? `, z=${zs.data[r]}` : ''}) appears twice`, expected: 'each pixel once', found: 'a duplicate' });
    }
    filled[idx] = 1;
    for (let k = 0; k < grids.length; k++) grids[k]![idx] = vals[k]!.data[r]!;
  }
  if (n < size) {
    warnings.push({ code: 'missing-pixels', message: `${size - n} of ${size} pixels are not listed (sparse export?); they are read as 0 counts`, rows: size - n });
  }
  const blocks = ionNames.map((name, k) => ({ name, mass: countIdx.length === 1 ? namedMass : undefined, values: grids[k]!, line: headerLine.no }));
  return buildRecord(path, blocks, W, H, S, 'table', { x: x0, y: y0, z: z0 }, header, warnings);
}

function buildRecord(
  path: string,
  ions: readonly { name: string; mass?: number; values: Float64Array; line: number }[],
  W: number, H: number, S: number,
  layout: 'matrix' | 'table',
  origin: { x: number; y: number; z: number },
  header: Record<string, string>,
  warnings: ParseWarning[],
): ParsedRecord {
  const size = W * H * S;
  const seen = new Set<string>();
  for (const ion of ions) {
    if (seen.has(ion.name)) throw new ParseError({ file: path, code: 'invalid', line: ion.line, column: ion.name, message: `ion '${ion.name}' appears twice`, expected: 'unique ion names', found: ion.name });
    seen.add(ion.name);
    let total = 0;
    for (let i = 0; i < ion.values.length; i++) total += ion.values[i]!;
    if (total === 0) {
      throw new ParseError({ file: path, code: 'no-data', line: ion.line, column: ion.name, message: `ion '${ion.name}' has zero total counts`, expected: 'some counts > 0', found: `${size} zero pixels` });
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
      polarity: (header.Polarity ?? header.polarity)?.toLowerCase() ?? polarityOf(ionNames),
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
  title: 'ToF-SIMS ion image(s) as text (matrix per ion, or x/y[/z]/counts table)',
  version: '1.0.0',
  extensions: ['.txt', '.csv', '.asc', '.dat', '.tsv'],
  sniff,
  parse,
};
