/** Opening a campaign for a pipeline run: manifest, file list, assignments, store. */
import { resolve, join, basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { findManifest, readManifest, listFiles, assignFiles, MANIFEST_NAMES, type FileAssignment, type SheetReader } from '../src/campaign/load.js';
import { ManifestError } from '../src/model/errors.js';
import type { Manifest } from '../src/campaign/manifest.js';
import { CampaignStore } from '../src/store/store.js';
import { UsageError } from '../src/model/errors.js';
import { defaultOutDir, storePath, type PipelineContext } from './context.js';

export interface OpenOptions {
  readonly outDir?: string;
  readonly force?: boolean;
  readonly log?: (line: string) => void;
  readonly readSheets?: SheetReader;
  /** Folder holding the manifest when it is not the data folder (watch --campaign). */
  readonly manifestDir?: string;
}

export async function openCampaign(folderArg: string, o: OpenOptions = {}): Promise<{ ctx: PipelineContext; files: string[]; problems: string[] }> {
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
      // A broken manifest must not stop the files from being read: report it, go on without cells.
      if (!(e instanceof ManifestError)) throw e;
      for (const p of e.problems) problems.push(`${e.file}: ${p}`);
    }
    for (const p of manifest?.analysisProblems ?? []) problems.push(`${manifestPath}: ${p}`);
  }
  const files = await listFiles(folder, manifest?.ignore);
  const assigned = assignFiles(manifest, files);
  problems.push(...assigned.problems);
  const assignments = new Map<string, FileAssignment>(assigned.assignments.map((a) => [a.file, a]));
  const outDir = resolve(o.outDir ?? defaultOutDir(folder));
  const store = await CampaignStore.open(storePath(outDir));
  const ctx: PipelineContext = {
    folder, manifest, assignments, store, outDir,
    quarantineDir: join(outDir, 'quarantine'),
    force: o.force ?? false,
    log: o.log ?? (() => {}),
  };
  if (!manifestPath) ctx.log(`note: no campaign manifest (${MANIFEST_NAMES.join(', ')}) in ${folder}: files are processed without cells`);
  for (const p of problems) ctx.log(p);
  return { ctx, files, problems };
}
