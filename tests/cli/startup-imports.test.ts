/**
 * Issue #17 §3: the CLI starts at once because heavy libraries load only when a command needs them.
 * This runs the compiled CLI (`npm test` builds first) under a module-load tracer — an ES-module resolve
 * hook registered with `node --import`, plus a wrapper around CommonJS `Module._load` (for `require`,
 * which `src/records/lazy.ts` uses) — and asserts that `--version`, `formats`, `detect` and `parse` of a
 * small file load none of the heavy packages. Not a timing test: timings are in `npm run bench`
 * (bench/startup.ts).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CLI = resolve(__dirname, '../../dist/pipelines/cli/main.js');

/** Packages the start-up path must not load (node_modules directory names). */
const HEAVY = [
  '@duckdb',
  'xlsx',
  'vega',
  'vega-lite',
  'bullmq',
  'ioredis',
  'danfojs-node',
  'chokidar',
  'playwright',
  'playwright-core',
  'mdb-reader',
  'fast-xml-parser',
];

const dir = mkdtempSync(join(tmpdir(), 'ip-startup-'));
const log = join(dir, 'loaded.txt');

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npm run build\` (npm test does it first)`);
  // The resolve hook runs on the loader thread; it appends every resolved URL to the log file.
  writeFileSync(
    join(dir, 'hooks.mjs'),
    [
      "import { appendFileSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const r = await next(specifier, context);',
      "  if (process.env.IP_TRACE_LOG) appendFileSync(process.env.IP_TRACE_LOG, r.url + '\\n');",
      '  return r;',
      '}',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'trace.mjs'),
    [
      "import { register, createRequire } from 'node:module';",
      "import { appendFileSync } from 'node:fs';",
      "register('./hooks.mjs', import.meta.url);",
      "const Module = createRequire(import.meta.url)('node:module');",
      'const load = Module._load;',
      'Module._load = function (request, parent, isMain) {',
      '  try { appendFileSync(process.env.IP_TRACE_LOG, Module._resolveFilename(request, parent, isMain) + "\\n"); } catch {}',
      '  return load.apply(this, arguments);',
      '};',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'small.csv'),
    [
      'Data_Point,Test_Time(s),Date_Time,Step_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V),Charge_Capacity(Ah),Discharge_Capacity(Ah),Charge_Energy(Wh),Discharge_Energy(Wh),dV/dt(V/s),Internal_Resistance(Ohm),Is_FC_Data',
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `${i + 1},${i * 10},01/01/2024 00:${String(Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')},${i * 10},2,1,0.1,${(3.3 + i * 0.01).toFixed(3)},${(i * 0.0003).toFixed(6)},0,${(i * 0.001).toFixed(6)},0,0.0001,0.05,0`,
      ),
    ].join('\r\n') + '\r\n',
  );
});

/** Packages (node_modules directory names) loaded while the CLI ran with `args`. */
function loadedPackages(...args: string[]): { packages: Set<string>; code: number; out: string } {
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'trace.mjs')).href, CLI, ...args], {
    encoding: 'utf8',
    cwd: tmpdir(),
    env: { ...process.env, IP_TRACE_LOG: log },
  });
  const packages = new Set<string>();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(line.replace(/\\/g, '/'));
    if (m) {
      packages.add(m[1]!);
      if (m[1]!.startsWith('@')) packages.add(m[1]!.split('/')[0]!);
    }
  }
  return { packages, code: r.status ?? -1, out: r.stdout };
}

describe('the CLI start-up path loads no heavy module', () => {
  it('the tracer sees what the CLI loads (commander, always)', () => {
    const { packages, code, out } = loadedPackages('--version');
    expect(code).toBe(0);
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect([...packages]).toContain('commander');
  });

  for (const [name, args] of [
    ['--version', ['--version']],
    ['formats', ['formats']],
    ['detect', ['detect', '__SMALL__', '--json']],
    ['parse', ['parse', '__SMALL__', '--json']],
  ] as const) {
    it(`interphase ${name}`, () => {
      const { packages, code, out } = loadedPackages(...args.map((a) => (a === '__SMALL__' ? join(dir, 'small.csv') : a)));
      expect(code, out).toBe(0);
      if (name === 'parse') expect(JSON.parse(out)).toMatchObject({ ok: true, format: 'arbin-csv', rows: 20 });
      if (name === 'detect') expect(JSON.parse(out)).toMatchObject({ format: 'arbin-csv' });
      expect(HEAVY.filter((h) => packages.has(h))).toEqual([]);
    });
  }

  it('a command that needs DuckDB still loads it (the tracer would notice a heavy import)', () => {
    const { packages } = loadedPackages('export', join(dir, 'no-such-campaign'), '--format', 'csv', '--out', join(dir, 'out'));
    expect(packages.has('@duckdb')).toBe(true);
  });
});
