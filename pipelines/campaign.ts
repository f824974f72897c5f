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
import { CampaignStore } from '../src/store/store.js';
import { UsageError } from '../src/records/errors.js';
import { defaultOutDir, storePath, type PipelineContext } from './context.js';
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
  const store = await CampaignStore.open(storePath(outDir), { maxStoredRecordBytes: settings.storeRawBytes });
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
  };
  if (!manifestPath) ctx.log(`note: no campaign manifest (${MANIFEST_NAMES.join(', ')}) in ${folder}: files are processed without cells`);
  for (const p of problems) ctx.log(p);
  return { ctx, files, problems, survey };
}
