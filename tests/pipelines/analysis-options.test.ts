/**
 * `analysis:` in the manifest (issue #17): changing an option re-fits exactly the records it affects,
 * from the store (no file is re-parsed), and the settings in force show in the store, report.json and
 * the report's Settings section. A two-cell Li‖Cu campaign in a temp dir: per cell an Arbin log of 60
 * cycles with a CE that rises cycle by cycle, a three-arc impedance spectrum, and a VAMAS XPS profile.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../../pipelines/batch.js';
import { writeArbinCsv } from '../../fixtures/virtual-lab/writers/arbin-csv.js';
import { writeGamryDta } from '../../fixtures/virtual-lab/writers/gamry-dta.js';
import { writeVamasDepthProfile } from '../../fixtures/virtual-lab/writers/vamas-xps.js';
import { mulberry32, normal } from '../../fixtures/virtual-lab/random.js';
import { parseCircuit } from '../../src/fit/eis/circuit.js';
import { simulate } from '../../src/fit/eis/evaluate.js';
import { CampaignStore } from '../../src/store/store.js';
import type { CampaignReport } from '../../src/report/types.js';

const THREE_ARCS = 'R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)';
/** R0, R1, CPE1_Q, CPE1_alpha, R2, CPE2_Q, CPE2_alpha, R3, CPE3_Q, CPE3_alpha: three well-separated arcs. */
const TRUTH = [3, 10, 1e-6, 0.92, 20, 1e-4, 0.9, 40, 1e-2, 0.88];

/** `tag` shifts R0 a little so each cell's file has its own bytes (else the second is a duplicate). */
function threeArcSpectrum(tag: number): Buffer {
  const freq = Float64Array.from({ length: 71 }, (_, i) => 10 ** (5 - i / 10));
  const z = simulate(parseCircuit(THREE_ARCS), [TRUTH[0]! + 0.01 * tag, ...TRUTH.slice(1)], [...freq]);
  return Buffer.from(
    writeGamryDta(
      { freq, zre: Float64Array.from(z.re), zim: Float64Array.from(z.im) },
      { title: 'three arcs', date: '11/25/2026', time: '10:00:00', areaCm2: 1.13, vdc: 0 },
    ),
    'latin1',
  );
}

/** Li‖Cu: plate (negative) then strip (positive) at CE_c = 0.95 + 0.0008·c up to cycle 50, 0.85 after; 8 points per half cycle. */
function cyclingLog(tag: number, cycles = 60, pts = 8): { csv: string; ce: number[] } {
  const n = cycles * 2 * pts;
  const time = new Float64Array(n);
  const voltage = new Float64Array(n);
  const current = new Float64Array(n);
  const cycle = new Int32Array(n);
  const step = new Int32Array(n);
  const ce = Array.from({ length: cycles }, (_, c) => (c + 1 <= 50 ? 0.95 + 0.0008 * (c + 1) : 0.85));
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / (2 * pts));
    const strip = Math.floor(i / pts) % 2 === 1;
    time[i] = i * 60;
    current[i] = strip ? 5e-4 * ce[c]! : -5e-4;
    voltage[i] = strip ? 0.05 + 0.001 * (i % pts) + tag * 1e-6 : -0.05 - 0.001 * (i % pts);
    cycle[i] = c + 1;
    step[i] = strip ? 2 : 1;
  }
  return { csv: writeArbinCsv({ time, voltage, current, cycle, step, startUnix: 1_780_000_000 + tag }), ce };
}

const CELLS = `campaign: settings
defaults: { cell_type: Li||Cu, electrode_area_cm2: 1.13 }
cells:
  - { id: C1, group: control }
  - { id: C2, group: control }
`;

function manifest(analysis: string): string {
  return analysis ? `${CELLS}${analysis}\n` : CELLS;
}

async function fitRows(out: string): Promise<Map<string, string>> {
  const store = await CampaignStore.open(join(out, 'store.duckdb'));
  try {
    const rows = await store.query(`
      SELECT r.path, f.fitter, f.options, (SELECT string_agg(p.name || '=' || CAST(p.value AS VARCHAR), ';' ORDER BY p.name, p.scope, p.value) FROM parameters p WHERE p.record_id = f.record_id AND p.fitter = f.fitter) AS params
      FROM fits f JOIN records r USING (record_id) ORDER BY r.path, f.fitter`);
    return new Map(rows.map((r) => [`${r.path as string} ${r.fitter as string}`, `${r.options as string} | ${r.params as string}`]));
  } finally {
    store.close();
  }
}

describe('analysis: options in the manifest', () => {
  it('a changed circuit re-fits the spectra only, a changed ce window the cycler logs only; nothing is re-parsed; the settings are reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-analysis-'));
    try {
      const camp = join(dir, 'camp');
      const out = join(dir, 'out');
      for (const d of ['cycling', 'eis', 'xps']) mkdirSync(join(camp, d), { recursive: true });
      const planted = new Map<string, number[]>();
      for (const [k, cell] of ['C1', 'C2'].entries()) {
        const log = cyclingLog(k);
        planted.set(cell, log.ce);
        writeFileSync(join(camp, 'cycling', `${cell}_cycling.csv`), log.csv);
        writeFileSync(join(camp, 'eis', `${cell}_eis.DTA`), threeArcSpectrum(k));
        const rand = mulberry32(40 + k);
        writeFileSync(join(camp, 'xps', `${cell}_depth.vms`), writeVamasDepthProfile({ inorganicFraction: 0.6 }, normal(rand)));
      }
      const run = async (analysis: string): Promise<{ report: CampaignReport; log: string[]; parsed: number; skipped: number }> => {
        writeFileSync(join(camp, 'campaign.yaml'), manifest(analysis));
        const log: string[] = [];
        const { summary, report } = await runBatch(camp, { outDir: out, workers: 0, log: (l) => log.push(l) });
        return { report, log, parsed: summary.files.parsed, skipped: summary.files.skipped };
      };
      const refitted = (log: string[]): string[] =>
        log
          .filter((l) => l.startsWith('re-fitted'))
          .map((l) => l.split(': ')[1]!)
          .sort();

      // 1. No analysis block: defaults everywhere.
      const first = await run('');
      expect(first.parsed).toBe(6);
      expect(first.report.problems).toEqual([]);
      const before = await fitRows(out);
      expect(first.report.parameters.some((p) => p.name === 'R3')).toBe(false);
      const settings0 = first.report.settings!;
      expect(settings0.find((s) => s.key === 'circuit')).toMatchObject({ value: 'R0-p(R1,CPE1)-p(R2,CPE2)', source: 'default' });
      const ceDefault = first.report.parameters.find((p) => p.cell === 'C1' && p.name === 'ce_mean')!.value!;

      // 2. Only the circuit changes: the two spectra are re-fitted from the store, nothing else.
      const second = await run(`analysis:\n  impedance: { circuit: '${THREE_ARCS}' }`);
      expect(second.parsed).toBe(0);
      expect(second.skipped).toBe(6);
      expect(refitted(second.log)).toEqual(['eis/C1_eis.DTA', 'eis/C2_eis.DTA']);
      const after2 = await fitRows(out);
      for (const [k, v] of before) {
        if (k.startsWith('eis/')) expect(after2.get(k)).not.toBe(v);
        else expect(after2.get(k)).toBe(v); // cycler and XPS fits untouched
      }

      // 3. The exact manifest of the issue: now the ce window changes, so the cycler logs are re-fitted, not the spectra.
      const third = await run(`analysis: { impedance: { circuit: '${THREE_ARCS}' }, cycling: { ce_cycles: [10, 50] } }`);
      expect(third.parsed).toBe(0);
      expect(refitted(third.log)).toEqual(['cycling/C1_cycling.csv', 'cycling/C2_cycling.csv']);
      // 4. Unchanged manifest: nothing re-fitted.
      const fourth = await run(`analysis: { impedance: { circuit: '${THREE_ARCS}' }, cycling: { ce_cycles: [10, 50] } }`);
      expect(refitted(fourth.log)).toEqual([]);

      const r = third.report;
      // Settings: the two keys from `analysis`, everything else default.
      const s = (key: string) => r.settings!.find((x) => x.key === key && !x.source.startsWith('override'))!;
      expect(s('circuit')).toMatchObject({ section: 'impedance', value: THREE_ARCS, source: 'analysis' });
      expect(s('ce_cycles')).toMatchObject({ section: 'cycling', value: [10, 50], valueText: '[10, 50]', unit: 'cycle', source: 'analysis' });
      expect(s('weighting')).toMatchObject({ value: 'modulus', source: 'default' });
      expect(s('alpha')).toMatchObject({ section: 'statistics', value: 0.05, source: 'default' });
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain('<h2 id="settings">Settings</h2>');
      expect(html).toContain(`<td>${THREE_ARCS}</td><td></td><td>analysis</td>`);
      const md = readFileSync(join(out, 'report.md'), 'utf8');
      expect(md).toContain('| cycling | `ce_cycles` | [10, 50] | cycle | analysis |');
      const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CampaignReport;
      expect(json.settings!.filter((x) => x.source === 'analysis').map((x) => x.key)).toEqual(['circuit', 'ce_cycles']);

      // The third arc is fitted and reported under its own name, the first two keep theirs.
      for (const cell of ['C1', 'C2']) {
        const p = (name: string) => json.parameters.find((x) => x.cell === cell && x.name === name);
        expect(p('R3')!.value!).toBeCloseTo(40, 1);
        expect(p('CPE3_alpha')!.value!).toBeCloseTo(0.88, 3);
        expect(p('R_SEI')!.value!).toBeCloseTo(10, 2);
        expect(p('R_ct')!.value!).toBeCloseTo(20, 2);
      }
      const eisFit = json.fits.find((f) => f.path === 'eis/C1_eis.DTA')!;
      expect(eisFit.settings).toEqual({ impedance: { circuit: THREE_ARCS } });
      expect(json.fits.find((f) => f.path.startsWith('xps/'))!.settings).toBeUndefined();

      // ce_mean is the mean over cycles 10–50 of the per-cycle CE (and not the default's 2–60).
      const store = await CampaignStore.open(join(out, 'store.duckdb'));
      try {
        const r3 = await store.query(`SELECT count(*) AS n FROM parameters WHERE name = 'R3' AND scope IS NULL`);
        expect(Number(r3[0]!.n)).toBe(2);
        const opts = await store.query(`SELECT f.options FROM fits f JOIN records r USING (record_id) WHERE r.path = 'cycling/C1_cycling.csv'`);
        expect(JSON.parse(opts[0]!.options as string)).toMatchObject({ ceCycles: [10, 50], analysis: { cycling: { ce_cycles: [10, 50] } } });
        const rec = await store.query(`SELECT record_id FROM records WHERE path = 'cycling/C1_cycling.csv'`);
        const table = await store.fitTable(rec[0]!.record_id as string, 'cycles', 'cycles');
        const cyc = table.find((c) => c.name === 'Cycle Count')!.values;
        const ce = table.find((c) => c.name === 'Coulombic Efficiency')!.values;
        const window: number[] = [];
        for (let i = 0; i < cyc.length; i++) if (cyc[i]! >= 10 && cyc[i]! <= 50) window.push(ce[i]!);
        expect(window).toHaveLength(41);
        const want = window.reduce((a, b) => a + b, 0) / window.length;
        const ceMean = json.parameters.find((p) => p.cell === 'C1' && p.name === 'ce_mean')!;
        expect(ceMean.value!).toBeCloseTo(want, 12);
        // The default (before `analysis:`) was the mean over cycles 2–60 of the same table, which takes in
        // the planted drop after cycle 50.
        const all = [...ce].slice(1);
        expect(ceDefault).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length, 12);
        expect(ce[49]!).toBeGreaterThan(ce[9]! + 0.02); // cycle 50 vs cycle 10
        expect(ce[55]!).toBeLessThan(ce[9]! - 0.05); // after the drop
        expect(ceMean.value! - ceDefault).toBeGreaterThan(0.01);
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
