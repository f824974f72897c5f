/**
 * H2 machinery: with rests of 6, 24 and 72 h in each cell, the campaign fit picks the passivation law that
 * generated the data (parabolic for the carbonate set, linear for porous Li), decisively (ΔAIC > 4).
 */
import { describe, expect, it } from 'vitest';
import { fdStudyDesign, type CampaignDesign } from '../../../fixtures/virtual-lab/design.js';
import { simulateCampaign } from '../../../fixtures/virtual-lab/simulate.js';
import { comparePassivationLaws } from '../../../src/model/replay-fit/index.js';
import { carbonateFec_Gunnarsdottir2020, porous_Lu2022, withValues, type ParameterSet } from '../../../src/model/params/index.js';
import type { PassivationId } from '../../../src/model/index.js';

function design(set: ParameterSet, law: PassivationId): CampaignDesign {
  const base = fdStudyDesign({ cellsPerGroup: 4, cycles: 40, seed: 5 });
  return {
    ...base,
    parameterSet: set,
    passivation: law,
    variant: 'M1',
    cellNoise: {
      'Dead Li base fraction [1]': 0.1,
      'Bulk resistance [Ohm.cm2]': 0.1,
      'Initial heterogeneity [1]': 0.1,
      'Initial inorganic fraction [1]': 0.03,
      [law === 'linear' ? 'Linear corrosion rate [nm.h-1]' : 'Parabolic corrosion constant [nm2.h-1]']: 0.1,
    },
    groups: [
      { name: 'control', prefix: 'C', cells: 4, restHours: 0, restCycles: [5, 15, 25], restHoursEach: [6, 24, 72], poling: 'none', initialPolarisation: 0 },
    ],
  };
}

describe('comparePassivationLaws', () => {
  it.each([
    ['parabolic', carbonateFec_Gunnarsdottir2020],
    ['linear', { ...porous_Lu2022, values: withValues(porous_Lu2022.values, { 'Corrosion heterogeneity gain [1]': 0.01 }) }],
  ] as const)('recovers the %s law', (law, set) => {
    const d = design(set, law);
    const cells = simulateCampaign(d);
    const cmp = comparePassivationLaws(
      cells.map((c) => c.observations),
      set.values,
    );
    console.log(`${law} truth: ${cmp.laws.map((l) => `${l.law} AIC ${l.aic.toFixed(0)}`).join(', ')}; ΔAIC ${cmp.deltaAic.toFixed(1)}`);
    expect(cmp.preferred).toBe(law);
    expect(cmp.decisive).toBe(true);
  });
});
