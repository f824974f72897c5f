/**
 * Named queries of the campaign store for the pipelines' stages and the live page. The store owns
 * every query (docs/architecture.md): callers receive rows, never write SQL.
 */
import { PARAMETERS } from '../records/parameters.js';
import { TRANSFERENCE_FITTER_ID } from '../fit/transference/index.js';
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
  return store.query(`
    SELECT r.record_id, r.cell_id, r.path, r.meta, f.metrics,
           max(CASE WHEN p.name = $1 THEN p.value END) AS i0, max(CASE WHEN p.name = $1 THEN p.stderr END) AS i0_se,
           max(CASE WHEN p.name = $2 THEN p.value END) AS iss, max(CASE WHEN p.name = $2 THEN p.stderr END) AS iss_se,
           max(CASE WHEN p.name = $3 THEN p.value END) AS dv, max(CASE WHEN p.name = $3 THEN p.stderr END) AS dv_se
    FROM records r JOIN fits f ON f.record_id = r.record_id AND f.fitter = $4 AND f.ok
    LEFT JOIN parameters p ON p.record_id = r.record_id AND p.scope IS NULL AND p.fitter = $4
    WHERE r.kind = 'chronoamperometry' AND r.cell_id IS NOT NULL
    GROUP BY r.record_id, r.cell_id, r.path, r.meta, f.metrics ORDER BY r.cell_id, r.path, r.record_id`, [PARAMETERS.caInitialCurrent.name, PARAMETERS.caSteadyStateCurrent.name, PARAMETERS.caDeltaV.name, TRANSFERENCE_FITTER_ID]);
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
