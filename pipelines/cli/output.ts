/** CLI output helpers: JSON lines for machines, short lines for people. */
import type { CanonicalRecord } from '../../src/records/record.js';
import { columnLabel, rowCount } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';

export function jsonLine(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : typeof x === 'bigint' ? Number(x) : x));
}

export function parseErrorJson(file: string, e: unknown): Record<string, unknown> {
  const err = e instanceof ParseError ? e : new ParseError({ file, code: 'invalid', message: (e as Error)?.message ?? String(e) });
  return { ok: false, file, error: err.toJSON() };
}

/** Records → CSV text (labels `Name / unit` as header; a `Record` column when there are several). */
export function recordsToCsv(records: readonly CanonicalRecord[]): string {
  const labels: string[] = [];
  for (const r of records) for (const c of r.columns) if (!labels.includes(columnLabel(c))) labels.push(columnLabel(c));
  const multi = records.length > 1;
  const lines = [(multi ? ['Record / 1', ...labels] : labels).map(csvCell).join(',')];
  records.forEach((r, ri) => {
    const cols = labels.map((l) => r.columns.find((c) => columnLabel(c) === l));
    const n = rowCount(r);
    for (let i = 0; i < n; i++) {
      const cells = cols.map((c) => {
        if (!c) return '';
        const v = c.values[i]!;
        if (c.levels) return csvCell(c.levels[v] ?? '');
        return Number.isNaN(v) ? '' : String(v);
      });
      lines.push((multi ? [String(ri), ...cells] : cells).join(','));
    }
  });
  return lines.join('\n') + '\n';
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
