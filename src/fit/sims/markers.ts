/**
 * ToF-SIMS marker library as data: which secondary ions stand for which SEI (or ferroelectric-layer)
 * species, with nominal m/z, polarity and class. Source for every entry: DOMAIN.md §4.1 [B], which
 * cites Ma, Xu, Song, ACS Appl. Mater. Interfaces 14, 20197 (2022), DOI 10.1021/acsami.2c00842, and
 * the JVST A 41, 053207 (2023) best-practice review. Exact m/z are computed here from monoisotopic
 * masses (IUPAC/AME) plus (anions) or minus (cations) the electron mass; SurfaceLab's listed masses in
 * the real exports agree within ~0.001 u (e.g. PO2⁻ 62.9647, CN⁻ 26.0085), inside the 0.005 u tolerance.
 */
export type MarkerClass = 'inorganic' | 'organic' | 'salt' | 'ferroelectric' | 'substrate';

export interface Marker {
  /** Formula with charge sign, as used for matching: `LiF2-`. */
  readonly ion: string;
  /** Species the fragment stands for. */
  readonly species: string;
  readonly nominalMz: number;
  readonly polarity: 'negative' | 'positive';
  readonly class: MarkerClass;
  /** Preferred marker of its species (bold in DOMAIN.md §4.1). */
  readonly primary: boolean;
  readonly source: string;
  readonly note?: string;
}

const D41 = 'DOMAIN.md §4.1 [B]; Ma, Xu, Song 2022, DOI 10.1021/acsami.2c00842';

/** The library. Order matters only for display. */
export const MARKERS: readonly Marker[] = [
  // LiF
  {
    ion: 'LiF2-',
    species: 'LiF',
    nominalMz: 45,
    polarity: 'negative',
    class: 'inorganic',
    primary: true,
    source: D41,
    note: 'isobaric with CHO2⁻ (44.998 u): needs m/Δm ≳ 3000 or name-based peak assignment',
  },
  { ion: 'Li2F+', species: 'LiF', nominalMz: 33, polarity: 'positive', class: 'inorganic', primary: true, source: D41 },
  { ion: 'F-', species: 'LiF', nominalMz: 19, polarity: 'negative', class: 'inorganic', primary: false, source: D41 },
  { ion: 'Li2F3-', species: 'LiF', nominalMz: 71, polarity: 'negative', class: 'inorganic', primary: false, source: D41 },
  // Li2O
  { ion: 'LiO-', species: 'Li2O', nominalMz: 23, polarity: 'negative', class: 'inorganic', primary: true, source: D41 },
  { ion: 'Li2O-', species: 'Li2O', nominalMz: 30, polarity: 'negative', class: 'inorganic', primary: false, source: D41 },
  { ion: 'Li3O+', species: 'Li2O', nominalMz: 37, polarity: 'positive', class: 'inorganic', primary: false, source: D41 },
  // carbonates / organics
  { ion: 'C2H-', species: 'organic', nominalMz: 25, polarity: 'negative', class: 'organic', primary: true, source: D41 },
  { ion: 'CH2-', species: 'organic', nominalMz: 14, polarity: 'negative', class: 'organic', primary: false, source: D41 },
  { ion: 'C2HO-', species: 'organic', nominalMz: 41, polarity: 'negative', class: 'organic', primary: false, source: D41 },
  {
    ion: 'CHO2-',
    species: 'organic (formate/carboxylate)',
    nominalMz: 45,
    polarity: 'negative',
    class: 'organic',
    primary: false,
    source: D41,
    note: 'isobaric with LiF2⁻',
  },
  { ion: 'C2H3O-', species: 'organic', nominalMz: 43, polarity: 'negative', class: 'organic', primary: false, source: D41 },
  {
    ion: 'CO3-',
    species: 'Li2CO3 / ROCO2Li',
    nominalMz: 60,
    polarity: 'negative',
    class: 'organic',
    primary: false,
    source: D41,
    note: 'carbonate: counted with the organic (carbonate-derived) phase as in DOMAIN.md §4.1',
  },
  { ion: 'LiCO3-', species: 'Li2CO3', nominalMz: 67, polarity: 'negative', class: 'organic', primary: false, source: D41 },
  // P species (LiPF6 decomposition)
  { ion: 'PO2-', species: 'LixPOyFz', nominalMz: 63, polarity: 'negative', class: 'inorganic', primary: true, source: D41 },
  { ion: 'PO3-', species: 'LixPOyFz', nominalMz: 79, polarity: 'negative', class: 'inorganic', primary: false, source: D41 },
  { ion: 'POF2-', species: 'LixPOyFz', nominalMz: 85, polarity: 'negative', class: 'inorganic', primary: true, source: D41 },
  { ion: 'PF6-', species: 'LiPF6 (residual salt)', nominalMz: 145, polarity: 'negative', class: 'salt', primary: false, source: D41 },
  // N species (LiNO3, LiFSI/TFSI)
  {
    ion: 'CN-',
    species: 'N-organics',
    nominalMz: 26,
    polarity: 'negative',
    class: 'organic',
    primary: true,
    source: D41,
    note: 'C–N fragment: counted as organic',
  },
  { ion: 'NO2-', species: 'LiNOx', nominalMz: 46, polarity: 'negative', class: 'inorganic', primary: true, source: D41 },
  { ion: 'NO3-', species: 'LiNO3', nominalMz: 62, polarity: 'negative', class: 'inorganic', primary: false, source: D41 },
  { ion: 'LiN-', species: 'Li3N', nominalMz: 21, polarity: 'negative', class: 'inorganic', primary: false, source: D41 },
  // S species
  { ion: 'S-', species: 'Li2S / sulfur species', nominalMz: 32, polarity: 'negative', class: 'inorganic', primary: false, source: D41 },
  { ion: 'LiS-', species: 'Li2S', nominalMz: 39, polarity: 'negative', class: 'inorganic', primary: false, source: D41 },
  {
    ion: 'SO2-',
    species: 'sulfur species',
    nominalMz: 64,
    polarity: 'negative',
    class: 'inorganic',
    primary: false,
    source: D41,
    note: 'near-isobaric with TiO⁻ (63.962 vs 63.943 u): needs m/Δm ≳ 3500',
  },
  // BaTiO3 tracer
  { ion: 'TiO-', species: 'BaTiO3', nominalMz: 64, polarity: 'negative', class: 'ferroelectric', primary: true, source: D41, note: 'near-isobaric with SO2⁻' },
  { ion: 'TiO2-', species: 'BaTiO3', nominalMz: 80, polarity: 'negative', class: 'ferroelectric', primary: false, source: D41 },
  { ion: 'TiO3-', species: 'BaTiO3', nominalMz: 96, polarity: 'negative', class: 'ferroelectric', primary: false, source: D41 },
  { ion: 'BaO-', species: 'BaTiO3', nominalMz: 154, polarity: 'negative', class: 'ferroelectric', primary: true, source: D41 },
  { ion: 'BaO+', species: 'BaTiO3', nominalMz: 154, polarity: 'positive', class: 'ferroelectric', primary: true, source: D41 },
  { ion: 'Ba+', species: 'BaTiO3', nominalMz: 138, polarity: 'positive', class: 'ferroelectric', primary: false, source: D41 },
  { ion: 'BaOH+', species: 'BaTiO3', nominalMz: 155, polarity: 'positive', class: 'ferroelectric', primary: false, source: D41 },
  { ion: 'Ti+', species: 'BaTiO3', nominalMz: 48, polarity: 'positive', class: 'ferroelectric', primary: false, source: 'standard Ti tracer [B]' },
  // PVDF / P(VDF-TrFE) tracer
  { ion: 'CF-', species: 'PVDF', nominalMz: 31, polarity: 'negative', class: 'ferroelectric', primary: false, source: D41 },
  { ion: 'CF3-', species: 'P(VDF-TrFE)', nominalMz: 69, polarity: 'negative', class: 'ferroelectric', primary: false, source: D41 },
  // Li metal
  { ion: 'Li+', species: 'Li metal', nominalMz: 7, polarity: 'positive', class: 'substrate', primary: true, source: D41 },
  { ion: 'Li2+', species: 'Li metal', nominalMz: 14, polarity: 'positive', class: 'substrate', primary: false, source: D41 },
  { ion: 'Li-', species: 'Li metal', nominalMz: 7, polarity: 'negative', class: 'substrate', primary: false, source: D41 },
];

/** Monoisotopic masses (u) of the elements the library uses. */
const ELEMENT_MASS: Readonly<Record<string, number>> = {
  H: 1.00782503,
  Li: 7.01600344,
  C: 12,
  N: 14.00307401,
  O: 15.99491462,
  F: 18.99840316,
  P: 30.97376199,
  S: 31.97207117,
  Ti: 47.94794198,
  Ba: 137.9052472,
};
export const ELECTRON_MASS = 0.000548579909;

/** Exact m/z of a singly charged ion like `LiF2-`; NaN if the formula has an unknown element. */
export function exactMz(ion: string): number {
  const m = /^(.*?)([+-])$/.exec(normaliseIon(ion));
  if (!m) return NaN;
  let mass = 0;
  const re = /([A-Z][a-z]?)(\d*)/g;
  let t: RegExpExecArray | null;
  let consumed = 0;
  while ((t = re.exec(m[1]!)) !== null) {
    if (t[0] === '') break;
    const em = ELEMENT_MASS[t[1]!];
    if (em === undefined) return NaN;
    mass += em * (t[2] ? Number(t[2]) : 1);
    consumed += t[0].length;
  }
  if (consumed !== m[1]!.length) return NaN;
  return m[2] === '-' ? mass + ELECTRON_MASS : mass - ELECTRON_MASS;
}

/**
 * Canonical spelling of an ion label for matching: SurfaceLab subscripts (`LiF_2-`), spaces, Unicode
 * sub/superscripts and charge signs (`LiF₂⁻`) all map to `LiF2-`. Isotope prefixes (`^13C`) are kept,
 * so `^13CN-` never matches `CN-`.
 */
export function normaliseIon(label: string): string {
  const sub = '₀₁₂₃₄₅₆₇₈₉';
  return label
    .trim()
    .replace(/[₀-₉]/g, (c) => String(sub.indexOf(c)))
    .replace(/[⁻−]/g, '-')
    .replace(/⁺/g, '+')
    .replace(/[_\s]/g, '');
}

export interface MarkerMatch {
  readonly marker: Marker;
  /** Column names (in the record) assigned to this marker. */
  readonly columns: readonly string[];
  readonly by: 'name' | 'mass';
}

export interface MatchOptions {
  /** Mass tolerance (u) for assigning an unnamed column by its exact mass. @default 0.005 */
  readonly massToleranceU?: number;
}

/**
 * Assign record columns to library markers: by normalised name first, then by exact mass within a
 * tolerance for columns whose label matches nothing (e.g. a column named by its mass). A column is
 * assigned to at most one marker.
 */
export function matchMarkers(
  ions: readonly { column: string; label?: string; mass?: number | null }[],
  library: readonly Marker[] = MARKERS,
  o: MatchOptions = {},
): MarkerMatch[] {
  const tol = o.massToleranceU ?? 0.005;
  const used = new Set<string>();
  const byMarker = new Map<Marker, { cols: string[]; by: 'name' | 'mass' }>();
  const lib = new Map(library.map((m) => [normaliseIon(m.ion), m]));
  for (const ion of ions) {
    const m = lib.get(normaliseIon(ion.label ?? ion.column));
    if (!m) continue;
    used.add(ion.column);
    const e = byMarker.get(m) ?? { cols: [], by: 'name' as const };
    e.cols.push(ion.column);
    byMarker.set(m, e);
  }
  for (const ion of ions) {
    if (used.has(ion.column) || ion.mass == null) continue;
    const sign = (ion.label ?? ion.column).trim().slice(-1);
    for (const m of library) {
      if (sign === '+' && m.polarity !== 'positive') continue;
      if (sign === '-' && m.polarity !== 'negative') continue;
      if (Math.abs(exactMz(m.ion) - ion.mass) <= tol) {
        const e = byMarker.get(m) ?? { cols: [], by: 'mass' as const };
        e.cols.push(ion.column);
        byMarker.set(m, e);
        used.add(ion.column);
        break;
      }
    }
  }
  return [...byMarker].map(([marker, e]) => ({ marker, columns: e.cols, by: e.by }));
}
