/**
 * Named queries of the campaign store for the pipelines' stages (campaign stages, file processing,
 * summary), the BDF export and the live page. The store owns
 * every query (docs/architecture.md): callers receive rows, never write SQL.
 */
import { PARAMETERS } from '../records/parameters.js';
import { TRANSFERENCE_FITTER_ID } from '../fit/transference/index.js';
import type { DuckDBValue } from '@duckdb/node-api';
import type { CampaignStore } from './store.js';

type Row = Record<string, unknown>;

/** The spectrum whose file was written last (last record of that file). */
export function latestSpectrumRow(store: CampaignStore): Promise<Row[]> {
  return store.query(`SELECT r.record_id, r.path, r.cell_id FROM records r JOIN files f ON f.path = r.path
     WHERE r.kind = 'eis' ORDER BY f.mtime_ms DESC, r.path DESC, r.record_index DESC LIMIT 1`);
}

/** Every cycler record with its file hash and parser version, and how many cycler records its file holds. */
export function cyclerRecordsWithFiles(store: CampaignStore): Promise<Row[]> {
  return store.query(`
    SELECT r.record_id, r.path, r.cell_id, r.record_index, r.format, r.meta, f.sha256, f.parser_version,
           (SELECT count(*) FROM records x WHERE x.path = r.path AND x.kind = 'cycler') AS n_in_file
    FROM records r JOIN files f USING (path) WHERE r.kind = 'cycler' ORDER BY r.path, r.record_index`);
}

/** Each chronoamperometry record with the fitter's I0, Iss, ΔV (and stderrs); `$1..$3` are those parameter names, `$4` the fitter. */
export function chronoamperometryFits(store: CampaignStore): Promise<Row[]> {
  return store.query(
    `
    SELECT r.record_id, r.cell_id, r.path, r.meta, f.metrics,
           max(CASE WHEN p.name = $1 THEN p.value END) AS i0, max(CASE WHEN p.name = $1 THEN p.stderr END) AS i0_se,
           max(CASE WHEN p.name = $2 THEN p.value END) AS iss, max(CASE WHEN p.name = $2 THEN p.stderr END) AS iss_se,
           max(CASE WHEN p.name = $3 THEN p.value END) AS dv, max(CASE WHEN p.name = $3 THEN p.stderr END) AS dv_se
    FROM records r JOIN fits f ON f.record_id = r.record_id AND f.fitter = $4 AND f.ok
    LEFT JOIN parameters p ON p.record_id = r.record_id AND p.scope IS NULL AND p.fitter = $4
    WHERE r.kind = 'chronoamperometry' AND r.cell_id IS NOT NULL
    GROUP BY r.record_id, r.cell_id, r.path, r.meta, f.metrics ORDER BY r.cell_id, r.path, r.record_id`,
    [PARAMETERS.caInitialCurrent.name, PARAMETERS.caSteadyStateCurrent.name, PARAMETERS.caDeltaV.name, TRANSFERENCE_FITTER_ID],
  );
}

/** Each impedance record of a cell with its R_SEI, R_ct (and stderrs) and R_bulk. */
export function interfaceSpectra(store: CampaignStore): Promise<Row[]> {
  return store.query(`
    SELECT r.record_id, r.cell_id, r.path, r.meta,
           max(CASE WHEN p.name = 'R_SEI' THEN p.value END) AS r_sei, max(CASE WHEN p.name = 'R_SEI' THEN p.stderr END) AS r_sei_se,
           max(CASE WHEN p.name = 'R_ct' THEN p.value END) AS r_ct, max(CASE WHEN p.name = 'R_ct' THEN p.stderr END) AS r_ct_se,
           max(CASE WHEN p.name = 'R_bulk' THEN p.value END) AS r_bulk
    FROM records r LEFT JOIN parameters p ON p.record_id = r.record_id AND p.scope IS NULL
    WHERE r.kind = 'eis' AND r.cell_id IS NOT NULL
    GROUP BY r.record_id, r.cell_id, r.path, r.meta ORDER BY r.cell_id, r.path, r.record_id`);
}

/** Per cell, fitter, name and unit: count, mean and a scaled SD of the record-level parameters (a diverged fit cannot overflow the sum of squares). */
export function cellParameterMeans(store: CampaignStore): Promise<Row[]> {
  return store.query(`
    WITH p AS (
      SELECT *, nullif(max(abs(value)) OVER (PARTITION BY cell_id, fitter, name, unit), 0) AS scale
      FROM parameters WHERE cell_id IS NOT NULL AND scope IS NULL)
    SELECT cell_id, fitter, name, unit, count(*) AS n, avg(value) AS value,
           CASE WHEN count(*) = 1 THEN any_value(stderr) ELSE stddev_samp(value / scale) * any_value(scale) / sqrt(count(*)) END AS stderr,
           CASE WHEN count(*) = 1 THEN any_value(ci_low) END AS ci_low,
           CASE WHEN count(*) = 1 THEN any_value(ci_high) END AS ci_high,
           bool_or(censored) AS censored, bool_and(fit_ok) AS ok, list(record_id ORDER BY record_id) AS sources,
           min(coalesce(status, 'fitted')) AS status_min, max(coalesce(status, 'fitted')) AS status_max
    FROM p
    GROUP BY cell_id, fitter, name, unit ORDER BY cell_id, fitter, name`);
}

/** One P–E parameter (`$1`) per loop record with its path and metadata. */
export function peLoopParameters(store: CampaignStore, params: DuckDBValue[]): Promise<Row[]> {
  return store.query(
    `SELECT p.cell_id, p.record_id, p.value, p.stderr, r.path, r.meta FROM parameters p JOIN records r USING (record_id)
     WHERE p.name = $1 AND p.scope IS NULL AND p.cell_id IS NOT NULL AND r.kind = 'pe-loop' AND p.value IS NOT NULL`,
    params,
  );
}

/** Every single-ion ToF-SIMS image record. */
export function simsImageRecords(store: CampaignStore): Promise<Row[]> {
  return store.query(`SELECT record_id, cell_id, path, meta FROM records WHERE kind = 'sims-image' ORDER BY path, record_id`);
}

/** Every cycling record (raw log or per-cycle table) of a cell. */
export function cyclingRecords(store: CampaignStore): Promise<Row[]> {
  return store.query(`
    SELECT record_id, cell_id, path, kind, rows, meta FROM records
    WHERE kind IN ('cycler', 'cycle-summary') AND cell_id IS NOT NULL ORDER BY cell_id, path, record_id`);
}

/** The stored per-cycle table of one record (`$1`), column by column. */
export function cycleTableColumns(store: CampaignStore, params: DuckDBValue[]): Promise<Row[]> {
  return store.query(
    `
      SELECT name, unit, dtype, data FROM fit_tables WHERE record_id = $1 AND table_name = 'cycles' ORDER BY col_index`,
    params,
  );
}

/** The format of each cell's longest cycling record. */
export function cellCyclerFormats(store: CampaignStore): Promise<Row[]> {
  return store.query(
    `SELECT cell_id, arg_max(format, rows) AS format FROM records WHERE kind IN ('cycler', 'cycle-summary') AND cell_id IS NOT NULL GROUP BY cell_id`,
  );
}

/** Each impedance record of a cell with its circuit parameters. */
export function impedanceRecordsWithParameters(store: CampaignStore): Promise<Row[]> {
  return store.query(`
    SELECT r.record_id, r.cell_id, r.path, r.meta,
           max(CASE WHEN p.name = 'R_SEI' THEN p.value END) AS r_sei,
           max(CASE WHEN p.name = 'CPE_SEI_alpha' THEN p.value END) AS alpha,
           max(CASE WHEN p.name = 'R_SEI' THEN p.stderr END) AS r_sei_se,
           max(CASE WHEN p.name = 'CPE_SEI_alpha' THEN p.stderr END) AS alpha_se
    FROM records r LEFT JOIN parameters p ON p.record_id = r.record_id AND p.scope IS NULL
    WHERE r.kind = 'eis' AND r.cell_id IS NOT NULL
    GROUP BY r.record_id, r.cell_id, r.path, r.meta ORDER BY r.cell_id, r.path, r.record_id`);
}

/** The metadata of one record (`$1`). */
export function recordMeta(store: CampaignStore, params: DuckDBValue[]): Promise<Row[]> {
  return store.query(`SELECT meta FROM records WHERE record_id = $1`, params);
}

/** Each stored record with the analysis options its fits ran under. */
export function fittedRecordsWithOptions(store: CampaignStore): Promise<Row[]> {
  return store.query(`
    SELECT DISTINCT r.path, r.kind, r.cell_id, CASE WHEN f.options LIKE '%"analysisKey"%' THEN f.options ELSE '' END AS opts
    FROM fits f JOIN records r USING (record_id)`);
}

/** Duplicates whose parsed copy is gone or changed. */
export function staleDuplicatePaths(store: CampaignStore): Promise<Row[]> {
  return store.query(`
    SELECT d.path FROM files d
    WHERE d.status = 'duplicate'
      AND NOT EXISTS (SELECT 1 FROM files p WHERE p.path = d.duplicate_of AND p.status = 'parsed' AND p.sha256 = d.sha256
                      AND p.path NOT IN (SELECT path FROM removed_sources))
    ORDER BY d.path`);
}

/** Per file, fitter, name and unit: the mean of the record-level parameters (folders without cells). */
export function fileParameterMeans(store: CampaignStore): Promise<Row[]> {
  return store.query(`
    SELECT r.path, p.fitter, p.name, p.unit, count(*) AS n, avg(p.value) AS value,
           CASE WHEN count(*) = 1 THEN any_value(p.stderr) END AS stderr,
           CASE WHEN count(*) = 1 THEN any_value(p.ci_low) END AS ci_low,
           CASE WHEN count(*) = 1 THEN any_value(p.ci_high) END AS ci_high,
           bool_or(p.censored) AS censored, bool_and(p.fit_ok) AS ok, list(p.record_id ORDER BY p.record_id) AS sources,
           min(coalesce(p.status, 'fitted')) AS status_min, max(coalesce(p.status, 'fitted')) AS status_max
    FROM parameters p JOIN records r USING (record_id)
    WHERE p.scope IS NULL AND p.cell_id IS NULL
    GROUP BY r.path, p.fitter, p.name, p.unit ORDER BY r.path, p.fitter, p.name`);
}

/** Every record id with its file path. */
export function recordPaths(store: CampaignStore): Promise<Row[]> {
  return store.query(`SELECT record_id, path FROM records`);
}

/** Every fit with its record's path and kind. */
export function fitsWithRecords(store: CampaignStore): Promise<Row[]> {
  return store.query(`SELECT f.*, r.path, r.kind FROM fits f JOIN records r USING (record_id) ORDER BY r.path, f.record_id`);
}
