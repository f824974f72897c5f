/**
 * Pipeline bench: a virtual-lab campaign end to end through `runBatch` (worker threads), then the
 * re-run with nothing changed, then watch latency (last write of a growing 100,000-row cycler log →
 * refreshed report).
 *
 * Campaign per cell: one Arbin CSV cycler log (BENCH_ROWS rows, default 200,000), 3 Gamry DTA impedance
 * spectra, one XPS VAMAS file (the real SPECS export in shared/real-data used as a template, the sample
 * id set to the cell: skipped when real-data is absent), one IONTOF depth-profile text, one text ion
 * image (MATRIX layout, 2 ions, 64×64), and one aixACCT .tsv P–E loop pair (pristine + cycled).
 * Cells: BENCH_CELLS (default 96). Watch: BENCH_WATCH_ROWS (default 100,000), BENCH_SETTLE_MS (1000).
 *
 * Run alone: `node dist/bench/pipeline.js` (prints its own table), or as a suite of `npm run bench`.
 */
import { appendFile, mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCase, BenchSuite, CaseOutcome } from './types.js';
import { ARBIN_HEADER, arbinCsvRows, writeArbinCsv, type CyclerSeries } from '../fixtures/virtual-lab/writers/arbin-csv.js';
import { writeGamryDta } from '../fixtures/virtual-lab/writers/gamry-dta.js';
import { mulberry32, normal } from '../fixtures/virtual-lab/random.js';
import { alphaFromHeterogeneity, cellSpectrum } from '../fixtures/virtual-lab/eis-spectrum.js';
import { runBatch } from '../pipelines/batch.js';
import { startWatch } from '../pipelines/watch.js';
import { settingsFromEnv } from '../src/settings.js';

const CELLS = Number(process.env.BENCH_CELLS ?? 96);
const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const WATCH_ROWS = Number(process.env.BENCH_WATCH_ROWS ?? 100_000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1000);
const VAMAS_TEMPLATE = resolve(fileURLToPath(import.meta.url), '../../../../shared/real-data/xps/vamas/pynxtools__regular.vms');
const VAMAS_TEMPLATE_SRC = resolve(fileURLToPath(import.meta.url), '../../../shared/real-data/xps/vamas/pynxtools__regular.vms');

// ------------------------------------------------------------------------------------------------
// File generators (minimal valid files for our parsers)
// ------------------------------------------------------------------------------------------------

/** The bench campaigns' manifest: Li‖Cu cells, alternately control and BTO. */
export function benchManifest(name: string, ids: readonly string[]): string {
  return [
    `campaign: ${name}`,
    'defaults:',
    '  cell_type: Li||Cu',
    '  electrode_area_cm2: 1.13',
    'cells:',
    ...ids.map((id, i) => `  - { id: ${id}, group: ${i % 2 ? 'BTO' : 'control'} }`),
    '',
  ].join('\n');
}

/** Galvanostatic Li||Cu cycling: plating/stripping half cycles of `pts` points, `rows` in total. */
export function cyclerCsv(rows: number, seed: number, pts = 500): string {
  return writeArbinCsv(cyclerSeries(rows, seed, pts));
}

/** `cyclerCsv` written to `path` in pieces (the same bytes): logs of millions of rows. */
export async function writeCyclerCsvFile(path: string, rows: number, seed: number, pts = 500): Promise<number> {
  const fh = await open(path, 'w');
  let bytes = 0;
  try {
    const put = async (s: string): Promise<void> => {
      const b = Buffer.from(s);
      await fh.write(b);
      bytes += b.length;
    };
    await put(`${ARBIN_HEADER}\r\n`);
    for (const lines of arbinCsvRows(cyclerSeries(rows, seed, pts), 50_000)) await put(`${lines.join('\r\n')}\r\n`);
  } finally {
    await fh.close();
  }
  return bytes;
}

function cyclerSeries(rows: number, seed: number, pts: number): CyclerSeries {
  const rand = mulberry32(seed);
  const time = new Float64Array(rows);
  const voltage = new Float64Array(rows);
  const current = new Float64Array(rows);
  const cycle = new Int32Array(rows);
  const step = new Int32Array(rows);
  const i0 = 5.65e-4;
  for (let i = 0; i < rows; i++) {
    const half = Math.floor(i / pts);
    const strip = half % 2 === 1;
    const u = (i % pts) / pts;
    time[i] = i * 7.2;
    current[i] = strip ? i0 : -i0;
    voltage[i] = (strip ? 0.03 + 0.02 * u + (u > 0.97 ? 0.5 : 0) : -0.03 - 0.01 * u) + 1e-4 * (rand() - 0.5);
    cycle[i] = Math.floor(half / 2) + 1;
    step[i] = strip ? 2 : 1;
  }
  return { time, voltage, current, cycle, step, startUnix: 1_780_000_000 + seed * 97 };
}

/** A two-arc Li-metal spectrum (the virtual lab's R0-p(R_SEI,CPE)-p(R_ct,CPE_dl)) as a Gamry DTA. */
export function eisDta(seed: number, rSei: number): Buffer {
  const gauss = normal(mulberry32(seed));
  const spec = cellSpectrum(rSei, alphaFromHeterogeneity(0.3 + 0.4 * ((seed % 7) / 7)), 2.5 * rSei, gauss);
  return Buffer.from(writeGamryDta(spec, { title: `EIS ${seed}`, date: '11/25/2026', time: '10:00:00', areaCm2: 1.13, vdc: 0 }), 'latin1');
}

/** IONTOF SurfaceLab depth profile export: two '#' label lines, the column header, then rows. */
export function iontofDepthProfile(seed: number, points = 300): string {
  const rand = mulberry32(seed);
  const ions = ['LiF_2-', 'C_2H-', 'LiO-', 'PO_2-', 'F-'];
  const masses = [44.9974, 25.0078, 22.9999, 62.9636, 18.9984];
  const L = [
    '# Profile Smoothing is Disabled',
    `#\t\t\t\ttotal\t${ions.join('\t')}`,
    `#\t\t\t\tN/A\t${masses.map((m) => m.toFixed(4)).join('\t')}`,
    `#Data Point #\tSputter Time (s)\tDose (ions)\tFluence (ions/cm^2)\t${['total', ...ions].map(() => 'Intensity').join('\t')}`,
  ];
  for (let i = 0; i < points; i++) {
    const t = (i + 1) * 3.2768;
    const depth = i / points;
    const c = ions.map((_, k) => Math.round((k + 1) * 800 * Math.exp(-depth * (k + 1)) * (0.9 + 0.2 * rand())));
    const total = c.reduce((s, x) => s + x, 0) + 100000;
    L.push(`${i + 1}\t${t.toFixed(4)}\t${(t * 1.6e6).toExponential(5)}\t${(t * 6.5e10).toExponential(5)}\t${total}\t${c.join('\t')}`);
  }
  return L.join('\n') + '\n';
}

/** Text ion image, MATRIX layout (docs/tofsims.md): `# Ion:`/`# Mass:` then rows of counts. */
export function ionImage(seed: number, size = 64): string {
  const rand = mulberry32(seed);
  const L: string[] = [];
  for (const [ion, mass] of [
    ['LiF_2-', 44.9974],
    ['C_2H-', 25.0078],
  ] as const) {
    L.push(`# Ion: ${ion}`, `# Mass: ${mass}`);
    for (let y = 0; y < size; y++) {
      const row: number[] = [];
      for (let x = 0; x < size; x++) row.push(Math.floor(rand() * 20 + (((x >> 3) + (y >> 3)) % 2) * 10));
      L.push(row.join(' '));
    }
  }
  return L.join('\n') + '\n';
}

/** aixACCT TF Analyzer table export: a triangular drive and a ferroelectric hysteresis loop. */
export function aixacctTsv(seed: number, pr: number, points = 2000): string {
  const rand = mulberry32(seed);
  const L = ['Time s\tVplus V\tVminus V\tI1 A\tP1 uC_per_cm2\tI2 A\tP2 uC_per_cm2\tI3 A\tP3 uC_per_cm2'];
  const vMax = 8;
  const vc = 2.5;
  let prevP = 0;
  for (let i = 0; i < points; i++) {
    const ph = i / points;
    const v = vMax * (ph < 0.25 ? 4 * ph : ph < 0.75 ? 2 - 4 * ph : 4 * ph - 4);
    const rising = ph < 0.25 || ph >= 0.75;
    const p = pr * Math.tanh((v - (rising ? vc : -vc)) / 1.2) + 0.5 * v + 0.05 * (rand() - 0.5);
    const cur = (p - prevP) * 1e-6;
    prevP = p;
    const f = (x: number) => x.toExponential(6);
    L.push([f(i * 5e-4), f(v / 2), f(-v / 2), f(cur), f(p), f(cur), f(p), f(-cur), f(-p)].join('\t'));
  }
  return L.join('\r\n') + '\r\n';
}

function vamasFor(template: string, cell: string): string {
  // Line 24 of the template is the block's sample identifier: setting it to the cell keeps the file
  // valid and gives every cell its own bytes.
  const lines = template.split('\r\n');
  const k = lines.indexOf('1 as-loaded', 20);
  if (k >= 0) lines[k] = `${cell} depth profile`;
  return lines.join('\r\n');
}

export async function writeCampaign(dir: string, cells = CELLS, rows = ROWS): Promise<{ files: number; bytes: number; xps: boolean }> {
  for (const d of ['cycling', 'eis', 'xps', 'tofsims', 'pe']) await mkdir(join(dir, d), { recursive: true });
  const templatePath = [VAMAS_TEMPLATE, VAMAS_TEMPLATE_SRC].find((p) => existsSync(p));
  const template = templatePath ? await readFile(templatePath, 'latin1') : null;
  const ids: string[] = [];
  let files = 0;
  let bytes = 0;
  const put = async (rel: string, data: string | Buffer): Promise<void> => {
    await writeFile(join(dir, rel), data);
    files++;
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  };
  for (let c = 0; c < cells; c++) {
    const id = `CELL${String(c + 1).padStart(3, '0')}`;
    ids.push(id);
    await put(`cycling/${id}_LiCu.csv`, cyclerCsv(rows, c + 1));
    for (let k = 0; k < 3; k++) await put(`eis/${id}_eis_${k + 1}.DTA`, eisDta(1000 * (c + 1) + k, 20 + 10 * k + c * 0.1));
    if (template) await put(`xps/${id}_depth.vms`, Buffer.from(vamasFor(template, id), 'latin1'));
    await put(`tofsims/${id}_depth_profile.txt`, iontofDepthProfile(c + 1));
    await put(`tofsims/${id}_image.txt`, ionImage(c + 1));
    await put(`pe/${id}_PE_pristine.tsv`, aixacctTsv(2 * c + 1, 20));
    await put(`pe/${id}_PE_cycled.tsv`, aixacctTsv(2 * c + 2, 15 + (c % 5)));
  }
  await writeFile(join(dir, 'campaign.yaml'), benchManifest('bench', ids));
  return { files, bytes, xps: template !== null };
}

// ------------------------------------------------------------------------------------------------
// Cases
// ------------------------------------------------------------------------------------------------

async function batchCase(ctx: Readonly<Record<string, string>>, force: boolean): Promise<CaseOutcome> {
  const t0 = performance.now();
  const { summary } = await runBatch(ctx.campaign!, { outDir: ctx.out!, force, settings: settingsFromEnv(process.env) });
  const ms = performance.now() - t0;
  const s = ms / 1000;
  const f = summary.files;
  const stages = summary.timings.map((t) => `${t.stage.trim()} ${(t.ms / 1000).toFixed(1)}`).join(', ');
  return {
    status: 'ok',
    ms,
    note: `${f.parsed} parsed, ${f.skipped} unchanged, ${f.failed} failed; ${(Number(ctx.files) / s).toFixed(1)} files/s, ${(summary.bytesRead / 1e6 / s).toFixed(1)} MB/s read; ${summary.workers} workers; stages s: ${stages}`,
  };
}

/** Last append of a growing cycler log → report refreshed (settle time included). */
async function watchCase(ctx: Readonly<Record<string, string>>): Promise<CaseOutcome> {
  const dir = ctx.watchDir!;
  const out = ctx.watchOut!;
  let reported: (() => void) | null = null;
  const h = startWatch(dir, { outDir: out, settleMs: SETTLE_MS, debounceMs: 100, settings: settingsFromEnv(process.env), onReport: () => reported?.() });
  await h.ready;
  const csv = cyclerCsv(WATCH_ROWS, 4242);
  const cut = [0, 0.25, 0.5, 0.75, 1].map((x) => Math.floor(x * csv.length));
  const file = join(dir, 'CELL001_growing.csv');
  const samples: number[] = [];
  // The instrument appends in pieces; the report refreshes after each settled piece. Time the last.
  for (let k = 0; k < 4; k++) {
    const done = new Promise<void>((r) => (reported = r));
    await appendFile(file, csv.slice(cut[k]!, cut[k + 1]!));
    const t0 = performance.now();
    await done;
    samples.push(performance.now() - t0);
  }
  await h.close();
  const last = samples[samples.length - 1]!;
  return {
    status: 'ok',
    ms: last,
    rows: WATCH_ROWS,
    note: `settle ${SETTLE_MS} ms included; processing after settle ≈ ${Math.max(0, last - SETTLE_MS).toFixed(0)} ms; per piece ms: ${samples.map((x) => x.toFixed(0)).join(', ')}`,
  };
}

export const pipelineBench: BenchSuite = {
  id: 'pipeline',
  title: `Pipeline: ${CELLS} cells × (${ROWS.toLocaleString('en-US')}-row cycler log, 3 EIS, XPS, ToF-SIMS profile + image, P–E pair)`,
  async prepare(dir) {
    const campaign = join(dir, 'campaign');
    const w = await writeCampaign(campaign);
    const watchDir = join(dir, 'watch');
    await mkdir(watchDir, { recursive: true });
    await writeFile(join(watchDir, 'campaign.yaml'), 'campaign: watch-bench\ncells:\n  - { id: CELL001, group: control }\n');
    return {
      campaign,
      out: join(dir, 'out'),
      watchDir,
      watchOut: join(dir, 'watch-out'),
      files: String(w.files),
      mb: (w.bytes / 1e6).toFixed(0),
      xps: String(w.xps),
    };
  },
  cases(ctx): BenchCase[] {
    const input = `${CELLS} cells, ${ctx.files} files, ${ctx.mb} MB${ctx.xps === 'true' ? '' : ' (no XPS: real-data template missing)'}`;
    return [
      { id: 'batch-first', input, tool: 'batch, first run' },
      { id: 'batch-rerun', input, tool: 'batch, nothing changed' },
      { id: 'watch-latency', input: `${WATCH_ROWS.toLocaleString('en-US')}-row growing log`, tool: 'watch: last write → report' },
    ];
  },
  async run(caseId, ctx) {
    if (caseId === 'batch-first') return batchCase(ctx, true);
    if (caseId === 'batch-rerun') return batchCase(ctx, false);
    if (caseId === 'watch-latency') return watchCase(ctx);
    return { status: 'not-available', note: `no case '${caseId}'` };
  },
};

/** Standalone: prepare, run the cases in order in this process, print one line each. */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'interphase-bench-pipeline-'));
  try {
    const t0 = performance.now();
    const ctx = await pipelineBench.prepare(dir);
    process.stderr.write(
      `[bench] ${pipelineBench.title}\n[bench] wrote ${ctx.files} files (${ctx.mb} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s under ${dir}\n`,
    );
    for (const c of pipelineBench.cases(ctx)) {
      const o = await pipelineBench.run(c.id, ctx);
      process.stdout.write(`${c.tool.padEnd(28)} ${o.status === 'ok' ? `${(o.ms / 1000).toFixed(2)} s  ${o.note ?? ''}` : o.note}\n`);
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') process.stderr.write(`[bench] kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
