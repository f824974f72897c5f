/**
 * What an ion-image export says about its acquisition outside the counts: the ion, polarity, field of
 * view, pixel count and number of scans, read from `# Key: value` header lines or, failing that, from
 * the file name (`C07_neg_LiF2-_500um.txt`, `C07-CH2--image.txt`, `33.3.2_tomog_ (7) - Cl-.txt`).
 * Pure string functions; the image reader (image-text.ts) decides what to do with the answers.
 */

/** Element symbols, two-letter first so the alternation never stops at `C` in `Cl`. */
const ELEMENTS = [
  'He',
  'Li',
  'Be',
  'Ne',
  'Na',
  'Mg',
  'Al',
  'Si',
  'Cl',
  'Ar',
  'Ca',
  'Sc',
  'Ti',
  'Cr',
  'Mn',
  'Fe',
  'Co',
  'Ni',
  'Cu',
  'Zn',
  'Ga',
  'Ge',
  'As',
  'Se',
  'Br',
  'Kr',
  'Rb',
  'Sr',
  'Zr',
  'Nb',
  'Mo',
  'Tc',
  'Ru',
  'Rh',
  'Pd',
  'Ag',
  'Cd',
  'In',
  'Sn',
  'Sb',
  'Te',
  'Xe',
  'Cs',
  'Ba',
  'La',
  'Ce',
  'Pr',
  'Nd',
  'Sm',
  'Eu',
  'Gd',
  'Tb',
  'Dy',
  'Ho',
  'Er',
  'Tm',
  'Yb',
  'Lu',
  'Hf',
  'Ta',
  'Re',
  'Os',
  'Ir',
  'Pt',
  'Au',
  'Hg',
  'Tl',
  'Pb',
  'Bi',
  'Th',
  'U',
  'H',
  'B',
  'C',
  'N',
  'O',
  'F',
  'P',
  'S',
  'K',
  'V',
  'Y',
  'I',
  'W',
].join('|');

/**
 * A signed ion formula between separators: element symbols with optional counts (SurfaceLab writes
 * `LiF_2-`), an optional isotope prefix (`^13C-`), then the charge sign. A count of exactly 1 or with a
 * leading zero is not chemistry (`B1-`, `C07-` are cell ids), so it is not an ion.
 */
const ION_TOKEN = new RegExp(
  `(?<=^|[\\s_\\-.,;@()\\[\\]=])((?:\\^\\d+)?(?:(?:${ELEMENTS})(?:_?(?:[2-9]|[1-9]\\d+))?(?:\\^\\d+)?)+[+-])(?=$|[\\s_\\-.,;@()\\[\\]=])`,
  'g',
);

export type ImagePolarity = 'negative' | 'positive';

/** The stem of a path: base name without its extension. */
export function fileStem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.[A-Za-z0-9]{1,5}$/, '');
}

/** Every signed ion formula in a file stem, in order, with its position. */
export function ionTokens(stem: string): { token: string; index: number }[] {
  const out: { token: string; index: number }[] = [];
  ION_TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ION_TOKEN.exec(stem)) !== null) {
    out.push({ token: m[1]!, index: m.index });
    // Overlapping candidates (`CH2--` after `C07-`) are found by restarting just past the start.
    ION_TOKEN.lastIndex = m.index + 1;
  }
  return out;
}

/** The ion a file name names: the last signed formula token (`C07_neg_LiF2-_500um` → `LiF2-`). */
export function ionTokenOfName(path: string): string | null {
  const t = ionTokens(fileStem(path));
  return t.length ? t[t.length - 1]!.token : null;
}

/** `negative`, `neg`, `negative ions`, `-ve` → 'negative'; likewise positive; otherwise undefined. */
export function polarityWord(text: string): ImagePolarity | undefined {
  const t = text.toLowerCase();
  const neg = /(^|[^a-z])(neg(ative)?|nég(atif|ative)?|-ve|anions?)([^a-z]|$)/.test(t);
  const pos = /(^|[^a-z])(pos(itive)?|positi(f|ve)|\+ve|cations?)([^a-z]|$)/.test(t);
  if (neg === pos) return undefined;
  return neg ? 'negative' : 'positive';
}

/** Polarity named by a file name token (`_neg_`, `-pos-`, ` negative `). */
export function polarityOfName(path: string): ImagePolarity | undefined {
  const words = fileStem(path).split(/[\s_\-.,;@()[\]]+/);
  let found: ImagePolarity | undefined;
  for (const w of words) {
    const p = /^(neg|negative|nég|anion|anions)$/i.test(w) ? 'negative' : /^(pos|positive|cation|cations)$/i.test(w) ? 'positive' : undefined;
    if (!p) continue;
    if (found && found !== p) return undefined;
    found = p;
  }
  return found;
}

/** µm per unit for the length units a field of view is written in; undefined when not a length unit. */
export function lengthUnitUm(unit: string): number | undefined {
  const u = unit
    .trim()
    .toLowerCase()
    .replace(/[²2^]+$/, '')
    .replace(/\s+/g, '');
  if (/^(µm|μm|um|micron|microns|micrometer|micrometers|micrometre|micrometres|mum|mu)$/.test(u)) return 1;
  if (/^(mm|millimeter|millimetre)$/.test(u)) return 1000;
  if (/^(nm|nanometer|nanometre)$/.test(u)) return 1e-3;
  return undefined;
}

const NUM = '(\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)';
const UNIT = '(µm|μm|um|mm|nm|microns?|micrometers?|micrometres?|pixels?|px|pix)?';
const SQ = '(?:\\s*(?:\\^?2|²))?';
/** `500`, `500 x 500`, `500.0 × 500.0`, `500 µm x 500 µm`, each with an optional unit after it. */
const EXTENT = new RegExp(`^${NUM}\\s*${UNIT}${SQ}\\s*(?:[x×*]\\s*${NUM}\\s*${UNIT}${SQ})?(?:\\s.*)?$`, 'i');

export interface Extent {
  readonly x: number;
  readonly y: number;
  /** The unit written with the numbers ('' when none). */
  readonly unit: string;
}

/**
 * Two extents (or one, square) from a header value: `500.000000 x 500.000000 µm²` → {500, 500, µm};
 * `128 x 128` → {128, 128, ''}. A decimal comma is read as a point when the value has no point.
 */
export function parseExtent(value: string): Extent | null {
  let v = value.trim().replace(/\s+/g, ' ');
  if (!v.includes('.')) v = v.replace(/(\d),(\d)/g, '$1.$2');
  if (v.length > 200) return null;
  const m = EXTENT.exec(v);
  if (!m) return null;
  const x = Number(m[1]);
  const y = m[3] !== undefined ? Number(m[3]) : x;
  const unit = (m[4] || m[2] || '').trim();
  if (!(x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y))) return null;
  return { x, y, unit };
}

/** Field of view (µm) named in a file name: `500um`, `500µm`, `500x500um`, `0.5mm`, `fov500`. */
export function fovOfName(path: string): { x: number; y: number } | null {
  const stem = fileStem(path);
  const withUnit = /(?:^|[^0-9.])(\d+(?:[.,]\d+)?)(?:\s*[x×]\s*(\d+(?:[.,]\d+)?))?\s*(µm|μm|um|micron|microns|mm)(?![a-z])/i.exec(stem);
  if (withUnit) {
    const k = lengthUnitUm(withUnit[3]!) ?? 1;
    const x = Number(withUnit[1]!.replace(',', '.')) * k;
    const y = withUnit[2] ? Number(withUnit[2].replace(',', '.')) * k : x;
    if (x > 0 && y > 0) return { x, y };
  }
  const fov = /(?:^|[^a-z])fov[\s_\-=]*(\d+(?:\.\d+)?)(?![\d.])/i.exec(stem);
  if (fov) return { x: Number(fov[1]), y: Number(fov[1]) };
  return null;
}

/** Old rule, kept for names without a signed ion: the stem after its last separator (space, `__`, `@`, ` - `). */
export function lastStemPart(path: string): string {
  const stem = fileStem(path);
  const parts = stem.split(/ - |__|@| /).filter((p) => p.length > 0);
  return parts.length ? parts[parts.length - 1]! : stem;
}
