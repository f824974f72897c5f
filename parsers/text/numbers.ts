/**
 * Number parsing for instrument text. Decimal comma (European locales: EC-Lab `.mpt` in German,
 * Maccor exports) is decided per file, never per cell. Returns NaN for text that is not a number,
 * so the caller can report where.
 */
export function parseNumber(s: string, decimalComma = false): number {
  let t = s.trim();
  if (t.length === 0) return NaN;
  if (decimalComma) t = t.replace(',', '.');
  // Number('') is 0 and Number('0x10') is 16: both wrong for instrument data, so check the shape.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    const l = t.toLowerCase();
    if (l === 'nan' || l === '-nan' || l === 'n/a') return NaN;
    if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '1.#inf') return Infinity;
    if (l === '-inf' || l === '-infinity' || l === '-1.#inf') return -Infinity;
    return NaN;
  }
  return Number(t);
}

/** True if the string is a plain number in the given decimal convention. */
export function isNumeric(s: string, decimalComma = false): boolean {
  const t = s.trim();
  if (!t) return false;
  const re = decimalComma ? /^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  return re.test(t);
}

/**
 * Decide whether a file uses decimal commas, from sample data lines and the field delimiter.
 * With `;` or tab as delimiter a comma inside a field is a decimal comma; with `,` as delimiter it
 * cannot be.
 */
export function detectDecimalComma(sample: readonly string[], delimiter: string): boolean {
  if (delimiter === ',') return false;
  let comma = 0;
  let dot = 0;
  for (const line of sample) {
    for (const f of line.split(delimiter)) {
      if (/^\s*[+-]?\d+,\d+([eE][+-]?\d+)?\s*$/.test(f)) comma++;
      else if (/^\s*[+-]?\d+\.\d+([eE][+-]?\d+)?\s*$/.test(f)) dot++;
    }
  }
  return comma > dot;
}

/** `hh:mm:ss(.fff)`, `d.hh:mm:ss`, `1d 02:03:04.5` and plain seconds → seconds. NaN if not a duration. */
export function parseDuration(s: string, decimalComma = false): number {
  const t = s.trim();
  if (!t) return NaN;
  if (!t.includes(':')) return parseNumber(t, decimalComma);
  let days = 0;
  let rest = t;
  const d1 = /^(\d+)d\s+(.*)$/.exec(t) ?? /^(\d+)\.(\d+:\d+:\d+.*)$/.exec(t);
  if (d1) {
    days = Number(d1[1]);
    rest = d1[2]!;
  }
  const parts = rest.split(':');
  if (parts.length < 2 || parts.length > 3) return NaN;
  let sec = 0;
  for (const p of parts) {
    const v = parseNumber(p, decimalComma);
    if (!Number.isFinite(v)) return NaN;
    sec = sec * 60 + v;
  }
  return days * 86400 + sec;
}
