/**
 * Defensive workbook reading. SheetJS 0.18.5 has published advisories for crafted files (prototype
 * pollution, ReDoS), and an .xlsx is a zip (zip bombs). So:
 *   1. files over `maxBytes` are refused ('too-large');
 *   2. for a zip, the declared uncompressed sizes are checked from the central directory BEFORE anything
 *      is inflated ('too-large');
 *   3. the library runs in a worker thread with a heap limit and a wall-clock timeout ('timeout'), and
 *      only plain arrays of primitive cell values come back (no library objects cross the boundary).
 *
 * The worker source is a fixed string (no user input is ever evaluated) so it runs the same under
 * vitest (TypeScript sources) and from compiled dist/ without a separate .js asset.
 */
import { Worker } from 'node:worker_threads';
import { ParseError } from '../../../src/records/errors.js';
import { checkZipLimits, isZip, listZip } from './zip.js';

export type Cell = string | number | boolean | null;

export interface Sheet {
  readonly name: string;
  readonly rows: readonly (readonly Cell[])[];
}

export interface Workbook {
  readonly sheets: readonly Sheet[];
  /** Excel serial dates count from 1904-01-01 instead of 1899-12-30. */
  readonly date1904: boolean;
}

export interface ReadWorkbookOptions {
  /** Largest accepted file. @default 200 MiB */
  readonly maxBytes?: number;
  /** Wall-clock limit for the worker. @default 10 s + 3 s per MB of workbook (fuzzed workbooks ran 30 s+) */
  readonly timeoutMs?: number;
  /** Worker old-generation heap limit. @default 1024 MiB */
  readonly maxHeapMb?: number;
  /** Declared uncompressed total of an .xlsx zip. @default 1 GiB */
  readonly maxUnzippedBytes?: number;
}

export const DEFAULT_READ_WORKBOOK_OPTIONS: Required<ReadWorkbookOptions> = {
  maxBytes: 200 * 1024 ** 2,
  timeoutMs: 0, // 0 = scaled with the file size (see readWorkbook)
  maxHeapMb: 1024,
  maxUnzippedBytes: 1024 ** 3,
};

/** Options from a FormatParser `options` bag (unknown keys ignored, wrong types refused quietly to defaults). */
export function resolveReadWorkbookOptions(o: Readonly<Record<string, unknown>> | undefined): Required<ReadWorkbookOptions> {
  const pick = (k: keyof ReadWorkbookOptions): number => {
    const v = o?.[k];
    return typeof v === 'number' && v > 0 ? v : DEFAULT_READ_WORKBOOK_OPTIONS[k];
  };
  return { maxBytes: pick('maxBytes'), timeoutMs: pick('timeoutMs'), maxHeapMb: pick('maxHeapMb'), maxUnzippedBytes: pick('maxUnzippedBytes') };
}

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const load = createRequire(workerData.requireFrom);
// SheetJS can spin for minutes on a zip whose deflate data is corrupt: every member is inflated with
// fflate first, which turns that into an immediate, named error. (Garbage inside well-formed members
// can still make SheetJS spin; the timeout below stops it.)
const prepare = () => {
  const b = workerData.bytes;
  if (!(b[0] === 0x50 && b[1] === 0x4b)) return { bytes: b };
  try {
    load('fflate').unzipSync(b);
  } catch (e) {
    return { error: 'the zip data is corrupt (' + String(e && e.message || e) + ')' };
  }
  return { bytes: b };
};
const input = prepare();
if (input.error) parentPort.postMessage({ ok: false, message: input.error });
else try {
  const XLSX = load('xlsx');
  const wb = XLSX.read(input.bytes, {
    type: 'buffer', dense: true, cellDates: false, cellFormula: false, cellHTML: false,
    cellText: false, cellStyles: false, bookVBA: false, sheetStubs: false, WTF: false,
  });
  const clean = (v) => (v === null || v === undefined) ? null
    : (typeof v === 'number' || typeof v === 'boolean') ? v
    : typeof v === 'string' ? v : String(v);
  const sheets = [];
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    const raw = ws ? XLSX.utils.sheet_to_json(ws, { header: 1, raw: true, defval: null, blankrows: true }) : [];
    const rows = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const r = Array.isArray(raw[i]) ? raw[i] : [];
      const out = new Array(r.length);
      for (let j = 0; j < r.length; j++) out[j] = clean(r[j]);
      rows[i] = out;
    }
    sheets.push({ name: String(name), rows });
  }
  const date1904 = !!(wb.Workbook && wb.Workbook.WBProps && wb.Workbook.WBProps.date1904);
  parentPort.postMessage({ ok: true, sheets, date1904 });
} catch (e) {
  parentPort.postMessage({ ok: false, message: String(e && e.message || e) });
}
`;

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function isOle2(head: Uint8Array): boolean {
  return head.length >= 8 && OLE2.every((b, i) => head[i] === b);
}

/** Read every sheet of an .xls/.xlsx as rows of primitive cells, in a sandboxed worker. */
export async function readWorkbook(path: string, bytes: Uint8Array, options?: ReadWorkbookOptions): Promise<Workbook> {
  const o = { ...DEFAULT_READ_WORKBOOK_OPTIONS, ...options };
  if (!o.timeoutMs) o.timeoutMs = 10_000 + 3_000 * Math.ceil(bytes.length / 1e6);
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'empty workbook' });
  if (bytes.length > o.maxBytes) {
    throw new ParseError({
      file: path,
      code: 'too-large',
      message: 'workbook is larger than the spreadsheet size limit',
      expected: `≤ ${o.maxBytes} bytes`,
      found: `${bytes.length} bytes`,
    });
  }
  if (isZip(bytes)) {
    checkZipLimits(path, listZip(path, bytes), { maxTotalBytes: o.maxUnzippedBytes, maxEntryBytes: o.maxUnzippedBytes });
  } else if (!isOle2(bytes)) {
    throw new ParseError({
      file: path,
      code: 'bad-magic',
      offset: 0,
      message: 'not an .xlsx (zip) or .xls (OLE2) workbook',
      expected: 'PK\\x03\\x04 or D0 CF 11 E0',
      found: Buffer.from(bytes.subarray(0, 8)).toString('hex'),
    });
  }
  const copy = new Uint8Array(bytes); // the worker gets its own buffer
  return await new Promise<Workbook>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // The parent's flags (`--input-type=module`, test-runner loaders) would make this CommonJS source ESM.
      execArgv: [],
      workerData: { bytes: copy, requireFrom: import.meta.url },
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: o.maxHeapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 8 },
      stdout: true,
      stderr: true,
    });
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new ParseError({
            file: path,
            code: 'timeout',
            message: `workbook reading took longer than ${o.timeoutMs} ms and was stopped`,
            expected: `≤ ${o.timeoutMs} ms`,
            found: 'still running',
          }),
        ),
      );
    }, o.timeoutMs);
    worker.on('message', (m: { ok: boolean; sheets?: Sheet[]; date1904?: boolean; message?: string }) => {
      finish(() => {
        if (m.ok && Array.isArray(m.sheets)) resolve({ sheets: m.sheets, date1904: m.date1904 === true });
        else
          reject(
            new ParseError({
              file: path,
              code: 'invalid',
              message: `workbook cannot be read: ${m.message ?? 'unknown error'}`,
              expected: 'a readable .xls/.xlsx workbook',
              found: `${bytes.length} bytes`,
            }),
          );
      });
    });
    worker.on('error', (e: Error & { code?: string }) => {
      finish(() => {
        const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
        reject(
          new ParseError({
            file: path,
            code: oom ? 'too-large' : 'invalid',
            message: oom ? `workbook needs more than ${o.maxHeapMb} MiB of memory to read` : `workbook reader failed: ${e.message}`,
            expected: oom ? `≤ ${o.maxHeapMb} MiB heap` : 'a readable workbook',
            found: e.code ?? e.name,
          }),
        );
      });
    });
    worker.on('exit', (code) => {
      finish(() => reject(new ParseError({ file: path, code: 'invalid', message: `workbook reader stopped (exit ${code}) without a result` })));
    });
  });
}

/** Excel serial day number → Unix seconds (ms precision). */
export function excelSerialToUnix(serial: number, date1904 = false): number {
  const days = serial - (date1904 ? 24107 : 25569);
  return Math.round(days * 86400 * 1000) / 1000;
}
