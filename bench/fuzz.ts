/**
 * `npm run fuzz` → node dist/bench/fuzz.js. The long, seeded fuzz run over every parser: mutated real
 * and synthetic files (tests/fuzz/harness.ts), each through the parser directly and through parseBytes.
 *
 * Each parser runs in its own child process (heap capped by --max-old-space-size) so a hang or an
 * out-of-memory crash is caught too: the child records the index of the input it is on (synchronously,
 * before parsing) and the parent kills it when it makes no progress for FUZZ_STALL_S seconds, reports
 * that input as a hang/OOM and restarts the child after it.
 *
 * Env / flags:
 *   FUZZ_RUNS=10000          mutated inputs per parser (default 10000)
 *   FUZZ_RUNS_SLOW=<n>       cap for the slow parsers (spreadsheets: one worker thread per parse); default FUZZ_RUNS
 *   FUZZ_SEED=20261125       base seed (each parser: seed + its index)
 *   FUZZ_JOBS=2              parallel children
 *   FUZZ_ONLY=a,b            only these parser ids
 *   FUZZ_HEAP_MB=2048        child heap cap
 *   FUZZ_STALL_S=30          no progress for this long = hang
 *   FUZZ_JSON=path           also write the full result as JSON
 * Replay one input: node dist/bench/fuzz.js --repro <parser-id> '<plan json>' [out-file]
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HAVE_REAL_DATA,
  REAL_DATA,
  applyPlan,
  failures,
  realSeeds,
  runCase,
  samplePlans,
  seedsByFormat,
  syntheticSeeds,
  type Plan,
  type Seed,
} from '../tests/fuzz/harness.js';
import { FORMATS } from '../parsers/index.js';

const SLOW_PARSERS = new Set(['cycler-spreadsheet']);
const MARK = 'FUZZ_RESULT ';

export interface ParserResult {
  parser: string;
  seeds: number;
  runs: number;
  records: number;
  parseErrors: number;
  crashes: { kind: string; seed: string; plan: Plan; bytes: number; message: string }[];
  slowest: { ms: number; seed: string; plan: Plan; bytes: number; path: 'direct' | 'parseBytes' } | null;
  totalMs: number;
}

function allSeeds(): Map<string, Seed[]> {
  return seedsByFormat([...realSeeds(), ...syntheticSeeds()]);
}

/** Child: run plans[start..] for one parser, writing the current index to `progress` before each. */
async function child(parser: string, runs: number, seed: number, start: number, progress: string): Promise<void> {
  const seeds = allSeeds().get(parser) ?? [];
  const plans = samplePlans(seed, runs);
  const res: ParserResult = { parser, seeds: seeds.length, runs: 0, records: 0, parseErrors: 0, crashes: [], slowest: null, totalMs: 0 };
  const fd = openSync(progress, 'w');
  const t0 = performance.now();
  for (let i = start; i < plans.length; i++) {
    writeSync(fd, `${String(i).padStart(10)}\n`, 0);
    const plan = plans[i]!;
    const c = await runCase(seeds, plan);
    res.runs++;
    for (const [path, v] of [
      ['direct', c.direct],
      ['parseBytes', c.detected],
    ] as const) {
      if (!v) continue;
      if (v.ok) {
        if (v.outcome === 'records') res.records++;
        else res.parseErrors++;
      }
      if (!res.slowest || v.ms > res.slowest.ms) res.slowest = { ms: v.ms, seed: c.seed, plan, bytes: c.bytes, path };
    }
    for (const f of failures(c)) res.crashes.push({ kind: f.split(':')[0]!, seed: c.seed, plan, bytes: c.bytes, message: f.slice(0, 600) });
  }
  res.totalMs = performance.now() - t0;
  closeSync(fd);
  process.stdout.write(`${MARK}${JSON.stringify(res)}\n`);
}

interface Job {
  parser: string;
  runs: number;
  seed: number;
}

/** Parent: one child per parser (restarted after a hang/OOM), FUZZ_JOBS at a time. */
async function runJob(job: Job, heapMb: number, stallS: number): Promise<ParserResult> {
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'ip-fuzz-'));
  const progress = join(dir, 'progress');
  const merged: ParserResult = { parser: job.parser, seeds: 0, runs: 0, records: 0, parseErrors: 0, crashes: [], slowest: null, totalMs: 0 };
  let start = 0;
  const seeds = allSeeds().get(job.parser) ?? [];
  const plans = samplePlans(job.seed, job.runs);
  try {
    while (start < job.runs) {
      const out = await new Promise<{ result?: ParserResult; at: number; why: string }>((resolve) => {
        const p = spawn(
          process.execPath,
          [`--max-old-space-size=${heapMb}`, self, '--child', job.parser, String(job.runs), String(job.seed), String(start), progress],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        let lastIdx = -1;
        let lastChange = Date.now();
        p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        p.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
        const readIdx = (): number => {
          try {
            return Number(readFileSync(progress, 'latin1').trim());
          } catch {
            return -1;
          }
        };
        let killedForStall = false;
        const watchdog = setInterval(() => {
          const idx = readIdx();
          if (idx !== lastIdx) {
            lastIdx = idx;
            lastChange = Date.now();
          } else if (Date.now() - lastChange > stallS * 1000) {
            killedForStall = true;
            p.kill('SIGKILL');
          }
        }, 500);
        p.on('exit', (code, signal) => {
          clearInterval(watchdog);
          const line = stdout.split('\n').find((l) => l.startsWith(MARK));
          if (line) return resolve({ result: JSON.parse(line.slice(MARK.length)) as ParserResult, at: job.runs, why: '' });
          const at = Math.max(start, readIdx());
          const why = killedForStall
            ? `hang: no progress for ${stallS} s`
            : /heap out of memory|ERR_WORKER_OUT_OF_MEMORY/i.test(stderr)
              ? `out of memory (heap cap ${heapMb} MB)`
              : `child died (code ${code}, signal ${signal}): ${stderr.trim().split('\n').slice(-2).join(' | ')}`;
          resolve({ at, why });
        });
      });
      if (out.result) {
        const r = out.result;
        merged.seeds = r.seeds;
        merged.runs += r.runs;
        merged.records += r.records;
        merged.parseErrors += r.parseErrors;
        merged.crashes.push(...r.crashes);
        merged.totalMs += r.totalMs;
        if (r.slowest && (!merged.slowest || r.slowest.ms > merged.slowest.ms)) merged.slowest = r.slowest;
        break;
      }
      // The input at `out.at` hung or blew memory: record it, skip it, go on.
      const plan = plans[out.at]!;
      const s = seeds[plan.seed % Math.max(1, seeds.length)];
      merged.runs += out.at - start + 1;
      merged.crashes.push({ kind: out.why.split(':')[0]!, seed: s?.id ?? '?', plan, bytes: s ? applyPlan(s.bytes, plan).length : 0, message: out.why });
      start = out.at + 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return merged;
}

async function parent(): Promise<void> {
  const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
  const runsSlow = Number(process.env.FUZZ_RUNS_SLOW ?? runs);
  const base = Number(process.env.FUZZ_SEED ?? 20261125);
  const jobsN = Math.max(1, Number(process.env.FUZZ_JOBS ?? 2));
  const heapMb = Number(process.env.FUZZ_HEAP_MB ?? 2048);
  const stallS = Number(process.env.FUZZ_STALL_S ?? 30);
  const only = process.env.FUZZ_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!HAVE_REAL_DATA) console.warn(`[fuzz] ${REAL_DATA} not found: fuzzing synthetic seeds only`);
  const groups = allSeeds();
  const jobs: Job[] = [];
  FORMATS.forEach((f, i) => {
    if (only && !only.includes(f.id)) return;
    if (!groups.has(f.id)) {
      console.warn(`[fuzz] ${f.id}: no seed file (skipped)`);
      return;
    }
    jobs.push({ parser: f.id, runs: SLOW_PARSERS.has(f.id) ? runsSlow : runs, seed: base + i });
  });
  if (groups.has('(detection only)') && (!only || only.includes('(detection only)'))) jobs.push({ parser: '(detection only)', runs, seed: base + 999 });
  console.log(`[fuzz] ${jobs.length} parsers, ${runs} inputs each (${runsSlow} for ${[...SLOW_PARSERS].join(', ')}), seed ${base}, ${jobsN} jobs`);
  const results: ParserResult[] = [];
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: jobsN }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const r = await runJob(job, heapMb, stallS);
        results.push(r);
        const sl = r.slowest;
        console.log(
          `[fuzz] ${r.parser.padEnd(26)} ${String(r.runs).padStart(6)} inputs  ${String(r.crashes.length).padStart(3)} crashes  slowest ${sl ? `${sl.ms.toFixed(0)} ms (${sl.bytes} B, ${sl.path})` : '-'}  ${(r.totalMs / 1000).toFixed(0)} s`,
        );
      }
    }),
  );
  results.sort((a, b) => a.parser.localeCompare(b.parser));
  console.log('\n| parser | seeds | inputs | records | ParseErrors | crashes | slowest input | slowest ms |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const sl = r.slowest;
    console.log(
      `| ${r.parser} | ${r.seeds} | ${r.runs} | ${r.records} | ${r.parseErrors} | ${r.crashes.length} | ${sl ? `${sl.seed.replace(/^real:.*\//, 'real:')} ${sl.plan.ops.map((o) => o.m).join('+')} (${sl.bytes} B, ${sl.path})` : '-'} | ${sl ? sl.ms.toFixed(0) : '-'} |`,
    );
  }
  const crashes = results.flatMap((r) => r.crashes.map((c) => ({ parser: r.parser, ...c })));
  console.log(`\n[fuzz] ${results.reduce((s, r) => s + r.runs, 0)} inputs in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${crashes.length} crashes`);
  for (const c of crashes.slice(0, 50)) console.log(`  ${c.parser} ${c.seed} ${JSON.stringify(c.plan)}\n    ${c.message.split('\n')[0]}`);
  if (process.env.FUZZ_JSON) writeFileSync(process.env.FUZZ_JSON, JSON.stringify({ seed: base, runs, runsSlow, results }, null, 1));
  process.exitCode = crashes.length ? 1 : 0;
}

/** Replay one plan and print the verdicts (optionally write the mutated bytes). */
async function repro(parser: string, planJson: string, outFile?: string): Promise<void> {
  const seeds = allSeeds().get(parser) ?? [];
  const plan = JSON.parse(planJson) as Plan;
  const s = seeds[plan.seed % seeds.length]!;
  const bytes = applyPlan(s.bytes, plan);
  if (outFile) writeFileSync(outFile, bytes);
  const c = await runCase(seeds, plan);
  console.log(JSON.stringify({ seed: s.id, bytes: bytes.length, direct: c.direct, detected: c.detected }, null, 1));
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv[1]!, Number(argv[2]), Number(argv[3]), Number(argv[4]), argv[5]!);
else if (argv[0] === '--repro') await repro(argv[1]!, argv[2]!, argv[3]);
else await parent();
