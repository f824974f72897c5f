/**
 * The campaign manifest (`campaign.yaml`, `.json` or `.xlsx`): which cells exist, what was done to
 * them, and which files are theirs. Validation collects every problem with a message that says how
 * to fix it. Problems are local (issue #18): a bad key or pattern is ignored, a cell entry that cannot
 * be a cell is left out, and every valid cell is kept; `Manifest.problems` lists them all. Only a
 * document that is not a mapping at all throws a ManifestError.
 */
import { ManifestError } from '../records/errors.js';
import { globEscapes } from './glob.js';
import { parseCheckpoints, type PolarisationCheckpoint } from './polarisation.js';
import { closest } from '../records/suggest.js';
import { EMPTY_ANALYSIS, validateAnalysis, type AnalysisSpec } from './analysis-options.js';

export const CELL_TYPES = ['Li||Cu', 'Li||Li', 'full', 'anode-free'] as const;
export type CellType = (typeof CELL_TYPES)[number];

/**
 * What the cell's interlayer is, as far as net polarisation goes (docs/hypotheses.md, "Arms"):
 * - poled: ferroelectric layer, poled (net remanent polarisation);
 * - unpoled: the same ferroelectric never poled (domains random: no net polarisation);
 * - depoled: poled, then annealed above T_C (same history and chemistry, net polarisation removed);
 * - paraelectric: a high-k layer without remanent polarisation (e.g. cubic BaTiO3, SrTiO3);
 * - inert: a low-k layer of similar thickness (Al2O3, SiO2): a physical barrier without high k;
 * - none: bare electrode.
 */
export const POLINGS = ['poled', 'unpoled', 'depoled', 'paraelectric', 'inert', 'none'] as const;
export type Poling = (typeof POLINGS)[number];
export const POLING_DIRECTIONS = ['up', 'down'] as const;
export type PolingDirection = (typeof POLING_DIRECTIONS)[number];
export const REST_POSITIONS = ['before-cycling', 'mid-cycling'] as const;
export type RestPosition = (typeof REST_POSITIONS)[number];

export interface CellSpec {
  readonly id: string;
  /** Free label of the experimental arm, e.g. `control`, `BTO-poled`. */
  readonly group: string;
  /** Ferroelectric (or control) layer material, e.g. `BaTiO3`, `P(VDF-TrFE)`; omitted for bare controls. */
  readonly ferroelectric?: string;
  readonly poling: Poling;
  /** Direction of the poling field relative to the electrode (up = polarisation pointing away from Li). */
  readonly polingDirection?: PolingDirection;
  /** Anion pre-adsorbed on the FD layer, e.g. `NO3-`. */
  readonly preadsorbedAnion?: string;
  readonly electrolyte?: string;
  readonly restHours?: number;
  /** When the rest happened: before the first cycle (assembly, storage) or between cycles. @default 'before-cycling' */
  readonly restPosition?: RestPosition;
  /** Batch (assembly day, electrolyte lot) and cycler: blocking factors of the whole-campaign models. */
  readonly batch?: string;
  readonly cycler?: string;
  readonly currentDensityMaCm2?: number;
  readonly arealCapacityMahCm2?: number;
  readonly electrodeAreaCm2?: number;
  readonly cellType?: CellType;
  /** Remanent polarisation given by hand when no P–E loop exists (µC/cm²), and where it came from. */
  readonly prUcCm2?: number;
  readonly prSource?: string;
  /** Net polarisation of the layer as built, by non-switching probes (src/campaign/polarisation.ts): d33 (pm/V ≡ pC/N), pyroelectric current (nA); signed. */
  readonly d33PmV?: number;
  readonly pyroCurrentNa?: number;
  /** The same measurements (and a PFM net fraction) later in the cell's history. */
  readonly polarisationCheckpoints?: readonly PolarisationCheckpoint[];
  /** Inactive Li⁰ at the end of the test by titration (TGC), mAh/cm²: lets the replay fit split dead Li from SEI Li. */
  readonly deadLiTitrationMahCm2?: number;
  /** Ferroelectric film thickness (nm) for P–E field conversion. */
  readonly filmThicknessNm?: number;
  /** Glob patterns relative to the campaign folder; empty = files whose name contains the id. */
  readonly files: readonly string[];
  /** Every `files` pattern was refused (it left the folder): the cell claims no file until fixed. */
  readonly filesRefused?: boolean;
  readonly notes?: string;
}

/** Force a format (and its options) for files matching a glob: how a generic CSV gets its column map. */
export interface FormatOverride {
  readonly files: string;
  readonly format: string;
  readonly options?: Record<string, unknown>;
}

export interface Manifest {
  readonly name: string;
  readonly description?: string;
  readonly cells: readonly CellSpec[];
  readonly formats: readonly FormatOverride[];
  /** Glob patterns of files in the folder that are not instrument data (notes, truth tables, photos). */
  readonly ignore: readonly string[];
  /** Path of the manifest file it was read from. */
  readonly source: string;
  /** `analysis:` settings (src/campaign/analysis-options.ts); empty when the manifest has none. */
  readonly analysis?: AnalysisSpec;
  /** Problems of the `analysis:` block: local to their entry (the entry was dropped, the rest kept). */
  readonly analysisProblems?: readonly string[];
  /**
   * Every problem of the manifest (cells, keys, patterns, and `analysis:`), each local to its entry:
   * a bad key or pattern is ignored, a cell entry that cannot be a cell is left out, valid cells are kept.
   */
  readonly problems?: readonly string[];
}

/** Manifest keys as users write them (snake_case, units in the name) → CellSpec fields. */
const CELL_KEYS: Record<
  string,
  { field: keyof CellSpec; type: 'string' | 'number' | 'strings' | 'enum' | 'signed' | 'checkpoints'; values?: readonly string[] }
> = {
  id: { field: 'id', type: 'string' },
  group: { field: 'group', type: 'string' },
  ferroelectric: { field: 'ferroelectric', type: 'string' },
  layer: { field: 'ferroelectric', type: 'string' },
  poling: { field: 'poling', type: 'enum', values: POLINGS },
  poling_direction: { field: 'polingDirection', type: 'enum', values: POLING_DIRECTIONS },
  preadsorbed_anion: { field: 'preadsorbedAnion', type: 'string' },
  electrolyte: { field: 'electrolyte', type: 'string' },
  rest_hours: { field: 'restHours', type: 'number' },
  rest_position: { field: 'restPosition', type: 'enum', values: REST_POSITIONS },
  batch: { field: 'batch', type: 'string' },
  cycler: { field: 'cycler', type: 'string' },
  current_density_mA_cm2: { field: 'currentDensityMaCm2', type: 'number' },
  areal_capacity_mAh_cm2: { field: 'arealCapacityMahCm2', type: 'number' },
  electrode_area_cm2: { field: 'electrodeAreaCm2', type: 'number' },
  cell_type: { field: 'cellType', type: 'enum', values: CELL_TYPES },
  pr_uC_cm2: { field: 'prUcCm2', type: 'number' },
  pr_source: { field: 'prSource', type: 'string' },
  d33_pm_V: { field: 'd33PmV', type: 'signed' },
  pyro_current_nA: { field: 'pyroCurrentNa', type: 'signed' },
  polarisation_checkpoints: { field: 'polarisationCheckpoints', type: 'checkpoints' },
  dead_li_titration_mAh_cm2: { field: 'deadLiTitrationMahCm2', type: 'number' },
  film_thickness_nm: { field: 'filmThicknessNm', type: 'number' },
  files: { field: 'files', type: 'strings' },
  notes: { field: 'notes', type: 'string' },
};
const TOP_KEYS = ['campaign', 'name', 'description', 'defaults', 'cells', 'formats', 'ignore', 'analysis'];

export const MANIFEST_EXAMPLE = `campaign: bto-rest-study
defaults: { electrolyte: 1M LiPF6 EC/DEC, cell_type: Li||Cu, current_density_mA_cm2: 0.5, areal_capacity_mAh_cm2: 1 }
cells:
  - { id: C01, group: control, poling: none, rest_hours: 0 }
  - { id: F01, group: BTO-poled, ferroelectric: BaTiO3, poling: poled, rest_hours: 24, files: ["cycling/F01_*.csv", "eis/F01*"] }`;

function closestKey(key: string, options: readonly string[]): string | undefined {
  const { best, distance } = closest(key, options);
  return distance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validate a parsed manifest document (from YAML, JSON or a spreadsheet) into a Manifest. */
export function validateManifest(doc: unknown, source: string, folderName = 'campaign'): Manifest {
  const problems: string[] = [];
  if (!isObject(doc)) throw new ManifestError(source, [`the manifest must be a mapping with a 'cells' list; for example:\n${MANIFEST_EXAMPLE}`]);
  for (const k of Object.keys(doc)) {
    if (!TOP_KEYS.includes(k)) {
      const s = closestKey(k, TOP_KEYS);
      problems.push(`unknown top-level key '${k}'${s ? ` (did you mean '${s}'?)` : ''}; allowed: ${TOP_KEYS.join(', ')}`);
    }
  }
  const defaults = doc.defaults === undefined ? {} : doc.defaults;
  if (!isObject(defaults)) problems.push(`'defaults' must be a mapping of cell fields`);
  const rawCells = doc.cells;
  if (!Array.isArray(rawCells) || rawCells.length === 0) {
    problems.push(`'cells' must be a non-empty list; for example:\n${MANIFEST_EXAMPLE}`);
  }
  const cells: CellSpec[] = [];
  const seen = new Map<string, number>();
  // Defaults: a bad key is reported once (not once per cell) and left out; the rest still applies.
  const goodDefaults: Record<string, unknown> = {};
  if (isObject(defaults)) {
    for (const [k, v] of Object.entries(defaults)) {
      if (CELL_KEYS[k] && k !== 'id') goodDefaults[k] = v;
      else {
        const s = closestKey(k, Object.keys(CELL_KEYS));
        problems.push(`defaults: unknown key '${k}'${s ? ` (did you mean '${s}'?)` : ''} — ignored`);
      }
    }
  }
  (Array.isArray(rawCells) ? rawCells : []).forEach((raw, idx) => {
    const where = `cells[${idx}]`;
    if (!isObject(raw)) {
      problems.push(`${where}: must be a mapping like { id: C01, group: control } — this entry is left out until fixed`);
      return;
    }
    // Problems are local: a bad key or value drops that key, a bad pattern drops that pattern; an entry
    // that cannot be a cell (no id, a duplicate id, no group, an unknown arm) is left out alone.
    const merged: Record<string, unknown> = { ...goodDefaults, ...raw };
    const out: Record<string, unknown> = {};
    const fatal: string[] = [];
    const local: string[] = [];
    for (const [k, v] of Object.entries(merged)) {
      const spec = CELL_KEYS[k];
      if (!spec) {
        const s = closestKey(k, Object.keys(CELL_KEYS));
        local.push(`${where}${raw.id ? ` (${String(raw.id)})` : ''}: unknown key '${k}'${s ? ` (did you mean '${s}'?)` : ''}`);
        continue;
      }
      if (v === null || v === undefined || v === '') continue;
      switch (spec.type) {
        case 'string':
          out[spec.field] = String(v).trim();
          break;
        case 'number': {
          const n = typeof v === 'number' ? v : Number(String(v).trim());
          if (!Number.isFinite(n)) local.push(`${where}: '${k}' must be a number, found '${String(v)}'`);
          else if (n < 0) local.push(`${where}: '${k}' must not be negative, found ${n}`);
          else out[spec.field] = n;
          break;
        }
        case 'signed': {
          const n = typeof v === 'number' ? v : Number(String(v).trim());
          if (!Number.isFinite(n)) local.push(`${where}: '${k}' must be a number, found '${String(v)}'`);
          else out[spec.field] = n;
          break;
        }
        case 'checkpoints': {
          const cp = parseCheckpoints(v, where);
          problems.push(...cp.problems);
          if (cp.value.length) out[spec.field] = cp.value;
          break;
        }
        case 'enum': {
          const s = String(v).trim();
          const hit = spec.values!.find((x) => x.toLowerCase() === s.toLowerCase());
          if (!hit) local.push(`${where}: '${k}' must be one of ${spec.values!.join(', ')}, found '${s}'`);
          else out[spec.field] = hit;
          break;
        }
        case 'strings': {
          const arr = Array.isArray(v)
            ? v.map(String)
            : String(v)
                .split(/[;\n]/)
                .map((s) => s.trim())
                .filter(Boolean);
          const good = arr.filter((g) => !globEscapes(g));
          for (const g of arr)
            if (globEscapes(g))
              local.push(
                `${where}: file pattern '${g}' leaves the campaign folder (absolute path or '..'); patterns are relative to the folder — this pattern is ignored${good.length ? '' : `, so the cell claims no file until it is fixed`}`,
              );
          out[spec.field] = good;
          if (arr.length && !good.length) out.claimsNothing = true;
          break;
        }
      }
    }
    const id = out.id as string | undefined;
    if (!id) {
      problems.push(...local, `${where}: missing 'id' — this entry is left out until fixed`);
      return;
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) fatal.push(`${where}: id '${id}' may only contain letters, digits, '.', '_' and '-'`);
    if (seen.has(id)) fatal.push(`${where}: duplicate id '${id}' (also cells[${seen.get(id)}])`);
    else seen.set(id, idx);
    if (!out.group) fatal.push(`${where} (${id}): missing 'group' (e.g. control, BTO-poled)`);
    const poling = (out.poling as Poling | undefined) ?? (out.ferroelectric ? undefined : 'none');
    if (!poling)
      fatal.push(`${where} (${id}): a layer ('ferroelectric' / 'layer') is given, so 'poling' must say poled, unpoled, depoled, paraelectric or inert`);
    if (poling === 'none' && out.ferroelectric) fatal.push(`${where} (${id}): poling 'none' contradicts ferroelectric '${String(out.ferroelectric)}'`);
    if (fatal.length) {
      problems.push(...local, ...fatal.map((f, i) => (i === fatal.length - 1 ? `${f} — cell '${id}' is left out until fixed` : f)));
      return;
    }
    problems.push(...local.map((l) => (l.endsWith('ignored') || l.includes('claims no file') ? l : `${l} — this key is ignored`)));
    const claimsNothing = out.claimsNothing === true;
    delete out.claimsNothing;
    // A cell whose every pattern was refused claims nothing (not "files named after it"): `filesRefused`.
    cells.push({
      ...(out as object),
      id,
      group: out.group as string,
      poling,
      files: (out.files as string[]) ?? [],
      ...(claimsNothing ? { filesRefused: true } : {}),
    } as CellSpec);
  });
  const formats: FormatOverride[] = [];
  if (doc.formats !== undefined) {
    if (!Array.isArray(doc.formats)) problems.push(`'formats' must be a list of { files, format, options }`);
    else
      doc.formats.forEach((f, i) => {
        if (!isObject(f) || typeof f.files !== 'string' || typeof f.format !== 'string') {
          problems.push(`formats[${i}]: needs 'files' (a glob) and 'format' (a format id) — this entry is ignored`);
          return;
        }
        if (globEscapes(f.files)) {
          problems.push(`formats[${i}]: pattern '${f.files}' leaves the campaign folder — this entry is ignored`);
          return;
        }
        formats.push({ files: f.files, format: f.format, options: isObject(f.options) ? f.options : undefined });
      });
  }
  const ignore: string[] = [];
  if (doc.ignore !== undefined) {
    const arr = Array.isArray(doc.ignore) ? doc.ignore : [doc.ignore];
    for (const g of arr) {
      if (typeof g !== 'string') problems.push(`'ignore' must be a list of glob patterns`);
      else if (globEscapes(g)) problems.push(`ignore pattern '${g}' leaves the campaign folder — this pattern is ignored`);
      else ignore.push(g);
    }
  }
  const name = String(doc.campaign ?? doc.name ?? folderName);
  // Problems of `analysis:` stay local to their entry: reported, never a reason to drop the cells.
  const analysis = validateAnalysis(doc.analysis, { cells: cells.map((c) => c.id), groups: [...new Set(cells.map((c) => c.group))] });
  return {
    name,
    description: typeof doc.description === 'string' ? doc.description : undefined,
    cells,
    formats,
    ignore,
    source,
    analysis: analysis.spec ?? EMPTY_ANALYSIS,
    analysisProblems: analysis.problems,
    // Every problem, each local to its entry (the entry was left out, the rest kept): the report's banner.
    problems: [...problems, ...analysis.problems],
  };
}
