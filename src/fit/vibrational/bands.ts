/**
 * The band library for Raman/FTIR solvation analysis, as data. Every window, ordering and caveat here
 * is from ../shared/domain/MECHANISMS.md §5 (tags as there: [V] read in the source, [B] background,
 * [D] derived here). Where MECHANISMS says "no source found", so does the entry, and no number is
 * invented: a region without a sourced window is not fitted by default (a caller may pass its own).
 *
 * Sub-band centres: MECHANISMS §5.2 finds no source for the free/CIP/AGG centres of FSI⁻, TFSI⁻ or
 * PF₆⁻, nor for EC 893/904 or DME. So the fitter does not take centres from the library: it places the
 * components from the data (the envelope's maximum and half-width, src/fit/vibrational/fit.ts) and
 * orders them by wavenumber, lowest = least coordinated. That ordering [D] follows the measured
 * upshift on Li⁺ coordination in the two cases §5.2 gives numbers for — ClO₄⁻ ν1 free 933, SSIP 939,
 * CIP 945 cm⁻¹ (*JES* 145, 3346 (1998); *J. Mol. Struct.* 829, 37 (2007)) and DMSO C–S free 667/697 vs
 * Li⁺-bound 676/708 (*Nat. Commun.* 2024, s41467-024-47629-2) — and is an assumption for the others.
 */

export type BandRole = 'free' | 'cip' | 'agg' | 'solvent-free' | 'solvent-bound';

export interface BandRegion {
  readonly id: string;
  readonly species: string;
  readonly kind: 'anion' | 'solvent';
  /** Text names (salt, solvent) that select this region from a record's title / file name. */
  readonly match: RegExp;
  /** Fit window (cm⁻¹) with its source, or null when no source gives one. */
  readonly window: readonly [number, number] | null;
  /**
   * Approximate band position (cm⁻¹) a source gives when it gives no window: the fit window is then
   * taken from the data around the spectrum's band nearest this position (fit.ts, `dataWindow`).
   */
  readonly anchor?: number;
  /** Components, in increasing wavenumber (lowest = least coordinated, see above). */
  readonly components: readonly BandRole[];
  /** Narrower range (cm⁻¹) the first component centre must lie in, when a source gives one. */
  readonly centreRange?: readonly [number, number];
  readonly source: string;
  /** [V]/[B]/[D] status and any "no source found". */
  readonly status: string;
  /** Techniques the region can be fitted for (free/CIP fractions need both bands visible). */
  readonly techniques: readonly ('raman' | 'ftir')[];
  readonly caveat?: string;
}

export const BAND_REGIONS: readonly BandRegion[] = [
  {
    id: 'FSI-SNS',
    species: 'FSI⁻ S–N–S bend',
    kind: 'anion',
    match: /(?<!t)fsi|fsa(?!\w)/i,
    window: [680, 780],
    centreRange: [710, 745],
    components: ['free', 'cip', 'agg'],
    source:
      'window 680–780 cm⁻¹: Nat. Commun. 2024, s41467-024-47448-5, Fig. 3 [V caption] (1.2 m LiFSI in DME/DMC/BMC, CIP and AGG fitted); free/SSIP/CIP sub-bands within 710–745 cm⁻¹: Nat. Commun. 2024, s41467-024-47629-2, Fig. 4 [V caption] (MECHANISMS §5.2)',
    status: 'window [V]; exact sub-band centres: no source found (placed from the data)',
    techniques: ['raman', 'ftir'],
  },
  {
    id: 'TFSI-SNS',
    species: 'TFSI⁻ strong mode (~740)',
    kind: 'anion',
    match: /tfsi|tfsa/i,
    window: [700, 780],
    components: ['free', 'cip', 'agg'],
    source:
      'TFSI⁻ strong mode ~740 cm⁻¹ with ion-pair fractions by band-shape analysis: PEO–LiTFSI study (MECHANISMS §5.2) [V]; window 700–780 cm⁻¹: MECHANISMS §5.3 deconvolution practice [B]',
    status: 'sub-band centres: no source found (placed from the data)',
    techniques: ['raman', 'ftir'],
    caveat:
      'Henderson et al., JES 169, 060515 (2022), DOI 10.1149/1945-7111/ac71d4 [V]: the CIP-I band overlaps or lies right beside the free/SSIP band, so free vs CIP is poorly separated; trust the stated uncertainty',
  },
  {
    id: 'PF6-PF',
    species: 'PF₆⁻ P–F symmetric stretch (ν1)',
    kind: 'anion',
    match: /pf6|pf₆/i,
    window: null,
    components: ['free', 'cip'],
    source:
      "position ~740 cm⁻¹ is issue #20's wording; MECHANISMS §5.2: numeric position no source found; SSIP and CIP overlap (Han et al., JPCC 119, 8492 (2015), DOI 10.1021/acs.jpcc.5b00826 [V]); ν1 is Raman-only when free and becomes IR-active on Li⁺ coordination (Burba & Frech, JPCB 109, 15161 (2005), DOI 10.1021/jp058045f [V])",
    status: 'no source found for the window: not fitted unless a window is passed',
    techniques: ['raman'],
    caveat:
      'SSIP and CIP bands overlap (Han et al. 2015): free vs CIP is poorly separated, trust the stated uncertainty; FTIR ν1 intensity is a CIP probe only (Burba & Frech 2005): no free/CIP fractions from an IR spectrum',
  },
  {
    id: 'NO3',
    species: 'NO₃⁻ (free / CIP / AGG)',
    kind: 'anion',
    match: /no3|no₃|nitrate/i,
    window: null,
    components: ['free', 'cip', 'agg'],
    source: 'MECHANISMS §5.2: NO3⁻ free/CIP/AGG bands — no source found',
    status: 'no source found: not fitted unless a window is passed',
    techniques: ['raman', 'ftir'],
  },
  {
    id: 'EC-ring',
    species: 'EC ring breathing (~900, splits free / Li⁺-bound)',
    kind: 'solvent',
    match: /(?<![a-z])ec(?![a-z])|ethylene carbonate/i,
    window: null,
    anchor: 900,
    components: ['solvent-free', 'solvent-bound'],
    source:
      "the ~900 cm⁻¹ line splits into Li⁺-bound and free EC: Electrochim. Acta 34, 1551 (1989), DOI 10.1016/0013-4686(89)87040-9 [V]; the 893/904 cm⁻¹ pair is issue #20's wording, exact positions no source found (MECHANISMS §5.2); Allen, Borodin, Seo & Henderson, J. Power Sources 267, 821 (2014) [V abstract] call earlier EC Raman analyses faulty (equal cross-sections)",
    status: '~900 cm⁻¹ [V]; window from the data around the band nearest 900 [D]; exact 893/904: no source found',
    techniques: ['raman'],
  },
  {
    id: 'DME',
    species: 'DME free / Li⁺-bound',
    kind: 'solvent',
    match: /(?<![a-z])dme(?![a-z])|dimethoxyethane/i,
    window: null,
    components: ['solvent-free', 'solvent-bound'],
    source: "MECHANISMS §5.2: DME free/bound (850/870 in issue #20's gap list) — no source found",
    status: 'no source found: not fitted unless a window is passed',
    techniques: ['raman'],
  },
];

/** Regions whose names appear in `text` (salt and solvent of the sample), anion regions first. */
export function regionsFor(text: string): BandRegion[] {
  const hits = BAND_REGIONS.filter((r) => r.match.test(text));
  // "LiTFSI" also contains "FSI": TFSI wins
  const out = hits.some((r) => r.id === 'TFSI-SNS') ? hits.filter((r) => r.id !== 'FSI-SNS') : hits;
  return out.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'anion' ? -1 : 1));
}
