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
  deg: ['angle', 1],
  '1': ['count', 1],
  '%': ['fraction-percent', 1],
};

export function normaliseUnit(u: string): string {
  let s = u.trim()
    .replace(/^\[|\]$/g, '')
    .replace(/^\(|\)$/g, '')
    .replace(/[µμ]/g, 'u')
    .replace(/Ω|Ohm|OHM|ohms|Ohms/g, 'ohm')
    .replace(/°C|ºC|deg C|degC|\?C|℃/g, 'degC')
    .replace(/\.h$/, 'h')
    .replace(/\bhr\b|\bhrs\b|\bhour(s)?\b/g, 'h')
    .replace(/\bsec\b|\bsecs\b|\bseconds?\b/g, 's')
    .replace(/\bmins?\b|\bminutes?\b/g, 'min')
    .replace(/cm\^?2|cm²|cm-2/g, 'cm2')
    .replace(/\s+/g, '');
  // `mA.h`, `mA*h`, `mA·h` → `mAh`
  s = s.replace(/A[.*·]h/g, 'Ah').replace(/W[.*·]h/g, 'Wh').replace(/A[.*·]s/g, 'As');
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

/** Split `Current(mA)`, `Current [mA]`, `Current / mA`, `I/mA` into name and unit ('' if none). */
export function splitHeaderUnit(header: string): { name: string; unit: string } {
  const h = header.trim();
  let m = /^(.*?)\s*[([]\s*([^()[\]]*)\s*[)\]]\s*$/.exec(h);
  if (m && m[2]) return { name: m[1]!.trim(), unit: m[2].trim() };
  m = /^(.*\S)\s*\/\s*([^/]+)$/.exec(h);
  if (m) return { name: m[1]!.trim(), unit: m[2]!.trim() };
  return { name: h, unit: '' };
}
