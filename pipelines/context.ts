/** What every pipeline stage is handed: the campaign, its store and where output goes. */
import { basename, join, resolve } from 'node:path';
import type { Manifest } from '../src/campaign/manifest.js';
import type { FileAssignment } from '../src/campaign/load.js';
import type { CampaignStore } from '../src/store/store.js';
import type { CellContext } from '../src/fit/types.js';
import { resolveFitSettings } from '../src/campaign/analysis-options.js';
import type { RuntimeSettings } from '../src/settings.js';

export interface PipelineContext {
  /** Absolute campaign folder. */
  readonly folder: string;
  readonly manifest: Manifest | null;
  readonly assignments: ReadonlyMap<string, FileAssignment>;
  readonly store: CampaignStore;
  readonly outDir: string;
  readonly quarantineDir: string;
  readonly force: boolean;
  /** `--prune`: files that left the folder are forgotten instead of kept as "source removed". */
  readonly prune?: boolean;
  readonly log: (line: string) => void;
  /** The runtime settings the run was started with (src/settings.ts): file size limits, workers, report bundles. */
  readonly settings: RuntimeSettings;
  /** Set when the store is a copy of a running watcher's snapshot (read-only commands): when it was written. */
  readonly snapshotAt?: Date;
}

export function defaultOutDir(folder: string): string {
  return resolve('out', basename(resolve(folder)));
}

export function storePath(outDir: string): string {
  return join(outDir, 'store.duckdb');
}

/** The running watcher's copy of its store, for commands that only read (`export`) while it holds the store. */
export function snapshotPath(outDir: string): string {
  return join(outDir, 'store.snapshot.duckdb');
}

/** What a fitter knows about a file's cell, and the `analysis:` settings in force for the file (when `path` is given). */
export function cellContext(ctx: Pick<PipelineContext, 'manifest'>, cellId: string | null, path?: string): CellContext {
  const c = cellId ? ctx.manifest?.cells.find((x) => x.id === cellId) : undefined;
  const spec = ctx.manifest?.analysis;
  const settings = spec && path !== undefined ? resolveFitSettings(spec, { cellId, group: c?.group, path }) : undefined;
  const analysis = settings && Object.keys(settings).length ? { analysis: settings } : {};
  if (!c) return analysis;
  return {
    ...analysis,
    cellId: c.id,
    cellType: c.cellType,
    electrodeAreaCm2: c.electrodeAreaCm2,
    currentDensityMaPerCm2: c.currentDensityMaCm2,
    arealCapacityMahPerCm2: c.arealCapacityMahCm2,
    filmThicknessNm: c.filmThicknessNm,
  };
}
