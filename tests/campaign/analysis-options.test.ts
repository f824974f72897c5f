/**
 * `analysis:` in the manifest: validation (closest-key suggestions, type/unit/range checks, the circuit
 * parser's caret), locality (a bad entry is dropped, the rest kept), resolution per file and the rows of
 * the report's Settings section.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateManifest } from '../../src/campaign/manifest.js';
import { ANALYSIS_KEYS, resolveFitSettings, settingsRows, validateAnalysis } from '../../src/campaign/analysis-options.js';
import { parseCircuit } from '../../src/fit/eis/circuit.js';
import { CircuitSyntaxError } from '../../src/fit/eis/errors.js';
import { settingsKey } from '../../src/fit/settings.js';
import { evaluateOptionsFromSettings } from '../../src/hypotheses/stage.js';
import { xpsOptionsFromSettings } from '../../src/fit/xps/fitter.js';
import { cycleOptionsFromSettings } from '../../src/fit/cycles/options.js';

const CELLS = `cells:
  - { id: C07, group: control }
  - { id: C08, group: control }
  - { id: P01, group: BTO-poled, ferroelectric: BaTiO3, poling: poled }
`;

const ISSUE_EXAMPLE = `analysis:
  impedance: { circuit: 'R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)', weighting: modulus, frequency_range_Hz: [0.1, 1e5], kk_threshold: 0.01, sei_block: 1, drt_lambda: auto }
  cycling: { ce_cycles: [10, 50], exclude_first_cycle: true, life_criterion: { fraction_of_max: 0.8, of_cycles: [1, 5] }, rest_loss: { reference_cycles: 5 } }
  xps: { charge_reference: C-C 284.8, background: shirley, inorganic_species: [LiF, Li2O, Li2CO3], rsf: scofield }
  tofsims: { inorganic_markers: [LiF2-], organic_markers: [C2H-], bin_um: 8 }
  pe: { film_thickness_nm: 400, electrode_area_cm2: 0.01 }
  statistics: { alpha: 0.05, correction: bh, lce_margin: 0.1, smd_margin: 0.5, min_cells: 3 }
  overrides:
    - { group: BTO-poled, impedance: { circuit: 'R0-p(R1,CPE1)' } }
    - { cell: C07, cycling: { ce_cycles: [5, 30] } }
    - { files: "eis/*_after_rest*", impedance: { frequency_range_Hz: [1, 1e5] } }
`;

function manifest(analysis: string) {
  return validateManifest(parse(CELLS + analysis), 'campaign.yaml');
}

describe('analysis: validation', () => {
  it('the issue example is valid and resolves per group, cell and file glob (later overrides win)', () => {
    const m = manifest(ISSUE_EXAMPLE);
    expect(m.analysisProblems).toEqual([]);
    const spec = m.analysis!;
    expect(spec.campaign.impedance).toEqual({
      circuit: 'R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)',
      weighting: 'modulus',
      frequency_range_Hz: [0.1, 1e5],
      kk_threshold: 0.01,
      sei_block: 1,
      drt_lambda: 'auto',
    });
    expect(spec.campaign.xps!.charge_reference).toEqual({ species: 'C-C:C1s', energy_eV: 284.8 });
    expect(spec.campaign.statistics).toEqual({ alpha: 0.05, correction: 'bh', lce_margin: 0.1, smd_margin: 0.5, min_cells: 3 });
    expect(spec.overrides.map((o) => [o.index, o.selector])).toEqual([
      [1, { group: 'BTO-poled' }],
      [2, { cell: 'C07' }],
      [3, { files: 'eis/*_after_rest*' }],
    ]);

    const poledRest = resolveFitSettings(spec, { cellId: 'P01', group: 'BTO-poled', path: 'eis/P01_after_rest_1.DTA' });
    expect(poledRest.impedance).toEqual({
      circuit: 'R0-p(R1,CPE1)',
      weighting: 'modulus',
      frequency_range_Hz: [1, 1e5],
      kk_threshold: 0.01,
      sei_block: 1,
      drt_lambda: 'auto',
    });
    expect(poledRest).not.toHaveProperty('statistics');
    const c07 = resolveFitSettings(spec, { cellId: 'C07', group: 'control', path: 'cycling/C07.csv' });
    expect(c07.cycling).toEqual({
      ce_cycles: [5, 30],
      exclude_first_cycle: true,
      life_criterion: { fraction_of_max: 0.8, of_cycles: [1, 5] },
      rest_loss: { reference_cycles: 5 },
    });
    expect(resolveFitSettings(spec, { cellId: 'C08', group: 'control', path: 'cycling/C08.csv' }).cycling!.ce_cycles).toEqual([10, 50]);
    // The settings key of a record depends on its own section only.
    const c08 = resolveFitSettings(spec, { cellId: 'C08', group: 'control', path: 'cycling/C08.csv' });
    expect(settingsKey('cycler', c07)).not.toBe(settingsKey('cycler', c08));
    expect(settingsKey('xps-depth-profile', c07)).toBe(settingsKey('xps-depth-profile', c08));
    expect(settingsKey('eis', {})).toBe('');
  });

  it('a typo gets the closest key; types, units and ranges are checked; each bad value is dropped on its own', () => {
    const m = manifest(`analysis:
  impedance: { circuitt: 'R0-p(R1,CPE1)', kk_threshold: 2, frequency_range_Hz: [1e5, 0.1], drt_lambda: -1, weighting: modulos }
  cycling: { ce_cycles: [0, 50], exclude_first_cycle: maybe, life_criterion: { fraction_of_max: 0.8, of_cycles: [2, 5] } }
  xps: { charge_reference: C-C 284.8, background: shirly, inorganic_species: [LiF, LiCO3] }
  statistics: { alpha: 0.7, min_cels: 3 }
  impedence: { weighting: unit }
`);
    expect(m.cells).toHaveLength(3);
    expect(m.analysisProblems).toEqual([
      "analysis.impedance: unknown key 'circuitt' (did you mean 'circuit'?); allowed: circuit, weighting, frequency_range_Hz, kk_threshold, sei_block, drt_lambda",
      "analysis.impedance: 'kk_threshold' must be between 0 and 1 (exclusive), found 2",
      "analysis.impedance: 'frequency_range_Hz' must be [from, to] with from < to, found [100000, 0.1]",
      "analysis.impedance: 'drt_lambda' must be 'auto' or a positive number, found '-1'",
      "analysis.impedance: 'weighting' must be one of unit, modulus, proportional, found 'modulos' (did you mean 'modulus'?)",
      "analysis.cycling: 'ce_cycles' must start at 1 or later, found 0",
      "analysis.cycling: 'exclude_first_cycle' must be true or false, found 'maybe'",
      "analysis.xps: 'background' must be one of shirley, linear, tougaard, found 'shirly' (did you mean 'shirley'?)",
      "analysis.xps: 'inorganic_species' 'LiCO3' is not an XPS library species (did you mean 'Li2CO3'?)",
      "analysis.statistics: 'alpha' must be between 0 and 0.5 (exclusive), found 0.7",
      "analysis.statistics: unknown key 'min_cels' (did you mean 'min_cells'?); allowed: alpha, correction, lce_margin, smd_margin, min_cells",
      "analysis: unknown key 'impedence' (did you mean 'impedance'?); allowed: impedance, cycling, xps, tofsims, pe, statistics, overrides",
      "analysis: 'life_criterion.of_cycles' must start at 1 (the reference is the max over cycles 1–n), found [2, 5]",
    ]);
    // What was valid is kept.
    expect(m.analysis!.campaign).toEqual({
      cycling: { life_criterion: { fraction_of_max: 0.8 } },
      xps: { charge_reference: { species: 'C-C:C1s', energy_eV: 284.8 } },
    });
  });

  it('a circuit syntax error points at the character, with the circuit parser’s own message', () => {
    const bad = 'R0-p(R1,CPE1-p(R2,CPE2)';
    let expected = '';
    try {
      parseCircuit(bad);
    } catch (e) {
      expect(e).toBeInstanceOf(CircuitSyntaxError);
      expected = (e as CircuitSyntaxError).message;
    }
    const { problems } = validateAnalysis({ impedance: { circuit: bad } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBe(`analysis.impedance: 'circuit' ${expected}`);
    const lines = problems[0]!.split('\n');
    expect(lines[1]!.trim()).toBe(bad);
    // the caret sits under the character the parser blames
    const idx = lines[2]!.indexOf('^') - lines[1]!.indexOf(bad[0]!);
    expect(problems[0]).toContain(`at character ${idx} `);
    // An element that is not a circuit name at all
    expect(validateAnalysis({ impedance: { circuit: 'R0-p(R1,X1)' } }).problems[0]).toMatch(
      /^analysis\.impedance: 'circuit' .* at character 8 of circuit string\n {2}R0-p\(R1,X1\)\n {2}\s{8}\^/,
    );
  });

  it('one bad override is dropped; the others, the campaign settings and the cells are kept', () => {
    const m = manifest(`analysis:
  cycling: { ce_cycles: [10, 50] }
  overrides:
    - { group: BTO-poeld, impedance: { circuit: 'R0-p(R1,CPE1)' } }
    - { cell: C07, cycling: { ce_cycles: [5, 30] } }
    - { cell: C08, group: control, cycling: { ce_cycles: [5, 30] } }
    - { files: "eis/*", statistics: { alpha: 0.1 }, impedance: { kk_threshold: 0.02 } }
    - { files: "../outside/*", impedance: { kk_threshold: 0.02 } }
    - { cell: P01, impedance: { circuit: 'R0-p(R2,CPE2)' } }
`);
    expect(m.cells.map((c) => c.id)).toEqual(['C07', 'C08', 'P01']);
    expect(m.analysisProblems).toEqual([
      "analysis.overrides[1]: no cell has group 'BTO-poeld' (did you mean 'BTO-poled'?); override dropped",
      "analysis.overrides[3]: needs exactly one of 'group', 'cell' or 'files' (found group and cell); override dropped",
      "analysis.overrides[4] (files eis/*).statistics: 'statistics.alpha' is campaign-wide and cannot be overridden per group, cell or file; set it under analysis.statistics",
      "analysis.overrides[5]: pattern '../outside/*' leaves the campaign folder; override dropped",
      "analysis.overrides[6] (cell P01): circuit 'R0-p(R2,CPE2)' has no R1 for sei_block 1: R_SEI would not be reported; name the SEI resistor R1 or set sei_block",
    ]);
    expect(m.analysis!.campaign).toEqual({ cycling: { ce_cycles: [10, 50] } });
    expect(m.analysis!.overrides.map((o) => [o.index, o.selector, o.settings])).toEqual([
      [2, { cell: 'C07' }, { cycling: { ce_cycles: [5, 30] } }],
      [4, { files: 'eis/*' }, { impedance: { kk_threshold: 0.02 } }],
    ]);
  });

  it('Settings rows: every key with its default or the analysis value, then each override with where it applies', () => {
    const m = manifest(ISSUE_EXAMPLE.replace(/ {2}(xps|tofsims|pe|statistics):.*\n/g, ''));
    expect(m.analysisProblems).toEqual([]);
    const rows = settingsRows(m.analysis!);
    const campaign = rows.slice(0, ANALYSIS_KEYS.length);
    expect(campaign.map((r) => r.key)).toEqual(ANALYSIS_KEYS.map((k) => k.key));
    const row = (key: string) => campaign.find((r) => r.key === key)!;
    expect(row('ce_cycles')).toMatchObject({ valueText: '[10, 50]', source: 'analysis', unit: 'cycle' });
    expect(row('rest_loss.recovery_cycles')).toMatchObject({ value: 5, source: 'default' });
    expect(row('rest_loss.reference_cycles')).toMatchObject({ value: 5, source: 'analysis' });
    expect(row('charge_reference')).toMatchObject({ valueText: 'C-C 284.8', source: 'default' });
    expect(row('bin_um')).toMatchObject({ value: 8, unit: 'µm', source: 'default' });
    expect(row('correction')).toMatchObject({ value: 'bh', source: 'default' });
    expect(rows.slice(ANALYSIS_KEYS.length).map((r) => [r.section, r.key, r.valueText, r.source])).toEqual([
      ['impedance', 'circuit', 'R0-p(R1,CPE1)', 'override #1 (group BTO-poled)'],
      ['cycling', 'ce_cycles', '[5, 30]', 'override #2 (cell C07)'],
      ['impedance', 'frequency_range_Hz', '[1, 100000]', 'override #3 (files eis/*_after_rest*)'],
    ]);
  });

  it('each section maps onto the options its reader already takes (nothing set → nothing passed)', () => {
    const spec = manifest(ISSUE_EXAMPLE).analysis!;
    expect(evaluateOptionsFromSettings(spec.campaign.statistics)).toEqual({ alpha: 0.05, decideWith: 'bh', lceMargin: 0.1, smdMargin: 0.5, minPerArm: 3 });
    expect(evaluateOptionsFromSettings({ correction: 'none' })).toEqual({ decideWith: 'raw' });
    expect(evaluateOptionsFromSettings(undefined)).toEqual({});
    expect(xpsOptionsFromSettings(spec.campaign.xps)).toEqual({
      reference: { id: 'C-C:C1s', energy: 284.8 },
      background: 'shirley',
      inorganic: ['LiF', 'Li2O', 'Li2CO3'],
    });
    expect(cycleOptionsFromSettings(spec.campaign.cycling)).toEqual({
      ceCycles: [10, 50],
      excludeFirstCycle: true,
      retentionThreshold: 0.8,
      referenceCycles: 5,
      restReferenceCycles: 5,
    });
    expect(cycleOptionsFromSettings({})).toEqual({});
  });
});
