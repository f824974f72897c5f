/**
 * Issue #18 (4) "Incomplete is not complete":
 *  - a file whose own header declares more points than it holds is `incomplete` (declared vs read), in
 *    the record, the store, the report and the CLI summary; its fits are flagged (not ok where biased);
 *  - a log cut mid-cycle: its partial last cycle is left out of the group's per-cycle statistics and
 *    plots, and the exclusion is stated (plot data, caption, the cycle fit's messages).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../../pipelines/batch.js';
import { openCampaign } from '../../pipelines/campaign.js';
import { gamryDta } from '../../parsers/eis/gamry-dta.js';
import { eisFormats } from '../../parsers/eis/index.js';
import { fitRecord } from '../../src/fit/index.js';
import { incompleteOf, type CanonicalRecord, type ParsedRecord } from '../../src/records/record.js';
import { collectFigures } from '../../src/report/plots/collect.js';
import { writeArbinCsv } from '../../fixtures/virtual-lab/writers/arbin-csv.js';
import { HAVE_REAL_DATA, readReal } from '../helpers/realData.js';
import { tinyDta } from './helpers.js';

const zplotZ = eisFormats.find((f) => f.id === 'zplot-z')!;
const REAL_GAMRY = 'eis/gamry-dta/impedancepy__exampleDataGamry.DTA';

/**
 * The real Gamry EISPOT file, its ZCURVE table kept to its first `declared` points (200 kHz down to
 * ~0.08 Hz) with the count written on the TABLE line as Framework does, then cut after `keep` points.
 */
function cutGamry(declared: number, keep: number): Buffer {
  const lines = Buffer.from(readReal(REAL_GAMRY)).toString('latin1').split(/\r?\n/);
  const z = lines.findIndex((l) => l === 'ZCURVE\tTABLE');
  const head = lines.slice(0, z);
  const rows = lines.slice(z + 3).filter((l) => /^\t\d/.test(l));
  expect(rows.length).toBeGreaterThanOrEqual(declared);
  const out = [...head, `ZCURVE\tTABLE\t${declared}`, lines[z + 1]!, lines[z + 2]!, ...rows.slice(0, keep), ''];
  return Buffer.from(out.join('\r\n'), 'latin1');
}

const asCanonical = (r: ParsedRecord): CanonicalRecord => ({
  ...r,
  format: 'gamry-dta',
  provenance: { path: 'x.DTA', size: 1, sha256: '0'.repeat(64), parser: 'gamry-dta', parserVersion: '1', recordIndex: 0 },
});

describe('issue #18 (4): a file holding less than its header declares is incomplete', () => {
  it.skipIf(!HAVE_REAL_DATA)('a real Gamry spectrum cut to 21 of its 60 declared points: incomplete (21 of 60), its fit not ok and saying why', () => {
    const [cut] = gamryDta.parse({ path: 'cut.DTA', bytes: cutGamry(60, 21) }) as ParsedRecord[];
    expect(cut!.columns[0]!.values.length).toBe(21);
    expect(incompleteOf(cut!)).toEqual({ declared: 60, read: 21, unit: 'points', source: 'ZCURVE TABLE header' });
    const w = cut!.warnings.find((x) => x.code === 'incomplete')!;
    expect(w).toMatchObject({ declared: 60, read: 21, unit: 'points' });
    expect(w.message).toMatch(/^incomplete: 21 of 60 declared points \(ZCURVE TABLE header\)/);
    expect(cut!.warnings.some((x) => x.code === 'row-count-mismatch')).toBe(false);
    const [fit] = fitRecord(asCanonical(cut!), {});
    expect(fit!.fitter).toBe('eis-li-metal');
    expect(fit!.quality.ok).toBe(false);
    expect(fit!.quality.metrics).toMatchObject({ incompleteDeclared: 60, incompleteRead: 21 });
    expect(fit!.quality.messages.at(-1)).toMatch(/^incomplete record: 21 of 60 declared points .*low-frequency end.*not ok, not used by the hypotheses/);

    // The same file with all 60 declared points: complete, no flag, no message.
    const [whole] = gamryDta.parse({ path: 'whole.DTA', bytes: cutGamry(60, 60) }) as ParsedRecord[];
    expect(incompleteOf(whole!)).toBeUndefined();
    expect(whole!.warnings.map((x) => x.code)).not.toContain('incomplete');
    const [wf] = fitRecord(asCanonical(whole!), {});
    expect(wf!.quality.messages.some((m) => m.startsWith('incomplete'))).toBe(false);
    expect(wf!.quality.metrics.incompleteDeclared).toBeUndefined();
  });

  it.skipIf(!HAVE_REAL_DATA)('a real ZPlot file that declares 56 Data Points and holds 21 (stops at 3 kHz) is incomplete', () => {
    const [r] = zplotZ.parse({ path: 'x.z', bytes: readReal('eis/zview-z/impedancepy__exampleDataZPlot.z') }) as ParsedRecord[];
    expect(incompleteOf(r!)).toEqual({ declared: 56, read: 21, unit: 'points', source: "header 'Data Points'" });
    expect(fitRecord(asCanonical(r!), {})[0]!.quality.ok).toBe(false);
  });

  it('batch: the cut file is in state `incomplete` (report, paths, CLI summary) with declared vs read; its fit is flagged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-issue18-cut-'));
    const camp = join(dir, 'camp');
    const out = join(dir, 'out');
    try {
      mkdirSync(join(camp, 'eis'), { recursive: true });
      writeFileSync(join(camp, 'campaign.yaml'), 'campaign: t\ncells:\n  - { id: A1, group: control }\n  - { id: B1, group: control }\n');
      writeFileSync(join(camp, 'eis', 'A1_eis_0.DTA'), tinyDta(1, 8));
      // B1: a tiny spectrum whose TABLE line declares 12 points; 8 follow (the sweep's low-frequency end is missing)
      writeFileSync(join(camp, 'eis', 'B1_eis_0.DTA'), Buffer.from(tinyDta(2, 8).toString('latin1').replace('ZCURVE\tTABLE', 'ZCURVE\tTABLE\t12'), 'latin1'));
      const { report, summary } = await runBatch(camp, { outDir: out, workers: 0 });
      const a = report.files.find((f) => f.path === 'eis/A1_eis_0.DTA')!;
      const b = report.files.find((f) => f.path === 'eis/B1_eis_0.DTA')!;
      expect(a.state).toBe('parsed');
      expect(a.incomplete).toBeUndefined();
      expect(b.status).toBe('parsed'); // read and kept …
      expect(b.state).toBe('incomplete'); // … but not complete
      expect(b.incomplete).toMatchObject({ declared: 12, read: 8, unit: 'points' });
      expect(report.paths!.find((p) => p.path === 'eis/B1_eis_0.DTA')).toMatchObject({
        state: 'incomplete',
        detail: expect.stringMatching(/^incomplete: 8 of 12 declared points/),
      });
      expect(report.pathStates).toMatchObject({ parsed: 1, incomplete: 1 });
      expect(summary.incomplete).toEqual([{ path: 'eis/B1_eis_0.DTA', declared: 12, read: 8, unit: 'points', message: b.incomplete!.message }]);
      expect(summary.notRead.map((p) => p.path)).not.toContain('eis/B1_eis_0.DTA');
      const fb = report.fits.find((f) => f.path === 'eis/B1_eis_0.DTA')!;
      expect(fb.ok).toBe(false);
      expect(fb.messages.some((m) => m.startsWith('incomplete record: 8 of 12 declared points'))).toBe(true);
      const fa = report.fits.find((f) => f.path === 'eis/A1_eis_0.DTA')!;
      expect(fa.messages.some((m) => m.startsWith('incomplete'))).toBe(false);
      // the parameters of B1 are not ok: the hypothesis engine (fitOk rows only) does not use them
      const pb = report.parameters.filter((p) => p.cell === 'B1' && p.fitter === 'eis-li-metal');
      expect(pb.length).toBeGreaterThan(0);
      for (const p of pb) expect(p.fitOk).toBe(false);
      // the store keeps the counts (the file's warnings and the record's meta)
      const { ctx } = await openCampaign(camp, { outDir: out });
      try {
        const meta = await ctx.store.query(`SELECT meta FROM records WHERE path = 'eis/B1_eis_0.DTA'`);
        expect(JSON.parse(meta[0]!.meta as string).incomplete).toEqual({ declared: 12, read: 8, unit: 'points', source: 'ZCURVE TABLE header' });
      } finally {
        ctx.store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Galvanostatic cathode-convention log (charge, then discharge), `cycles` cycles of 2×`pts` minutes; `cutAfter` rows kept. */
function cyclingLog(tag: number, currentA: number, cycles: number, pts: number, cutAfter?: number): string {
  const n = cycles * 2 * pts;
  const m = cutAfter ?? n;
  const time = new Float64Array(m);
  const voltage = new Float64Array(m);
  const current = new Float64Array(m);
  const cycle = new Int32Array(m);
  const step = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const charge = Math.floor(i / pts) % 2 === 0;
    time[i] = i * 60;
    current[i] = charge ? currentA : -currentA;
    voltage[i] = charge ? 3.6 + 0.01 * (i % pts) : 4.0 - 0.01 * (i % pts);
    cycle[i] = Math.floor(i / (2 * pts)) + 1;
    step[i] = charge ? 1 : 2;
  }
  return writeArbinCsv({ time, voltage, current, cycle, step, startUnix: 1_780_000_000 + tag });
}

describe('issue #18 (4): a partial last cycle is left out of the group statistics, and said so', () => {
  it("a log cut mid-discharge of cycle 4: the group mean at cycle 4 is the other cells' mean; the note and the fit name it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-issue18-partial-'));
    const camp = join(dir, 'camp');
    const out = join(dir, 'out');
    const pts = 10;
    try {
      mkdirSync(join(camp, 'cycling'), { recursive: true });
      writeFileSync(
        join(camp, 'campaign.yaml'),
        'campaign: t\ncells:\n  - { id: A1, group: control }\n  - { id: A2, group: control }\n  - { id: A3, group: control }\n',
      );
      writeFileSync(join(camp, 'cycling', 'A1_cycling.csv'), cyclingLog(1, 1.0e-3, 4, pts));
      writeFileSync(join(camp, 'cycling', 'A2_cycling.csv'), cyclingLog(2, 1.2e-3, 4, pts));
      // A3: cut 3 rows into the discharge of cycle 4 (copied while the test ran)
      writeFileSync(join(camp, 'cycling', 'A3_cycling.csv'), cyclingLog(3, 1.1e-3, 4, pts, 3 * 2 * pts + pts + 3));
      const { report } = await runBatch(camp, { outDir: out, workers: 0 });
      const cycleFit = (cell: string) => report.fits.find((f) => f.cell === cell && f.fitter === 'cycles')!;
      expect(cycleFit('A3').messages).toContain(
        "last cycle 4 is partial (log cut mid-cycle): its closing half (discharge (I<0)) holds 22 % of the previous cycles' median and the cycle lasted 63 % of their median duration: excluded from CE, retention, cycle life and the per-cycle group statistics and plots",
      );
      expect(cycleFit('A3').metrics.partialCycle).toBe(4);
      expect(cycleFit('A3').metrics.completeCycles).toBe(3);
      expect(cycleFit('A1').metrics.partialCycle).toBeUndefined();
      expect(cycleFit('A1').messages.some((m) => m.includes('partial'))).toBe(false);

      const { ctx } = await openCampaign(camp, { outDir: out });
      let figs;
      try {
        figs = await collectFigures(report, ctx.store);
      } finally {
        ctx.store.close();
      }
      const cap = figs.find((f) => f.title === 'Discharge capacity vs cycle')!;
      const values = (cap.spec as unknown as { data: { values: { group: string; cycle: number; mean: number; n: number; excluded?: string }[] } }).data.values;
      const at = (c: number) => values.find((v) => v.group === 'control' && v.cycle === c)!;
      // each cell's discharge capacity per cycle: I × (pts − 1) one-minute intervals of its discharge step, in mAh (the plot's unit)
      const q = (i: number) => (i * (pts - 1) * 60) / 3.6;
      expect(at(3).n).toBe(3);
      expect(at(3).mean).toBeCloseTo((q(1.0e-3) + q(1.2e-3) + q(1.1e-3)) / 3, 6);
      expect(at(3).excluded).toBeUndefined();
      expect(at(4).n).toBe(2); // A3 left out …
      expect(at(4).mean).toBeCloseTo((q(1.0e-3) + q(1.2e-3)) / 2, 6); // … so the mean is the other cells'
      expect(at(4).excluded).toBe('A3: partial last cycle (log cut mid-cycle)');
      expect((cap.spec as unknown as { usermeta: { excluded: string[] } }).usermeta.excluded).toEqual(['A3 cycle 4 (partial last cycle (log cut mid-cycle))']);
      expect(cap.caption).toContain('Excluded from the group mean and band: A3 cycle 4 (partial last cycle (log cut mid-cycle)).');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
