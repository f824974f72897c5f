/**
 * `npm run bench` → node dist/bench/run.js. Runs every suite in SUITES; each case in its own child
 * process (fresh heap, its own peak RSS), then prints one table with ratios against the suite's
 * baseline peer measured in the same run. Never part of the tests; nothing here can fail a build.
 *
 * Env: BENCH_QUICK=1 skips the slowest peers; BENCH_ROWS overrides the row count; BENCH_KEEP=1 keeps
 * the generated files (path printed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSuite, CaseOutcome, CaseRow } from './types.js';
import { cyclerBench } from './cycler.js';

import { modelBench } from './model.js';
import { fitsBench } from './fits.js';
import { eisScipyBench } from './eis-scipy.js';
import { startupBench } from './startup.js';
import { settingsFromEnv } from '../src/settings.js';
import { setParallelScan } from '../parsers/text/parallel-scan.js';

const ALL_SUITES: readonly BenchSuite[] = [
  cyclerBench,
  fitsBench,
  eisScipyBench,
  modelBench,
  (await import('./pipeline.js')).pipelineBench,
  (await import('./refresh.js')).refreshBench,
  (await import('./report.js')).reportBench,
  startupBench,
];
/** BENCH_ONLY=cycler,model runs a subset (ids as in each suite's `id`: cycler, fits, model, pipeline, refresh, report, startup). */
const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((x) => x.trim())
  .filter(Boolean);
export const SUITES: readonly BenchSuite[] = ONLY.length ? ALL_SUITES.filter((s) => ONLY.includes(s.id)) : ALL_SUITES;

const MARK = 'BENCH_RESULT ';

async function child(suiteId: string, caseId: string, ctxJson: string): Promise<void> {
  const suite = SUITES.find((s) => s.id === suiteId);
  if (!suite) throw new Error(`no bench suite '${suiteId}'`);
  // The bench is an edge like the CLI: the INTERPHASE_* variables reach the code under test as settings.
  setParallelScan(settingsFromEnv(process.env).parallelScan);
  const before = process.memoryUsage().rss;
  const outcome = await suite.run(caseId, JSON.parse(ctxJson) as Record<string, string>);
  const peak = process.resourceUsage().maxRSS * 1024;
  // maxRSS is a high-water mark: when set-up ran first, the delta is only an upper bound for the timed part.
  const base = outcome.status === 'ok' && outcome.rssBeforeTimed !== undefined ? outcome.rssBeforeTimed : before;
  process.stdout.write(`${MARK}${JSON.stringify({ outcome, peakRssDeltaMb: Math.max(0, peak - base) / 1e6 })}\n`);
}

function runCase(suite: BenchSuite, caseId: string, ctx: Record<string, string>): { outcome: CaseRow['outcome']; peakRssDeltaMb?: number } {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', self, '--child', suite.id, caseId, JSON.stringify(ctx)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60 * 1000,
  });
  const line = r.stdout?.split('\n').find((l) => l.startsWith(MARK));
  if (!line) {
    const err = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ');
    return { outcome: { status: 'failed', note: err.slice(0, 300) } };
  }
  return JSON.parse(line.slice(MARK.length)) as { outcome: CaseOutcome; peakRssDeltaMb: number };
}

function table(rows: readonly CaseRow[]): string {
  const base = new Map<string, number>();
  for (const r of rows) if (r.baseline && r.outcome.status === 'ok') base.set(`${r.suite}|${r.input}`, r.outcome.ms);
  const head = ['input', 'tool', 'wall s', 'peak RSS Δ MB', '× duckdb', 'rows', 'note'];
  const body = rows.map((r) => {
    const o = r.outcome;
    const b = base.get(`${r.suite}|${r.input}`);
    if (o.status === 'ok') {
      return [
        r.input,
        r.tool,
        (o.ms / 1000).toFixed(3),
        r.peakRssDeltaMb?.toFixed(0) ?? '',
        b ? (o.ms / b).toFixed(2) : '',
        o.rows?.toLocaleString('en-US') ?? '',
        o.note ?? '',
      ];
    }
    const label = o.status === 'not-available' ? 'not available' : o.status;
    return [r.input, r.tool, label, '', '', '', o.note];
  });
  const lines = [head, head.map(() => '---'), ...body].map((c) => `| ${c.join(' | ')} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const rows: CaseRow[] = [];
  for (const suite of SUITES) {
    const dir = mkdtempSync(join(tmpdir(), `interphase-bench-${suite.id}-`));
    try {
      process.stderr.write(`[bench] ${suite.title}: writing inputs under ${dir}\n`);
      const t0 = Date.now();
      const ctx = await suite.prepare(dir);
      process.stderr.write(`[bench] inputs written in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      for (const c of suite.cases(ctx)) {
        if (c.skip) {
          rows.push({ ...c, suite: suite.id, outcome: { status: 'skipped', note: c.skip } });
          continue;
        }
        process.stderr.write(`[bench] ${c.id} …\n`);
        const r = runCase(suite, c.id, ctx);
        rows.push({ ...c, suite: suite.id, ...r });
      }
    } finally {
      if (process.env.BENCH_KEEP === '1') process.stderr.write(`[bench] kept ${dir}\n`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`\nNode ${process.version}, ${new Date().toISOString()}\n\n${table(rows)}\n`);
}

if (process.argv[2] === '--child') {
  child(process.argv[3]!, process.argv[4]!, process.argv[5]!).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
