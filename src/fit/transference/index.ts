/**
 * The chronoamperometry fitter: for each `chronoamperometry` record, the three quantities of the
 * Bruce–Vincent polarisation read from the current transient (rules in bruce-vincent.ts): I₀, I_ss and
 * ΔV, each with its 1σ, and the raw ratio I_ss/I₀. t₊ itself needs the interfacial resistances of the
 * spectra before and after the step: it is a campaign-stage quantity (src/derived/transference.ts).
 */
import type { CanonicalRecord } from '../../records/record.js';
import { CA, CYCLER } from '../../records/names.js';
import { PARAMETERS } from '../../records/parameters.js';
import type { CellContext, FitOutcome, FittedParameter, RecordFitter } from '../types.js';
import { caCurrents, type CaCurrents, type CaStepInfo } from './bruce-vincent.js';

export const TRANSFERENCE_FITTER_ID = 'chronoamperometry';

function isStep(v: unknown): v is CaStepInfo {
  const s = v as CaStepInfo | undefined;
  return !!s && typeof s === 'object' && typeof s.potentialV === 'number' && (s.reference === 'open-circuit' || s.reference === 'reference');
}

/** I₀, I_ss and ΔV of a chronoamperometry record (throws when the record cannot give them). */
export function readPolarisation(record: Pick<CanonicalRecord, 'columns' | 'meta'>): CaCurrents {
  const col = (n: string) => record.columns.find((c) => c.name === n)?.values;
  const t = col(CA.time.name);
  const v = col(CA.voltage.name);
  const i = col(CA.current.name);
  if (!t || !v || !i) throw new Error('the record lacks Test Time, Voltage or Current');
  const eoc = record.meta.openCircuitPotential;
  return caCurrents(t, v, i, isStep(record.meta.caStep) ? record.meta.caStep : undefined, {
    stepIndex: col(CYCLER.stepIndex.name),
    ...(typeof eoc === 'number' ? { openCircuitV: eoc } : {}),
  });
}

export const transferenceFitter: RecordFitter = {
  id: TRANSFERENCE_FITTER_ID,
  version: '1.0.0',
  kinds: ['chronoamperometry'],
  fit(record: CanonicalRecord, _cell: CellContext): FitOutcome {
    void _cell;
    let c: CaCurrents;
    try {
      c = readPolarisation(record);
    } catch (e) {
      return { fitter: TRANSFERENCE_FITTER_ID, fitterVersion: '1.0.0', parameters: [], quality: { ok: false, metrics: {}, messages: [(e as Error).message] } };
    }
    const ci = (v: number, s: number): readonly [number, number] => [v - 1.96 * s, v + 1.96 * s];
    const flags = c.flags;
    const params: FittedParameter[] = [
      {
        name: PARAMETERS.caInitialCurrent.name,
        value: c.i0,
        unit: PARAMETERS.caInitialCurrent.unit,
        stderr: c.i0Stderr,
        ci95: ci(c.i0, c.i0Stderr),
        note: c.notes.find((n) => n.startsWith('I₀')),
      },
      {
        name: PARAMETERS.caSteadyStateCurrent.name,
        value: c.iss,
        unit: PARAMETERS.caSteadyStateCurrent.unit,
        stderr: c.issStderr,
        ci95: ci(c.iss, c.issStderr),
        note: c.notes.find((n) => n.startsWith('I_ss')),
        ...(c.steady ? {} : { flags: ['not-steady'] }),
      },
      {
        name: PARAMETERS.caDeltaV.name,
        value: c.deltaV,
        unit: PARAMETERS.caDeltaV.unit,
        ...(c.deltaVStderr > 0 ? { stderr: c.deltaVStderr } : {}),
        note: c.deltaVSource,
        ...(flags.some((f) => f.startsWith('delta-v')) ? { flags: flags.filter((f) => f.startsWith('delta-v')) } : {}),
      },
      {
        name: PARAMETERS.caCurrentRatio.name,
        value: c.iss / c.i0,
        unit: PARAMETERS.caCurrentRatio.unit,
        stderr: (c.iss / c.i0) * Math.hypot(c.issStderr / c.iss, c.i0Stderr / c.i0),
        note: 'I_ss/I₀ without the interfacial-resistance correction (Bruce–Vincent needs R₀ and R_ss: campaign stage)',
      },
    ];
    return {
      fitter: TRANSFERENCE_FITTER_ID,
      fitterVersion: '1.0.0',
      parameters: params,
      quality: {
        ok: true,
        metrics: {
          stepRows: c.stepRows,
          stepStartS: c.stepStartS,
          stepEndS: c.stepEndS,
          i0TimeS: c.i0TimeS,
          issPoints: c.issPoints,
          issDrift: c.issDrift,
          steady: c.steady ? 1 : 0,
        },
        messages: [...c.notes, `ΔV from ${c.deltaVSource}`, ...(flags.length ? [`flags: ${flags.join(', ')}`] : [])],
      },
      options: { i0: 'first point after the step start', issWindowFraction: 0.1, steadyTolerance: 0.01 },
    };
  },
};
