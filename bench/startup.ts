/**
 * Start-up bench (issue #17 §3): whole-process wall time of the `interphase` command, as a user runs it
 * (a fresh `node dist/pipelines/cli/main.js …` each time, spawned from here):
 *
 * - `--version`, `formats`, `detect` and `parse` of a small file (a 200-row and a 2,000-row Arbin CSV):
 *   median of STARTUP_REPS (7) runs after one warm-up (disk cache), budget ≤ 0.25 s each;
 * - `parse` of a BENCH_ROWS (1,000,000) row Arbin CSV against a whole-process Node script that reads
 *   the same file with `@duckdb/node-api` `read_csv` into a table (`bench/duckdb-read-csv.ts`): the two
 *   run alternately, PARSE_REPS (5; 3 with BENCH_QUICK=1) times each, medians compared.
 *
 * The CPU column in the notes is the children's user+sys time (Linux `/proc/self/stat`), which a busy
 * shared machine disturbs less than wall time. Timings only; nothing here asserts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCase, BenchSuite, CaseOutcome } from './types.js';
import { writeArbinCsv } from './cycler-files.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const QUICK = process.env.BENCH_QUICK === '1';
const STARTUP_REPS = 7;
const PARSE_REPS = QUICK ? 3 : 5;
/** dist/bench → dist/pipelines/cli/main.js */
const CLI = resolve(fileURLToPath(new URL('.', import.meta.url)), '../pipelines/cli/main.js');
const DUCKDB_SCRIPT = fileURLToPath(new URL('./duckdb-read-csv.js', import.meta.url));

/** Children's CPU time so far (user+sys, s), from /proc/self/stat; null where there is no /proc. */
function childCpuS(): number | null {
  try {
    const s = readFileSync('/proc/self/stat', 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // Fields after the name start at field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(f[13]) + Number(f[14])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

interface Run {
  ms: number;
  cpu: number | null;
  out: string;
}

function runOnce(args: readonly string[]): Run {
  const c0 = childCpuS();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c1 = childCpuS();
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr.slice(0, 300)}`);
  return { ms, cpu: c0 === null || c1 === null ? null : c1 - c0, out: r.stdout };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function summary(runs: readonly Run[]): { ms: number; note: string } {
  const ms = runs.map((r) => r.ms);
  const cpus = runs.map((r) => r.cpu).filter((x): x is number => x !== null);
  const cpu = cpus.length ? `; CPU ${median(cpus).toFixed(2)} s` : '';
  // The machine's 1-minute load average: on a shared 2-core box, wall times above ~2 mean other work.
  return {
    ms: median(ms),
    note: `median of ${runs.length} (range ${(Math.min(...ms) / 1000).toFixed(3)}–${(Math.max(...ms) / 1000).toFixed(3)} s)${cpu}; load avg ${loadavg()[0]!.toFixed(1)}`,
  };
}

const STARTUP: Record<string, (ctx: Readonly<Record<string, string>>) => string[]> = {
  version: () => ['--version'],
  formats: () => ['formats'],
  detect: (ctx) => ['detect', ctx.small!],
  'parse-small': (ctx) => ['parse', ctx.small!],
  'parse-2k': (ctx) => ['parse', ctx.medium!],
};

export const startupBench: BenchSuite = {
  id: 'startup',
  title: `CLI start-up and whole-process parse (${ROWS.toLocaleString('en-US')} rows vs DuckDB)`,

  async prepare(dir) {
    const small = join(dir, 'small_arbin.csv');
    const medium = join(dir, 'medium_arbin.csv');
    const big = join(dir, 'bench_arbin.csv');
    writeArbinCsv(small, 200);
    writeArbinCsv(medium, 2000);
    writeArbinCsv(big, ROWS);
    return { small, medium, big };
  },

  cases(ctx) {
    const kb = (p: string): string => (statSync(p).size / 1e3).toFixed(0);
    const mb = (statSync(ctx.big!).size / 1e6).toFixed(0);
    const big = `arbin-csv ${ROWS.toLocaleString('en-US')} rows (${mb} MB), whole process`;
    return [
      { id: 'version', input: 'start-up (budget ≤ 0.25 s)', tool: 'interphase --version' },
      { id: 'formats', input: 'start-up (budget ≤ 0.25 s)', tool: 'interphase formats' },
      { id: 'detect', input: 'start-up (budget ≤ 0.25 s)', tool: `interphase detect (200-row Arbin CSV, ${kb(ctx.small!)} kB)` },
      { id: 'parse-small', input: 'start-up (budget ≤ 0.25 s)', tool: `interphase parse (200-row Arbin CSV, ${kb(ctx.small!)} kB)` },
      { id: 'parse-2k', input: 'start-up (budget ≤ 0.25 s)', tool: `interphase parse (2,000-row Arbin CSV, ${kb(ctx.medium!)} kB)` },
      { id: 'parse-big', input: big, tool: 'interphase parse (CLI)' },
      { id: 'duckdb-big', input: big, tool: 'node script: @duckdb/node-api read_csv → table', baseline: true },
    ] satisfies BenchCase[];
  },

  async run(caseId, ctx): Promise<CaseOutcome> {
    const startup = STARTUP[caseId];
    if (startup) {
      const args = [CLI, ...startup(ctx)];
      runOnce(args); // warm-up: file cache
      const runs = Array.from({ length: STARTUP_REPS }, () => runOnce(args));
      const s = summary(runs);
      return { status: 'ok', ms: s.ms, note: s.note };
    }
    if (caseId === 'parse-big' || caseId === 'duckdb-big') {
      // Both tools alternate, so a change in the machine's load falls on both; each case reports its own
      // tool's runs and the ratio of the medians from the same alternation.
      // The first of the two cases runs the alternation and leaves it beside the input for the other.
      const saved = join(dirname(ctx.big!), 'alternation.json');
      let a: Run[];
      let b: Run[];
      if (existsSync(saved)) {
        ({ a, b } = JSON.parse(readFileSync(saved, 'utf8')) as { a: Run[]; b: Run[] });
      } else {
        const ip = [CLI, 'parse', ctx.big!];
        const duck = [DUCKDB_SCRIPT, ctx.big!];
        runOnce(duck); // warm-up: file cache, DuckDB's native module
        a = [];
        b = [];
        for (let k = 0; k < PARSE_REPS; k++) {
          a.push(runOnce(ip));
          b.push(runOnce(duck));
        }
        writeFileSync(saved, JSON.stringify({ a, b }));
      }
      const rows = Number(/(\d+) rows/.exec(a[0]!.out)?.[1] ?? NaN);
      const mine = caseId === 'parse-big' ? a : b;
      const s = summary(mine);
      const ratio = median(a.map((r) => r.ms)) / median(b.map((r) => r.ms));
      return {
        status: 'ok',
        ms: s.ms,
        rows: caseId === 'parse-big' ? rows : Number(b[0]!.out.trim()),
        note: `${s.note}; interphase/duckdb, medians of the alternation: ${ratio.toFixed(2)}`,
      };
    }
    return { status: 'not-available', note: `unknown case ${caseId}` };
  },
};
