/**
 * Neware's "layered" text export (BTS 8 "regular" CSV, BTSDA 7 text): three header rows for the cycle,
 * step and record layers, marked by 0, 1 and 2 leading empty cells, and the data rows of the three
 * layers interleaved in the same way. We read the record layer (the time series) with the shared
 * scanner by blanking the cycle/step rows in a same-length copy (line numbers stay true), and give each
 * record row the cycle and step it sits under. Cycle and step rows are kept as summaries in the meta.
 */
import type { Column } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { splitFields } from '../text/table.js';
import { parseNumber } from '../text/numbers.js';
import { categorical } from '../text/columns.js';
import type { HeadLine, TextSource } from './text-source.js';

export interface LayerHeaders {
  readonly cycle: number;
  readonly step: number;
  readonly record: number;
}

function leadingEmpty(fields: readonly string[]): number {
  let n = 0;
  while (n < fields.length && fields[n] === '') n++;
  return n;
}

/** Three consecutive header lines with 0, 1, 2 leading empty cells, the first naming the cycle. */
export function findLayerHeaders(lines: readonly HeadLine[], delimiter: string, limit = 60): LayerHeaders | null {
  for (let i = 0; i + 2 < Math.min(lines.length, limit); i++) {
    const a = splitFields(lines[i]!.text, delimiter);
    const b = splitFields(lines[i + 1]!.text, delimiter);
    const c = splitFields(lines[i + 2]!.text, delimiter);
    if (leadingEmpty(a) !== 0 || leadingEmpty(b) !== 1 || leadingEmpty(c) !== 2) continue;
    if (!/cycle|循环/i.test(a[0] ?? '') || c.length < 5 || /^[\d.]+$/.test(c[2] ?? '')) continue;
    return { cycle: i, step: i + 1, record: i + 2 };
  }
  return null;
}

export type Summary = Record<string, string | number>;

export interface LayeredRows {
  /** Same length as the source bytes; cycle/step rows blanked with spaces. */
  readonly bytes: Uint8Array;
  /** Per record row (in file order): the cycle/step context it belongs to. */
  readonly cycle: number[];
  readonly stepIndex: number[];
  readonly stepNumber: number[];
  readonly stepType: string[];
  readonly cycles: Summary[];
  readonly steps: Summary[];
  /** Sample of record rows for typing columns. */
  readonly sample: string[];
}

const utf8 = new TextDecoder('utf-8');

function summary(names: readonly string[], fields: readonly string[], decimalComma: boolean): Summary {
  const out: Summary = {};
  names.forEach((n, i) => {
    if (!n) return;
    const v = fields[i] ?? '';
    const x = parseNumber(v, decimalComma);
    out[n] = Number.isFinite(x) ? x : v;
  });
  return out;
}

export function splitLayers(src: TextSource, lines: readonly HeadLine[], h: LayerHeaders, delimiter: string, decimalComma = false): LayeredRows {
  const cycleNames = splitFields(lines[h.cycle]!.text, delimiter);
  const stepNames = splitFields(lines[h.step]!.text, delimiter);
  const iStepIndex = stepNames.findIndex((s) => /^(Step Index|Step ID|工步号|工步序号|步次)$/i.test(s));
  const iStepNumber = stepNames.findIndex((s) => /^(Step Number|Step No\.?)$/i.test(s));
  const iStepType = stepNames.findIndex((s) => /^(Step Type|Step Name|工步类型|工步名称|状态)$/i.test(s));
  const b = src.bytes.slice();
  const d = delimiter.charCodeAt(0);
  const out: LayeredRows = { bytes: b, cycle: [], stepIndex: [], stepNumber: [], stepType: [], cycles: [], steps: [], sample: [] };
  let cycle = NaN;
  let step: readonly string[] = [];
  const takeStep = (fields: readonly string[]): void => {
    step = fields;
    out.steps.push({ [cycleNames[0] ?? 'Cycle']: cycle, ...summary(stepNames, fields, decimalComma) });
  };
  let pos = lines[h.record]!.next;
  while (pos < b.length) {
    let eol = pos;
    while (eol < b.length && b[eol] !== 10 && b[eol] !== 13) eol++;
    const next = eol < b.length && b[eol] === 13 && b[eol + 1] === 10 ? eol + 2 : eol + 1;
    if (b[pos] === d && b[pos + 1] === d) {
      out.cycle.push(cycle);
      out.stepIndex.push(iStepIndex >= 0 ? parseNumber(step[iStepIndex] ?? '', decimalComma) : NaN);
      out.stepNumber.push(iStepNumber >= 0 ? parseNumber(step[iStepNumber] ?? '', decimalComma) : NaN);
      out.stepType.push(iStepType >= 0 ? (step[iStepType] ?? '') : '');
      if (out.sample.length < 40) out.sample.push(utf8.decode(b.subarray(pos, eol)));
    } else if (eol > pos) {
      const fields = splitFields(utf8.decode(b.subarray(pos, eol)), delimiter);
      if (fields.every((f) => f === '')) {
        // blank line: nothing to record
      } else if (b[pos] === d) {
        takeStep(fields);
      } else {
        cycle = parseNumber(fields[0] ?? '', decimalComma);
        out.cycles.push(summary(cycleNames, fields, decimalComma));
        // BTS writes the cycle's first step on the cycle row itself when it has more cells than the cycle header.
        const extra = fields.slice(cycleNames.length);
        if (extra.some((f) => f !== '')) takeStep(['', ...extra]);
      }
      b.fill(32, pos, eol);
    }
    pos = next;
  }
  return out;
}

/** Cycle / step context columns for the record rows actually read (`rows` ≤ context length). */
export function contextColumns(l: LayeredRows, rows: number): Column[] {
  const cols: Column[] = [];
  const num = (xs: number[]): Float64Array => Float64Array.from(xs.slice(0, rows));
  if (l.cycle.some((x) => Number.isFinite(x))) cols.push({ ...CYCLER.cycle, values: num(l.cycle) });
  if (l.stepIndex.some((x) => Number.isFinite(x))) cols.push({ ...CYCLER.stepIndex, values: num(l.stepIndex) });
  if (l.stepNumber.some((x) => Number.isFinite(x))) cols.push({ ...CYCLER.step, values: num(l.stepNumber) });
  if (l.stepType.some((x) => x !== '')) cols.push({ ...categorical(CYCLER.stepType.name, l.stepType.slice(0, rows)), unit: CYCLER.stepType.unit });
  return cols;
}
