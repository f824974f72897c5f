/**
 * The campaign store's tables. One DuckDB file per campaign; users may open it and query these.
 * Raw columns are kept as little-endian binary BLOBs (fast to write, exact); everything a scientist
 * queries — files, records, parameters, per-cycle tables, verdicts — is in plain typed tables.
 */
/** Bump when a table changes; an older store is rebuilt from the source files (nothing is lost: the store is derived). */
export const SCHEMA_VERSION = 5;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS store_info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS files (
  path VARCHAR PRIMARY KEY,        -- relative to the campaign folder
  sha256 VARCHAR,
  size BIGINT,
  mtime_ms DOUBLE,
  status VARCHAR,                  -- parsed | failed | duplicate | sidecar (a metadata companion of companion_of)
  format VARCHAR,
  kind VARCHAR,
  parser VARCHAR,
  parser_version VARCHAR,
  cell_id VARCHAR,
  records INTEGER,
  rows BIGINT,
  warnings VARCHAR,                -- JSON array of {code,message,rows}
  error_type VARCHAR,
  error_message VARCHAR,
  error_line INTEGER,
  error_offset BIGINT,
  duplicate_of VARCHAR,
  companion_of VARCHAR,            -- sidecar: the data file its fields are attached to (meta.sidecar of its records)
  companion_fields VARCHAR,        -- sidecar: JSON of the fields read from it
  processed_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS records (
  record_id VARCHAR PRIMARY KEY,   -- <sha256 prefix>:<index>
  path VARCHAR,
  sha256 VARCHAR,
  record_index INTEGER,
  kind VARCHAR,
  format VARCHAR,
  cell_id VARCHAR,
  rows BIGINT,
  meta VARCHAR,                    -- JSON
  columns VARCHAR,                 -- JSON array of {name, unit}
  warnings VARCHAR,                -- JSON
  data_stored BOOLEAN              -- false: columns too large to copy, re-read from the file (SHA-256 checked)
);
CREATE TABLE IF NOT EXISTS record_columns (
  record_id VARCHAR,
  col_index INTEGER,
  name VARCHAR,
  unit VARCHAR,
  dtype VARCHAR,                   -- f64 | i32
  levels VARCHAR,                  -- JSON array for categorical columns
  data BLOB                        -- little-endian values
);
CREATE TABLE IF NOT EXISTS fits (
  record_id VARCHAR,
  cell_id VARCHAR,
  fitter VARCHAR,
  fitter_version VARCHAR,
  ok BOOLEAN,
  metrics VARCHAR,                 -- JSON
  messages VARCHAR,                -- JSON
  options VARCHAR                  -- JSON
);
CREATE TABLE IF NOT EXISTS parameters (
  record_id VARCHAR,
  cell_id VARCHAR,
  fitter VARCHAR,
  name VARCHAR,
  value DOUBLE,
  unit VARCHAR,
  stderr DOUBLE,
  ci_low DOUBLE,
  ci_high DOUBLE,
  censored BOOLEAN,
  scope VARCHAR,                   -- NULL: a record fitter's value, 'campaign': the replay model's per-cell values (record_id = its cycler record)
  note VARCHAR,                    -- for status prior-fixed / input: where the value comes from, not identifiable: why
  fit_ok BOOLEAN,
  status VARCHAR                   -- fitted | input | prior-fixed | not identifiable (only fitted rows carry stderr / CI)
);
CREATE TABLE IF NOT EXISTS fit_tables (
  record_id VARCHAR,
  cell_id VARCHAR,
  fitter VARCHAR,
  table_name VARCHAR,
  col_index INTEGER,
  name VARCHAR,
  unit VARCHAR,
  dtype VARCHAR,                   -- f64 | i32
  data BLOB
);
CREATE INDEX IF NOT EXISTS record_columns_record ON record_columns (record_id);
CREATE INDEX IF NOT EXISTS fit_tables_record ON fit_tables (record_id);
CREATE INDEX IF NOT EXISTS records_path ON records (path);
-- Files whose source left the folder: their rows, records and fits are kept (issue #18) until
-- batch --prune, and the report marks them "source removed". A path here is also in files (no semicolons in comments: the SQL is split on them).
CREATE TABLE IF NOT EXISTS removed_sources (path VARCHAR PRIMARY KEY, removed_at TIMESTAMP);
-- Derived results cached under what they were computed from (issue #18: a refresh touches only what
-- changed). Per record: record_id (its bytes and index), the kind of result and the hash of the options
-- in force. Campaign-level entries (a report figure, under the hash of its spec) have no record_id.
-- Deleted with their record. Added without a schema bump: an older store gets the empty table.
CREATE TABLE IF NOT EXISTS derived (
  record_id VARCHAR,
  kind VARCHAR,                    -- e.g. kk (KK residuals of a spectrum), figure (compiled page spec + SVG)
  key VARCHAR,                     -- hash of the options / inputs the result was computed from
  data VARCHAR                     -- JSON
);
CREATE TABLE IF NOT EXISTS verdicts (
  hypothesis_id VARCHAR PRIMARY KEY,
  verdict VARCHAR,
  detail VARCHAR,                  -- JSON of the full result
  decided_at TIMESTAMP
);
`;

/** Tables written by `interphase export` (the BLOB tables are exported decoded, per record kind). */
export const ALL_TABLES = ['files', 'records', 'record_columns', 'fits', 'parameters', 'fit_tables', 'verdicts', 'removed_sources', 'derived'] as const;

export const EXPORT_TABLES = ['files', 'records', 'fits', 'parameters', 'verdicts'] as const;
