/**
 * Per-cycle and per-step exports → `cycle-summary` records (one row per cycle, no raw rows).
 *
 * Cyclers export their own cycle layer (Neware BTSDA `Cycle Data`, Neware BTS `Cycle Index,Chg. Cap.(Ah)`,
 * the Neware XLS `Cycle_…` sheet, Landt `Cycle-Tab`, Arbin statistics, BioLogic "Capacity & Energy per
 * cycle") and a step layer (Neware `Statis_…` / step rows: one row per step with its type and capacity).
 * Both become the same per-cycle table under CYCLE_SUMMARY names, in Ah / Wh / V, with the file's own
 * efficiency as a fraction. Capacities and energies are magnitudes per direction: charge = I > 0 of the
 * working electrode (what every one of these exports calls charge), discharge = I < 0. A unit that is
 * neither stated nor documented for the format is an error, never a guess.
 */
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { CYCLE_SUMMARY } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { looksLikeUnit, normaliseUnit, tryUnitFactor } from '../text/units.js';
import { parseNumber } from '../text/numbers.js';

export type TableCell = string | number | boolean | null | undefined;

/** `Cap_Chg(mAh)`, `Chg. Cap.(Ah)`, `Q charge/mA.h`, `SpeCapC/mAh/g` (unit after the FIRST slash), `CapC [mAh]`. */
export function splitCycleHeader(h: string): { name: string; unit: string } {
  const t = h.trim();
  const m = /^(.*?)\s*[([]\s*([^()[\]]*)\s*[)\]]\s*$/.exec(t);
  if (m && m[1] && m[2] !== undefined && (looksLikeUnit(m[2]) || m[2] === '%')) return { name: m[1].trim(), unit: m[2].trim() };
  const i = t.indexOf('/');
  if (i > 0 && i < t.length - 1) {
    const unit = t.slice(i + 1).trim();
    if (looksLikeUnit(unit) || unit === '%') return { name: t.slice(0, i).trim(), unit };
  }
  return { name: t, unit: '' };
}

type Target = keyof typeof CYCLE_SUMMARY;

/** Header names (unit stripped, lower case, spaces/underscores/dots folded) → quantity. */
const RULES: readonly { to: Target; re: RegExp }[] = [
  { to: 'cycle', re: /^(cycle( ?(id|index|number|no))?|cyc#?|total ?of ?cycle|循环(号|序号)?)$/ },
  { to: 'chargeCapacity', re: /^(cap ?chg|chg ?cap|charge ?capacity|capacity ?of ?charge|capc|q ?charge|充电容量)$/ },
  { to: 'dischargeCapacity', re: /^(cap ?d ?chg|d ?chg ?cap|discharge ?capacity|capacity ?of ?discharge|capd|q ?discharge|放电容量)$/ },
  { to: 'chargeEnergy', re: /^(engy ?chg|chg ?energy|charge ?energy|energyc|energy ?charge|充电能量)$/ },
  { to: 'dischargeEnergy', re: /^(engy ?d ?chg|d ?chg ?energy|discharge ?energy|energyd|energy ?discharge|放电能量)$/ },
  {
    to: 'statedCe',
    re: /^(efficiency|coulombic ?efficiency|ce|chg ?- ?d ?chg ?eff|chg ?d ?chg ?eff(iciency)?|charge ?discharge ?efficiency|库伦效率|充放电效率)$/,
  },
  { to: 'meanChargeVoltage', re: /^(mean|average|avg) ?(charge|chg) ?(voltage|volt)$/ },
  { to: 'meanDischargeVoltage', re: /^(mean|average|avg) ?(discharge|d ?chg) ?(voltage|volt)$/ },
  { to: 'endTime', re: /^test ?time$/ },
  { to: 'internalResistance', re: /^internal ?resistance$/ },
];

function fold(name: string): string {
  return name
    .toLowerCase()
    .replace(/[_.\-/]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ - /g, ' - ');
}

export function cycleTarget(name: string): Target | undefined {
  const f = fold(name);
  return RULES.find((r) => r.re.test(f) || r.re.test(f.replace(/ /g, '')))?.to;
}

/** Canonical unit of each quantity; the CE is a fraction, converted from %. */
const CANON_UNIT: Record<Target, string> = Object.fromEntries(Object.entries(CYCLE_SUMMARY).map(([k, v]) => [k, v.unit])) as Record<Target, string>;

export interface CycleTableInput {
  readonly path: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly TableCell[])[];
  /** 1-based file line (or sheet row) of the first data row, for error messages. */
  readonly firstLine: number;
  /** Units the format documents for header names that state none (lower-case name → unit), e.g. BTSDA `Cap_Chg` → mAh. */
  readonly defaultUnits?: (target: Target, name: string) => string | undefined;
  readonly decimalComma?: boolean;
  readonly meta: RecordMeta;
  readonly warnings?: ParseWarning[];
  /** Where the table came from, e.g. `Neware BTSDA cycle layer`: kept in meta.layer and messages. */
  readonly layer: string;
}

function cellNumber(c: TableCell, decimalComma: boolean): number {
  if (typeof c === 'number') return c;
  if (typeof c === 'string') return c.trim() === '' ? NaN : parseNumber(c.trim(), decimalComma);
  return NaN;
}

/** A per-cycle table (one row per cycle) → cycle-summary record. */
export function cycleSummaryRecord(x: CycleTableInput): ParsedRecord {
  const warnings: ParseWarning[] = [...(x.warnings ?? [])];
  const cols: { target?: Target; name: string; unit: string; index: number }[] = x.headers.map((h, index) => {
    const { name, unit } = splitCycleHeader(h);
    return { target: cycleTarget(name), name, unit, index };
  });
  const seen = new Set<Target>();
  for (const c of cols) {
    if (!c.target) continue;
    if (seen.has(c.target))
      c.target = undefined; // a repeated header: the first one counts
    else seen.add(c.target);
  }
  const need: Target[] = ['cycle', 'chargeCapacity', 'dischargeCapacity'];
  const missing = need.filter((t) => !seen.has(t));
  if (missing.length) {
    throw new ParseError({
      file: x.path,
      code: 'missing-column',
      line: Math.max(1, x.firstLine - 1),
      message: `${x.layer}: no ${missing.map((t) => `'${CYCLE_SUMMARY[t].name}'`).join(', ')} column in the per-cycle table`,
      expected: 'cycle number, charge capacity and discharge capacity columns',
      found: x.headers.join(', '),
    });
  }
  // Rows: up to the first row whose cycle cell is not a number (end of the table).
  const cycleIdx = cols.find((c) => c.target === 'cycle')!.index;
  const rows: (readonly TableCell[])[] = [];
  for (const r of x.rows) {
    if (r.every((c) => c === null || c === undefined || c === '')) continue;
    if (!Number.isFinite(cellNumber(r[cycleIdx], !!x.decimalComma))) break;
    rows.push(r);
  }
  if (!rows.length) throw new ParseError({ file: x.path, code: 'no-data', line: x.firstLine, message: `${x.layer}: a header but no cycle rows` });
  const out: Column[] = [];
  const units: Record<string, string> = {};
  let negatives = 0;
  for (const c of cols) {
    const values = new Float64Array(rows.length);
    let numeric = 0;
    for (let i = 0; i < rows.length; i++) {
      values[i] = cellNumber(rows[i]![c.index], !!x.decimalComma);
      if (Number.isFinite(values[i]!)) numeric++;
    }
    if (!c.target) {
      // Other numeric columns (specific capacity, retention, times) are kept under their own name and unit.
      if (numeric > 0 && c.name) out.push({ name: c.name, unit: c.unit, values });
      continue;
    }
    const canon = CANON_UNIT[c.target];
    let unit = c.unit || x.defaultUnits?.(c.target, c.name) || '';
    if (canon === '1' && c.target !== 'statedCe') unit = unit || '1';
    if (!unit) {
      throw new ParseError({
        file: x.path,
        code: 'bad-header',
        line: Math.max(1, x.firstLine - 1),
        column: c.name,
        message: `${x.layer}: column '${c.name}' states no unit and the format documents none`,
        expected: `${c.name}(${canon})`,
        found: c.name,
      });
    }
    let factor: number | null;
    if (c.target === 'statedCe') factor = unit === '%' ? 0.01 : normaliseUnit(unit) === '1' ? 1 : null;
    else factor = tryUnitFactor(unit, canon);
    if (factor === null) {
      throw new ParseError({
        file: x.path,
        code: 'bad-header',
        line: Math.max(1, x.firstLine - 1),
        column: c.name,
        message: `${x.layer}: unit '${unit}' of column '${c.name}' cannot be converted to ${canon}`,
        expected: canon,
        found: unit,
      });
    }
    if (factor !== 1) for (let i = 0; i < values.length; i++) values[i] = factor < 1 ? values[i]! / Math.round(1 / factor) : values[i]! * factor;
    if (/Capacity|Energy/.test(CYCLE_SUMMARY[c.target].name) && c.target !== 'statedCe') {
      for (let i = 0; i < values.length; i++)
        if (values[i]! < 0) {
          negatives++;
          values[i] = -values[i]!;
        }
    }
    units[CYCLE_SUMMARY[c.target].name] = unit;
    out.push({ name: CYCLE_SUMMARY[c.target].name, unit: canon, values });
  }
  if (negatives)
    warnings.push({
      code: 'negative-counter',
      message: `${negatives} capacity/energy values were negative (discharge written signed): read as magnitudes`,
      rows: negatives,
    });
  const order = Object.values(CYCLE_SUMMARY).map((q) => q.name as string);
  const rank = (c: Column): number => (order.includes(c.name) ? order.indexOf(c.name) : order.length);
  out.sort((a, b) => rank(a) - rank(b));
  const meta: RecordMeta = {
    ...x.meta,
    layer: x.layer,
    rows: rows.length,
    unitsAsRead: units,
    signConvention: 'capacities and energies are magnitudes: charge = I > 0 of the working electrode, discharge = I < 0',
    ...(seen.has('statedCe') ? { statedEfficiency: "the file's own efficiency, discharge / charge, as a fraction" } : {}),
  };
  return { kind: 'cycle-summary', meta, columns: out, warnings };
}

export type StepDirectionOf = (stepType: string) => 'charge' | 'discharge' | 'rest' | undefined;

export interface StepTableInput extends Omit<CycleTableInput, 'layer'> {
  readonly direction: StepDirectionOf;
  readonly layer?: string;
}

const STEP_TYPE = /^(step ?type|status|step ?state|state|工步类型|工步状态)$/;
const STEP_CAP = /^(capacity|capa ?city|cap|step ?capacity|容量)$/;
const STEP_ENERGY = /^(energy|step ?energy|能量)$/;
const STEP_CYCLE = /^(cycle( ?(id|index|number|no))?|cyc#?|循环(号|序号)?)$/;

/** A per-step table (one row per step, with its cycle, type and capacity): summed per cycle and direction. */
export function stepTableToCycleSummary(x: StepTableInput): ParsedRecord {
  const layer = x.layer ?? 'step layer';
  const parts = x.headers.map((h) => ({ ...splitCycleHeader(h), f: fold(splitCycleHeader(h).name) }));
  const find = (re: RegExp): number => parts.findIndex((p) => re.test(p.f) || re.test(p.f.replace(/ /g, '')));
  const iCycle = find(STEP_CYCLE);
  const iType = find(STEP_TYPE);
  const iCap = find(STEP_CAP);
  const iEn = find(STEP_ENERGY);
  if (iCycle < 0 || iType < 0 || iCap < 0) {
    throw new ParseError({
      file: x.path,
      code: 'missing-column',
      line: Math.max(1, x.firstLine - 1),
      message: `${layer}: a step table needs cycle, step type and capacity columns`,
      expected: 'Cycle, Step Type/Status, Capacity',
      found: x.headers.join(', '),
    });
  }
  const capUnit = parts[iCap]!.unit || x.defaultUnits?.('chargeCapacity', parts[iCap]!.name) || '';
  const enUnit = iEn >= 0 ? parts[iEn]!.unit || x.defaultUnits?.('chargeEnergy', parts[iEn]!.name) || '' : '';
  const cycles: number[] = [];
  const acc = new Map<number, [number, number, number, number]>();
  const unknown = new Set<string>();
  for (const r of x.rows) {
    const cyc = cellNumber(r[iCycle], !!x.decimalComma);
    if (!Number.isFinite(cyc)) continue;
    const type = String(r[iType] ?? '').trim();
    const d = x.direction(type);
    if (d === undefined) unknown.add(type);
    let a = acc.get(cyc);
    if (!a) {
      acc.set(cyc, (a = [0, 0, 0, 0]));
      cycles.push(cyc);
    }
    const q = Math.abs(cellNumber(r[iCap], !!x.decimalComma));
    const e = iEn >= 0 ? Math.abs(cellNumber(r[iEn], !!x.decimalComma)) : NaN;
    if (d === 'charge') {
      a[0] += q || 0;
      a[2] += e || 0;
    }
    if (d === 'discharge') {
      a[1] += q || 0;
      a[3] += e || 0;
    }
  }
  const warnings: ParseWarning[] = [...(x.warnings ?? [])];
  if (unknown.size)
    warnings.push({
      code: 'unknown-step-type',
      message: `step types ${[...unknown].map((u) => `'${u}'`).join(', ')} are neither charge, discharge nor rest; their capacity is not counted`,
    });
  const headers = [
    'Cycle',
    `Charge Capacity(${capUnit})`,
    `Discharge Capacity(${capUnit})`,
    ...(iEn >= 0 ? [`Charge Energy(${enUnit})`, `Discharge Energy(${enUnit})`] : []),
  ];
  const rows = cycles.map((c) => {
    const a = acc.get(c)!;
    return [c, a[0], a[1], ...(iEn >= 0 ? [a[2], a[3]] : [])];
  });
  const rec = cycleSummaryRecord({ ...x, headers, rows, warnings, layer, defaultUnits: undefined });
  return { ...rec, meta: { ...rec.meta, steps: x.rows.length, aggregated: 'per-cycle sums of the step capacities (and energies) by step direction' } };
}

/** Is this header row a per-step table (cycle, step type and a capacity)? */
export function isStepHeader(headers: readonly string[]): boolean {
  const f = headers.map((h) => fold(splitCycleHeader(h).name));
  const has = (re: RegExp): boolean => f.some((x) => re.test(x) || re.test(x.replace(/ /g, '')));
  return has(STEP_CYCLE) && has(STEP_TYPE) && has(STEP_CAP) && !has(/^(voltage|vol|volts|current|cur|amps)$/);
}

/** Is this header row a per-cycle table (cycle, charge and discharge capacity)? */
export function isCycleHeader(headers: readonly string[]): boolean {
  const t = new Set(headers.map((h) => cycleTarget(splitCycleHeader(h).name)));
  return t.has('cycle') && t.has('chargeCapacity') && t.has('dischargeCapacity');
}
