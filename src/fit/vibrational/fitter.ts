/**
 * The `vibrational-spectrum` fitter: finds which band regions of the library (bands.ts) the sample
 * names (salt and solvent in the title, the file name or meta.electrolyte), fits each that has a
 * sourced or data-derived window (fit.ts) and reports the anion fractions — free (incl. SSIP), contact
 * ion pairs, aggregates, and their sum CIP + AGG, the anion share of the Li⁺ sheath — and the Li⁺-
 * coordinated solvent fraction, each with its 1σ from the fit covariance and a 95 % interval
 * (± 1.96σ, clipped to [0, 1]). Fractions are of ANION (MECHANISMS §5.1), not of Li⁺.
 */
import type { CanonicalRecord } from '../../records/record.js';
import type { FitOutcome, FittedParameter, RecordFitter } from '../types.js';
import { BAND_REGIONS, regionsFor, type BandRegion } from './bands.js';
import { BandFitError, fitBands, type BandFit, type BandFitOptions } from './fit.js';

export const VIB_FITTER_VERSION = '1.0.0';

const frac = (name: string, v: { value: number; se: number }, region: string, note: string): FittedParameter => ({
  name,
  value: v.value,
  unit: '1',
  stderr: v.se,
  ci95: [Math.max(0, v.value - 1.96 * v.se), Math.min(1, v.value + 1.96 * v.se)],
  note: `${region}: ${note}`,
  ...(Number.isFinite(v.se) ? {} : { flags: ['non-identifiable'] }),
});

/** Text that names the sample's salt and solvent. */
export function sampleText(r: Pick<CanonicalRecord, 'meta'> & { provenance?: { path: string } }): string {
  const m = r.meta as Record<string, unknown>;
  return [
    m.electrolyte,
    m.title,
    m.sample,
    m.header && typeof m.header === 'object' ? Object.values(m.header as object).join(' ') : m.header,
    r.provenance?.path.split(/[\\/]/).pop(),
  ]
    .filter((s) => typeof s === 'string')
    .join(' ');
}

export interface SolvationOptions extends BandFitOptions {
  /** Fit these regions (ids of BAND_REGIONS) instead of the ones the sample names. */
  readonly regions?: readonly string[];
  /** Windows per region id (cm⁻¹), e.g. for a region whose window no source gives. */
  readonly windows?: Readonly<Record<string, readonly [number, number]>>;
}

export function fitSolvation(r: CanonicalRecord, o: SolvationOptions = {}): FitOutcome & { fits: BandFit[] } {
  const messages: string[] = [];
  const metrics: Record<string, number> = {};
  const params: FittedParameter[] = [];
  const fits: BandFit[] = [];
  const xc = r.columns.find((c) => c.name === 'Wavenumber');
  const yc = r.columns.find((c) => c.name === 'Intensity');
  const fail = (msg: string) => ({
    fitter: vibFitter.id,
    fitterVersion: VIB_FITTER_VERSION,
    parameters: [],
    quality: { ok: false, metrics, messages: [...messages, msg] },
    fits,
  });
  if (!xc || !yc) return fail('record has no Wavenumber / Intensity columns');
  let y = Float64Array.from(yc.values);
  if (yc.unit === 'transmittance') {
    if (y.some((v) => !(v > 0) || v > 1.5))
      return fail('transmittance outside (0, 1.5]: a percent scale? (JCAMP TRANSMITTANCE is a fraction); no absorbance computed');
    y = y.map((v) => -Math.log10(v));
    messages.push('transmittance converted to absorbance, A = −log10 T');
  }
  const technique = r.meta.technique as string | undefined;
  const regions: BandRegion[] = o.regions ? BAND_REGIONS.filter((b) => o.regions!.includes(b.id)) : regionsFor(sampleText(r));
  if (!regions.length)
    return fail(
      `no band region selected: the title, file name or electrolyte does not name a salt or solvent of the band library (${BAND_REGIONS.map((b) => b.id).join(', ')})`,
    );
  for (const region of regions) {
    if (technique && !region.techniques.includes(technique as 'raman' | 'ftir')) {
      messages.push(`${region.id} not fitted for ${technique}: ${region.caveat ?? `the library fits it for ${region.techniques.join('/')}`}`);
      continue;
    }
    const window = o.windows?.[region.id] ?? o.window;
    if (!window && !region.window && region.anchor === undefined) {
      messages.push(`${region.id} not fitted: ${region.status}. ${region.source}`);
      continue;
    }
    let f: BandFit;
    try {
      f = fitBands(xc.values, y, region, { ...o, window });
    } catch (e) {
      if (e instanceof BandFitError) {
        messages.push(`${region.id} not fitted: ${e.message}`);
        continue;
      }
      throw e;
    }
    fits.push(f);
    metrics[`${region.id}:rmse`] = f.rmse;
    metrics[`${region.id}:r2`] = f.r2;
    metrics[`${region.id}:residual_variance`] = f.reducedChi2;
    metrics[`${region.id}:iterations`] = f.iterations;
    metrics[`${region.id}:converged`] = f.converged ? 1 : 0;
    metrics[`${region.id}:fwhm_cm-1`] = f.fwhm;
    for (const c of f.components) metrics[`${region.id}:${c.role}:centre_cm-1`] = c.centre;
    const how = `${f.components.length} pseudo-Voigt bands (η = ${f.eta}, shared FWHM ${f.fwhm.toFixed(1)} cm⁻¹) + linear baseline on ${f.window[0].toFixed(0)}–${f.window[1].toFixed(0)} cm⁻¹ (window from ${f.windowSource}); equal cross-sections${o.crossSections ? ' unless given' : ''}; ${region.status}`;
    if (region.caveat) messages.push(`${region.id}: ${region.caveat}`);
    if (region.kind === 'anion') {
      const roles = f.components.map((c) => c.role);
      params.push(frac('anion_free_fraction', f.share(['free']), region.id, how));
      if (roles.includes('cip')) params.push(frac('anion_cip_fraction', f.share(['cip']), region.id, how));
      if (roles.includes('agg')) params.push(frac('anion_agg_fraction', f.share(['agg']), region.id, how));
      params.push(frac('anion_sheath_fraction', f.share(['cip', 'agg']), region.id, `CIP + AGG; ${how}`));
    } else {
      params.push(frac('solvent_coordinated_fraction', f.share(['solvent-bound']), region.id, how));
    }
    if (!f.converged) messages.push(`${region.id}: the fit did not converge in ${f.iterations} iterations`);
  }
  const ok = fits.length > 0 && fits.every((f) => f.converged);
  if (!fits.length) messages.push('no region could be fitted');
  return {
    fitter: vibFitter.id,
    fitterVersion: VIB_FITTER_VERSION,
    parameters: params,
    quality: { ok, metrics, messages },
    fits,
    options: { regions: fits.map((f) => f.region), eta: o.eta ?? 0.5 },
  };
}

export const vibFitter: RecordFitter = {
  id: 'vibrational-bands',
  version: VIB_FITTER_VERSION,
  kinds: ['vibrational-spectrum'],
  fit(record) {
    const { fits: _f, ...out } = fitSolvation(record);
    void _f;
    return out;
  },
};
