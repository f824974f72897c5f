/**
 * The SEI species library, as data. Each entry is one component of one core level: where it may sit
 * (binding-energy window, charge-referenced to C–C 284.8 eV), how wide it may be, its line shape and
 * its class for the inorganic-fraction metric. Values are from DOMAIN.md §3.1 with the tag and source
 * given there; where a window was narrowed to keep neighbouring windows from overlapping, `note` says so.
 *
 * To edit: change a window or FWHM here (or pass `species` in XpsFitOptions to replace the whole
 * list); set `enabled: false` to leave a component out of the default fit. Every number must keep its
 * `source`.
 */
export type CoreLevel = 'Li 1s' | 'C 1s' | 'N 1s' | 'O 1s' | 'F 1s' | 'P 2p' | 'S 2p' | 'Ti 2p' | 'Ba 3d';
export type SpeciesClass = 'inorganic' | 'organic' | 'metal' | 'substrate';

export interface SpeciesEntry {
  /** Unique id of this component: `species:core`. */
  readonly id: string;
  /** Chemical species the component counts atoms of (shared across core levels, e.g. Li2CO3 in C 1s and O 1s). */
  readonly species: string;
  readonly label: string;
  readonly core: CoreLevel;
  /** Referenced binding-energy window (eV) the fitted centre must stay in. */
  readonly window: readonly [number, number];
  /** FWHM bounds (eV), intersected over the components of a region (one shared FWHM per region). */
  readonly fwhm: readonly [number, number];
  readonly cls: SpeciesClass;
  /** CasaXPS notation; GL(30) is the DOMAIN §3.1 convention. */
  readonly shape: string;
  /** Part of the default fit. */
  readonly enabled: boolean;
  /** DOMAIN.md evidence tag and the source it cites. */
  readonly source: string;
  readonly note?: string;
  /**
   * Leave the component out of a region fit when the scan does not reach its window (a spin–orbit
   * partner such as Ti 2p1/2 or Ba 3d3/2 that a narrow scan may cut off). @default false
   */
  readonly requiresCoverage?: boolean;
}

const D31 = 'DOMAIN.md §3.1';
const XPSFIT = `${D31} [V] http://www.xpsfitting.com/2014/10/lithium.html`;
const M71 = 'shared/domain/MECHANISMS.md §7.1 [V]';

export const SPECIES_LIBRARY: readonly SpeciesEntry[] = [
  // C 1s
  {
    id: 'C-C:C1s',
    species: 'C-C',
    label: 'C–C / C–H',
    core: 'C 1s',
    window: [284.5, 285.1],
    fwhm: [1.0, 1.6],
    cls: 'organic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B] (reference line 284.8 eV)`,
  },
  {
    id: 'C-O:C1s',
    species: 'C-O',
    label: 'C–O (ROLi, PEO-like, ethers)',
    core: 'C 1s',
    window: [286.2, 286.8],
    fwhm: [1.2, 1.8],
    cls: 'organic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B]`,
  },
  {
    id: 'ROLi:C1s',
    species: 'ROLi',
    label: 'ROLi (alkoxide C–O)',
    core: 'C 1s',
    window: [286.2, 286.8],
    fwhm: [1.2, 1.8],
    cls: 'organic',
    shape: 'GL(30)',
    enabled: false,
    source: `${D31} [B]`,
    note: 'same window as C–O: enable INSTEAD of C-O:C1s when ROLi is known to dominate',
  },
  {
    id: 'C=O:C1s',
    species: 'C=O',
    label: 'C=O',
    core: 'C 1s',
    window: [287.8, 288.3],
    fwhm: [1.2, 1.8],
    cls: 'organic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B]`,
  },
  {
    id: 'ROCO2Li:C1s',
    species: 'ROCO2Li',
    label: 'O–C=O / ROCO2Li (LEDC)',
    core: 'C 1s',
    window: [288.8, 289.7],
    fwhm: [1.2, 1.8],
    cls: 'organic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B] 288.8–289.8`,
    note: 'upper edge 289.8 → 289.7 to stay clear of Li2CO3',
  },
  {
    id: 'Li2CO3:C1s',
    species: 'Li2CO3',
    label: 'Li2CO3 (CO3²⁻)',
    core: 'C 1s',
    window: [289.8, 290.3],
    fwhm: [1.2, 1.6],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B]`,
  },
  {
    id: 'CF2:C1s',
    species: 'CF2',
    label: 'CF2 (PVDF / P(VDF-TrFE) coating)',
    core: 'C 1s',
    window: [290.5, 291.1],
    fwhm: [1.2, 1.6],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: false,
    source: `${D31} [B] ~290.8`,
    note: 'enable for PVDF-type FD coatings',
  },
  // O 1s
  {
    id: 'Li2O:O1s',
    species: 'Li2O',
    label: 'Li2O',
    core: 'O 1s',
    window: [528.3, 528.8],
    fwhm: [1.0, 1.5],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B] (SEI work; bulk reference 531.3 [V])`,
  },
  {
    id: 'BaTiO3:O1s',
    species: 'BaTiO3',
    label: 'BaTiO3 lattice O',
    core: 'O 1s',
    window: [529.0, 529.8],
    fwhm: [1.0, 1.6],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: false,
    source: 'not in DOMAIN.md §3.1: typical perovskite lattice O 529–529.8 eV [B, unverified]',
    note: 'enable for BaTiO3 FD layers; verify against the pristine coating',
  },
  {
    id: 'LiOH:O1s',
    species: 'LiOH',
    label: 'LiOH',
    core: 'O 1s',
    window: [531.0, 531.4],
    fwhm: [1.4, 1.8],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: false,
    source: `${XPSFIT} 531.2 ± 0.2`,
    note: 'overlaps Li2CO3 O 1s by 0.1 eV: enable only when hydroxide is expected',
  },
  {
    id: 'Li2CO3:O1s',
    species: 'Li2CO3',
    label: 'Li2CO3',
    core: 'O 1s',
    window: [531.3, 531.7],
    fwhm: [1.4, 1.8],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${XPSFIT} 531.5 ± 0.1 (window ±0.2)`,
  },
  {
    id: 'O-C=O:O1s',
    species: 'C=O',
    label: 'organic C=O oxygen',
    core: 'O 1s',
    window: [531.8, 532.3],
    fwhm: [1.5, 2.0],
    cls: 'organic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B] 531.5–532.3`,
    note: 'lower edge 531.5 → 531.8 to stay clear of Li2CO3',
  },
  {
    id: 'O-C-O:O1s',
    species: 'C-O',
    label: 'organic C–O oxygen',
    core: 'O 1s',
    window: [533.0, 533.8],
    fwhm: [1.5, 2.0],
    cls: 'organic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B]`,
  },
  // F 1s
  {
    id: 'LiF:F1s',
    species: 'LiF',
    label: 'LiF',
    core: 'F 1s',
    window: [684.6, 685.8],
    fwhm: [1.4, 2.0],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [V] 685.5 ± 0.7 (NIST), 685.1 ± 0.1 (Biesinger), SEI 684.6–685.2; xpsfitting`,
  },
  {
    id: 'LixPOyFz:F1s',
    species: 'LixPOyFz',
    label: 'LixPFy / LixPOyFz, C–F, residual LiPF6',
    core: 'F 1s',
    window: [686.5, 688.0],
    fwhm: [1.5, 2.0],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B]`,
  },
  // Li 1s
  {
    id: 'Li0:Li1s',
    species: 'Li metal',
    label: 'Li metal (Li⁰)',
    core: 'Li 1s',
    window: [52.3, 52.8],
    fwhm: [0.8, 1.2],
    cls: 'metal',
    shape: 'LA(1.3,2.5)',
    enabled: true,
    source: `${D31} [B] 52.3–52.8 (grounded metal)`,
    note: 'asymmetric LA tail towards high BE (conduction-electron losses); exponents are a default, not a measured value',
  },
  {
    id: 'Li+:Li1s',
    species: 'Li+',
    label: 'Li⁺ compounds (Li2O, LiOH, Li2CO3, LiF)',
    core: 'Li 1s',
    window: [53.7, 56.1],
    fwhm: [1.2, 2.2],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [V] Li2O/LiOH ~53.7–55.8, Li2CO3 55.1–55.4, LiF 55.8–56.1`,
    note: 'one envelope: compound splits in Li 1s are below the FWHM and referencing-sensitive (§3.2); Li 1s is used for the Li⁰ share and total Li',
  },
  {
    id: 'Li2O:Li1s',
    species: 'Li2O',
    label: 'Li2O (Li 1s)',
    core: 'Li 1s',
    window: [53.7, 55.0],
    fwhm: [1.2, 1.8],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: false,
    source: `${D31} [V] Harwell 55.8 vs Au; ~53.7–55.8`,
    note: 'window narrowed to 55.0 to stay clear of Li2CO3; use instead of Li+ only with good resolution',
  },
  {
    id: 'Li2CO3:Li1s',
    species: 'Li2CO3',
    label: 'Li2CO3 (Li 1s)',
    core: 'Li 1s',
    window: [55.1, 55.4],
    fwhm: [1.2, 1.8],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: false,
    source: `${D31} [V] Harwell 55.1; Thermo 55.4`,
  },
  {
    id: 'LiF:Li1s',
    species: 'LiF',
    label: 'LiF (Li 1s)',
    core: 'Li 1s',
    window: [55.8, 56.1],
    fwhm: [1.2, 1.8],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: false,
    source: `${D31} [V] Thermo 56.1`,
  },
  // N 1s
  {
    id: 'Li3N:N1s',
    species: 'Li3N',
    label: 'Li3N',
    core: 'N 1s',
    window: [397.5, 398.5],
    fwhm: [1.2, 1.8],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B]`,
  },
  {
    id: 'LiNxOy:N1s',
    species: 'LiNxOy',
    label: 'LiNxOy / N–O',
    core: 'N 1s',
    window: [399.0, 404.0],
    fwhm: [1.5, 2.0],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B]`,
  },
  {
    id: 'NO3:N1s',
    species: 'LiNO3',
    label: 'NO3⁻ (LiNO3 residue)',
    core: 'N 1s',
    window: [407.0, 408.0],
    fwhm: [1.4, 1.8],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B] 407–408, FWHM 1.5`,
  },
  // P 2p (fitted as one envelope per species; the 0.84 eV 2:1 doublet is inside the FWHM bound)
  {
    id: 'Li3PO4:P2p',
    species: 'Li3PO4',
    label: 'Li3PO4',
    core: 'P 2p',
    window: [133.1, 133.6],
    fwhm: [1.2, 2.0],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${XPSFIT} 133.3 ± 0.1 (2p3/2)`,
    note: 'envelope of the doublet: window widened by +0.3 eV for the 2p1/2 share',
  },
  {
    id: 'LixPOyFz:P2p',
    species: 'LixPOyFz',
    label: 'LixPOyFz / LiPF6',
    core: 'P 2p',
    window: [134.0, 137.0],
    fwhm: [1.5, 2.0],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B]`,
  },
  // S 2p (LiFSI / LiTFSI electrolytes; one envelope per species: the 1.18 eV 2:1 doublet is inside the FWHM bound)
  {
    id: 'Li2S:S2p',
    species: 'Li2S',
    label: 'Li2S / sulfide (FSI⁻/TFSI⁻ reduction)',
    core: 'S 2p',
    window: [160.0, 161.6],
    fwhm: [1.6, 2.4],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B] Li2S ~160–161 (2p3/2)`,
    note: 'envelope of the doublet: window widened by +0.6 eV for the 2p1/2 share',
  },
  {
    id: 'SOx:S2p',
    species: 'SOx',
    label: 'SOx / sulfite–sulfate (FSI⁻/TFSI⁻ residue)',
    core: 'S 2p',
    window: [166.0, 169.6],
    fwhm: [1.6, 2.4],
    cls: 'inorganic',
    shape: 'GL(30)',
    enabled: true,
    source: `${D31} [B] SOx 166–169 (2p3/2)`,
    note: 'envelope of the doublet; not in the default inorganic-fraction list (configurable): S is an anion signature',
  },
  // FD coating tracers
  // Ti 2p: BaTiO3 (Ti⁴⁺) and its reduction by Li (Ti³⁺, Ti²⁺), MECHANISMS.md §7.1 / §7.3. Literature values
  // quoted on C 1s = 284.6 eV are moved +0.2 eV to this library's C–C 284.8 scale. Spin–orbit splitting
  // 5.7 eV (oxide; Thermo [V]) places each 2p1/2 partner; its area is free (never forced to 2:1: Ti 2p1/2
  // is Coster–Kronig broadened, Thermo/Cardiff/Harwell [V]). The region shares one FWHM (region-fit.ts),
  // so the broader 2p1/2 is fitted at the 2p3/2 width: the Ti³⁺ fraction uses the 2p3/2 areas only (§7.3).
  // FWHM bounds: no source in MECHANISMS; a fitting convenience [D].
  {
    id: 'BaTiO3:Ti2p',
    species: 'BaTiO3',
    label: 'Ti⁴⁺ 2p3/2 (BaTiO3)',
    core: 'Ti 2p',
    window: [458.0, 459.3],
    fwhm: [1.0, 2.0],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: true,
    source: `${M71} TiO2 458.5 (458.2 P25; Thermo, Cardiff), 459.3 on Au 4f 84.0 (Harwell); SrTiO3 458.4 (Thermo)`,
    note: 'titanates shift slightly from TiO2 (polarisation energy, §7.1): calibrate on a pristine BTO from the same instrument',
  },
  {
    id: 'Ti3+:Ti2p',
    species: 'Ti3+',
    label: 'Ti³⁺ 2p3/2 (BaTiO3 reduced by Li)',
    core: 'Ti 2p',
    window: [456.2, 457.3],
    fwhm: [1.0, 2.0],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: true,
    source: `${M71} Ti2O3 456.6 on C 1s 284.6 (Harwell) = 456.8 here; Li-inserted anatase Ti⁴⁺ − 2.1 eV (EPFL infoscience 209377)`,
    note: 'Ar⁺ sputtering also makes Ti³⁺ (§7.3): compare at a matched sputter dose with a Li-free BTO control',
  },
  {
    id: 'Ti2+:Ti2p',
    species: 'Ti2+',
    label: 'Ti²⁺ 2p3/2 (deep reduction)',
    core: 'Ti 2p',
    window: [454.3, 455.0],
    fwhm: [1.0, 2.0],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: false,
    source: `${M71} TiO 454.4 on C 1s 284.6 (Harwell) = 454.6 here`,
    note: 'Ti metal 454.0–454.1 (Thermo, Harwell) sits next to it: enable only when deep reduction is expected',
  },
  {
    id: 'BaTiO3:Ti2p1/2',
    species: 'BaTiO3',
    label: 'Ti⁴⁺ 2p1/2',
    core: 'Ti 2p',
    window: [463.7, 465.0],
    fwhm: [1.0, 2.0],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: true,
    requiresCoverage: true,
    source: `${M71} Ti⁴⁺ 2p3/2 window + 5.7 eV (Thermo)`,
  },
  {
    id: 'Ti3+:Ti2p1/2',
    species: 'Ti3+',
    label: 'Ti³⁺ 2p1/2',
    core: 'Ti 2p',
    window: [461.9, 463.0],
    fwhm: [1.0, 2.0],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: true,
    requiresCoverage: true,
    source: `${M71} Ti³⁺ 2p3/2 window + 5.7 eV (Thermo)`,
  },
  // Ba 3d: BaTiO3 powder 778.82 / 794.12 eV (3d5/2 / 3d3/2, splitting 15.3 eV); a low-BE doublet 777.93 /
  // 793.15 = BaCO3 and/or relaxed Ba (MECHANISMS §7.1: a translation-site copy of a paper, scale not
  // retrieved — verify before use as an oracle). A low Ba 3d BE is not reduction to Ba⁰ (Vasquez 1991).
  {
    id: 'BaTiO3:Ba3d',
    species: 'BaTiO3',
    label: 'BaTiO3 Ba 3d5/2',
    core: 'Ba 3d',
    window: [778.5, 779.5],
    fwhm: [1.0, 1.6],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: true,
    source: `${M71} 778.82 (woaifanyi copy, unverified scale); ${D31} [B] ~779`,
  },
  {
    id: 'BaTiO3:Ba3d3/2',
    species: 'BaTiO3',
    label: 'BaTiO3 Ba 3d3/2',
    core: 'Ba 3d',
    window: [793.8, 794.8],
    fwhm: [1.0, 1.6],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: true,
    requiresCoverage: true,
    source: `${M71} 794.12 (woaifanyi copy, unverified scale)`,
  },
  {
    id: 'BaCO3:Ba3d',
    species: 'BaCO3',
    label: 'Ba 3d5/2 low-BE (BaCO3 / relaxed Ba)',
    core: 'Ba 3d',
    window: [777.5, 778.4],
    fwhm: [1.0, 1.6],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: false,
    source: `${M71} 777.93 (woaifanyi copy, unverified scale)`,
    note: 'surface carbonate can dominate Ba spectra (Karslıoğlu et al., escholarship 7b78162d): enable when a low-BE shoulder is seen',
  },
  {
    id: 'BaCO3:Ba3d3/2',
    species: 'BaCO3',
    label: 'Ba 3d3/2 low-BE (BaCO3 / relaxed Ba)',
    core: 'Ba 3d',
    window: [792.8, 793.6],
    fwhm: [1.0, 1.6],
    cls: 'substrate',
    shape: 'GL(30)',
    enabled: false,
    requiresCoverage: true,
    source: `${M71} 793.15 (woaifanyi copy, unverified scale)`,
  },
];

/**
 * Scofield relative sensitivity factors at Al Kα, C 1s = 1 (DOMAIN.md §3.3, Scofield 1976,
 * DOI 10.1016/0368-2048(76)80015-1). Ba 3d5/2 ≈ 25 is marked "verify in instrument library" there.
 */
export const SCOFIELD_RSF: Readonly<Record<CoreLevel, number>> = {
  'Li 1s': 0.0568,
  'C 1s': 1.0,
  'N 1s': 1.8,
  'O 1s': 2.93,
  'F 1s': 4.43,
  'P 2p': 1.19,
  'S 2p': 1.68,
  'Ti 2p': 7.81,
  'Ba 3d': 25,
};

/** Region name as instruments write it (`C1s`, `C 1s`, `Li1s`, `F_1s`, `Ba3d5`) → core level, or undefined. */
export function coreLevelOf(region: string): CoreLevel | undefined {
  const k = region
    .toLowerCase()
    .replace(/[\s_-]/g, '')
    .replace(/\d+\/\d+$/, '');
  const m = /^(li|c|n|o|f|p|s|ti|ba)(1s|2p|3d)\d?(?:#\d+)?$/.exec(k);
  if (!m) return undefined;
  const el = m[1] === 'li' ? 'Li' : m[1] === 'ti' ? 'Ti' : m[1] === 'ba' ? 'Ba' : m[1]!.toUpperCase();
  const lvl = `${el} ${m[2]}` as CoreLevel;
  return lvl in SCOFIELD_RSF ? lvl : undefined;
}
