/**
 * aixACCT data-table columns → canonical loop parts, as data. The `.dat` writes `Name [unit]`
 * (`V+ [V]`, `P1 [uC/cm2]`); the per-table `.tsv` written by the JAnderson419/Ferro converter strips
 * `[]+-/` and writes `Name unit` (`Vplus V`, `P1 uC_per_cm2`). I1/P1 is the hysteresis loop the aixPlorer
 * result values (Vc±, Pr±) are computed from (checked against the real FeFET file); I2/P2 and I3/P3 are
 * kept as extra columns because their meaning is not publicly documented.
 */
import type { Column, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import type { LoopParts } from './loop.js';
import { peFactor } from './units.js';

type Role = 'time' | 'voltage' | 'polarization' | 'current' | 'extra';

interface AixRule {
  readonly match: RegExp;
  readonly role: Role;
  readonly dim: Parameters<typeof peFactor>[0];
  /** Name for extra columns ($1 = captured index). */
  readonly name?: string;
}

export const AIX_COLUMNS: readonly AixRule[] = [
  { match: /^time$/i, role: 'time', dim: 'time' },
  { match: /^(v\+|vplus)$/i, role: 'voltage', dim: 'voltage' },
  { match: /^(v-|vminus)$/i, role: 'extra', dim: 'voltage', name: 'Voltage Minus' },
  { match: /^i1$/i, role: 'current', dim: 'current' },
  { match: /^p1$/i, role: 'polarization', dim: 'polarization' },
  { match: /^i(\d+)$/i, role: 'extra', dim: 'current', name: 'Current $1' },
  { match: /^p(\d+)$/i, role: 'extra', dim: 'polarization', name: 'Polarization $1' },
];

const CANON_UNIT: Readonly<Record<string, string>> = { time: 's', voltage: 'V', current: 'A', polarization: 'uC/cm2' };

/** Split `V+ [V]` or `Vplus V` into name and unit. */
export function splitAixHeader(h: string): { name: string; unit: string } {
  const t = h.trim();
  const m = /^(.*?)\s*\[([^\]]*)\]$/.exec(t);
  if (m) return { name: m[1]!.trim(), unit: m[2]!.trim() };
  const sp = t.lastIndexOf(' ');
  return sp > 0 ? { name: t.slice(0, sp).trim(), unit: t.slice(sp + 1).trim() } : { name: t, unit: '' };
}

/** Map header + numeric columns to loop parts; unknown columns are kept and named in a warning. */
export function mapAixColumns(
  path: string,
  headerLine: number,
  headers: readonly string[],
  data: readonly Float64Array[],
  warnings: ParseWarning[],
): LoopParts {
  const parts: LoopParts = { extra: [] };
  headers.forEach((h, j) => {
    const { name, unit } = splitAixHeader(h);
    const rule = AIX_COLUMNS.find((r) => r.match.test(name));
    if (!rule) {
      warnings.push({ code: 'unknown-column', message: `column '${h}' is not one we know; kept under its own name` });
      parts.extra!.push({ name, unit, values: data[j]! });
      return;
    }
    const f = peFactor(rule.dim, unit);
    if (f === null) {
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: headerLine,
        column: h,
        message: `unit '${unit}' is not a ${rule.dim} unit we know`,
        expected: `a ${rule.dim} unit`,
        found: unit,
      });
    }
    const values = data[j]!;
    if (f !== 1) for (let i = 0; i < values.length; i++) values[i]! *= f;
    if (rule.role === 'extra') {
      const idx = rule.match.exec(name)?.[1] ?? '';
      const col: Column = { name: rule.name!.replace('$1', idx), unit: CANON_UNIT[rule.dim]!, values };
      parts.extra!.push(col);
    } else if (parts[rule.role]) {
      warnings.push({ code: 'duplicate-column', message: `second '${rule.role}' column '${h}' kept as an extra column` });
      parts.extra!.push({ name, unit: CANON_UNIT[rule.dim]!, values });
    } else parts[rule.role] = values;
  });
  return parts;
}
