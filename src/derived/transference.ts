/**
 * The campaign-level Bruce–Vincent t₊ per cell (MECHANISMS.md §4): each chronoamperometry record of a
 * cell is placed between the cell's impedance spectra by wall-clock time — R₀ from the last spectrum
 * that started at or before the step began, R_ss from the first spectrum that started at or after the
 * step ended — and t₊ = I_ss(ΔV − I₀R₀)/(I₀(ΔV − I_ss R_ss)) is computed with its propagated 1σ
 * (src/fit/transference/bruce-vincent.ts). The interfacial resistance of a spectrum is the impedance
 * fitter's R_SEI + R_ct (the series resistance R_bulk is not in the formula, §4.1); a spectrum fitted
 * without a charge-transfer arc gives R_SEI alone, and says so. Nothing is guessed: a step without a
 * time, or without a spectrum on each side, gives no t₊ and a warning naming the file.
 *
 * Reported with every t₊ (§4.5): R₀, R_ss, and the check of §4.1, I₀(R_s + R₀)/ΔV (≈ 1 when I₀ was
 * read after the double-layer spike and before concentration polarisation set in), when R_bulk is known.
 */
import type { CellParameter } from '../records/results.js';
import { PARAMETERS } from '../records/parameters.js';
import { bruceVincent } from '../fit/transference/bruce-vincent.js';

export const TRANSFERENCE_STAGE = 'transference';

/** One polarisation step with what the chronoamperometry fitter read from it. */
export interface PolarisationAt {
  readonly recordId: string;
  readonly cell: string;
  readonly path: string;
  /** Unix seconds of the step's start and end (NaN when the file states no time). */
  readonly start: number;
  readonly end: number;
  readonly i0: number;
  readonly i0Stderr: number | null;
  readonly iss: number;
  readonly issStderr: number | null;
  readonly deltaV: number;
  readonly deltaVStderr: number | null;
  /** False when I_ss was flagged not steady. */
  readonly steady: boolean;
  readonly flags?: readonly string[];
}

/** One spectrum's interfacial resistance. */
export interface InterfaceSpectrum {
  readonly recordId: string;
  readonly cell: string;
  readonly path: string;
  /** Unix seconds of the sweep's start. */
  readonly time: number;
  readonly rSei: number | null;
  readonly rSeiStderr: number | null;
  readonly rCt: number | null;
  readonly rCtStderr: number | null;
  readonly rBulk?: number | null;
}

export interface TransferenceRow {
  readonly cell: string;
  readonly recordId: string;
  readonly path: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly t: number | null;
  readonly stderr: number | null;
  readonly r0: number | null;
  readonly rss: number | null;
  readonly i0Check: number | null;
  readonly message: string;
}

export interface TransferenceResult {
  readonly parameters: CellParameter[];
  readonly rows: TransferenceRow[];
  readonly warnings: string[];
}

const fin = (x: number | null | undefined): x is number => x !== null && x !== undefined && Number.isFinite(x);

function interfacial(s: InterfaceSpectrum): { r: number; sd: number; what: string } | null {
  if (!fin(s.rSei)) return null;
  if (fin(s.rCt)) return { r: s.rSei + s.rCt, sd: Math.hypot(s.rSeiStderr ?? 0, s.rCtStderr ?? 0), what: 'R_SEI + R_ct' };
  return { r: s.rSei, sd: s.rSeiStderr ?? 0, what: 'R_SEI (no charge-transfer arc fitted)' };
}

/** t₊ per polarisation step (see the file comment). Pure. */
export function transferenceParameters(
  steps: readonly PolarisationAt[],
  spectra: readonly InterfaceSpectrum[],
  groupOf: (cell: string) => string = () => '',
): TransferenceResult {
  const parameters: CellParameter[] = [];
  const rows: TransferenceRow[] = [];
  const warnings: string[] = [];
  for (const s of steps) {
    const mine = spectra.filter((x) => x.cell === s.cell && Number.isFinite(x.time)).sort((a, b) => a.time - b.time);
    const fail = (message: string): void => {
      warnings.push(`${s.cell}: ${s.path}: ${message}; no t₊`);
      rows.push({
        cell: s.cell,
        recordId: s.recordId,
        path: s.path,
        before: null,
        after: null,
        t: null,
        stderr: null,
        r0: null,
        rss: null,
        i0Check: null,
        message,
      });
    };
    if (!Number.isFinite(s.start) || !Number.isFinite(s.end)) {
      fail('the chronoamperometry file states no start time, so the spectra before and after it cannot be placed (not guessed)');
      continue;
    }
    const before = mine.filter((x) => x.time <= s.start).pop();
    const after = mine.find((x) => x.time >= s.end);
    if (!before || !after) {
      fail(
        `no impedance spectrum ${!before ? 'before the step' : ''}${!before && !after ? ' and none ' : ''}${!after ? 'after the step' : ''} (${mine.length} timed spectra of this cell); R₀ and R_ss need one on each side`,
      );
      continue;
    }
    const r0 = interfacial(before);
    const rss = interfacial(after);
    if (!r0 || !rss) {
      fail(`the spectrum ${!r0 ? `before (${before.path})` : `after (${after.path})`} has no fitted R_SEI`);
      continue;
    }
    let bv;
    try {
      bv = bruceVincent({
        deltaV: s.deltaV,
        i0: s.i0,
        iss: s.iss,
        r0: r0.r,
        rss: rss.r,
        sd: { deltaV: s.deltaVStderr ?? 0, i0: s.i0Stderr ?? 0, iss: s.issStderr ?? 0, r0: r0.sd, rss: rss.sd },
      });
    } catch (e) {
      fail((e as Error).message);
      continue;
    }
    const check = fin(before.rBulk) ? (s.i0 * (before.rBulk + r0.r)) / s.deltaV : null;
    const where = `${s.path}: R₀ = ${r0.what} of ${before.path}, R_ss = ${rss.what} of ${after.path}`;
    const flags = [...(s.flags ?? []), ...(s.steady ? [] : ['not-steady'])];
    const note = `Bruce–Vincent (F₊, method BV): ΔV ${(s.deltaV * 1e3).toPrecision(3)} mV, I₀ ${s.i0.toPrecision(4)} A, I_ss ${s.iss.toPrecision(4)} A, R₀ ${r0.r.toPrecision(4)} Ω, R_ss ${rss.r.toPrecision(4)} Ω${check !== null ? `; check I₀(R_s + R₀)/ΔV = ${check.toPrecision(3)} (≈ 1 expected, MECHANISMS.md §4.1)` : ''}${flags.length ? `; flags: ${[...new Set(flags)].join(', ')}` : ''}; 1σ propagated from I₀, I_ss, ΔV, R₀, R_ss (independent errors)`;
    const ok = s.steady;
    const base = { cell: s.cell, group: groupOf(s.cell), censored: null, n: 1, fitter: TRANSFERENCE_STAGE, status: 'fitted' as const };
    parameters.push({
      ...base,
      name: PARAMETERS.transferenceNumber.name,
      value: bv.t,
      unit: PARAMETERS.transferenceNumber.unit,
      stderr: bv.stderr,
      ci95: [bv.ci95[0], bv.ci95[1]],
      fitOk: ok,
      sources: [s.recordId, before.recordId, after.recordId],
      provenance: where,
      note: ok ? note : `${note}; not used by the hypotheses: I_ss not steady`,
    });
    parameters.push({
      ...base,
      name: PARAMETERS.rInterfaceBeforeCa.name,
      value: r0.r,
      unit: PARAMETERS.rInterfaceBeforeCa.unit,
      stderr: r0.sd || null,
      ci95: null,
      fitOk: true,
      sources: [before.recordId],
      provenance: `${r0.what} of ${before.path}, the last spectrum before ${s.path}`,
    });
    parameters.push({
      ...base,
      name: PARAMETERS.rInterfaceAfterCa.name,
      value: rss.r,
      unit: PARAMETERS.rInterfaceAfterCa.unit,
      stderr: rss.sd || null,
      ci95: null,
      fitOk: true,
      sources: [after.recordId],
      provenance: `${rss.what} of ${after.path}, the first spectrum after ${s.path}`,
    });
    rows.push({
      cell: s.cell,
      recordId: s.recordId,
      path: s.path,
      before: before.path,
      after: after.path,
      t: bv.t,
      stderr: bv.stderr,
      r0: r0.r,
      rss: rss.r,
      i0Check: check,
      message: note,
    });
  }
  return { parameters, rows, warnings };
}
