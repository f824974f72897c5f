/**
 * The protocol grammar (STYLE.md §1.5–1.6): one step per string, parsed once into a typed `Step`.
 *
 *   Rest for <n> <s|sec|second(s)|min|minute(s)|h|hr|hour(s)|day(s)>
 *   Plate at <j> for <time> | Plate at <j> until <q> | Plate <q> at <j>
 *   Strip at <j> to|until <v> | Strip at <j> for <time> | Strip at <j> until <q> | Strip <q> at <j>
 *   Repeat <n> times          (the cycle just written — steps after the previous cycle's strip — runs n times in all)
 *
 * <j>: mA cm-2 (also mA/cm2, mA cm^-2, µA cm-2, uA cm-2, A cm-2); <q>: mAh cm-2 (µAh, uAh); <v>: V or mV.
 * Errors end with the examples, so a wrong string teaches the grammar.
 */
import type { Step, StopCondition } from './types.js';

export const PROTOCOL_EXAMPLES: readonly string[] = [
  'Rest for 24 hours',
  'Rest for 30 min',
  'Plate at 0.5 mA cm-2 for 1 hour',
  'Plate 1 mAh cm-2 at 0.5 mA cm-2',
  'Plate at 1 mA/cm2 until 2 mAh cm-2',
  'Strip at 0.5 mA cm-2 to 1 V',
  'Strip at 0.5 mA cm-2 for 1 hour',
  'Strip at 500 uA cm-2 until 1 mAh cm-2',
  'Repeat 50 times',
];

export class ProtocolError extends Error {
  constructor(
    readonly text: string,
    readonly problem: string,
    readonly index?: number,
  ) {
    super(`${index !== undefined ? `step ${index + 1} ` : ''}'${text}': ${problem}. For example:\n  ${PROTOCOL_EXAMPLES.join('\n  ')}`);
    this.name = 'ProtocolError';
  }
}

const NUM = '([0-9]*\\.?[0-9]+(?:e[-+]?[0-9]+)?)';
const TIME_UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};
const CURRENT_UNITS: Record<string, number> = { a: 1000, ma: 1, ua: 1e-3 };
const CAPACITY_UNITS: Record<string, number> = { ah: 1000, mah: 1, uah: 1e-3 };
const VOLT_UNITS: Record<string, number> = { v: 1, mv: 1e-3 };

function normalise(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[µμ]/g, 'u')
    .replace(/⁻²/g, '-2')
    .replace(/\s*\/\s*cm\^?2\b/gi, ' cm-2')
    .replace(/cm\^-2/gi, 'cm-2')
    .toLowerCase();
}

function quantity(text: string, value: string, unit: string, table: Record<string, number>, what: string): number {
  const f = table[unit];
  if (f === undefined) throw new ProtocolError(text, `${what} unit '${unit}' is not one of ${Object.keys(table).join(', ')}`);
  const v = Number(value) * f;
  if (!Number.isFinite(v) || v < 0) throw new ProtocolError(text, `${what} must be a non-negative number`);
  return v;
}

function current(text: string, s: string): number {
  const m = new RegExp(`^${NUM} ?(a|ma|ua) cm-2$`).exec(s);
  if (!m) throw new ProtocolError(text, `current density '${s}' must read like '0.5 mA cm-2' (areal: per cm²)`);
  const j = quantity(text, m[1]!, m[2]!, CURRENT_UNITS, 'current');
  if (!(j > 0)) throw new ProtocolError(text, 'current density must be > 0');
  return j;
}

function until(text: string, s: string): StopCondition {
  let m = new RegExp(`^${NUM} ?([a-z]+)$`).exec(s);
  if (m && TIME_UNITS[m[2]!] !== undefined) return { kind: 'duration', seconds: quantity(text, m[1]!, m[2]!, TIME_UNITS, 'time') };
  m = new RegExp(`^${NUM} ?(m?v)$`).exec(s);
  if (m) return { kind: 'voltage', voltage_V: quantity(text, m[1]!, m[2]!, VOLT_UNITS, 'voltage') };
  m = new RegExp(`^${NUM} ?(ah|mah|uah) cm-2$`).exec(s);
  if (m) return { kind: 'capacity', capacity_mAh_cm2: quantity(text, m[1]!, m[2]!, CAPACITY_UNITS, 'capacity') };
  throw new ProtocolError(text, `'${s}' is not a time (s, min, hour, day), a voltage (V, mV) or an areal capacity (mAh cm-2)`);
}

/** Parse one step string. */
export function parseStep(text: string, index?: number): Step {
  try {
    const t = normalise(text);
    let m = /^rest for (.+)$/.exec(t);
    if (m) {
      const u = until(text, m[1]!);
      if (u.kind !== 'duration') throw new ProtocolError(text, 'a rest lasts a time, e.g. "for 24 hours"');
      return { kind: 'rest', seconds: u.seconds, text };
    }
    m = new RegExp(`^repeat ${NUM} times?$`).exec(t) ?? new RegExp(`^repeat x ?${NUM}$`).exec(t);
    if (m) {
      const times = Number(m[1]);
      if (!Number.isInteger(times) || times < 1) throw new ProtocolError(text, 'the repeat count must be a whole number ≥ 1');
      return { kind: 'repeat', times, text };
    }
    m = /^(plate|strip) (.+)$/.exec(t);
    if (!m) throw new ProtocolError(text, "a step starts with 'Rest', 'Plate', 'Strip' or 'Repeat'");
    const kind = m[1] as 'plate' | 'strip';
    const rest = m[2]!;
    // "Plate 1 mAh cm-2 at 0.5 mA cm-2"
    let mm = /^(.+ cm-2) at (.+ cm-2)$/.exec(rest);
    if (mm && !/^at /.test(rest)) {
      const u = until(text, mm[1]!);
      if (u.kind !== 'capacity') throw new ProtocolError(text, `'${mm[1]}' before 'at' must be an areal capacity like '1 mAh cm-2'`);
      return { kind, current_mA_cm2: current(text, mm[2]!), until: u, text };
    }
    mm = /^at (.+?) (for|until|to) (.+)$/.exec(rest);
    if (!mm) throw new ProtocolError(text, `a ${kind} step needs 'at <current density>' and 'for <time>', 'until <capacity>' or 'to <voltage>'`);
    const u = until(text, mm[3]!);
    if (mm[2] === 'for' && u.kind !== 'duration') throw new ProtocolError(text, `'for' takes a time; use 'until' or 'to' for '${mm[3]}'`);
    if (kind === 'plate' && u.kind === 'voltage')
      throw new ProtocolError(text, 'plating to a voltage is not supported (Li plates at ~0 V); give a time or a capacity');
    return { kind, current_mA_cm2: current(text, mm[1]!), until: u, text };
  } catch (e) {
    if (e instanceof ProtocolError && index !== undefined && e.index === undefined) throw new ProtocolError(e.text, e.problem, index);
    throw e;
  }
}

/** Parse a list of step strings (or one string with one step per line / semicolon). */
export function parseSteps(input: string | readonly string[]): Step[] {
  const lines = typeof input === 'string' ? input.split(/[\n;]/) : input;
  return lines
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l, i) => parseStep(l, i));
}
