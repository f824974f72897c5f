/**
 * Refresh bench (issue #18, "Refresh stays fast when one log is large"): a small campaign whose first
 * cell has one very large Arbin CSV log (BENCH_REFRESH_ROWS rows, default 4,000,000: about 0.5 GB,
 * too large to keep its columns in the store) and BENCH_REFRESH_CELLS − 1 small cells (a 20,000-row
 * log, two impedance spectra and a P–E pair each). Cases, in this order, each in its own process:
 *  - `batch-first`: the first batch (not a target; the store is built here);
 *  - `report-unchanged`: `interphase report` with nothing changed (target ≤ 1 s);
 *  - `batch-unchanged`: `interphase batch` with nothing changed (target ≤ 1 s);
 *  - `watch-spectrum`: a watcher running, a 4.7 KB spectrum written → refreshed report (target ≤ 2 s,
 *    the settle time of BENCH_SETTLE_MS, default 1000 ms, included): three spectra in a row, the
 *    third timed (the first is printed too: it pays the watcher's first impedance fit);
 *  - `watch-restart`: a watcher started with nothing changed → caught up, report current (target ≤ 2 s).
 * Never a test: it prints numbers against the targets.
 *
 * Run alone: `node dist/bench/refresh.js`, or as the `refresh` suite of `npm run bench`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCase, BenchSuite, CaseOutcome } from './types.js';
import { aixacctTsv, benchManifest, cyclerCsv, eisDta, writeCyclerCsvFile } from './pipeline.js';

const ROWS = Number(process.env.BENCH_REFRESH_ROWS ?? 4_000_000);
const CELLS = Math.max(2, Number(process.env.BENCH_REFRESH_CELLS ?? 4));
const SMALL_ROWS = 20_000;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1000);

/** The targets of issue #18, in ms. */
export const REFRESH_TARGETS = { 'report-unchanged': 1000, 'batch-unchanged': 1000, 'watch-spectrum': 2000, 'watch-restart': 2000 } as const;

export async function writeRefreshCampaign(dir: string, rows = ROWS, cells = CELLS): Promise<{ files: number; bytes: number; bigBytes: number }> {
  for (const d of ['cycling', 'eis', 'pe']) await mkdir(join(dir, d), { recursive: true });
  let files = 0;
  let bytes = 0;
  const put = async (rel: string, data: string | Buffer): Promise<void> => {
    await writeFile(join(dir, rel), data);
    files++;
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  };
  const ids: string[] = [];
  let bigBytes = 0;
  for (let c = 0; c < cells; c++) {
    const id = `CELL${String(c + 1).padStart(3, '0')}`;
    ids.push(id);
    if (c === 0) {
      bigBytes = await writeCyclerCsvFile(join(dir, `cycling/${id}_LiCu.csv`), rows, c + 1);
      files++;
      bytes += bigBytes;
    } else await put(`cycling/${id}_LiCu.csv`, cyclerCsv(SMALL_ROWS, c + 1));
    for (let k = 0; k < 2; k++) await put(`eis/${id}_eis_${k + 1}.DTA`, eisDta(1000 * (c + 1) + k, 20 + 10 * k + c * 0.1));
    await put(`pe/${id}_PE_pristine.tsv`, aixacctTsv(2 * c + 1, 20));
    await put(`pe/${id}_PE_cycled.tsv`, aixacctTsv(2 * c + 2, 15 + (c % 5)));
  }
  await writeFile(join(dir, 'campaign.yaml'), benchManifest('refresh-bench', ids));
  return { files, bytes, bigBytes };
}

const verdict = (id: keyof typeof REFRESH_TARGETS, ms: number): string =>
  `target ≤ ${REFRESH_TARGETS[id] / 1000} s: ${ms <= REFRESH_TARGETS[id] ? 'met' : 'NOT met'}`;

/** CPU seconds of this process (all its threads) since `from`: tells a busy machine from slow code. */
const cpuSince = (from: NodeJS.CpuUsage): string => {
  const u = process.cpuUsage(from);
  return `CPU ${((u.user + u.system) / 1e6).toFixed(2)} s`;
};

async function batchCase(ctx: Readonly<Record<string, string>>, id: 'batch-first' | 'batch-unchanged' | 'report-unchanged'): Promise<CaseOutcome> {
  const { runBatch, runReport } = await import('../pipelines/batch.js');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { summary } = id === 'report-unchanged' ? await runReport(ctx.campaign!, { outDir: ctx.out! }) : await runBatch(ctx.campaign!, { outDir: ctx.out! });
  const ms = performance.now() - t0;
  const stages = summary.timings.map((t) => `${t.stage.trim()} ${(t.ms / 1000).toFixed(2)}`).join(', ');
  const f = summary.files;
  return {
    status: 'ok',
    ms,
    note: `${id === 'batch-first' ? 'not a target' : verdict(id, ms)}; ${cpuSince(c0)}; ${f.parsed} parsed, ${f.skipped} unchanged, ${f.failed} failed; stages s: ${stages}`,
  };
}

/**
 * A watcher running (caught up); a small spectrum written → the report refreshed, settle time included.
 * Three spectra, one after another (cells 2, 3, 4): the first pays for code the watcher has not run yet
 * (the impedance fit's JIT warm-up, the workbook's first write); the last is the steady state of a
 * watcher that has been running, the case's time. All three are printed.
 */
async function watchSpectrumCase(ctx: Readonly<Record<string, string>>): Promise<CaseOutcome> {
  const { startWatch } = await import('../pipelines/watch.js');
  let reported: (() => void) | null = null;
  const h = startWatch(ctx.campaign!, { outDir: ctx.out!, settleMs: SETTLE_MS, debounceMs: 100, onReport: () => reported?.() });
  await h.ready;
  await h.idle();
  const samples: { ms: number; cpu: string }[] = [];
  let size = 0;
  for (const cell of ['CELL002', 'CELL003', 'CELL004']) {
    const done = new Promise<void>((r) => (reported = r));
    const rel = `eis/${cell}_eis_3.DTA`;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    // New bytes every run (a reused BENCH_DIR): the file is processed, never skipped as unchanged.
    await writeFile(join(ctx.campaign!, rel), eisDta(2002 + (Date.now() % 997), 40.1));
    await done;
    samples.push({ ms: performance.now() - t0, cpu: cpuSince(c0) });
    size = statSync(join(ctx.campaign!, rel)).size;
    await h.idle();
  }
  await h.close();
  const ms = samples[samples.length - 1]!.ms;
  return {
    status: 'ok',
    ms,
    note: `${verdict('watch-spectrum', ms)} (the third spectrum); spectra 1–3: ${samples.map((x) => `${(x.ms / 1000).toFixed(2)} s (${x.cpu})`).join(', ')}; each ${(size / 1024).toFixed(1)} KB; settle ${SETTLE_MS} ms included`,
  };
}

/** A watcher started on a campaign that is up to date: until it is caught up with its report current. */
async function watchRestartCase(ctx: Readonly<Record<string, string>>): Promise<CaseOutcome> {
  const { startWatch } = await import('../pipelines/watch.js');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const h = startWatch(ctx.campaign!, { outDir: ctx.out!, settleMs: SETTLE_MS, debounceMs: 100 });
  await h.ready;
  await h.idle();
  const ms = performance.now() - t0;
  await h.close();
  return { status: 'ok', ms, note: `${verdict('watch-restart', ms)}; ${cpuSince(c0)}` };
}

export const refreshBench: BenchSuite = {
  id: 'refresh',
  title: `Refresh with one large log: ${CELLS} cells, one ${ROWS.toLocaleString('en-US')}-row Arbin CSV, the others ${SMALL_ROWS.toLocaleString('en-US')} rows + 2 EIS + P–E pair`,
  async prepare(dir) {
    const campaign = join(dir, 'campaign');
    const w = await writeRefreshCampaign(campaign);
    return { campaign, out: join(dir, 'out'), files: String(w.files), mb: (w.bytes / 1e6).toFixed(0), bigMb: (w.bigBytes / 1e6).toFixed(0) };
  },
  cases(ctx): BenchCase[] {
    const input = `${CELLS} cells, ${ctx.files} files, ${ctx.mb} MB (one ${ROWS.toLocaleString('en-US')}-row log, ${ctx.bigMb} MB)`;
    return [
      { id: 'batch-first', input, tool: 'batch, first run' },
      { id: 'report-unchanged', input, tool: 'report, nothing changed' },
      { id: 'batch-unchanged', input, tool: 'batch, nothing changed' },
      { id: 'watch-spectrum', input, tool: 'watch: spectrum written → report' },
      { id: 'watch-restart', input, tool: 'watch restart, nothing changed' },
    ];
  },
  async run(caseId, ctx) {
    if (caseId === 'batch-first' || caseId === 'batch-unchanged' || caseId === 'report-unchanged') return batchCase(ctx, caseId);
    if (caseId === 'watch-spectrum') return watchSpectrumCase(ctx);
    if (caseId === 'watch-restart') return watchRestartCase(ctx);
    return { status: 'not-available', note: `no case '${caseId}'` };
  },
};

/** Standalone: prepare, run the cases in order in this process, print one line each. BENCH_DIR reuses a prepared folder. */
async function main(): Promise<void> {
  const reuse = process.env.BENCH_DIR;
  const dir = reuse ?? mkdtempSync(join(tmpdir(), 'interphase-bench-refresh-'));
  const only = (process.env.BENCH_CASES ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  try {
    const t0 = performance.now();
    const ctx = reuse ? { campaign: join(dir, 'campaign'), out: join(dir, 'out'), files: '?', mb: '?', bigMb: '?' } : await refreshBench.prepare(dir);
    process.stderr.write(
      `[bench] ${refreshBench.title}\n[bench] ${reuse ? 'reusing' : `wrote ${ctx.files} files (${ctx.mb} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s under`} ${dir}\n`,
    );
    for (const c of refreshBench.cases(ctx)) {
      if (only.length && !only.includes(c.id)) continue;
      const o = await refreshBench.run(c.id, ctx);
      process.stdout.write(`${c.tool.padEnd(34)} ${o.status === 'ok' ? `${(o.ms / 1000).toFixed(2)} s  ${o.note ?? ''}` : o.note}\n`);
    }
  } finally {
    if (reuse || process.env.BENCH_KEEP === '1') process.stderr.write(`[bench] kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
