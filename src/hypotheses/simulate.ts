/**
 * Parameter-level virtual campaigns for the engine's unit tests (tests/hypotheses/engine.test.ts).
 * Calibration uses the independent measurement-level lab instead (fixtures/measurement-lab). A campaign has 8 arms of `nPerGroup` cells:
 * control (rest 0), control (rested 6/24/72/168 h), FD (rest 0), FD (rested), unpoled, paraelectric,
 * FD + pre-adsorbed NO3-, and LiNO3-in-electrolyte, each cell with the parameter rows the fitters emit.
 *
 * Cell-to-cell noise (DOMAIN.md §2, §8): LCE sd 0.10 around 1.7 (CE ≈ 98 %, ±0.4 % CE); cycle life
 * log-normal, median 150 cycles, CV 20 %, correlated 0.5 with LCE, censored at 200 cycles; XPS
 * inorganic fraction 0.55 ± 0.08; ToF-SIMS H 0.35 ± 0.07 and Moran's I 0.30 ± 0.08 (ρ = 0.5), CPE α
 * 0.80 ± 0.04 (ρ = −0.4 with H); rest loss 2.5 % at 24 h with CV 15 % (Boyle 2021).
 *
 * `effect` is the planted standardised effect (Cohen's d) on every claimed quantity; 0 = no effect:
 * no arm differs, rest does not change CE or H, life does not depend on H, and corrosion is linear in
 * time (the non-passivating null of H2). With effect d the claims are true with d each (see
 * docs/hypotheses.md, "Calibration").
 */
import type { CellSpec, Poling } from '../campaign/manifest.js';
import type { CellParameter } from '../records/results.js';
import { createRng, type Rng } from '../stats/rng.js';

export interface SimulationOptions {
  /** Cells per arm. @default 8 */
  readonly nPerGroup?: number;
  /** Planted Cohen's d (0 = no true effect). @default 0 */
  readonly effect?: number;
}

const SD = { lce: 0.1, logLife: 0.2, f: 0.08, H: 0.07, I: 0.08, alpha: 0.04 };
const REST_LEVELS = [6, 24, 72, 168];

function row(cell: string, group: string, name: string, value: number, unit: string, censored: boolean | null = null): CellParameter {
  return { cell, group, name, value, unit, stderr: null, ci95: null, censored, n: 1, fitter: 'simulate', fitOk: true, sources: [] };
}

export function simulateCampaign(rng: Rng, opts: SimulationOptions = {}): { cells: CellSpec[]; params: CellParameter[] } {
  const n = opts.nPerGroup ?? 8;
  const d = opts.effect ?? 0;
  const cells: CellSpec[] = [];
  const params: CellParameter[] = [];
  const arms: { group: string; poling: Poling; rested: boolean; anion?: string; electrolyte?: string; fd: 0 | 1 | 2; anionEl: boolean }[] = [
    { group: 'control', poling: 'none', rested: false, fd: 0, anionEl: false },
    { group: 'control-rest', poling: 'none', rested: true, fd: 0, anionEl: false },
    { group: 'BTO-poled', poling: 'poled', rested: false, fd: 1, anionEl: false },
    { group: 'BTO-poled-rest', poling: 'poled', rested: true, fd: 1, anionEl: false },
    { group: 'BTO-unpoled', poling: 'unpoled', rested: false, fd: 0, anionEl: false },
    { group: 'STO-paraelectric', poling: 'paraelectric', rested: false, fd: 0, anionEl: false },
    { group: 'BTO-poled-NO3', poling: 'poled', rested: false, anion: 'NO3-', fd: 1, anionEl: false },
    { group: 'LiNO3-electrolyte', poling: 'none', rested: false, electrolyte: '1M LiPF6 EC/DEC + 2 % LiNO3', fd: 0, anionEl: true },
  ];
  let k = 0;
  for (const arm of arms) {
    for (let i = 0; i < n; i++) {
      const id = `${arm.group}-${String(i + 1).padStart(2, '0')}`;
      const rest = arm.rested ? REST_LEVELS[i % REST_LEVELS.length]! : 0;
      const layer = arm.poling !== 'none';
      const pr =
        arm.poling === 'poled'
          ? 8.5 + 0.8 * rng.normal()
          : arm.poling === 'unpoled'
            ? Math.max(0, 1 + 0.4 * rng.normal())
            : arm.poling === 'paraelectric'
              ? 0
              : undefined;
      cells.push({
        id,
        group: arm.group,
        poling: arm.poling,
        files: [],
        restHours: rest,
        cellType: 'Li||Cu',
        electrolyte: arm.electrolyte ?? '1M LiPF6 EC/DEC + 10 % FEC',
        ...(layer ? { ferroelectric: arm.poling === 'paraelectric' ? 'SrTiO3' : 'BaTiO3' } : {}),
        ...(pr !== undefined ? { prUcCm2: pr } : {}),
        ...(arm.anion ? { preadsorbedAnion: arm.anion } : {}),
      });
      const poled = arm.poling === 'poled';
      // polarisation retention of poled layers, and the planted FD benefit proportional to it (H10),
      // scaled so the mean benefit is d SD; it also follows Pr (H9) since Pr is only large when poled
      const retention = poled ? 0.2 + 0.8 * rng.next() : null;
      const fdGain = poled ? d * (retention! / 0.6) : 0;
      // correlated noise
      const e1 = rng.normal();
      const e2 = rng.normal();
      const eF = rng.normal();
      const eH = rng.normal();
      const eI = 0.5 * eH + Math.sqrt(0.75) * rng.normal();
      const eA = -0.4 * eH + Math.sqrt(0.84) * rng.normal();
      // rest effects (control: rest lowers LCE by d SD — H1; FD suppresses it — H11; rest raises H — H3)
      const restLce = rest > 0 && !poled ? -d : 0;
      const restH = rest > 0 ? (d * rest) / 67.5 : 0; // mean over 6/24/72/168 h = 67.5 h → mean shift d SD
      const anionGain = arm.anion || arm.anionEl ? d : 0; // H12: anion alone +d, FD+anion +2d on f
      const coupleF = d > 0 ? 0.4 : 0; // H13: within-cell coupling LCE ~ f when effects are planted
      const lceZ = e1 + fdGain + restLce + coupleF * eF;
      const lceV = 1.7 + SD.lce * lceZ;
      const f = 0.55 + SD.f * (eF + (poled ? d : 0) + anionGain);
      const H = 0.35 + SD.H * (eH - (poled ? d : 0) + restH);
      const I = 0.3 + SD.I * (eI - (poled ? d : 0));
      const alpha = 0.8 + SD.alpha * (eA + (poled ? d : 0));
      // life: log-normal, correlated 0.5 with the LCE noise, planted FD gain d SD, H4 coupling −0.5 SD per SD of H
      const hz = eH + restH;
      const logLife = Math.log(150) + SD.logLife * (0.5 * e1 + Math.sqrt(0.75) * e2 + (poled ? d : 0) - (d > 0 ? 0.5 * hz : 0));
      const life = Math.round(Math.exp(logLife));
      const censored = life > 200;
      params.push(row(id, arm.group, 'lce_mean', lceV, '1'));
      params.push(row(id, arm.group, 'ce_mean', 1 - 10 ** -lceV, '1'));
      params.push(row(id, arm.group, 'cycle_life_80', censored ? 200 : life, 'cycles', censored));
      params.push(row(id, arm.group, 'sei_inorganic_fraction', f, '1'));
      params.push(row(id, arm.group, 'heterogeneity_index', H, '1'));
      params.push(row(id, arm.group, 'morans_i', I, '1'));
      params.push(row(id, arm.group, 'CPE_SEI_alpha', alpha, '1'));
      if (retention !== null) params.push(row(id, arm.group, 'polarisation_retention', retention, '1'));
      if (rest > 0) {
        // H2: passivating √t law when planted, linear (non-passivating) law under the null; 2.5 % at 24 h
        const q = d > 0 ? 0.025 * Math.sqrt(rest / 24) : 0.025 * (rest / 24);
        params.push(row(id, arm.group, 'rest_loss_fraction', q * Math.exp(0.15 * rng.normal()), '1'));
      }
      k++;
    }
  }
  void k;
  return { cells, params };
}

export { createRng };
