// The one-way stack (docs/architecture.md), checked over the import graph.
// Each layer may import itself and the layers below it, never a layer above.
// `node scripts/check-layers.mjs` prints every violation and exits 1 if there is any.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bottom first. A file belongs to the first layer whose prefix matches its repo path. */
export const LAYERS = [
  { name: 'records', doc: 'records, names, units, errors, result types', paths: ['src/records/', 'src/version.ts', 'src/settings.ts'] },
  { name: 'parsers', doc: 'one module per instrument format + the registry', paths: ['parsers/'] },
  { name: 'statistics', doc: 'tests, intervals, models, distributions', paths: ['src/stats/'] },
  { name: 'fitters and model', doc: 'per-measurement fitters; the replay model and its fits', paths: ['src/fit/', 'src/model/'] },
  { name: 'io', doc: 'reading files into records, atomic writes', paths: ['src/io/'] },
  { name: 'campaign', doc: 'manifest and analysis options', paths: ['src/campaign/'] },
  { name: 'derived', doc: 'quantities across files and cells (pairing, stitching, references, replay stage)', paths: ['src/derived/'] },
  { name: 'hypotheses', doc: 'H1–H17, one file per family, and their stage', paths: ['src/hypotheses/'] },
  { name: 'store', doc: 'the DuckDB store; owns every query', paths: ['src/store/'] },
  { name: 'report', doc: 'HTML, Markdown, JSON, tables, plots from data', paths: ['src/report/'] },
  { name: 'pipelines', doc: 'batch, watch, serve, export', paths: ['pipelines/'], except: ['pipelines/cli/'] },
  { name: 'fixtures', doc: 'virtual labs that write instrument files (tests, bench, demo)', paths: ['fixtures/'] },
  { name: 'cli', doc: 'the interphase command', paths: ['pipelines/cli/'] },
];

export function layerOf(file, layers = LAYERS) {
  const order = [...layers.entries()].sort(([, a], [, b]) => Math.max(...b.paths.map((p) => p.length)) - Math.max(...a.paths.map((p) => p.length)));
  for (const [i, l] of order) if (l.paths.some((p) => file === p || file.startsWith(p))) return i;
  return -1;
}

const SPEC =
  /(?:^|[^\w.])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|require\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Relative imports of one source text, as repo paths (.js → .ts). */
export function importsOf(file, text) {
  const out = [];
  for (const m of text.matchAll(SPEC)) {
    const spec = m[1] ?? m[2] ?? m[3];
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** Every import that goes up the stack: { from, to, fromLayer, toLayer }. `files`: Map repo path → text. */
export function violations(files, layers = LAYERS) {
  const bad = [];
  for (const [file, text] of files) {
    const a = layerOf(file, layers);
    if (a < 0) continue;
    for (const to of importsOf(file, text)) {
      const b = layerOf(to, layers);
      if (b > a) bad.push({ from: file, to, fromLayer: layers[a].name, toLayer: layers[b].name });
    }
  }
  return bad;
}

const SQL =
  /[`'"]\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW|INDEX)\s|COPY\s|WITH\s+\w+\s+AS\s*\()/g;

/** SQL written outside src/store (the store owns every query): { file, line, text }. */
export function sqlOutsideStore(files) {
  const bad = [];
  for (const [file, text] of files) {
    if (file.startsWith('src/store/')) continue;
    for (const m of text.matchAll(SQL)) {
      const line = text.slice(0, m.index).split('\n').length;
      bad.push({ file, line, text: m[1].trim() });
    }
  }
  return bad;
}

export function readTree(root, dirs = ['src', 'parsers', 'pipelines', 'fixtures']) {
  const files = new Map();
  const walk = (d) => {
    for (const e of fs.readdirSync(path.join(root, d), { withFileTypes: true })) {
      const p = path.posix.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.set(p, fs.readFileSync(path.join(root, p), 'utf8'));
    }
  };
  for (const d of dirs) if (fs.existsSync(path.join(root, d))) walk(d);
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const tree = readTree(root);
  const bad = violations(tree);
  for (const v of bad) console.log(`${v.from} (${v.fromLayer}) imports ${v.to} (${v.toLayer})`);
  console.log(bad.length ? `${bad.length} imports go up the stack (docs/architecture.md)` : 'layers: every import goes down the stack');
  const sql = sqlOutsideStore(tree);
  for (const q of sql) console.log(`${q.file}:${q.line}: SQL outside src/store (${q.text}…)`);
  console.log(sql.length ? `${sql.length} queries outside the store` : 'store: every query is in src/store');
  process.exit(bad.length || sql.length ? 1 : 0);
}
