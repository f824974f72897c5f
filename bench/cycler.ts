/**
 * Cycler bench: 1,000,000-row Arbin CSV and EC-Lab .mpt read by our registry parser and by peers
 * (DuckDB read_csv, papaparse, danfojs-node readCSV), plus the per-cycle summary on the parsed record.
 * Rows: BENCH_ROWS (default 1,000,000). BENCH_QUICK=1 skips danfojs (≈ 13 s+ on its own).
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BenchCase, BenchSuite, CaseOutcome } from './types.js';
import { arbinEquivalentRecord, mptHeader, writeArbinCsv, writeBiologicMpt } from './cycler-files.js';
import { medianMs, timeIt } from './timing.js';
import type { ParsedRecord } from '../src/records/record.js';
import { analyzeCycles } from '../src/fit/cycles/analyze-cycles.js';
import { settingsFromEnv } from '../src/settings.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const QUICK = process.env.BENCH_QUICK === '1';
/** Piece size of the bounded-memory case. */
const PIECE_MB = 16;

const INPUTS = ['arbin-csv', 'biologic-mpt'] as const;
type Input = (typeof INPUTS)[number];

function headOf(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Parse exactly as the pipeline does (`loadFromDisk`: detected from the head, streamed from disk when
 * the format streams, whole otherwise). The pipeline's SHA-256 of the file is not part of this timing
 * (DuckDB does not hash either).
 */
async function parseViaRegistry(path: string): Promise<{ records: ParsedRecord[]; format: string } | { missing: string }> {
  const { loadFromDisk } = await import('../src/io/load.js');
  try {
    const loaded = await loadFromDisk(path, path, { hash: 'not computed', settings: settingsFromEnv(process.env) });
    return { records: loaded.records, format: loaded.format.id };
  } catch (e) {
    return { missing: `not parsed: ${(e as Error).message}` };
  }
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

async function duckdbRead(path: string, input: Input): Promise<number> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const opts = input === 'biologic-mpt' ? `, delim='\t', skip=${mptHeader().lines - 1}, header=true` : ", header=true, timestampformat='%m/%d/%Y %H:%M:%S'";
    // Arbin writes US dates; DuckDB's sniffer sees only days <= 12 in its sample and guesses %d/%m.
    // Materialise: count(*) alone lets DuckDB skip parsing the columns.
    await con.run(`CREATE TABLE t AS SELECT * FROM read_csv(${sqlString(path)}${opts})`);
    const r = await con.runAndReadAll('SELECT count(*) FROM t');
    return Number(r.getRows()[0]![0]);
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

async function papaRead(path: string, input: Input): Promise<number> {
  const Papa = (await import('papaparse')).default;
  let text = readFileSync(path, 'latin1');
  if (input === 'biologic-mpt') {
    let pos = 0;
    for (let k = 0; k < mptHeader().lines - 1; k++) pos = text.indexOf('\n', pos) + 1;
    text = text.slice(pos);
  }
  const out = Papa.parse<unknown[]>(text, {
    fastMode: true,
    dynamicTyping: true,
    header: false,
    skipEmptyLines: true,
    delimiter: input === 'biologic-mpt' ? '\t' : ',',
  });
  return out.data.length - 1;
}

async function danfoRead(path: string): Promise<number> {
  const dfd = await import('danfojs-node');
  const df = await dfd.readCSV(path);
  return df.shape[0];
}

export const cyclerBench: BenchSuite = {
  id: 'cycler',
  title: `Cycler exports, ${ROWS.toLocaleString('en-US')} rows`,

  async prepare(dir) {
    const arbin = join(dir, 'bench_arbin.csv');
    const mpt = join(dir, 'bench_gcpl.mpt');
    writeArbinCsv(arbin, ROWS);
    writeBiologicMpt(mpt, ROWS);
    return { 'arbin-csv': arbin, 'biologic-mpt': mpt };
  },

  cases(ctx) {
    const out: BenchCase[] = [];
    for (const input of INPUTS) {
      const mb = (statSync(ctx[input]!).size / 1e6).toFixed(0);
      const label = `${input} (${mb} MB)`;
      out.push({ id: `${input}:interphase`, input: label, tool: 'interphase parse (registry)' });
      out.push({ id: `${input}:duckdb`, input: label, tool: 'duckdb read_csv → table', baseline: true });
      out.push({ id: `${input}:papaparse`, input: label, tool: 'papaparse fastMode+dynamicTyping' });
      out.push({
        id: `${input}:danfojs`,
        input: label,
        tool: 'danfojs-node readCSV',
        ...(QUICK ? { skip: 'BENCH_QUICK=1' } : input === 'biologic-mpt' ? { skip: 'readCSV cannot skip the EC-Lab header block' } : {}),
      });
      out.push({ id: `${input}:summary`, input: label, tool: 'interphase per-cycle summary' });
      out.push({ id: `${input}:pieces`, input: label, tool: `interphase read in ${PIECE_MB} MB pieces → per-cycle analysis` });
    }
    return out;
  },

  async run(caseId, ctx): Promise<CaseOutcome> {
    const [input, tool] = caseId.split(':') as [Input, string];
    const path = ctx[input]!;
    switch (tool) {
      case 'interphase': {
        const { ms, value } = await timeIt(() => parseViaRegistry(path));
        if ('missing' in value) return { status: 'not-available', note: value.missing };
        return { status: 'ok', ms, rows: value.records[0]?.columns[0]?.values.length, note: `format ${value.format}` };
      }
      case 'duckdb': {
        const { ms, value } = await timeIt(() => duckdbRead(path, input));
        return { status: 'ok', ms, rows: value };
      }
      case 'papaparse': {
        const { ms, value } = await timeIt(() => papaRead(path, input));
        return { status: 'ok', ms, rows: value };
      }
      case 'danfojs': {
        const { ms, value } = await timeIt(() => danfoRead(path));
        return { status: 'ok', ms, rows: value };
      }
      case 'summary': {
        const parsed = await parseViaRegistry(path).catch((e: unknown) => ({ missing: `parse failed: ${String(e)}` }));
        let record: Pick<ParsedRecord, 'columns'>;
        let note: string;
        if ('missing' in parsed || !parsed.records[0]) {
          record = arbinEquivalentRecord(ROWS);
          note = `on generated arrays (${'missing' in parsed ? parsed.missing : 'no record'})`;
        } else {
          record = parsed.records[0];
          note = `on the parsed record (${parsed.format})`;
        }
        let cycles = 0;
        const rssBeforeTimed = process.memoryUsage().rss;
        const t = medianMs(() => {
          cycles = analyzeCycles(record, { cellType: 'full' }).summary.cycles;
        });
        return {
          status: 'ok',
          ms: t.median,
          rows: record.columns[0]?.values.length,
          rssBeforeTimed,
          note: `${note}; ${cycles} cycles; median of 5 after a warm-up (first run ${t.first.toFixed(0)} ms)`,
        };
      }
      case 'pieces': {
        // The bounded-memory path for files larger than memory: parse + per-cycle analysis, piece by piece.
        const { analyzeCyclerInPieces } = await import('../src/io/cycler-pieces.js');
        const { detectFormat, sniffInput } = await import('../parsers/index.js');
        const det = detectFormat(sniffInput(basename(path), headOf(path), statSync(path).size));
        if (!det.best) return { status: 'not-available', note: 'no parser detects this file' };
        const { ms, value } = await timeIt(() => analyzeCyclerInPieces(path, path, det.best!.format, { cellType: 'full' }, { pieceBytes: PIECE_MB * 1048576 }));
        return {
          status: 'ok',
          ms,
          rows: value.rows,
          note: `${value.pieces} pieces, ${value.analysis.summary.cycles} cycles; memory bounded by one piece, whatever the file size`,
        };
      }
      default:
        return { status: 'not-available', note: `unknown case ${caseId}` };
    }
  },
};
