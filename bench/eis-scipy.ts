/**
 * Issue #17 §4: impedance.py's getting-started example — its `exampleData.csv` (f, Z', Z''; 57 points
 * once the points with positive Z'' are dropped, impedance.py's `ignoreBelowX`) fitted with
 * `R0-p(R1,C1)-p(R2-Wo1,C2)` — against SciPy `curve_fit` from impedance.py's own start
 * [.01, .01, 100, .01, .05, 100, 1], unit weighting and bounds [0, ∞) as impedance.py's `fit` uses.
 * SciPy runs in Debian's /usr/bin/python3 (python3-scipy), timed inside Python (interpreter start-up
 * excluded), in the same bench run; the case says so and is skipped when that Python or SciPy is absent.
 *
 * The CSV is looked up at $BENCH_EIS_EXAMPLE, tests/fixtures/eis-reference/exampleData.csv and under
 * ../shared/real-data/eis. When it is not there the impedance.py Gamry example (72 points, the
 * reference fixture's arrays) is used instead, with a hand start of the right orders of magnitude, and
 * the note says so. Reported: χ² of each (Σ r², same residuals), our time with automatic starts and
 * from SciPy's start, and the ratios. Never a test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSuite, CaseOutcome } from './types.js';
import { fitCircuit } from '../src/fit/eis/fit-circuit.js';
import { checkSpectrum, type EisSpectrum } from '../src/fit/eis/spectrum.js';

const CIRCUIT = 'R0-p(R1,C1)-p(R2-Wo1,C2)';
const IMPEDANCE_PY_START = [0.01, 0.01, 100, 0.01, 0.05, 100, 1];
const PYTHON = '/usr/bin/python3';
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

interface Input {
  readonly label: string;
  readonly f: number[];
  readonly re: number[];
  readonly im: number[];
  readonly start: number[];
  readonly note: string;
}

function findCsv(): string | undefined {
  const direct = [process.env.BENCH_EIS_EXAMPLE, join(ROOT, 'tests/fixtures/eis-reference/exampleData.csv')].filter((p): p is string => !!p);
  for (const p of direct) if (existsSync(p)) return p;
  const base = join(ROOT, '../shared/real-data/eis');
  const walk = (d: string): string | undefined => {
    if (!existsSync(d)) return undefined;
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) {
        const hit = walk(p);
        if (hit) return hit;
      } else if (/exampleData\.csv$/i.test(e)) return p;
    }
    return undefined;
  };
  return walk(base);
}

/** impedance.py `readCSV` + `ignoreBelowX`: three numeric columns, keep Z'' < 0. */
export function exampleInput(): Input {
  const csv = findCsv();
  if (csv) {
    const rows = readFileSync(csv, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.split(',').map(Number))
      .filter((r) => r.length >= 3 && r.slice(0, 3).every(Number.isFinite));
    const kept = rows.filter((r) => r[2]! < 0);
    return {
      label: `impedance.py exampleData.csv (${kept.length} points after dropping Z'' > 0)`,
      f: kept.map((r) => r[0]!),
      re: kept.map((r) => r[1]!),
      im: kept.map((r) => r[2]!),
      start: IMPEDANCE_PY_START,
      note: `start ${JSON.stringify(IMPEDANCE_PY_START)} (impedance.py getting-started)`,
    };
  }
  const g = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/eis-reference/exampleDataGamry.json'), 'utf8')) as {
    frequencyHz: number[];
    realOhm: number[];
    imagOhm: number[];
  };
  const keep = g.imagOhm.map((v, i) => (v < 0 ? i : -1)).filter((i) => i >= 0);
  const start = [100, 1000, 1e-4, 1000, 1e4, 100, 1e-9];
  return {
    label: `impedance.py exampleDataGamry (${keep.length} points; exampleData.csv not found — set BENCH_EIS_EXAMPLE)`,
    f: keep.map((i) => g.frequencyHz[i]!),
    re: keep.map((i) => g.realOhm[i]!),
    im: keep.map((i) => g.imagOhm[i]!),
    start,
    note: `hand start ${JSON.stringify(start)}`,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function ours(input: Input, fromStart: boolean): CaseOutcome {
  const s: EisSpectrum = checkSpectrum(input.f, input.re, input.im);
  const names = ['R0', 'R1', 'C1', 'R2', 'Wo1_R', 'Wo1_tau', 'C2'];
  const opts = { weighting: 'unit' as const, ...(fromStart ? { initialGuess: Object.fromEntries(names.map((n, i) => [n, input.start[i]!])), starts: 1 } : {}) };
  let chi2 = NaN;
  const times: number[] = [];
  for (let k = 0; k < 40; k++) {
    const t = performance.now();
    const r = fitCircuit(CIRCUIT, s, opts);
    times.push(performance.now() - t);
    chi2 = r.chi2;
  }
  const steady = times.slice(10);
  return {
    status: 'ok',
    ms: median(steady),
    note: `χ² ${chi2.toExponential(6)}; ${fromStart ? `from SciPy's start (${input.note})` : 'automatic starts'}; median of ${steady.length} after 10 warm-ups; ${input.label}`,
  };
}

const SCIPY = String.raw`
import json, sys, time
import numpy as np
from scipy.optimize import curve_fit
d = json.load(sys.stdin)
f = np.array(d['f']); Z = np.array(d['re']) + 1j * np.array(d['im']); p0 = d['start']
w = 2 * np.pi * f
def model(f_, R0, R1, C1, R2, WR, Wt, C2):
    jw = 1j * w
    z1 = 1 / (1 / R1 + jw * C1)
    u = np.sqrt(jw * Wt)
    zw = WR / (u * np.tanh(u))
    z2 = 1 / (1 / (R2 + zw) + jw * C2)
    z = R0 + z1 + z2
    return np.hstack([z.real, z.imag])
y = np.hstack([Z.real, Z.imag])
best = None
times = []
for k in range(int(d['repeats'])):
    t = time.perf_counter()
    p, cov = curve_fit(model, f, y, p0=p0, bounds=(0, np.inf), maxfev=100000)
    times.append(time.perf_counter() - t)
    best = p
r = model(f, *best) - y
print(json.dumps({'ms': 1000 * float(np.median(times)), 'chi2': float(r @ r), 'p': list(map(float, best)), 'scipy': __import__('scipy').__version__}))
`;

function scipy(input: Input): CaseOutcome {
  if (!existsSync(PYTHON)) return { status: 'not-available', note: `${PYTHON} not found (Debian python3 + python3-scipy): SciPy comparison skipped` };
  const r = spawnSync(PYTHON, ['-c', SCIPY], { input: JSON.stringify({ ...input, repeats: 11 }), encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) {
    const why = (r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0] ?? '';
    return {
      status: 'not-available',
      note: /No module named/.test(why)
        ? `SciPy not installed for ${PYTHON} (apt-get install python3-scipy): skipped`
        : `SciPy run failed: ${why.slice(0, 200)}`,
    };
  }
  const o = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; chi2: number; scipy: string };
  return {
    status: 'ok',
    ms: o.ms,
    note: `χ² ${o.chi2.toExponential(6)}; curve_fit (trf, bounds [0, ∞)) scipy ${o.scipy}, ${input.note}; median of 11, timed in Python; ${input.label}`,
  };
}

export const eisScipyBench: BenchSuite = {
  id: 'eis-scipy',
  title: 'impedance.py example vs SciPy curve_fit, R0-p(R1,C1)-p(R2-Wo1,C2), unit weighting',
  prepare: async () => ({}),
  cases: () => [
    { id: 'scipy', input: 'impedance.py example, R0-p(R1,C1)-p(R2-Wo1,C2)', tool: 'SciPy curve_fit (same start)', baseline: true },
    { id: 'ours-start', input: 'impedance.py example, R0-p(R1,C1)-p(R2-Wo1,C2)', tool: 'interphase fitCircuit (same start)' },
    { id: 'ours-auto', input: 'impedance.py example, R0-p(R1,C1)-p(R2-Wo1,C2)', tool: 'interphase fitCircuit (automatic starts)' },
  ],
  run: async (caseId): Promise<CaseOutcome> => {
    const input = exampleInput();
    return caseId === 'scipy' ? scipy(input) : ours(input, caseId === 'ours-start');
  },
};
