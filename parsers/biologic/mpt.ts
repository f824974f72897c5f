/**
 * EC-Lab / BT-Lab text export (.mpt, BT-Lab also .txt): `EC-Lab ASCII FILE`, `Nb header lines : N`, a
 * settings block, the tab-separated column header on line N, then data. Also read: exports without any
 * header block (the column line first), decimal-comma locales, and BT-Lab absolute timestamps in `time/s`.
 * Data rows go through the byte-level `scanDelimited`; only the header is decoded as text.
 */
import { readRange, type ByteSource } from '../text/chunked-scan.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import type { SniffInput, SniffResult } from '../types.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText, detectBom, latin1, looksLikeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { detectDecimalComma, isNumeric } from '../text/numbers.js';
import { lineOffset, splitFields, type CellKind } from '../text/table.js';
import { scanDelimitedAuto } from '../text/parallel-scan.js';
import { ecLabRecords, type EcLabColumn, type EcLabTable } from './records.js';
import { ecLabDateToUnix, parseMptHeader } from './mpt-header.js';
import { techniqueByName } from './techniques.js';
import { labelKey } from './labels.js';
import { readCaSettings } from './ca-settings.js';

const MAGIC = /^(EC-Lab|BT-Lab) ASCII FILE\s*$/i;
const NB_HEADER = /^Nb header lines\s*:\s*(\d+)\s*$/;
/** Labels that only an EC-Lab / BT-Lab column line has; two of them identify a header-less export. */
const SIGNATURE_LABELS = [
  'mode',
  'ox/red',
  'error',
  'control changes',
  'Ns changes',
  'counter inc.',
  'Ns',
  'time/s',
  'Ewe/V',
  'Ecell/V',
  '<Ewe>/V',
  'I/mA',
  '<I>/mA',
  'freq/Hz',
  'Re(Z)/Ohm',
  '-Im(Z)/Ohm',
  'cycle number',
  '(Q-Qo)/mA.h',
];
const SAMPLE_LINES = 8;

function firstLines(text: string, n: number): string[] {
  const out: string[] = [];
  let pos = 0;
  while (out.length < n && pos < text.length) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = text.length;
    out.push(text.slice(pos, e).replace(/\r$/, ''));
    pos = e + 1;
  }
  return out;
}

function signatureScore(line: string): number {
  const labels = new Set(line.split('\t').map((s) => s.trim()));
  let hits = 0;
  for (const l of SIGNATURE_LABELS) if (labels.has(l)) hits++;
  return hits;
}

/** Quantity labels EC-Lab writes right after `time/s` when the user exports only a few columns. */
const ECLAB_QUANTITY =
  /^(<?(Ewe|Ece|Ecell|I|Ewe-Ece)>?\/(m|µ|u)?[VA]|control\/(m?V|m?A|V\/mA)|\(Q-Qo\)\/(mA\.h|C)|Q charge\/discharge\/mA\.h|dq\/mA\.h|P\/W|cycle number|Re\(Z\)\/Ohm|-Im\(Z\)\/Ohm)$/;

/**
 * The column line of an export saved without its settings header (issue #19). EC-Lab starts the
 * full column set with `mode\tox/red\terror\tcontrol changes\tNs changes…`, a user-chosen selection
 * with `time/s` followed by EC-Lab quantity labels (`time/s\tEwe/V\tI/mA`), an impedance export with
 * `freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm`. Otherwise three EC-Lab-only labels including `time/s` are needed.
 */
export function isEcLabColumnLine(line: string): boolean {
  if (!line.includes('\t')) return false;
  const labels = line.split('\t').map((s) => s.trim());
  if (labels[0] === 'mode' && labels[1] === 'ox/red') return true;
  if (labels[0] === 'time/s' && labels.length >= 2 && ECLAB_QUANTITY.test(labels[1]!.replace(/\uFFFD/g, 'µ'))) return true;
  if (labels[0] === 'freq/Hz' && labels[1] === 'Re(Z)/Ohm' && labels[2] === '-Im(Z)/Ohm') return true;
  return signatureScore(line) >= 3 && labels.includes('time/s');
}

export function sniffMpt(input: SniffInput): SniffResult {
  if (!looksLikeText(input.head)) return { confidence: 0 };
  const text = input.headText.replace(/^\xEF\xBB\xBF/, '');
  const lines = firstLines(text, 8);
  if (lines.length === 0) return { confidence: 0 };
  if (MAGIC.test(lines[0]!)) {
    const tech = lines
      .slice(2, 6)
      .map((l) => techniqueByName(l))
      .find((t) => t !== undefined);
    // Header-less (Nb header lines : 3) exports: the column line tells impedance from cycling.
    const colLine = lines[2] ?? '';
    const kind = tech ? tech.kind : colLine.startsWith('freq/Hz') ? 'eis' : 'cycler';
    return { confidence: 1, kind };
  }
  if (isEcLabColumnLine(lines[0]!)) {
    return { confidence: 0.8, kind: lines[0]!.startsWith('freq/Hz') ? 'eis' : 'cycler' };
  }
  return { confidence: 0 };
}

/** Read the .mpt into EC-Lab columns (labels as written) — shared with the tests that compare to .mpr. */
export function readMpt(path: string, bytes: Uint8Array, source?: ByteSource): EcLabTable {
  if (bytes.length === 0)
    throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'the file is empty', expected: 'an EC-Lab text export', found: '0 bytes' });
  const bom = detectBom(bytes)?.length ?? 0;
  const headProbe = latin1(bytes.subarray(bom, Math.min(bytes.length, bom + 512)));
  const probe = firstLines(headProbe, 2);
  let headerLines: number; // 1-based line number of the column line
  if (MAGIC.test(probe[0] ?? '')) {
    const m = NB_HEADER.exec(probe[1] ?? '');
    if (!m)
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: 2,
        message: 'second line must give the header length',
        expected: 'Nb header lines : N',
        found: probe[1] ?? '(end of file)',
      });
    headerLines = Number(m[1]);
    if (headerLines < 3)
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: 2,
        message: 'header too short to hold the magic, the count and the column line',
        expected: 'Nb header lines ≥ 3',
        found: String(headerLines),
      });
  } else if (isEcLabColumnLine(probe[0] ?? '') || signatureScore(probe[0] ?? '') >= 3) {
    headerLines = 1;
  } else {
    throw new ParseError({
      file: path,
      code: 'unrecognised-format',
      line: 1,
      message: 'not an EC-Lab / BT-Lab text export',
      expected: 'EC-Lab ASCII FILE, BT-Lab ASCII FILE, or an EC-Lab column line',
      found: probe[0] ?? '',
    });
  }
  if (source && source.size > bytes.length && lineOffset(bytes, headerLines + SAMPLE_LINES, bom) >= bytes.length) {
    // Streamed, but the header block and the sample rows do not fit in the head: read the file whole.
    bytes = readRange(source, 0, source.size);
    source = undefined;
  }
  const colLineStart = lineOffset(bytes, headerLines - 1, bom);
  if (colLineStart >= bytes.length) {
    const total = splitLines(latin1(bytes.subarray(bom))).length;
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 2,
      message: 'the header is longer than the file',
      expected: `Nb header lines ≤ ${total} (lines in the file)`,
      found: String(headerLines),
    });
  }
  const dataStart = lineOffset(bytes, headerLines, bom);
  const header = decodeText(bytes.subarray(bom, dataStart));
  const lines = splitLines(header.text);
  const colLine = lines[headerLines - 1] ?? '';
  let labels = splitFields(colLine, '\t').map((s) => s.trim());
  while (labels.length > 1 && labels[labels.length - 1] === '') labels.pop();

  const sampleEnd = Math.min(bytes.length, lineOffset(bytes, SAMPLE_LINES, dataStart));
  const sample = splitLines(latin1(bytes.subarray(dataStart, sampleEnd))).filter((l) => l.trim() !== '');
  const decimalComma = detectDecimalComma(sample, '\t');
  const warnings: ParseWarning[] = [];

  // EC-Lab sometimes writes more labels than data fields (peis.issue_225.with_ece: an empty label and
  // `Ewe-Ece/V` with no cells). Those labels have no data in any row: drop them and say so.
  if (sample.length > 0) {
    const fields = sample[0]!.split('\t');
    while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    if (fields.length < labels.length) {
      const dropped = labels.slice(fields.length);
      labels = labels.slice(0, fields.length);
      warnings.push({
        code: 'header-extra-columns',
        line: headerLines,
        message: `the column line names ${dropped.length} more column(s) than the data rows hold; dropped: ${dropped.map((d) => `'${d}'`).join(', ') || '(unnamed)'}`,
      });
    }
  }

  const firstFields = sample.length > 0 ? sample[0]!.split('\t') : [];
  const kinds: CellKind[] = labels.map((l, i) => {
    if (!l) return 'skip';
    const cell = firstFields[i] ?? '';
    // BT-Lab writes absolute timestamps in the `time/s` column.
    if (labelKey(l) === 'time/s' && cell.trim() !== '' && !isNumeric(cell, decimalComma) && /\d:\d/.test(cell)) return 'string';
    return 'number';
  });
  const scan = scanDelimitedAuto(
    bytes,
    {
      path,
      start: dataStart,
      firstLine: headerLines + 1,
      delimiter: '\t',
      decimalComma,
      kinds,
      names: labels,
    },
    source,
  );
  if (scan.truncatedLastLine)
    warnings.push({ code: 'truncated-last-line', message: 'the last line is incomplete (file cut or still being written); it was not read', rows: 1 });
  for (let i = 0; i < labels.length; i++) {
    if (scan.emptyCells[i]! > 0)
      warnings.push({ code: 'empty-cells', message: `column '${labels[i]}': ${scan.emptyCells[i]} empty cells read as NaN`, rows: scan.emptyCells[i] });
  }

  const { meta, acquisitionStart } = parseMptHeader(lines.slice(0, headerLines - 1), decimalComma);
  meta.decimalComma = decimalComma;
  if (headerLines === 1) meta.headerBlock = false;
  const tech = typeof meta.technique === 'string' ? techniqueByName(String(meta.techniqueName ?? '')) : undefined;
  if (tech?.kind === 'chronoamperometry') {
    const ca = readCaSettings(lines.slice(0, headerLines - 1), decimalComma, warnings);
    if (ca.steps.length) meta.caSteps = ca.steps;
    if (ca.step) meta.caStep = ca.step;
  }

  const columns: EcLabColumn[] = [];
  let unixTime: Float64Array | undefined;
  for (let i = 0; i < labels.length; i++) {
    if (kinds[i] === 'number') columns.push({ label: labels[i]!, values: scan.numbers[i]! });
    else if (kinds[i] === 'string') {
      const cells = scan.strings[i]!;
      unixTime = new Float64Array(cells.length);
      for (let k = 0; k < cells.length; k++) {
        const v = ecLabDateToUnix(cells[k]!);
        if (!Number.isFinite(v))
          throw new ParseError({
            file: path,
            code: 'bad-number',
            line: headerLines + 1 + k,
            column: labels[i],
            message: 'not a timestamp',
            expected: 'MM/DD/YYYY hh:mm:ss.fff',
            found: cells[k],
          });
        unixTime[k] = v;
      }
      // Test Time counts from the acquisition start the header states, else from the first row.
      const t0raw = acquisitionStart !== undefined ? ecLabDateToUnix(acquisitionStart) : NaN;
      const t0 = Number.isFinite(t0raw) ? t0raw : unixTime[0]!;
      const rel = new Float64Array(cells.length);
      for (let k = 0; k < rel.length; k++) rel[k] = unixTime[k]! - t0;
      columns.push({ label: labels[i]!, values: rel });
      meta.absoluteTimestamps = true;
    }
  }
  return { path, columns, rows: scan.rows, technique: tech, meta, warnings, unixTime };
}

/** `bytes` is the whole file, or its head when `source` (the file, read in chunks) is given. */
export function parseMpt(path: string, bytes: Uint8Array, source?: ByteSource): ParsedRecord[] {
  return ecLabRecords(readMpt(path, bytes, source), true);
}
