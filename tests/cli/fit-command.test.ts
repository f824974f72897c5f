/**
 * `interphase fit <file>` (issue #17 part 2): one real file of each family fitted through the
 * compiled CLI, values pinned; the option flags; --json / --csv shapes; --plot SVG series; bad
 * input (exit 1, typed error line) and bad options (exit 2, clear message).
 * Real-data cases skip with a message when ../shared/real-data is absent.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HAVE_REAL_DATA, realPath } from '../helpers/realData.js';
import { countItems } from '../report/helpers.js';

const CLI = resolve(__dirname, '../../dist/pipelines/cli/main.js');
const REF = resolve(__dirname, '../fixtures/eis-reference/exampleDataGamry.json');

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'fit', ...args], { encoding: 'utf8', cwd: tmpdir() });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
interface Param {
  name: string;
  alias?: string;
  value: number;
  unit: string;
  stderr: number | null;
  ci95: [number, number] | null;
  fixed?: boolean;
}
interface Fit {
  scope: string;
  fitter: string;
  model?: string;
  parameters: Param[];
  quality: Record<string, number | boolean>;
  messages: string[];
}
function json(...args: string[]): { ok: boolean; kind: string; format: string; fits: Fit[]; plot?: string; errors?: string[] } {
  const r = run(...args, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
}
const param = (f: Fit, name: string): Param => {
  const p = f.parameters.find((q) => q.name === name);
  if (!p) throw new Error(`no ${name} in ${f.parameters.map((q) => q.name).join(', ')}`);
  return p;
};

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npm run build\` (npm test does it first)`);
});

const gamry = realPath('eis/gamry-dta/impedancepy__exampleDataGamry.DTA');
const real = HAVE_REAL_DATA ? describe : describe.skip;
if (!HAVE_REAL_DATA) console.warn('[fit-command] ../shared/real-data absent: the real-file fit cases are skipped');

real('interphase fit on real files, one per family', () => {
  it('impedance (Gamry, impedance.py example): χ² and parameters equal the scipy reference; quality reported', () => {
    const ref = JSON.parse(readFileSync(REF, 'utf8')).fits.find((f: { circuit: string }) => f.circuit === 'R0-p(R1,C1)-p(R2-Wo1,C2)');
    const j = json(gamry, '--circuit', 'R0-p(R1,C1)-p(R2-Wo1,C2)');
    expect(j).toMatchObject({ ok: true, kind: 'eis', format: 'gamry-dta' });
    const f = j.fits[0]!;
    expect(f.model).toBe('R0-p(R1,C1)-p(R2-Wo1,C2)');
    expect(f.parameters.map((p) => p.name)).toEqual(ref.names);
    expect(Math.abs((f.quality.chi2 as number) / ref.chi2 - 1)).toBeLessThan(1e-6);
    for (const k of ['R0', 'R1', 'C1', 'R2', 'C2']) {
      const i = ref.names.indexOf(k);
      expect(Math.abs(param(f, k).value / ref.values[i] - 1), k).toBeLessThan(1e-4);
      expect(Math.abs(param(f, k).stderr! / ref.stderr[i] - 1), k).toBeLessThan(1e-3);
    }
    expect(param(f, 'R2').value).toBeCloseTo(3631.14, 1);
    expect(param(f, 'R1').unit).toBe('ohm');
    expect(param(f, 'C1').unit).toBe('F');
    const ci = param(f, 'R2').ci95!;
    expect(ci[0]).toBeLessThan(3631.14);
    expect(ci[1]).toBeGreaterThan(3631.14);
    expect(f.quality).toMatchObject({ converged: true, identifiable: true, kkPassed: false, points: 72 });
    expect(f.quality.kkResidualMax as number).toBeCloseTo(0.1106, 3); // this spectrum drifts: it fails lin-KK
    expect(f.quality.ok).toBe(false);
  });

  it('impedance, several sweeps: each sweep fitted; --sweep N picks one', () => {
    const file = realPath('eis/biologic-mpt/yadg__geis.issue_149.mpt');
    const all = json(file);
    expect(all.fits.map((f) => f.scope)).toEqual(['sweep 1/4', 'sweep 2/4', 'sweep 3/4', 'sweep 4/4']);
    for (const f of all.fits) expect(f.quality.points).toBe(21);
    const two = json(file, '--sweep', '2');
    expect(two.fits).toHaveLength(1);
    expect(two.fits[0]!.scope).toBe('sweep 2/4');
    expect(param(two.fits[0]!, 'R0').value).toBeCloseTo(param(all.fits[1]!, 'R0').value, 6);
    expect(param(two.fits[0]!, 'R0').value).toBeCloseTo(7.497, 2);
    const bad = run(file, '--sweep', '9');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--sweep 9: .* holds 4 sweeps/);
  });

  it('XPS (PHI .spe) --region "F 1s": LiF component, FWHM, Shirley, χ²', () => {
    const j = json(realPath('xps/phi-spe/yadg__test0.spe'), '--region', 'F 1s');
    expect(j.kind).toBe('xps-spectrum');
    expect(j.fits).toHaveLength(1);
    const f = j.fits[0]!;
    expect(f.scope).toBe('etch level 0 · F 1s');
    expect(param(f, 'LiF:F1s centre').value).toBeCloseTo(684.87, 2);
    expect(param(f, 'LiF:F1s centre').unit).toBe('eV');
    expect(Math.abs(param(f, 'LiF:F1s area').value / 3005.6 - 1)).toBeLessThan(0.005);
    expect(param(f, 'FWHM').value).toBeCloseTo(1.607, 2);
    expect(f.quality.converged).toBe(true);
    expect(f.quality.reducedChi2 as number).toBeGreaterThan(0);
    const bad = run(realPath('xps/phi-spe/yadg__test0.spe'), '--region', 'Li 1s');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no fitted Li 1s region \(fitted: F 1s/);
  });

  it('P–E loop (aixACCT TSV): Pr and Vc; --thickness-nm turns Vc into Ec', () => {
    const file = realPath('pe-loop/aixacct-tsv/ferro__RT_WhiteA_1Hz_8V_1Average_Table3.tsv');
    const f = json(file).fits[0]!;
    expect(param(f, 'Pr').value).toBeCloseTo(8.1993, 3);
    expect(param(f, 'Pr').unit).toBe('uC/cm2');
    expect(param(f, 'Vc').value).toBeCloseTo(1.5961, 3);
    expect(param(f, 'Pr').ci95![0]).toBeLessThan(8.1993);
    const g = json(file, '--thickness-nm', '100').fits[0]!;
    expect(param(g, 'Ec').value).toBeCloseTo(159.61, 1); // 1.5961 V / 100 nm = 159.6 kV/cm
    expect(param(g, 'Ec').unit).toBe('kV/cm');
  });

  it('cycling (Arbin .res): --ce-cycles takes the CE mean over that window', () => {
    const j = json(realPath('cycler/arbin-res/cellpy__20160805_test001_45_cc_01.res'), '--ce-cycles', '3-12');
    const f = j.fits[0]!;
    expect(param(f, 'cycles_completed').value).toBe(17);
    const ce = param(f, 'ce_mean');
    expect(ce.value).toBeCloseTo(0.954, 3);
    expect(ce.stderr!).toBeGreaterThan(0);
    expect(f.parameters.find((p) => p.name === 'ce_mean')).toBeDefined();
    const none = run(realPath('cycler/arbin-res/cellpy__20160805_test001_45_cc_01.res'), '--ce-cycles', '300-400');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no complete cycle with a CE in that range/);
  });

  it('ToF-SIMS depth profile: the SIMS fitter through the same command', () => {
    const f = json(realPath('tofsims/iontof-depth-profile-txt/xlab__I241213h_M_PCBM-ref_2D_neg-B1.txt')).fits[0]!;
    expect(param(f, 'sims_inorganic_organic_ratio').value).toBeCloseTo(0.092217, 5);
  });
});

real('interphase fit options', () => {
  it('--circuit changes the parameter set; the default is the Li-metal circuit with physical aliases', () => {
    const d = json(gamry).fits[0]!;
    expect(d.parameters.map((p) => p.name)).toEqual(['R0', 'R1', 'CPE1_Q', 'CPE1_alpha', 'R2', 'CPE2_Q', 'CPE2_alpha']);
    expect(param(d, 'R1').alias).toBe('R_SEI');
    const c = json(gamry, '--circuit', 'R0-p(R1,CPE1)-Wo1').fits[0]!;
    expect(c.parameters.map((p) => p.name)).toEqual(['R0', 'R1', 'CPE1_Q', 'CPE1_alpha', 'Wo1_R', 'Wo1_tau']);
    expect(param(c, 'R1').alias).toBeUndefined();
    const z = json(gamry, '--circuit', 'R0-ZARC1-ZARC2').fits[0]!;
    expect(z.parameters.map((p) => p.name)).toEqual(['R0', 'ZARC1_R', 'ZARC1_tau', 'ZARC1_alpha', 'ZARC2_R', 'ZARC2_tau', 'ZARC2_alpha']);
  });

  it('--fix holds a value (no stderr); --initial accepts names and impedance.py positions', () => {
    const f = json(gamry, '--fix', 'R0=2.1', '--initial', 'R1=4000,CPE1_0=1e-9').fits[0]!;
    expect(param(f, 'R0')).toMatchObject({ value: 2.1, fixed: true, stderr: null, ci95: null });
    expect(param(f, 'R1').fixed).toBeUndefined();
    expect(param(f, 'R1').value).toBeCloseTo(4110.9, 0);
  });

  it('--weighting and --fmin/--fmax change the fit', () => {
    const a = json(gamry, '--weighting', 'proportional', '--fmin', '1', '--fmax', '1e5').fits[0]!;
    expect(a.quality.points).toBeLessThan(72);
    expect(a.quality.fMinHz as number).toBeGreaterThanOrEqual(1);
    expect(a.quality.fMaxHz as number).toBeLessThanOrEqual(1e5);
    expect(a.messages[0]).toMatch(/^weighting proportional; /);
  });

  it('--csv: one row per parameter, then quality rows', () => {
    const r = run(gamry, '--csv', '--circuit', 'R0-p(R1,C1)');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('scope,name,value,unit,stderr,ci95_low,ci95_high,fixed,note');
    expect(lines[1]).toMatch(/^,R0,[-0-9.e+]+,ohm,[0-9.e+-]+,[-0-9.e+]+,[-0-9.e+]+,0,/);
    expect(lines.some((l) => l.startsWith(',quality:chi2,'))).toBe(true);
    expect(lines.some((l) => l.startsWith(',quality:converged,1'))).toBe(true);
  });

  it('plain text: table with unit, stderr, 95 % CI and the fit line', () => {
    const r = run(gamry, '--circuit', 'R0-p(R1,C1)-p(R2-Wo1,C2)');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/parameter +value +unit +stderr +95 % CI/);
    expect(r.out).toMatch(/\n {2}R2 +3631\.1 +ohm +± 61\.40\d +\[3509\.\d+, 3752\.\d+\]/);
    expect(r.out).toMatch(/fit: χ² 0\.35111, reduced χ² 0\.0025628, KK residual max 11\.06 % \(FAIL\), converged yes, identifiable yes, quality NOT OK/);
  });

  it('--plot writes an SVG with the data and the fit: Nyquist, Bode and residuals for impedance', () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-fit-'));
    const svgPath = join(d, 'eis.svg');
    const j = json(gamry, '--plot', svgPath);
    expect(j.plot).toBe(svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(countItems(svg, 'symbol', 'measured_marks')).toBe(72);
    expect(countItems(svg, 'line', 'fit_marks')).toBe(1);
    expect(countItems(svg, 'symbol', 'mod_measured_marks')).toBe(72);
    expect(countItems(svg, 'line', 'phase_fit_marks')).toBe(1);
    expect(countItems(svg, 'symbol', 'residual_marks')).toBe(144);
  });

  it('--plot for XPS, P–E and cycling: components and background; Pr/Ec marks; capacity and CE', () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-fit-'));
    const x = join(d, 'x.svg');
    json(realPath('xps/phi-spe/yadg__test0.spe'), '--region', 'F 1s', '--plot', x);
    const xs = readFileSync(x, 'utf8');
    expect(countItems(xs, 'symbol', 'measured_marks')).toBeGreaterThan(50);
    expect(countItems(xs, 'line', 'background_marks')).toBe(1);
    expect(countItems(xs, 'line', 'component_marks')).toBe(2);
    expect(countItems(xs, 'line', 'fit_marks')).toBe(1);
    const p = join(d, 'p.svg');
    json(realPath('pe-loop/aixacct-tsv/ferro__RT_WhiteA_1Hz_8V_1Average_Table3.tsv'), '--plot', p);
    const ps = readFileSync(p, 'utf8');
    expect(countItems(ps, 'line', 'loop_marks')).toBe(1);
    expect(countItems(ps, 'symbol', 'marked_marks')).toBe(4);
    expect(ps).toMatch(/Pr\+ 9\.355/);
    const c = join(d, 'c.svg');
    json(realPath('cycler/arbin-res/cellpy__20160805_test001_45_cc_01.res'), '--ce-cycles', '3-12', '--plot', c);
    const cs = readFileSync(c, 'utf8');
    expect(countItems(cs, 'line', 'capacity_marks')).toBe(2);
    expect(countItems(cs, 'line', 'ce_marks')).toBe(1);
  });
});

describe('interphase fit: bad input and bad options', () => {
  const d = mkdtempSync(join(tmpdir(), 'ip-fit-bad-'));
  const empty = join(d, 'empty.DTA');
  writeFileSync(empty, '');

  it('an unreadable file: the typed error line and exit 1 (JSON: ok false with the error)', () => {
    const r = run(empty);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`${empty}@0: empty file (0 bytes) (expected instrument data, found 0 bytes)`);
    const j = run(empty, '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ ok: false, file: empty, error: { type: 'empty-file' } });
  });

  it('a circuit syntax error points at the character, exit 2', () => {
    const r = run(empty, '--circuit', 'R0-p(R1,C1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--circuit: missing '\)' to close p\( at character 10/);
    expect(r.err).toContain('  R0-p(R1,C1\n            ^');
    const u = run(empty, '--circuit', 'R0-Q1');
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/unknown element 'Q' .*at character 3/);
  });

  it.each([
    [['--weighting', 'foo'], /--weighting must be one of modulus, unit, proportional, not 'foo'/],
    [['--initial', 'R9=1'], /--initial 'R9=1' at character 0: 'R9' is not a parameter of 'R0-p\(R1,CPE1\)-p\(R2,CPE2\)'/],
    [['--fix', 'R0'], /'R0' has no '='/],
    [['--fix', 'R0=abc'], /value of R0 must be a number, not 'abc'/],
    [['--fix', 'CPE1_alpha=2'], /CPE1_alpha = 2 is outside its bounds \[0, 1\]/],
    [['--fmin', '100', '--fmax', '10'], /--fmin \(100 Hz\) must be below --fmax \(10 Hz\)/],
    [['--ce-cycles', 'ten'], /--ce-cycles must be a cycle range FIRST-LAST/],
    [['--region', 'Xx 9z'], /--region 'Xx 9z' is not a core level/],
    [['--sweep', '0'], /--sweep must be a whole number ≥ 1/],
    [['--json', '--csv'], /--json and --csv cannot be combined/],
  ])('%j → exit 2 with a clear message', (args, msg) => {
    const r = run(empty, ...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg as RegExp);
  });

  (HAVE_REAL_DATA ? it : it.skip)('an option of another family is refused (exit 2); a band with no points is bad input (exit 1)', () => {
    const r = run(gamry, '--region', 'F 1s');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--region applies to XPS spectra; .* holds a eis record/);
    const s = run(gamry, '--fmin', '1e9');
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/impedancepy__exampleDataGamry\.DTA: a spectrum needs at least 5 points, got 0 \[too-few-points\]/);
  });
});
