/**
 * Any delimited cycler table, read through a column mapping the campaign manifest gives in
 * `options.columns`, e.g. `{ time: {column: 't', unit: 'min'}, voltage: {column: 'E'}, current:
 * {column: 'I', unit: 'mA', scale: -1} }`. Keys are the names in `CYCLER` (src/records/names.ts);
 * `scale: -1` flips an instrument that counts discharge as positive. It never sniffs (confidence 0):
 * only a manifest that names it selects it. Unmapped columns are kept under their own headers.
 */
import type { FormatParser, ParseInput } from '../types.js';
import type { ColumnRule } from '../text/columns.js';
import type { ParsedRecord } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { detectDelimiter, splitFields } from '../text/table.js';
import { tryUnitFactor } from '../text/units.js';
import { cyclerRecord } from './record.js';
import { headLines, looksDecimalComma, readTable, textSource } from './text-source.js';
import { ensureTestTime, stitchCounters } from './column-ops.js';

type Key = keyof typeof CYCLER;

export interface GenericColumn {
  /** Header text as in the file (exact, case-insensitive). */
  readonly column: string;
  /** Unit of the source values when the header does not state it. */
  readonly unit?: string;
  readonly scale?: number;
  /** How cells are written. Default 'number'. */
  readonly parse?: 'number' | 'duration' | 'datetime' | 'category';
}

export interface GenericCsvOptions {
  readonly columns: Partial<Record<Key | 'time', GenericColumn>>;
  /** Default: detected among tab, comma, semicolon. */
  readonly delimiter?: string;
  /** 0-based line of the header. Default: the first line naming every mapped column. */
  readonly headerLine?: number;
  readonly decimalComma?: boolean;
}

const EXAMPLE = `{"columns": {"time": {"column": "t", "unit": "min"}, "voltage": {"column": "E", "unit": "V"}, "current": {"column": "I", "unit": "mA"}}}`;

function bad(path: string, message: string, found: string): ParseError {
  return new ParseError({ file: path, code: 'invalid', line: 1, message: `generic-csv options: ${message}`, expected: `options like ${EXAMPLE}`, found });
}

/** Validate the manifest's mapping into column rules (unknown keys and units are errors, not skipped). */
export function genericRules(path: string, options: Readonly<Record<string, unknown>> | undefined): { rules: ColumnRule[]; o: GenericCsvOptions } {
  const o = options as unknown as GenericCsvOptions | undefined;
  if (!o || typeof o.columns !== 'object' || o.columns === null) throw bad(path, 'no `columns` mapping given', JSON.stringify(options ?? null));
  const rules: ColumnRule[] = [];
  for (const [k, spec] of Object.entries(o.columns)) {
    const key = (k === 'time' ? 'testTime' : k) as Key;
    const q = CYCLER[key];
    if (!q) throw bad(path, `unknown quantity '${k}'`, `one of: time, ${Object.keys(CYCLER).join(', ')}`);
    if (!spec || typeof spec.column !== 'string' || !spec.column) throw bad(path, `'${k}' needs a "column" name`, JSON.stringify(spec ?? null));
    if (spec.unit !== undefined && q.unit && spec.parse !== 'datetime' && spec.parse !== 'duration' && tryUnitFactor(spec.unit, q.unit) === null) {
      throw bad(path, `unit '${spec.unit}' of '${k}' cannot be converted to ${q.unit}`, spec.unit);
    }
    const parse = spec.parse ?? (key === 'stepType' ? 'category' : 'number');
    rules.push({ match: [spec.column], to: q, unit: spec.unit, scale: spec.scale, parse, required: true });
  }
  for (const need of ['testTime', 'voltage', 'current'] as const) {
    if (!rules.some((r) => r.to === CYCLER[need]) && !(need === 'testTime' && rules.some((r) => r.to === CYCLER.unixTime))) {
      throw bad(path, `the mapping must name a column for '${need === 'testTime' ? 'time' : need}'`, Object.keys(o.columns).join(', '));
    }
  }
  return { rules, o };
}

function parseGeneric({ path, bytes, source, options }: ParseInput): ParsedRecord[] {
  const { rules, o } = genericRules(path, options);
  const src = textSource(path, bytes, undefined, source);
  const lines = headLines(src, 200);
  const wanted = rules.map((r) => String(r.match[0]).trim().toLowerCase());
  let h = o.headerLine ?? -1;
  let delimiter = o.delimiter ?? '';
  if (h < 0) {
    for (let i = 0; i < lines.length && h < 0; i++) {
      for (const d of delimiter ? [delimiter] : ['\t', ',', ';']) {
        const names = splitFields(lines[i]!.text, d).map((f) => f.toLowerCase());
        if (wanted.every((w) => names.includes(w))) {
          h = i;
          delimiter = d;
          break;
        }
      }
    }
  }
  if (h < 0 || h >= lines.length) {
    throw new ParseError({
      file: path,
      code: 'missing-column',
      line: 1,
      message: 'no header line names every mapped column',
      expected: rules.map((r) => String(r.match[0])).join(', '),
      found: lines[0]?.text ?? '',
    });
  }
  if (!delimiter) delimiter = detectDelimiter(lines.slice(h, h + 6).map((l) => l.text));
  const sample = lines.slice(h + 1, h + 30).map((l) => l.text);
  const table = readTable(src, lines, h, {
    delimiter,
    rules,
    what: 'generic CSV',
    decimalComma: o.decimalComma ?? looksDecimalComma(sample, delimiter),
  });
  const columns = [...table.columns];
  const warnings = [...table.warnings];
  ensureTestTime(columns, warnings);
  stitchCounters(columns);
  return [cyclerRecord(path, columns, { software: 'generic delimited table (manifest mapping)' }, warnings)];
}

export const genericCsv: FormatParser = {
  id: 'generic-csv',
  family: 'cycler',
  kind: 'cycler',
  title: 'Generic cycler CSV/TSV with a manifest column mapping',
  version: '1.0.0',
  extensions: ['.csv', '.tsv', '.txt'],
  sniff: () => 0,
  parse: parseGeneric,
  streams: true,
};
