/**
 * Reading a campaign folder: the manifest, the files in it, and which file belongs to which cell.
 */
import { readdir, readFile, stat, lstat, access } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ManifestError } from '../records/errors.js';
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

/**
 * What a path in the campaign folder that is not read as data is (issue #18: nothing is skipped
 * without a word): `ignored` (a manifest `ignore` pattern, a document, the manifest itself, an output
 * or hidden folder), `temporary` (a name instrument software or editors use while writing),
 * `symlink-not-followed`, `unreadable` (the OS refused it: the OS error; or not a regular file).
 */
export type SkipState = 'ignored' | 'temporary' | 'symlink-not-followed' | 'unreadable';

export interface SkippedPath {
  readonly path: string;
  readonly state: SkipState;
  /** Why, in words: the pattern or rule that ignored it, or the OS error. */
  readonly detail: string;
}

export interface FolderSurvey {
  /** Regular, readable files to process (relative paths with '/'), sorted. */
  readonly files: string[];
  /** Every other path met, with its state and why. A skipped folder is one entry (its contents are not listed). */
  readonly skipped: SkippedPath[];
}

export interface SurveyOptions {
  /** Check that a file can be read (default fs.access R_OK); injectable for tests. */
  readonly access?: (abs: string) => Promise<void>;
  /** Also check readability of the files to process (an extra syscall per file). @default true */
  readonly checkReadable?: boolean;
  /** Absolute folders never read as data (the output folder when `--out` is inside the campaign folder). */
  readonly exclude?: readonly string[];
}

function notDataWhy(name: string): string {
  if (MANIFEST_NAMES.includes(name)) return 'the campaign manifest';
  if (/^readme/i.test(name)) return 'not instrument data (a README)';
  return `not instrument data (a document or image: ${extname(name).toLowerCase() || name})`;
}

/**
 * Every path under dir, each in one state: files to process, or skipped with the reason. Our own
 * output, temp files, documents and `ignore` globs are skipped; symlinks are not followed.
 */
export async function surveyFolder(dir: string, ignore: readonly string[] = [], o: SurveyOptions = {}): Promise<FolderSurvey> {
  const ignoreRes = ignore.map((g) => ({ g, re: globToRegExp(g) }));
  const files: string[] = [];
  const skipped: SkippedPath[] = [];
  const check = o.checkReadable === false ? null : (o.access ?? ((abs: string) => access(abs, fsConstants.R_OK)));
  const relOf = (p: string): string => relative(dir, p).split(sep).join('/');
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      if (d !== dir) skipped.push({ path: `${relOf(d)}/`, state: 'unreadable', detail: `folder not readable: ${(e as Error).message}` });
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      const rel = relOf(p);
      if (e.isSymbolicLink()) {
        // never leave the campaign folder, never loop
        skipped.push({ path: rel, state: 'symlink-not-followed', detail: 'a symbolic link: not followed (it may point outside the campaign folder)' });
        continue;
      }
      if (e.isDirectory()) {
        if (o.exclude?.includes(p)) skipped.push({ path: `${rel}/`, state: 'ignored', detail: 'the Interphase output folder of this campaign (--out)' });
        else if (IGNORED_DIRS.has(e.name))
          skipped.push({ path: `${rel}/`, state: 'ignored', detail: `folder '${e.name}': Interphase output, quarantine or tool folder, never read as data` });
        else if (e.name.startsWith('.')) skipped.push({ path: `${rel}/`, state: 'ignored', detail: 'hidden folder' });
        else await walk(p);
      } else if (e.isFile()) {
        if (TEMP_FILE.test(e.name) && !/\.reason\.txt$/i.test(e.name))
          skipped.push({ path: rel, state: 'temporary', detail: 'a temporary, lock or hidden file name (.part, .tmp, ~$…, dot-file): the final name is read' });
        else if (TEMP_FILE.test(e.name)) skipped.push({ path: rel, state: 'ignored', detail: 'a quarantine reason file' });
        else if (NOT_DATA.test(e.name) || MANIFEST_NAMES.includes(e.name)) skipped.push({ path: rel, state: 'ignored', detail: notDataWhy(e.name) });
        else {
          const hit = ignoreRes.find((r) => r.re.test(rel));
          if (hit) skipped.push({ path: rel, state: 'ignored', detail: `manifest ignore pattern '${hit.g}'` });
          else if (check) {
            try {
              await check(p);
              files.push(rel);
            } catch (err) {
              skipped.push({ path: rel, state: 'unreadable', detail: (err as Error).message });
            }
          } else files.push(rel);
        }
      } else {
        skipped.push({ path: rel, state: 'unreadable', detail: 'not a regular file (a FIFO, socket or device): not read' });
      }
    }
  };
  await walk(dir);
  files.sort();
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}

/** Every regular file under dir (relative paths with '/'), skipping our own output, temp files, documents and `ignore` globs. Symlinks are not followed. */
export async function listFiles(dir: string, ignore: readonly string[] = []): Promise<string[]> {
  return (await surveyFolder(dir, ignore, { checkReadable: false })).files;
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
export function assignFiles(
  manifest: Pick<Manifest, 'cells' | 'formats' | 'source'> | null,
  files: readonly string[],
): { assignments: FileAssignment[]; problems: string[] } {
  const cells = manifest?.cells ?? [];
  const matchers = cells.map((c) => ({ cell: c, res: c.files.map(globToRegExp) }));
  const formatRes = (manifest?.formats ?? []).map((f) => ({ f, re: globToRegExp(f.files) }));
  const problems: string[] = [];
  const out = files.map((file): FileAssignment => {
    const base = basename(file);
    const owners = matchers
      .filter(({ cell, res }) => (cell.filesRefused ? false : res.length ? res.some((r) => r.test(file)) : nameContainsId(base, cell.id)))
      .map(({ cell }) => cell.id);
    if (owners.length > 1)
      problems.push(
        `${manifest?.source ?? 'campaign'}: file '${file}' is claimed by cells ${owners.join(' and ')}; narrow their 'files' patterns (left unassigned)`,
      );
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

/** A cell that claims no file, with the rule it claims by (issue #18: listed, never silent). */
export interface EmptyCell {
  readonly cell: string;
  /** Its `files` patterns, or the default rule in words. */
  readonly patterns: readonly string[];
  readonly rule: string;
  /** Unclaimed files whose names contain the id (what the cell probably meant), with a pattern for them. */
  readonly hint?: string;
}

/** A file no cell claims, and the pattern that would claim it. */
export interface UnclaimedFile {
  readonly path: string;
  readonly reason: string;
  /** A `files` pattern that claims it (for `cell` when a cell's id is in its name). */
  readonly pattern: string;
  readonly cell?: string;
}

/** `eis/U01_after.DTA` for id U01 → `eis/U01*` (the name up to the id, then anything). */
function patternFor(file: string, id?: string): string {
  const slash = file.lastIndexOf('/');
  const dir = slash >= 0 ? file.slice(0, slash + 1) : '';
  const base = file.slice(slash + 1);
  if (!id) return file;
  const at = base.toLowerCase().indexOf(id.toLowerCase());
  return at < 0 ? file : `${dir}${base.slice(0, at + id.length)}*`;
}

/**
 * Cells that claim no file and files no cell claims (only with a manifest that has cells), each with
 * the pattern that would claim it.
 */
export function claimCoverage(
  manifest: Pick<Manifest, 'cells'> | null,
  assignments: readonly FileAssignment[],
): { emptyCells: EmptyCell[]; unclaimed: UnclaimedFile[] } {
  const cells = manifest?.cells ?? [];
  if (!cells.length) return { emptyCells: [], unclaimed: [] };
  const claimed = new Set(assignments.filter((a) => a.cellId).map((a) => a.cellId!));
  const free = assignments.filter((a) => !a.cellId).map((a) => a.file);
  const matchers = cells.map((c) => ({ cell: c, res: c.files.map(globToRegExp) }));
  const unclaimed = free.map((file): UnclaimedFile => {
    const base = basename(file);
    const owners = matchers
      .filter(({ cell, res }) => !cell.filesRefused && (res.length ? res.some((r) => r.test(file)) : nameContainsId(base, cell.id)))
      .map((m) => m.cell.id);
    if (owners.length > 1)
      return { path: file, reason: `claimed by cells ${owners.join(' and ')}: narrow their 'files' patterns`, pattern: file, cell: owners[0] };
    const named = cells.filter((c) => nameContainsId(base, c.id));
    if (named.length === 1) {
      const c = named[0]!;
      const why = c.filesRefused
        ? `its 'files' patterns were refused (see the manifest problems)`
        : `its 'files' list (${c.files.map((g) => `'${g}'`).join(', ')}) does not match it`;
      return { path: file, reason: `cell ${c.id}'s id is in its name, but ${why}`, pattern: patternFor(file, c.id), cell: c.id };
    }
    return {
      path: file,
      reason:
        named.length > 1 ? `the ids of cells ${named.map((c) => c.id).join(', ')} are all in its name` : 'no cell id appears in its name as a whole token',
      pattern: file,
    };
  });
  const emptyCells = cells
    .filter((c) => !claimed.has(c.id))
    .map((c): EmptyCell => {
      const rule = c.filesRefused
        ? 'its files patterns were refused: it claims nothing until they are fixed'
        : c.files.length
          ? `files matching ${c.files.map((g) => `'${g}'`).join(', ')}`
          : `files whose name contains '${c.id}' as a whole token (e.g. ${c.id}_eis.DTA, not ${c.id}0.csv)`;
      const near = free.filter((f) => basename(f).toLowerCase().includes(c.id.toLowerCase()));
      return {
        cell: c.id,
        patterns: c.files,
        rule,
        ...(near.length
          ? {
              hint: `unclaimed file${near.length === 1 ? '' : 's'} with '${c.id}' in the name: ${near.slice(0, 5).join(', ')}${near.length > 5 ? ', …' : ''} — the pattern '${patternFor(near[0]!, c.id)}' would claim ${near.length === 1 ? 'it' : 'the first'}`,
            }
          : {}),
      };
    });
  return { emptyCells, unclaimed };
}
