/**
 * `interphase export <campaign> --format bdf` (issue #21 §3): every cycler record of the store as a
 * Battery Data Format CSV (`<cell>__<source file>[__r<k>].bdf.csv`, one cell per file as BDF requires)
 * with its `<same>.metadata.json` sidecar: the cell's manifest facts, the campaign, the source file
 * (path, SHA-256, format, parser version, record index), the columns written (label, machine name, unit)
 * and those left out, and the sign / time conventions. Columns come from the store; a record too large
 * to have been copied into it is re-read from its file when the file's bytes are still the stored ones.
 */
import { join } from 'node:path';
import { cyclerRecordsWithFiles } from '../src/store/queries.js';
import type { PipelineContext } from './context.js';
import type { Column } from '../src/records/record.js';
import { bdfTable, bdfToken } from '../src/io/bdf-write.js';
import { writeAtomic } from '../src/io/atomic.js';
import { VERSION } from '../src/version.js';

export interface BdfExportResult {
  readonly written: readonly { readonly csv: string; readonly metadata: string; readonly rows: number; readonly recordId: string }[];
  readonly skipped: readonly { readonly path: string; readonly recordId: string; readonly reason: string }[];
}

/** The BDF name of a record: cell, source file stem, and the record index when the file holds several. */
export function bdfBaseName(cell: string | null, path: string, index: number, several: boolean): string {
  const stem = (path.split('/').pop() ?? path).replace(/\.[^.]*$/, '');
  return `${bdfToken(cell ?? 'unassigned')}__${bdfToken(stem)}${several ? `__r${index}` : ''}`;
}

async function columnsOf(ctx: PipelineContext, recordId: string, path: string, index: number, sha: string | null): Promise<Column[] | string> {
  if (await ctx.store.columnsStored(path)) return ctx.store.recordColumns(recordId);
  const abs = join(ctx.folder, path);
  try {
    const { sha256File } = await import('../src/io/hash-aside.js');
    if (sha && (await sha256File(abs)) !== sha) return 'the file changed since it was stored (run batch first)';
    const { loadFromDisk } = await import('../src/io/load.js');
    const a = ctx.assignments.get(path);
    const loaded = await loadFromDisk(path, abs, { formatId: a?.formatOverride?.format, options: a?.formatOverride?.options, settings: ctx.settings });
    const rec = 'records' in loaded ? loaded.records[index] : undefined;
    return rec ? [...rec.columns] : 'too large to hold in memory: read in pieces, raw columns not kept';
  } catch (e) {
    return `could not re-read the file: ${(e as Error).message}`;
  }
}

export async function exportBdf(ctx: PipelineContext, dir: string): Promise<BdfExportResult> {
  const rows = await cyclerRecordsWithFiles(ctx.store);
  const cells = new Map((ctx.manifest?.cells ?? []).map((c) => [c.id, c]));
  const written: { csv: string; metadata: string; rows: number; recordId: string }[] = [];
  const skipped: { path: string; recordId: string; reason: string }[] = [];
  const used = new Set<string>();
  for (const r of rows) {
    const recordId = r.record_id as string;
    const path = r.path as string;
    const index = Number(r.record_index);
    const cellId = (r.cell_id as string | null) ?? null;
    const cols = await columnsOf(ctx, recordId, path, index, (r.sha256 as string | null) ?? null);
    if (typeof cols === 'string') {
      skipped.push({ path, recordId, reason: cols });
      continue;
    }
    const table = bdfTable(cols);
    if (!['Test Time', 'Voltage', 'Current'].every((n) => table.columns.some((c) => c.name === n))) {
      skipped.push({ path, recordId, reason: 'no Test Time, Voltage and Current columns (BDF requires all three)' });
      continue;
    }
    let base = bdfBaseName(cellId, path, index, Number(r.n_in_file) > 1);
    for (let k = 2; used.has(base); k++) base = `${bdfBaseName(cellId, path, index, Number(r.n_in_file) > 1)}_${k}`;
    used.add(base);
    const csv = join(dir, `${base}.bdf.csv`);
    const metadata = join(dir, `${base}.metadata.json`);
    const spec = cellId ? cells.get(cellId) : undefined;
    const { files: _files, filesRefused: _refused, ...facts } = (spec ?? {}) as Record<string, unknown>;
    const meta = {
      bdf: { vocabulary: 'Battery Data Format preferred labels (ontology 1.3.0)', data_file: `${base}.bdf.csv`, rows: table.rows },
      cell: spec ? { ...facts } : { id: cellId, note: cellId ? 'cell not in the manifest' : 'file not assigned to a cell' },
      campaign: { name: ctx.manifest?.name ?? ctx.folder.split('/').pop() ?? 'campaign', manifest: ctx.manifest?.source ?? null },
      source: { path, sha256: r.sha256 ?? null, format: r.format ?? null, parser_version: r.parser_version ?? null, record_index: index, record_id: recordId },
      columns: table.columns,
      omitted_columns: table.omitted,
      conventions: {
        current_sign: 'positive current = charge of the working electrode (for Li||Cu, stripping Li from Cu is positive)',
        time: 'Test Time from the start of the record; Unix Time in s since 1970-01-01 UTC, times without a zone read as UTC',
        missing_values: 'empty cell',
      },
      record_meta: safeJson(r.meta),
      generated_by: { software: 'Interphase', version: VERSION, at: new Date().toISOString() },
    };
    await writeAtomic(csv, table.csv);
    await writeAtomic(metadata, `${JSON.stringify(meta, null, 2)}\n`);
    written.push({ csv, metadata, rows: table.rows, recordId });
  }
  return { written, skipped };
}

function safeJson(s: unknown): unknown {
  if (typeof s !== 'string') return s ?? null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
