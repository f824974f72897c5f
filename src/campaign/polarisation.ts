/**
 * Net polarisation of a cell's layer given in the manifest (issue #20 §4; shared/domain/MECHANISMS.md
 * §6): a quasi-static d33 (`d33_pm_V`; pm/V ≡ pC/N, the unit of MECHANISMS §6.2's table) and/or a
 * pyroelectric current (`pyro_current_nA`, short circuit, no bias, on a stated ramp: MECHANISMS §6.3)
 * measured on the layer as built (before cycling), and `polarisation_checkpoints`: the same
 * measurements (and a PFM net fraction) at later points of the cell's history. These are
 * non-switching probes: unlike a P–E loop's Pr, they record whether the layer is poled (MECHANISMS
 * §6.4). Values are signed (the sign follows the poling direction, and PVDF-type polymers have a
 * negative d33: Katsouras et al. 2016); the hypotheses use their magnitude.
 *
 * ```yaml
 * - { id: P01, group: BTO-poled, ferroelectric: BaTiO3, poling: poled, d33_pm_V: 85,
 *     polarisation_checkpoints: [ { at: after-cycling, cycles: 100, d33_pm_V: 40 } ] }
 * ```
 */
export interface PolarisationCheckpoint {
  /** Free label of the point in the cell's history, e.g. `pristine`, `after-rest`, `after-cycling`. */
  readonly at: string;
  /** Cycles completed at the measurement. */
  readonly cycles?: number;
  readonly d33PmV?: number;
  readonly pyroCurrentNa?: number;
  /** PFM (up − down)/(up + down), in [−1, 1]. */
  readonly pfmNetPolarisation?: number;
}

const CP_KEYS: Record<string, keyof PolarisationCheckpoint> = {
  at: 'at',
  cycles: 'cycles',
  d33_pm_V: 'd33PmV',
  pyro_current_nA: 'pyroCurrentNa',
  pfm_net_polarisation: 'pfmNetPolarisation',
};

/** Validate a `polarisation_checkpoints` list; problems are local (a bad entry is left out). */
export function parseCheckpoints(v: unknown, where: string): { value: PolarisationCheckpoint[]; problems: string[] } {
  const problems: string[] = [];
  const value: PolarisationCheckpoint[] = [];
  const arr = Array.isArray(v) ? v : [v];
  arr.forEach((e, i) => {
    const at = `${where}: polarisation_checkpoints[${i}]`;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      problems.push(`${at}: must be a mapping like { at: after-cycling, cycles: 100, d33_pm_V: 40 } — ignored`);
      return;
    }
    const out: Record<string, unknown> = {};
    let bad = false;
    for (const [k, x] of Object.entries(e as Record<string, unknown>)) {
      const f = CP_KEYS[k];
      if (!f) {
        problems.push(`${at}: unknown key '${k}' (allowed: ${Object.keys(CP_KEYS).join(', ')}) — ignored`);
        continue;
      }
      if (f === 'at') {
        out.at = String(x).trim();
        continue;
      }
      const n = typeof x === 'number' ? x : Number(String(x).trim());
      if (!Number.isFinite(n) || (f === 'cycles' && n < 0) || (f === 'pfmNetPolarisation' && Math.abs(n) > 1)) {
        problems.push(
          `${at}: '${k}' must be ${f === 'cycles' ? 'a number ≥ 0' : f === 'pfmNetPolarisation' ? 'a number in [−1, 1]' : 'a number'}, found '${String(x)}'`,
        );
        bad = true;
      } else out[f] = n;
    }
    if (!out.at) out.at = `checkpoint ${i + 1}`;
    if (out.d33PmV === undefined && out.pyroCurrentNa === undefined && out.pfmNetPolarisation === undefined) {
      if (!bad) problems.push(`${at}: gives no measurement (d33_pm_V, pyro_current_nA or pfm_net_polarisation) — ignored`);
      return;
    }
    value.push(out as unknown as PolarisationCheckpoint);
  });
  return { value, problems };
}
