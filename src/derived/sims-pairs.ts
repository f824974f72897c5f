/**
 * ToF-SIMS heterogeneity per cell from one-file-per-ion exports (IONTOF SurfaceLab's usual way to export
 * images). A single-ion image cannot give the inorganic/organic map on its own, so images of one cell and
 * one acquisition — same cell, same polarity, file names differing only in the ion — are paired here, at
 * the campaign level, as P–E loops are paired in pe-pairs.ts.
 *
 * The map is analysed at a FIXED PHYSICAL SCALE so cells imaged with other pixel counts or fields of view
 * compare: pixel = FOV / pixels, bin = round(binUm / pixel) pixels (default DEFAULT_SIMS_BIN_UM). An image
 * whose pixels cannot make that bin (within BIN_SCALE_TOLERANCE), that gives fewer than
 * MIN_BINS_PER_SIDE bins per side, or whose field of view is unknown gets a warning and no index — never
 * a silently different scale. Share map, noise-corrected CV, Moran's I and hot spots as in src/fit/sims/image.ts.
 */
import type { CellParameter } from '../records/results.js';
import { PARAMETERS } from '../records/parameters.js';
import { MARKERS, normaliseIon, type MarkerClass } from '../fit/sims/markers.js';
import {
  bin,
  cvTrue,
  hotspotFraction,
  moransI,
  ratioMap,
  DEFAULT_MAP_OPTIONS,
  type CvResult,
  type MapOptions,
  type MoranOptions,
  type MoranResult,
} from '../fit/sims/image.js';

export const SIMS_PAIRING_FITTER = 'sims-pairing';

/**
 * Default bin (µm). 8 µm because the usual IONTOF fields and pixel counts all realise the same bin:
 * 500 µm/128 px → 2 px, 500/256 → 4, 500/512 → 8, 200/128 → 5, 200/256 → 10, 100/256 → 20 px, each 7.81 µm.
 */
import { DEFAULT_SIMS_BIN_UM } from '../fit/sims/image.js';
export { DEFAULT_SIMS_BIN_UM };
/** Fewest bins per side for an index (a 3×3 map has no interior to speak of). */
export const MIN_BINS_PER_SIDE = 4;
/** Largest relative difference between the realised bin (whole pixels) and the requested one. */
export const BIN_SCALE_TOLERANCE = 0.25;

/** One single-ion image as the campaign stage reads it from the store. */
export interface SimsIonImage {
  readonly cell: string | null;
  readonly recordId: string;
  /** Path relative to the campaign folder. */
  readonly path: string;
  /** Ion label as the file writes it (`LiF_2-`). */
  readonly ion: string;
  readonly polarity: string | null;
  /** The literal ion token in the file name (`LiF2-` in `C07_neg_LiF2-_500um.txt`), null when absent. */
  readonly ionInFileName: string | null;
  readonly fovUm: number | null;
  readonly fovHeightUm?: number | null;
  readonly width: number;
  readonly height: number;
  /** W·H counts, row-major (slices of a stack summed); null when the store does not hold them. */
  readonly counts: Float64Array | null;
}

export interface SimsPairingOptions extends MapOptions, MoranOptions {
  /** Bin edge in µm. @default DEFAULT_SIMS_BIN_UM */
  readonly binUm?: number;
  /** @default MIN_BINS_PER_SIDE */
  readonly minBinsPerSide?: number;
  /** @default BIN_SCALE_TOLERANCE */
  readonly binTolerance?: number;
}

export interface SimsPairWarning {
  readonly recordId: string;
  readonly path: string;
  readonly cell: string | null;
  readonly code: string;
  readonly message: string;
}

/** The heterogeneity of one map at a fixed physical scale. */
export interface ScaledAnalysis {
  readonly pixelUm: number;
  readonly binPx: number;
  /** Realised bin edge: binPx · pixelUm. */
  readonly binUm: number;
  readonly bins: readonly [number, number];
  /** Share of bins with ≥ minCountsPerPixel counts (the others are masked). */
  readonly coverage: number;
  readonly cv: CvResult;
  readonly moran: MoranResult;
  readonly hotspot: number;
}

export type ScaleOutcome = { readonly ok: true; readonly analysis: ScaledAnalysis } | { readonly ok: false; readonly code: string; readonly message: string };

export interface SimsPair {
  readonly cell: string;
  readonly polarity: string;
  /** Directory + file stem with the ion replaced by `*`: what the paired files share. */
  readonly acquisition: string;
  readonly inorganic: readonly string[];
  readonly organic: readonly string[];
  readonly sources: readonly string[];
  readonly fovUm: number;
  readonly analysis: ScaledAnalysis;
}

export interface SimsPairing {
  readonly parameters: CellParameter[];
  readonly pairs: SimsPair[];
  readonly warnings: SimsPairWarning[];
}

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : String(x));

/**
 * Heterogeneity of the inorganic/organic map (I, O counts, W × H pixels) over a field of `fovUm` at the
 * bin `binUm`: pixel = fovUm/W, bin = round(binUm/pixel) pixels.
 */
export function heterogeneityAtScale(
  I: Float64Array,
  O: Float64Array,
  W: number,
  H: number,
  fovUm: number | null,
  o: SimsPairingOptions = {},
  fovHeightUm: number | null = null,
): ScaleOutcome {
  const want = o.binUm ?? DEFAULT_SIMS_BIN_UM;
  const minBins = o.minBinsPerSide ?? MIN_BINS_PER_SIDE;
  const tol = o.binTolerance ?? BIN_SCALE_TOLERANCE;
  if (!(fovUm !== null && fovUm > 0)) {
    return {
      ok: false,
      code: 'no-field-of-view',
      message: `field of view unknown: the pixel size, hence the ${fmt(want)} µm bin, cannot be set (state it as '# Field of view: 500 µm' or '_500um' in the file name)`,
    };
  }
  const pixelUm = fovUm / W;
  if (fovHeightUm !== null && fovHeightUm > 0 && Math.abs(fovHeightUm / H / pixelUm - 1) > 0.02) {
    return {
      ok: false,
      code: 'non-square-pixels',
      message: `pixels are ${fmt(pixelUm)} µm wide but ${fmt(fovHeightUm / H)} µm high: a square bin of ${fmt(want)} µm cannot be made of whole pixels`,
    };
  }
  const binPx = Math.round(want / pixelUm);
  const binUm = binPx * pixelUm;
  if (binPx < 1 || Math.abs(binUm / want - 1) > tol) {
    return {
      ok: false,
      code: 'bin-scale-mismatch',
      message: `pixels are ${fmt(pixelUm)} µm (${fmt(fovUm)} µm / ${W} px): whole-pixel bins cannot make ${fmt(want)} µm within ${Math.round(tol * 100)} % (nearest ${binPx < 1 ? `1 px = ${fmt(pixelUm)}` : `${binPx} px = ${fmt(binUm)}`} µm); no index at another scale`,
    };
  }
  const bw = Math.floor(W / binPx);
  const bh = Math.floor(H / binPx);
  if (bw < minBins || bh < minBins) {
    return {
      ok: false,
      code: 'image-too-small',
      message: `a ${fmt(fovUm)} µm field gives only ${bw} × ${bh} bins of ${fmt(binUm)} µm (${binPx} px); at least ${minBins} × ${minBins} are needed`,
    };
  }
  const m = ratioMap(bin(I, O, W, H, binPx), o);
  const cv = cvTrue(m);
  return {
    ok: true,
    analysis: {
      pixelUm,
      binPx,
      binUm,
      bins: [bw, bh],
      coverage: m.valid / m.values.length,
      cv,
      moran: moransI(m, { permutations: o.permutations ?? 999, seed: o.seed ?? 1 }),
      hotspot: hotspotFraction(m, cv),
    },
  };
}

const MARKER_BY_ION = new Map(MARKERS.map((m) => [normaliseIon(m.ion), m]));

/** Marker class of an ion label (`LiF_2-` → inorganic), or null for a non-marker ion. */
export function markerClassOf(ion: string): MarkerClass | null {
  return MARKER_BY_ION.get(normaliseIon(ion))?.class ?? null;
}

/** What paired files share: directory + stem with the ion token replaced by `*`. */
export function acquisitionKey(path: string, ionInFileName: string | null): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const stem = path.slice(slash + 1).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  if (!ionInFileName) return dir + stem;
  const at = stem.lastIndexOf(ionInFileName);
  return at < 0 ? dir + stem : `${dir}${stem.slice(0, at)}*${stem.slice(at + ionInFileName.length)}`;
}

function polarityOfImage(img: SimsIonImage): string {
  if (img.polarity === 'negative' || img.polarity === 'positive') return img.polarity;
  const sign = normaliseIon(img.ion).slice(-1);
  return sign === '-' ? 'negative' : sign === '+' ? 'positive' : (img.polarity ?? 'unknown');
}

function examples(cls: 'inorganic' | 'organic', polarity: string): string {
  const pol = polarity === 'positive' ? 'positive' : 'negative';
  return MARKERS.filter((m) => m.class === cls && m.polarity === pol)
    .slice(0, 3)
    .map((m) => m.ion)
    .join(', ');
}

/**
 * Pair the single-ion images of each cell and acquisition, compute the heterogeneity index at `binUm`,
 * and give one set of per-cell parameters (the mean over the cell's pairs). Lone markers and images that
 * cannot be analysed at the fixed scale get a warning naming the file and why.
 */
export function pairSimsImages(images: readonly SimsIonImage[], groupOf: (cell: string) => string, o: SimsPairingOptions = {}): SimsPairing {
  const warnings: SimsPairWarning[] = [];
  const warn = (img: SimsIonImage, code: string, message: string): void => {
    warnings.push({ recordId: img.recordId, path: img.path, cell: img.cell, code, message });
  };
  const groups = new Map<string, { cell: string; polarity: string; acquisition: string; images: SimsIonImage[] }>();
  for (const img of images) {
    const cls = markerClassOf(img.ion);
    if (cls !== 'inorganic' && cls !== 'organic') continue;
    if (img.cell === null) {
      warn(img, 'sims-image-no-cell', `${img.ion} image belongs to no cell of the manifest: not paired, no heterogeneity index`);
      continue;
    }
    const polarity = polarityOfImage(img);
    const acquisition = acquisitionKey(img.path, img.ionInFileName);
    const key = `${img.cell}\u0000${polarity}\u0000${acquisition}`;
    const g = groups.get(key) ?? { cell: img.cell, polarity, acquisition, images: [] };
    g.images.push(img);
    groups.set(key, g);
  }
  const pairs: SimsPair[] = [];
  for (const g of groups.values()) {
    const seen = new Map<string, SimsIonImage>();
    const inorg: SimsIonImage[] = [];
    const org: SimsIonImage[] = [];
    for (const img of g.images) {
      const n = normaliseIon(img.ion);
      const first = seen.get(n);
      if (first) {
        warn(
          img,
          'sims-duplicate-ion',
          `a second ${img.ion} image of cell ${g.cell} and acquisition '${g.acquisition}' (first: ${first.path}); only the first is used`,
        );
        continue;
      }
      seen.set(n, img);
      (markerClassOf(img.ion) === 'inorganic' ? inorg : org).push(img);
    }
    const where = `cell ${g.cell}, ${g.polarity} ions, files named like '${g.acquisition}'`;
    if (!inorg.length || !org.length) {
      const missing = inorg.length ? 'organic' : 'inorganic';
      for (const img of [...inorg, ...org]) {
        warn(
          img,
          `sims-missing-${missing}-partner`,
          `${img.ion} image (${missing === 'organic' ? 'inorganic' : 'organic'} marker) has no ${missing}-marker partner (e.g. ${examples(missing, g.polarity)}) of the same ${where}: no heterogeneity index`,
        );
      }
      continue;
    }
    const all = [...inorg, ...org];
    const fail = (code: string, message: string): void => {
      for (const img of all) warn(img, code, `${message} (${where}); no heterogeneity index`);
    };
    const W = all[0]!.width;
    const H = all[0]!.height;
    if (all.some((x) => x.width !== W || x.height !== H)) {
      fail('sims-size-mismatch', `paired images differ in size (${all.map((x) => `${x.ion} ${x.width}×${x.height}`).join(', ')})`);
      continue;
    }
    const fovs = [...new Set(all.map((x) => x.fovUm).filter((x): x is number => x !== null && x > 0))];
    if (fovs.some((f) => Math.abs(f / fovs[0]! - 1) > 0.005)) {
      fail('sims-fov-mismatch', `paired images state different fields of view (${all.map((x) => `${x.ion} ${x.fovUm ?? '?'} µm`).join(', ')})`);
      continue;
    }
    const missingCounts = all.filter((x) => !x.counts || x.counts.length !== W * H);
    if (missingCounts.length) {
      fail('sims-no-counts', `the counts of ${missingCounts.map((x) => x.path).join(', ')} are not in the store`);
      continue;
    }
    const I = new Float64Array(W * H);
    const O = new Float64Array(W * H);
    for (const x of inorg) for (let k = 0; k < W * H; k++) I[k]! += x.counts![k]!;
    for (const x of org) for (let k = 0; k < W * H; k++) O[k]! += x.counts![k]!;
    const heights = all.map((x) => x.fovHeightUm ?? null).filter((x): x is number => x !== null && x > 0);
    const r = heterogeneityAtScale(I, O, W, H, fovs[0] ?? null, o, heights[0] ?? null);
    if (!r.ok) {
      fail(`sims-${r.code}`, r.message);
      continue;
    }
    const minCounts = o.minCountsPerPixel ?? DEFAULT_MAP_OPTIONS.minCountsPerPixel;
    const minCoverage = o.minCoverage ?? DEFAULT_MAP_OPTIONS.minCoverage;
    if (r.analysis.coverage < minCoverage) {
      fail(
        'sims-low-counts',
        `only ${Math.round(r.analysis.coverage * 100)} % of the ${fmt(r.analysis.binUm)} µm bins reach ${minCounts} counts: the index is noise-dominated`,
      );
    }
    pairs.push({
      cell: g.cell,
      polarity: g.polarity,
      acquisition: g.acquisition,
      inorganic: inorg.map((x) => x.ion),
      organic: org.map((x) => x.ion),
      sources: all.map((x) => x.recordId),
      fovUm: fovs[0]!,
      analysis: r.analysis,
    });
  }
  return { parameters: cellParameters(pairs, groupOf, o), pairs, warnings };
}

/** One value per cell and parameter: the mean over the cell's pairs (s.e. from their spread when ≥ 2). */
function cellParameters(pairs: readonly SimsPair[], groupOf: (cell: string) => string, o: SimsPairingOptions): CellParameter[] {
  const byCell = new Map<string, SimsPair[]>();
  for (const p of pairs) byCell.set(p.cell, [...(byCell.get(p.cell) ?? []), p]);
  const want = o.binUm ?? DEFAULT_SIMS_BIN_UM;
  const metric = o.metric ?? DEFAULT_MAP_OPTIONS.metric;
  const out: CellParameter[] = [];
  for (const [cell, ps] of byCell) {
    const sources = ps.flatMap((p) => p.sources);
    const describe = ps
      .map((p) => {
        const a = p.analysis;
        return `${p.acquisition}: ${metric === 'ratio' ? 'I/O' : 'I/(I+O)'} with I = ${p.inorganic.join('+')}, O = ${p.organic.join('+')}; bin ${a.binPx}×${a.binPx} px = ${fmt(a.binUm)} µm (requested ${fmt(want)} µm; pixel ${fmt(a.pixelUm)} µm, FOV ${fmt(p.fovUm)} µm), ${a.bins[0]}×${a.bins[1]} bins, ≥ ${o.minCountsPerPixel ?? DEFAULT_MAP_OPTIONS.minCountsPerPixel} counts on ${Math.round(a.coverage * 100)} %; CV_obs ${fmt(a.cv.cvObs)}, counting-noise CV ${fmt(a.cv.cvNoise)}`;
      })
      .join(' | ');
    const base = { cell, group: groupOf(cell), n: ps.length, fitter: SIMS_PAIRING_FITTER, censored: null, ci95: null, sources } as const;
    const add = (name: string, unit: string, values: number[], note: string): void => {
      const v = values.filter(Number.isFinite);
      const mean = v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN;
      const sd = v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1)) : NaN;
      out.push({
        ...base,
        name,
        unit,
        value: Number.isFinite(mean) ? mean : null,
        stderr: Number.isFinite(sd) ? sd / Math.sqrt(v.length) : null,
        fitOk: Number.isFinite(mean),
        note,
      });
    };
    add(
      PARAMETERS.heterogeneity.name,
      '1',
      ps.map((p) => p.analysis.cv.cvTrue),
      `at a fixed ${fmt(want)} µm bin; ${describe}`,
    );
    add(
      PARAMETERS.moransI.name,
      '1',
      ps.map((p) => p.analysis.moran.I),
      `rook adjacency on the ${fmt(want)} µm bins; z ${ps.map((p) => fmt(p.analysis.moran.z)).join(', ')}; ${o.permutations ?? 999} permutations, seed ${o.seed ?? 1}`,
    );
    add(
      'morans_i_p',
      '1',
      ps.map((p) => p.analysis.moran.pPermutation),
      `one-sided permutation p of Moran's I at the ${fmt(want)} µm bin`,
    );
    add(
      PARAMETERS.hotspotFraction.name,
      '1',
      ps.map((p) => p.analysis.hotspot),
      `bins above mean + 2σ at the ${fmt(want)} µm bin`,
    );
    add(
      'sims_bin_um',
      'um',
      ps.map((p) => p.analysis.binUm),
      `realised bin edge (whole pixels) for the requested ${fmt(want)} µm`,
    );
  }
  return out;
}
