// One-off refactoring tool (issue #22): moves files by prefix rules and rewrites every relative
// specifier ('./x.js', '../y/z.js', URLs and require()s) in .ts/.mjs files so they point to the
// moved files; repo-rooted path mentions (docs, comments) are rewritten textually.
// Usage: node scripts/move-tree.mjs rules.json [--repair]   (--repair: only fix dangling specifiers)
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const [rulesFile, mode] = process.argv.slice(2);
const rules = JSON.parse(fs.readFileSync(rulesFile, 'utf8')); // [[fromPrefix, toPrefix], ...] longest first
const mapPath = (p) => {
  for (const [a, b] of rules) if (p === a || p.startsWith(a.endsWith('/') ? a : a + '/')) return b + p.slice(a.length);
  return p;
};
const roots = ['src', 'parsers', 'pipelines', 'fixtures', 'bench', 'tests', 'scripts'];
const all = [];
const walk = (d) => {
  if (!fs.existsSync(d)) return;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else all.push(p);
  }
};
roots.forEach(walk);
const code = all.filter((f) => /\.(ts|mjs)$/.test(f));
const exists = (p) => fs.existsSync(p);
const specRe = /(['"`])(\.\.?\/[^'"`\n]*)\1/g;
const rel = (fromFile, to) => {
  let r = path.relative(path.dirname(fromFile), to);
  if (!r.startsWith('.')) r = './' + r;
  return r;
};
const reverse = rules.map(([a, b]) => [b, a]).sort((x, y) => y[0].length - x[0].length);
const unmap = (p) => {
  for (const [a, b] of reverse) if (p === a || p.startsWith(a.endsWith('/') ? a : a + '/')) return b + p.slice(a.length);
  return p;
};

const newText = new Map();
for (const f of code) {
  const src = fs.readFileSync(f, 'utf8');
  const nf = mode === '--repair' ? f : mapPath(f);
  const of = mode === '--repair' ? unmap(f) : f;
  const out = src.replace(specRe, (m, q, spec) => {
    const abs = path.normalize(path.join(path.dirname(of), spec));
    const tsAbs = abs.replace(/\.js$/, '.ts');
    const hit = exists(tsAbs) ? tsAbs : exists(abs) ? abs : null;
    if (mode === '--repair') {
      const here = path.normalize(path.join(path.dirname(f), spec));
      if (exists(here.replace(/\.js$/, '.ts')) || exists(here)) return m;
      const target = mapPath(hit ?? abs);
      const back = spec.endsWith('.js') && (hit ?? '').endsWith('.ts') ? target.replace(/\.ts$/, '.js') : target;
      if (!exists(target) && !exists(target.replace(/\.js$/, '.ts')) && !hit) return m;
      return q + rel(nf, back) + q;
    }
    if (!hit) return m; // not a path we know (e.g. a generated file); left alone
    const target = mapPath(hit);
    if (target === hit && nf === of) return m;
    const out = spec.endsWith('.js') && hit.endsWith('.ts') ? target.replace(/\.ts$/, '.js') : target;
    return q + rel(nf, out) + q;
  });
  if (out !== src) newText.set(f, out);
}
for (const [f, t] of newText) fs.writeFileSync(f, t);
if (mode !== '--repair') {
  for (const f of all) {
    const nf = mapPath(f);
    if (nf !== f) {
      fs.mkdirSync(path.dirname(nf), { recursive: true });
      execFileSync('git', ['mv', f, nf]);
    }
  }
  // repo-rooted mentions in docs, comments and package files
  const textual = [
    ...all.map(mapPath).filter((f) => /\.(ts|mjs|md)$/.test(f) && exists(f)),
    'README.md',
    'package.json',
    'package-lock.json',
    ...fs
      .readdirSync('docs')
      .filter((f) => f.endsWith('.md'))
      .map((f) => 'docs/' + f),
  ];
  const alt = rules.map(([a]) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const re = new RegExp(`(?<![\\w./-])(${alt})`, 'g');
  for (const f of new Set(textual)) {
    if (!exists(f)) continue;
    const s = fs.readFileSync(f, 'utf8');
    const t = s.replace(re, (m) => (mapPath(m) === m ? m : mapPath(m)));
    if (t !== s) fs.writeFileSync(f, t);
  }
}
console.log(`rewrote ${newText.size} files`);
