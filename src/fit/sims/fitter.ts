/**
 * `simsFitter`: ToF-SIMS depth profiles → SEI depth, inorganic/organic ratio vs depth, ferroelectric
 * layer; ion images → heterogeneity index, Moran's I, hot-spot fraction (per slice and one per cell).
 */
import type { CanonicalRecord, Column } from '../../records/record.js';
import { findColumn } from '../../records/record.js';
import { SIMS } from '../../records/names.js';
import type { CellContext, FitOutcome, FittedParameter, RecordFitter } from '../types.js';
import { PARAMETERS } from '../../records/parameters.js';
import { matchMarkers, type MarkerMatch } from './markers.js';
import { detectLayer, dropDepth, movingAverage, normaliseToTic, sumColumns, type LayerOptions } from './depth.js';
import { analyseMap, DEFAULT_MAP_OPTIONS, type MapAnalysis, type MapOptions, type MoranOptions } from './image.js';

export const SIMS_FITTER_VERSION = '1.1.0';

export interface SimsFitOptions extends MapOptions, MoranOptions, LayerOptions {
  /** Moving-average window (points) applied to the SEI marker signal before the 50 % drop. @default 3 */
  readonly smoothing?: number;
  /** Fraction of the maximum that defines the SEI depth. @default 0.5 */
  readonly dropFraction?: number;
  /** Override the ions of the image ratio numerator / denominator (labels as in the record). */
  readonly inorganicIons?: readonly string[];
  readonly organicIons?: readonly string[];
  /** Permutations per slice of a 3D stack (the per-cell map always gets `permutations`). @default 0 */
  readonly slicePermutations?: number;
}

export const DEFAULT_SIMS_FIT_OPTIONS = {
  ...DEFAULT_MAP_OPTIONS,
  permutations: 999,
  seed: 1,
  smoothing: 3,
  dropFraction: 0.5,
  slicePermutations: 0,
  minContrast: 5,
  minShare: 1e-4,
};

interface IonRef {
  column: string;
  label?: string;
  mass?: number | null;
}

function ionRefs(r: CanonicalRecord): IonRef[] {
  const meta = r.meta.ions;
  if (Array.isArray(meta) && meta.length && typeof meta[0] === 'object') {
    return (meta as { column: string; label: string; mass: number | null; kind: string }[])
      .filter((i) => i.kind === undefined || i.kind === 'ion')
      .map((i) => ({ column: i.column, label: i.label, mass: i.mass }));
  }
  const masses = Array.isArray(r.meta.masses) ? (r.meta.masses as (number | null)[]) : [];
  if (Array.isArray(meta)) return (meta as string[]).map((c, k) => ({ column: c, label: c, mass: masses[k] ?? null }));
  return r.columns.filter((c) => c.unit === SIMS.intensity.unit).map((c) => ({ column: c.name, label: c.name }));
}

function cols(r: CanonicalRecord, names: readonly string[]): Float64Array[] {
  return names
    .map((n) => findColumn(r, n))
    .filter((c): c is Column => !!c)
    .map((c) => Float64Array.from(c.values));
}

function classColumns(matches: readonly MarkerMatch[], cls: string, species?: RegExp): string[] {
  return matches.filter((m) => m.marker.class === cls && (!species || species.test(m.marker.species))).flatMap((m) => m.columns);
}

export function createSimsFitter(options: SimsFitOptions = {}): RecordFitter {
  const o = { ...DEFAULT_SIMS_FIT_OPTIONS, ...options };
  return {
    id: 'sims',
    version: SIMS_FITTER_VERSION,
    kinds: ['sims-depth-profile', 'sims-image'],
    fit(record: CanonicalRecord, cell: CellContext): FitOutcome {
      // The manifest's `analysis.tofsims` markers name the image ratio's ions.
      const set = cell.analysis?.tofsims;
      const oo = {
        ...o,
        ...(set?.inorganic_markers ? { inorganicIons: set.inorganic_markers } : {}),
        ...(set?.organic_markers ? { organicIons: set.organic_markers } : {}),
      };
      return record.kind === 'sims-image' ? fitImage(record, oo) : fitDepth(record, oo);
    },
  };
}

function fitDepth(r: CanonicalRecord, o: typeof DEFAULT_SIMS_FIT_OPTIONS & SimsFitOptions): FitOutcome {
  const messages: string[] = [];
  const params: FittedParameter[] = [];
  const time = findColumn(r, SIMS.sputterTime.name);
  const dose = findColumn(r, SIMS.sputterDose.name);
  const axisCol = time ?? dose;
  const ions = ionRefs(r);
  const n = r.columns[0]?.values.length ?? 0;
  const axis = axisCol ? Float64Array.from(axisCol.values) : Float64Array.from({ length: n }, (_, i) => i);
  const axisUnit = time ? 's' : dose ? 'ions/cm2' : '1';
  if (!axisCol) messages.push('no sputter time or dose: depth in data-point index');
  const totalCol = findColumn(r, 'Total');
  const tic = totalCol
    ? Float64Array.from(totalCol.values)
    : sumColumns(
        cols(
          r,
          ions.map((i) => i.column),
        ),
        n,
      );
  messages.push(totalCol ? "TIC from the file's total column" : 'TIC = sum of all ion columns');
  const matches = matchMarkers(ions);
  messages.push(`markers found: ${matches.map((m) => `${m.marker.ion}←${m.columns.join('+')}`).join(', ') || 'none'}`);
  const inorg = classColumns(matches, 'inorganic');
  const org = classColumns(matches, 'organic');
  const inorgN = normaliseToTic(sumColumns(cols(r, inorg), n), tic);
  const orgN = normaliseToTic(sumColumns(cols(r, org), n), tic);
  const ratio = new Float64Array(n);
  for (let i = 0; i < n; i++) ratio[i] = orgN[i]! > 0 ? inorgN[i]! / orgN[i]! : NaN;
  const tables: Record<string, Column[]> = {
    ratio_vs_depth: [
      { name: time ? SIMS.sputterTime.name : dose ? SIMS.sputterDose.name : 'Data Point', unit: axisUnit, values: axis },
      { name: 'Inorganic Share of TIC', unit: '1', values: inorgN },
      { name: 'Organic Share of TIC', unit: '1', values: orgN },
      { name: 'Inorganic/Organic Ratio', unit: '1', values: ratio },
    ],
  };
  if (inorg.length && org.length) {
    let si = 0;
    let so = 0;
    for (let i = 0; i < n; i++)
      if (Number.isFinite(inorgN[i]!) && Number.isFinite(orgN[i]!)) {
        si += inorgN[i]!;
        so += orgN[i]!;
      }
    params.push({
      name: 'sims_inorganic_organic_ratio',
      value: so > 0 ? si / so : NaN,
      unit: '1',
      note: `depth-integrated Σ inorganic / Σ organic TIC-normalised marker signal (${inorg.join(', ')} / ${org.join(', ')})`,
    });
  } else messages.push(`inorganic/organic ratio needs both classes (inorganic: ${inorg.length}, organic: ${org.length})`);

  let ok = false;
  const seiCols = [...inorg, ...org];
  if (seiCols.length) {
    const sei = movingAverage(normaliseToTic(sumColumns(cols(r, seiCols), n), tic), o.smoothing);
    const d = dropDepth(axis, sei, o.dropFraction);
    if (d) {
      ok = true;
      params.push({
        name: time ? PARAMETERS.seiDepthSims.name : 'sei_depth_sims_dose',
        value: d.depth,
        unit: axisUnit,
        censored: d.censored,
        note: `${o.dropFraction * 100} % drop of TIC-normalised SEI markers (${seiCols.join(', ')}), moving average ${o.smoothing} points; peak at ${d.peakDepth.toPrecision(4)} ${axisUnit}`,
      });
      if (d.censored) messages.push('SEI marker never fell to 50 %: sei depth censored at the end of the profile');
    }
  } else messages.push('no SEI marker (inorganic or organic class) in this profile');

  const fe = classColumns(matches, 'ferroelectric', /BaTiO3/);
  if (fe.length) {
    const share = movingAverage(normaliseToTic(sumColumns(cols(r, fe), n), tic), o.smoothing);
    const L = detectLayer(axis, share, o);
    params.push({
      name: 'fe_layer_detected',
      value: L.detected ? 1 : 0,
      unit: '1',
      note: `Ti/Ba tracers ${fe.join(', ')}: contrast ${L.contrast.toPrecision(3)}, peak share ${L.peakShare.toExponential(2)}`,
    });
    if (L.detected) {
      params.push({ name: 'fe_layer_onset', value: L.onsetDepth, unit: axisUnit, note: 'first depth at ≥ 50 % of the tracer maximum' });
      params.push({ name: 'fe_layer_peak_depth', value: L.peakDepth, unit: axisUnit });
      params.push({ name: 'fe_layer_end', value: L.endDepth, unit: axisUnit, note: 'last depth at ≥ 50 % of the tracer maximum' });
    }
    tables.ratio_vs_depth!.push({ name: 'Ti/Ba Tracer Share of TIC', unit: '1', values: share });
  } else messages.push('no Ti/Ba tracer ion: ferroelectric layer not assessed');
  return {
    fitter: 'sims',
    fitterVersion: SIMS_FITTER_VERSION,
    parameters: params,
    tables,
    quality: { ok, metrics: { markers: matches.length, points: n }, messages },
    options: { smoothing: o.smoothing, dropFraction: o.dropFraction, minContrast: o.minContrast, minShare: o.minShare },
  };
}

function fitImage(r: CanonicalRecord, o: typeof DEFAULT_SIMS_FIT_OPTIONS & SimsFitOptions): FitOutcome {
  const messages: string[] = [];
  const W = Number(r.meta.width);
  const H = Number(r.meta.height);
  const S = Number(r.meta.slices ?? 1);
  const ions = ionRefs(r);
  const matches = matchMarkers(ions);
  const inorg = o.inorganicIons ? [...o.inorganicIons] : classColumns(matches, 'inorganic');
  const org = o.organicIons ? [...o.organicIons] : classColumns(matches, 'organic');
  const fail = (msg: string): FitOutcome => ({
    fitter: 'sims',
    fitterVersion: SIMS_FITTER_VERSION,
    parameters: [],
    quality: { ok: false, metrics: {}, messages: [...messages, msg] },
  });
  if (!(W > 0 && H > 0 && S > 0)) return fail('image record lacks meta width/height/slices');
  if (ions.length === 1 && !o.inorganicIons && !o.organicIons) {
    // One file per ion (SurfaceLab's usual export): the map needs the partner file, so the campaign
    // stage pairs images of one cell and acquisition (src/derived/sims-pairs.ts). Nothing failed here.
    const cls = matches[0]?.marker.class ?? 'no marker class';
    return {
      fitter: 'sims',
      fitterVersion: SIMS_FITTER_VERSION,
      parameters: [],
      quality: {
        ok: true,
        metrics: { pixels: W * H, slices: S },
        messages: [
          `single-ion image (${ions[0]!.column}: ${cls}): the heterogeneity index is computed per cell once its partner image is paired (campaign stage, sims-pairing)`,
        ],
      },
    };
  }
  if (!inorg.length || !org.length)
    return fail(
      `need inorganic and organic marker ions (found inorganic: [${inorg.join(', ')}], organic: [${org.join(', ')}]; ions: ${ions.map((i) => i.column).join(', ')})`,
    );
  const n = W * H * S;
  const I = sumColumns(cols(r, inorg), n);
  const O = sumColumns(cols(r, org), n);
  messages.push(`map: ${o.metric === 'ratio' ? 'I/O' : 'I/(I+O)'} with I = ${inorg.join('+')}, O = ${org.join('+')}`);
  const plane = W * H;
  const perSlice: MapAnalysis[] = [];
  if (S > 1) {
    for (let z = 0; z < S; z++) {
      perSlice.push(
        analyseMap(I.subarray(z * plane, (z + 1) * plane), O.subarray(z * plane, (z + 1) * plane), W, H, {
          ...o,
          permutations: o.slicePermutations,
          seed: o.seed + z,
        }),
      );
    }
  }
  // One number per cell: the depth-summed (projected) map, which has the most counts.
  let Ic = I;
  let Oc = O;
  if (S > 1) {
    Ic = new Float64Array(plane);
    Oc = new Float64Array(plane);
    for (let z = 0; z < S; z++)
      for (let k = 0; k < plane; k++) {
        Ic[k]! += I[z * plane + k]!;
        Oc[k]! += O[z * plane + k]!;
      }
  }
  const cell = analyseMap(Ic, Oc, W, H, o);
  if (!cell.minCountReached)
    messages.push(`only ${(cell.coverage * 100).toFixed(0)} % of pixels reach ${o.minCountsPerPixel} counts even at bin ${cell.bin}: H is noise-dominated`);
  const scope = S > 1 ? 'cell (depth-summed map)' : undefined;
  const params: FittedParameter[] = [
    {
      name: PARAMETERS.heterogeneity.name,
      value: cell.cv.cvTrue,
      unit: '1',
      scope,
      note: `CV_obs ${cell.cv.cvObs.toPrecision(3)}, counting-noise CV ${cell.cv.cvNoise.toPrecision(3)}; bin ${cell.bin}×${cell.bin}, ≥ ${o.minCountsPerPixel} counts/pixel on ${(cell.coverage * 100).toFixed(0)} % (${cell.masked} pixels masked)`,
    },
    {
      name: PARAMETERS.moransI.name,
      value: cell.moran.I,
      unit: '1',
      scope,
      note: `rook adjacency; z ${cell.moran.z.toPrecision(3)}; permutation p ${cell.moran.pPermutation.toPrecision(3)} (${cell.moran.permutations}, seed ${o.seed})`,
    },
    { name: 'morans_i_p', value: cell.moran.pPermutation, unit: '1', scope },
    { name: PARAMETERS.hotspotFraction.name, value: cell.hotspot, unit: '1', scope },
  ];
  const tables: Record<string, Column[]> = {};
  if (S > 1) {
    const f = (g: (a: MapAnalysis) => number): Float64Array => Float64Array.from(perSlice.map(g));
    tables.slices = [
      { name: SIMS.z.name, unit: SIMS.z.unit, values: Int32Array.from(perSlice.map((_, z) => z)) },
      { name: 'Heterogeneity Index', unit: '1', values: f((a) => a.cv.cvTrue) },
      { name: 'CV Observed', unit: '1', values: f((a) => a.cv.cvObs) },
      { name: 'CV Counting Noise', unit: '1', values: f((a) => a.cv.cvNoise) },
      { name: "Moran's I", unit: '1', values: f((a) => a.moran.I) },
      { name: "Moran's I z", unit: '1', values: f((a) => a.moran.z) },
      { name: 'Hotspot Fraction', unit: '1', values: f((a) => a.hotspot) },
      { name: 'Bin Factor', unit: 'px', values: f((a) => a.bin) },
    ];
    const hs = perSlice.map((a) => a.cv.cvTrue).filter(Number.isFinite);
    const mean = hs.reduce((a, b) => a + b, 0) / hs.length;
    const sd = Math.sqrt(hs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, hs.length - 1));
    params.push({
      name: 'heterogeneity_index_slice_mean',
      value: mean,
      unit: '1',
      stderr: sd / Math.sqrt(hs.length),
      note: `mean over ${hs.length} slices of the per-slice H (per-slice bins)`,
    });
  }
  return {
    fitter: 'sims',
    fitterVersion: SIMS_FITTER_VERSION,
    parameters: params,
    tables,
    quality: { ok: Number.isFinite(cell.cv.cvTrue), metrics: { bin: cell.bin, coverage: cell.coverage, pixels: cell.cv.n, slices: S }, messages },
    options: {
      metric: o.metric,
      minCountsPerPixel: o.minCountsPerPixel,
      minCoverage: o.minCoverage,
      permutations: o.permutations,
      slicePermutations: o.slicePermutations,
      seed: o.seed,
    },
  };
}

export const simsFitter: RecordFitter = createSimsFitter();
