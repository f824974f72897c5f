/**
 * Watch, part 1 of 4: the event intake. A chokidar watcher on the folder that reports each event as a
 * path relative to the folder ('/'-separated): the manifest (at the top level) changed, or a data file
 * was added, changed or unlinked. Ignored here, never reported: the output folder, quarantine/, hidden
 * files and folders, temporary names (TEMP_FILE), and paths outside the folder. Symlinks are not followed.
 */
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { basename, relative, sep } from 'node:path';
import { MANIFEST_NAMES, TEMP_FILE } from '../../src/campaign/load.js';

export type IntakeEvent = { readonly kind: 'manifest' } | { readonly kind: 'file'; readonly rel: string; readonly event: 'add' | 'change' | 'unlink' };

export interface Intake {
  /** Resolves when the watcher has scanned the folder (events from then on are reported). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** The folder-relative path of an event, or null when it lies outside the folder (or is the folder). */
export function relativeToFolder(folder: string, abs: string): string | null {
  const rel = relative(folder, abs).split(sep).join('/');
  return !rel || rel.startsWith('..') ? null : rel;
}

/** An event path: the manifest (a manifest name at the top level) or a data file. */
export function classify(rel: string, event: 'add' | 'change' | 'unlink'): IntakeEvent {
  return MANIFEST_NAMES.includes(basename(rel)) && !rel.includes('/') ? { kind: 'manifest' } : { kind: 'file', rel, event };
}

/** Paths the watcher never looks at: the output folder, quarantine/, hidden entries, temporary names. */
export function ignoredPath(folder: string, outDir: string, p: string): boolean {
  const rel = relative(folder, p);
  if (rel.startsWith('..')) return false;
  if (p === outDir || p.startsWith(outDir + sep)) return true;
  const parts = rel.split(sep);
  return parts.some((x) => x === 'quarantine' || (x.startsWith('.') && x.length > 1)) || TEMP_FILE.test(basename(p));
}

export function startIntake(folder: string, outDir: string, on: (e: IntakeEvent) => void, log: (line: string) => void): Intake {
  const watcher: FSWatcher = chokidarWatch(folder, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (p: string) => ignoredPath(folder, outDir, p),
  });
  const report = (abs: string, event: 'add' | 'change' | 'unlink'): void => {
    const rel = relativeToFolder(folder, abs);
    if (rel) on(classify(rel, event));
  };
  watcher.on('add', (p) => report(p, 'add'));
  watcher.on('change', (p) => report(p, 'change'));
  watcher.on('unlink', (p) => report(p, 'unlink'));
  watcher.on('error', (e) => log(`watch: ${(e as Error)?.message ?? String(e)}`));
  const ready = new Promise<void>((r) => watcher.once('ready', () => r()));
  return { ready, close: () => watcher.close() };
}
