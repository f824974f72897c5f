/**
 * Reading a campaign folder: the manifest, the files in it, and which file belongs to which cell.
 */
import { readdir, readFile, stat, lstat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ManifestError } from '../model/errors.js';
import { validateManifest, type CellSpec, type FormatOverride, type Manifest } from './manifest.js';
import { globToRegExp, nameContainsId } from './glob.js';
import { readManifestSheets } from './xlsx.js';

export const MANIFEST_NAMES = ['campaign.yaml', 'campaign.yml', 'campaign.json', 'campaign.xlsx'];

/** Folders and files inside a campaign folder that are ours or the OS's, never instrument data. */
const IGNORED_DIRS = new Set(['quarantine', 'out', 'interphase-out', 'node_modules', '.git', '.interphase']);
/** Temporary/lock files instrument software and editors leave while writing. */
export const TEMP_FILE = /(^~\$|^\.~lock|\.tmp$|\.temp$|\.part$|\.crdownload$|\.swp$|~$|^\.|\.reason\.txt$|^Thumbs\.db$|^desktop\.ini$)/i;
/** Never instrument data: notes and documents that live beside the exports. */
export const NOT_DATA = /\.(md|markdown|pdf|docx?|pptx?|png|jpe?g|gif|svg|html?|py|ipynb|zip\.part)$|^readme/i;

export async function findManifest(dir: string): Promise<string | null> {
  for (const n of MANIFEST_NAMES) {
    try {
      if ((await stat(join(dir, n))).isFile()) return join(dir, n);
    } catch {
      /* not there */
    }
  }
  return null;
}

export type SheetReader = (path: string) => Promise<Record<string, unknown[][]>>;

export async function readManifest(path: string, folderName: string, readSheets: SheetReader = readManifestSheets): Promise<Manifest> {
  const ext = extname(path).toLowerCase();
  let doc: unknown;
  try {
    if (ext === '.json') doc = JSON.parse(await readFile(path, 'utf8'));
    else if (ext === '.xlsx') {
      doc = manifestFromSheets(await readSheets(path));
    } else doc = parseYaml(await readFile(path, 'utf8'), { maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof ManifestError) throw e;
    const m = (e as Error).message.split('\n')[0];
    throw new ManifestError(path, [`cannot read the manifest: ${m}`]);
  }
  return validateManifest(doc, path, folderName);
}

/**
 * An XLSX manifest: a sheet named `cells` (or the first sheet) with one header row of manifest keys
 * and one row per cell; an optional `campaign` sheet with key/value rows.
 */
export function manifestFromSheets(sheets: Record<string, unknown[][]>): unknown {
  const names = Object.keys(sheets);
  const cellSheet = sheets['cells'] ?? sheets[names[0]!] ?? [];
  const [header, ...rows] = cellSheet;
  const keys = (header ?? []).map((h) => String(h ?? '').trim());
  const cells = rows
    .filter((r) => r.some((v) => v !== null && v !== undefined && String(v).trim() !== ''))
    .map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]]).filter(([k, v]) => k && v !== undefined && v !== null && v !== '')));
  const doc: Record<string, unknown> = { cells };
  for (const row of sheets['campaign'] ?? []) {
    if (row[0]) doc[String(row[0]).trim()] = row[1];
  }
  return doc;
}

/** Every regular file under dir (relative paths with '/'), skipping our own output, temp files, documents and `ignore` globs. Symlinks are not followed. */
export async function listFiles(dir: string, ignore: readonly string[] = []): Promise<string[]> {
  const ignoreRes = ignore.map(globToRegExp);
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isSymbolicLink()) continue; // never leave the campaign folder, never loop
      if (e.isDirectory()) {
        if (!IGNORED_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(p);
      } else if (e.isFile()) {
        if (TEMP_FILE.test(e.name) || NOT_DATA.test(e.name) || MANIFEST_NAMES.includes(e.name)) continue;
        const rel = relative(dir, p).split(sep).join('/');
        if (ignoreRes.some((r) => r.test(rel))) continue;
        out.push(rel);
      }
    }
  };
  await walk(dir);
  return out.sort();
}

export interface FileAssignment {
  readonly file: string; // relative to the campaign folder
  readonly cellId: string | null;
  readonly formatOverride?: FormatOverride;
}

/**
 * Match files to cells. A file claimed by two cells is a manifest problem (named with both ids); the
 * file is then left unassigned rather than given to either, and the run goes on.
 */
export function assignFiles(manifest: Pick<Manifest, 'cells' | 'formats' | 'source'> | null, files: readonly string[]): { assignments: FileAssignment[]; problems: string[] } {
  const cells = manifest?.cells ?? [];
  const matchers = cells.map((c) => ({ cell: c, res: c.files.map(globToRegExp) }));
  const formatRes = (manifest?.formats ?? []).map((f) => ({ f, re: globToRegExp(f.files) }));
  const problems: string[] = [];
  const out = files.map((file): FileAssignment => {
    const base = basename(file);
    const owners = matchers
      .filter(({ cell, res }) => (res.length ? res.some((r) => r.test(file)) : nameContainsId(base, cell.id)))
      .map(({ cell }) => cell.id);
    if (owners.length > 1) problems.push(`${manifest?.source ?? 'campaign'}: file '${file}' is claimed by cells ${owners.join(' and ')}; narrow their 'files' patterns (left unassigned)`);
    const fo = formatRes.find(({ re }) => re.test(file))?.f;
    return { file, cellId: owners.length === 1 ? owners[0]! : null, formatOverride: fo };
  });
  return { assignments: out, problems };
}

export function cellById(manifest: Manifest | null, id: string | null): CellSpec | undefined {
  return id ? manifest?.cells.find((c) => c.id === id) : undefined;
}

export async function isInside(dir: string, path: string): Promise<boolean> {
  const rel = relative(dir, path);
  if (rel.startsWith('..') || rel === '') return false;
  try {
    return !(await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}
