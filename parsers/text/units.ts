/**
 * Unit conversion at the parser boundary. `unitFactor('mAh', 'Ah')` = 1e-3. Units are compared after
 * normalising spelling (µ/u, Ohm/Ω/ohm, hr/h, sec/s). An unknown pair throws: guessing a unit is
 * exactly the silent error we exist to prevent.
 */
const PREFIX: Record<string, number> = { '': 1, k: 1e3, M: 1e6, m: 1e-3, u: 1e-6, n: 1e-9, p: 1e-12 };

/** Base unit → [dimension key, factor to canonical]. */
const BASE: Record<string, [string, number]> = {
  A: ['current', 1],
  V: ['voltage', 1],
  W: ['power', 1],
  Ah: ['charge', 1],
  C: ['charge', 1 / 3600],
  As: ['charge', 1 / 3600],
  Wh: ['energy', 1],
  J: ['energy', 1 / 3600],
  ohm: ['resistance', 1],
  s: ['time', 1],
  min: ['time', 60],
  h: ['time', 3600],
  d: ['time', 86400],
  Hz: ['frequency', 1],
  degC: ['temperature', 1],
  eV: ['energy-ev', 1],
  F: ['capacitance', 1],
  'C/cm2': ['areal-charge', 1e6], // canonical areal charge is µC/cm² (polarisation)
  'V/cm': ['field', 1e-3], //        canonical field is kV/cm
  'V/m': ['field', 1e-5],
  'V/mm': ['field', 1e-2],
  'V/um': ['field', 10],
  'C/m2': ['areal-charge', 100], //  1 C/m² = 100 µC/cm²
  uC_per_cm2: ['areal-charge', 1],
  m: ['length', 1e9], //             canonical length is nm
  nm: ['length', 1],
  cm2: ['area', 1],
  mm2: ['area', 1e-2],
  um2: ['area', 1e-8],
  m2: ['area', 1e4],
  deg: ['angle', 1],
  '1': ['count', 1],
  '%': ['fraction-percent', 1],
};

export function normaliseUnit(u: string): string {
  let s = u
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/^\(|\)$/g, '')
    .replace(/[µμ]/g, 'u')
    .replace(/Ω|Ohm|OHM|ohms|Ohms/g, 'ohm')
    .replace(/°C|ºC|deg C|degC|\?C|\uFFFDC|℃/g, 'degC')
    .replace(/\.h$/, 'h')
    .replace(/\bhrs?\b|\bhours?\b/gi, 'h')
    .replace(/\bsecs?\b|\bseconds?\b/gi, 's')
    .replace(/\bmins?\b|\bminutes?\b/gi, 'min')
    .replace(/cm\^?2|cm²|cm-2/g, 'cm2')
    .replace(/²/g, '2')
    .replace(/\s+/g, '');
  // `mA.h`, `mA*h`, `mA·h` → `mAh`
  s = s
    .replace(/A[.*·]h/g, 'Ah')
    .replace(/W[.*·]h/g, 'Wh')
    .replace(/A[.*·]s/g, 'As');
  s = s.replace(/uC\/cm2/, 'uC/cm2');
  return s;
}

function split(u: string): [string, number] | null {
  if (u in BASE) return [u, 1];
  const p = u[0]!;
  const rest = u.slice(1);
  if (p in PREFIX && rest in BASE) return [rest, PREFIX[p]!];
  // areal charge like uC/cm2, field like kV/cm
  return null;
}

/** Multiply a value in `from` by this to get `to`. Throws for unknown or incompatible units. */
export function unitFactor(from: string, to: string): number {
  const f = normaliseUnit(from);
  const t = normaliseUnit(to);
  if (f === t) return 1;
  const a = split(f);
  const b = split(t);
  if (!a || !b) throw new Error(`unknown unit '${!a ? from : to}'`);
  const [ba, pa] = a;
  const [bb, pb] = b;
  const [da, fa] = BASE[ba]!;
  const [db, fb] = BASE[bb]!;
  if (da !== db) throw new Error(`cannot convert '${from}' to '${to}'`);
  return (pa * fa) / (pb * fb);
}

/** Non-throwing variant: null when the unit is unknown or incompatible. */
export function tryUnitFactor(from: string, to: string): number | null {
  try {
    return unitFactor(from, to);
  } catch {
    return null;
  }
}

/**
 * Could this bracketed/slashed text be a unit? Known units always; otherwise unit-like text, but not a
 * lone letter that is no unit (`Z'(a)`, `Re(Z)`, `Im(Z)` are names, not units).
 */
export function looksLikeUnit(u: string): boolean {
  const t = u.trim();
  if (!t) return false;
  const n = normaliseUnit(t);
  if (n in BASE || split(n)) return true;
  if (/^[A-Za-z]$/.test(t)) return false;
  return /^[A-Za-zµμΩ°%/.\-·*^0-9_ ]{1,16}$/.test(t);
}

/** Split `Current(mA)`, `Current [mA]`, `Current / mA`, `I/mA` into name and unit ('' if none). */
export function splitHeaderUnit(header: string): { name: string; unit: string } {
  const h = header.trim();
  let m = /^(.*?)\s*[([]\s*([^()[\]]*)\s*[)\]]\s*$/.exec(h);
  if (m && m[1] && m[2] && looksLikeUnit(m[2])) return { name: m[1].trim(), unit: m[2].trim() };
  m = /^(.*\S)\s*\/\s*([^/]+)$/.exec(h);
  if (m && looksLikeUnit(m[2]!)) return { name: m[1]!.trim(), unit: m[2]!.trim() };
  return { name: h, unit: '' };
}

/**
 * Multiply values by a unit factor in place. A factor like 1e-3 is applied as a division by 1000,
 * which is correctly rounded (3100.5 mV → 3.1005 V exactly), where multiplying by 0.001 is not.
 */
export function scaleInPlace(values: Float64Array, factor: number): void {
  if (factor === 1) return;
  const inv = 1 / factor;
  const r = Math.round(inv);
  if (factor < 1 && Math.abs(inv - r) < 1e-9 * r) {
    for (let k = 0; k < values.length; k++) values[k]! /= r;
  } else {
    for (let k = 0; k < values.length; k++) values[k]! *= factor;
  }
}
