/**
 * Runtime settings: every knob the environment can turn (the INTERPHASE_* variables), in one typed
 * object. It is built once at the edge — the CLI from the environment and its flags, a pool worker
 * thread from its workerData, a script or test from whatever it likes — and passed down as a parameter
 * or an options field. No other module reads `process.env`; a module given no settings uses
 * DEFAULT_SETTINGS (the values with no variable set).
 *
 *   INTERPHASE_MAX_FILE_MB       maxFileBytes       files read whole are refused above this (4096 MB)
 *   INTERPHASE_PIECEWISE_MB      piecewiseMinBytes  cycler logs from this size are read in pieces (¼ of RAM)
 *   INTERPHASE_PIECE_MB          pieceBytes         one such piece (64 MB)
 *   INTERPHASE_STREAM_MB         streamMinBytes     formats that stream are read from disk in chunks from here (24 MB)
 *   INTERPHASE_STORE_RAW_MB      storeRawBytes      a record's columns are copied into the store up to this (16 MB)
 *   INTERPHASE_PARALLEL_SCAN=0   parallelScan       large tables scanned on one thread instead of two
 *   INTERPHASE_WORKERS           workers            worker threads for parse/fit units (one per core)
 *   INTERPHASE_REPORT_VEGA_LITE=1 reportVegaLite    the report pages also inline the vega-lite bundle
 */
import { totalmem } from 'node:os';

const MB = 1024 * 1024;

export interface RuntimeSettings {
  /** Files above this many bytes are refused when they must be read whole (formats that stream are not limited). */
  readonly maxFileBytes: number;
  /** Cycler files at least this large are summarised in pieces with bounded memory (raw columns not kept). */
  readonly piecewiseMinBytes: number;
  /** Bytes of a file parsed at a time when it is read in pieces (memory ≈ one piece's columns). */
  readonly pieceBytes: number;
  /** Files at least this large are parsed from disk in chunks by formats that can (`streams`). */
  readonly streamMinBytes: number;
  /** Records whose columns take more bytes than this are not copied into the store (re-read from the file when needed). */
  readonly storeRawBytes: number;
  /** Large delimited tables may be scanned on a second thread (parsers/text/parallel-scan.ts). */
  readonly parallelScan: boolean;
  /** Worker threads for parse and fit units when the caller names none; null = one per core. */
  readonly workers: number | null;
  /** Report pages inline the vega-lite bundle too (the specs are compiled to Vega in Node, so it is not needed to draw them). */
  readonly reportVegaLite: boolean;
}

/** The environment as far as settings go (`process.env` at the edge; any plain object in tests). */
export type SettingsEnv = Readonly<Record<string, string | undefined>>;

/** Settings from INTERPHASE_* variables; a variable not set gives the default. Pure apart from reading the machine's memory size. */
export function settingsFromEnv(env: SettingsEnv): RuntimeSettings {
  const workers = env.INTERPHASE_WORKERS;
  return {
    maxFileBytes: Number(env.INTERPHASE_MAX_FILE_MB ?? 4096) * MB,
    // A quarter of this machine's memory by default, since the columns take about the file's size.
    piecewiseMinBytes: env.INTERPHASE_PIECEWISE_MB ? Number(env.INTERPHASE_PIECEWISE_MB) * MB : Math.floor(totalmem() / 4),
    pieceBytes: Number(env.INTERPHASE_PIECE_MB ?? 64) * MB,
    streamMinBytes: Number(env.INTERPHASE_STREAM_MB ?? 24) * MB,
    storeRawBytes: Number(env.INTERPHASE_STORE_RAW_MB ?? 16) * MB,
    parallelScan: env.INTERPHASE_PARALLEL_SCAN !== '0',
    workers: workers !== undefined && workers !== '' ? Number(workers) : null,
    reportVegaLite: env.INTERPHASE_REPORT_VEGA_LITE === '1',
  };
}

/** The settings with no variable set. */
export const DEFAULT_SETTINGS: RuntimeSettings = settingsFromEnv({});
