/** Opening a campaign for a pipeline run: manifest, file list, assignments, store. */
import { resolve, join, basename } from 'node:path';
import { stat } from 'node:fs/promises';
import {
  findManifest,
  readManifest,
  surveyFolder,
  assignFiles,
  MANIFEST_NAMES,
  type FileAssignment,
  type FolderSurvey,
  type SheetReader,
} from '../src/campaign/load.js';
import { ManifestError } from '../src/records/errors.js';
import type { Manifest } from '../src/campaign/manifest.js';
import { CampaignStore, StoreInUseError } from '../src/store/store.js';
import { copyFile, mkdtemp, rm, stat as statFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { UsageError } from '../src/records/errors.js';
import { defaultOutDir, snapshotPath, storePath, type PipelineContext } from './context.js';
import { DEFAULT_SETTINGS, type RuntimeSettings } from '../src/settings.js';

export interface OpenOptions {
  readonly outDir?: string;
  readonly force?: boolean;
  readonly log?: (line: string) => void;
  readonly readSheets?: SheetReader;
  /** Folder holding the manifest when it is not the data folder (watch --campaign). */
  readonly manifestDir?: string;
  /** Files that left the folder are forgotten (rows, records, fits, quarantine copies) instead of kept as "source removed". */
  readonly prune?: boolean;
  /**
   * For commands that only read (export): when a running watcher holds the store, read a private copy
   * of the snapshot it keeps beside it (pipelines/context.ts snapshotPath) instead of failing.
   */
  readonly readSnapshotIfInUse?: boolean;
  /** Runtime settings, built at the edge (src/settings.ts). @default DEFAULT_SETTINGS */
  readonly settings?: RuntimeSettings;
}

export async function openCampaign(
  folderArg: string,
  o: OpenOptions = {},
): Promise<{ ctx: PipelineContext; files: string[]; problems: string[]; survey: FolderSurvey }> {
  const folder = resolve(folderArg);
  let st;
  try {
    st = await stat(folder);
  } catch {
    throw new UsageError(`campaign folder '${folderArg}' does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`'${folderArg}' is not a folder; give the campaign folder (the one with campaign.yaml)`);
  const manifestPath = await findManifest(o.manifestDir ? resolve(o.manifestDir) : folder);
  const problems: string[] = [];
  let manifest: Manifest | null = null;
  if (manifestPath) {
    try {
      manifest = await readManifest(manifestPath, basename(folder), o.readSheets);
    } catch (e) {
      // An unreadable manifest must not stop the files from being read: report it, go on without cells.
      if (!(e instanceof ManifestError)) throw e;
      for (const p of e.problems) problems.push(`${e.file}: ${p}`);
    }
    // Problems local to an entry (that entry left out, valid cells kept), analysis: ones included.
    for (const p of manifest?.problems ?? manifest?.analysisProblems ?? []) problems.push(`${manifestPath}: ${p}`);
  }
  const outDir = resolve(o.outDir ?? defaultOutDir(folder));
  // The output folder may sit inside the campaign folder (--out camp/results): never read as data.
  const survey = await surveyFolder(folder, manifest?.ignore, { exclude: [outDir] });
  const files = survey.files;
  const assigned = assignFiles(manifest, files);
  problems.push(...assigned.problems);
  const assignments = new Map<string, FileAssignment>(assigned.assignments.map((a) => [a.file, a]));
  const settings = o.settings ?? DEFAULT_SETTINGS;
  const { store, snapshotAt } = await openStore(outDir, settings, o.readSnapshotIfInUse ?? false);
  const ctx: PipelineContext = {
    folder,
    manifest,
    assignments,
    store,
    outDir,
    quarantineDir: join(outDir, 'quarantine'),
    force: o.force ?? false,
    prune: o.prune ?? false,
    log: o.log ?? (() => {}),
    settings,
    ...(snapshotAt ? { snapshotAt } : {}),
  };
  if (!manifestPath) ctx.log(`note: no campaign manifest (${MANIFEST_NAMES.join(', ')}) in ${folder}: files are processed without cells`);
  for (const p of problems) ctx.log(p);
  return { ctx, files, problems, survey };
}

/**
 * The campaign store, or (reading only, while another process holds it) a private copy of the snapshot
 * the watcher keeps: the copy is deleted when the store is closed. Without a snapshot the StoreInUseError stands.
 */
async function openStore(outDir: string, settings: RuntimeSettings, readSnapshot: boolean): Promise<{ store: CampaignStore; snapshotAt?: Date }> {
  const opts = { maxStoredRecordBytes: settings.storeRawBytes };
  try {
    return { store: await CampaignStore.open(storePath(outDir), opts) };
  } catch (e) {
    if (!(e instanceof StoreInUseError) || !readSnapshot) throw e;
    const snap = snapshotPath(outDir);
    const st = await statFile(snap).catch(() => null);
    if (!st) throw new StoreInUseError(`${e.message} (no snapshot to read: the watcher writes ${snap} after each report)`);
    const dir = await mkdtemp(join(tmpdir(), 'interphase-snapshot-'));
    await copyFile(snap, join(dir, 'store.duckdb'));
    const store = await CampaignStore.open(join(dir, 'store.duckdb'), opts);
    const close = store.close.bind(store);
    store.close = () => {
      close();
      void rm(dir, { recursive: true, force: true });
    };
    return { store, snapshotAt: st.mtime };
  }
}
