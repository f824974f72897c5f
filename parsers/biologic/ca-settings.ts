/**
 * The CA (Chronoamperometry / Chronocoulometry) settings of an EC-Lab .mpt header: fixed-width
 * `name  value [value …]` lines, one value column per sequence step Ns, e.g.
 *
 *   Ns                  0                   1
 *   Ei (V)              0.000               0.010
 *   vs.                 Eoc                 Eoc
 *   ti (h:m:s)          0:01:00.0000        2:00:00.0000
 *
 * (layout as EC-Lab writes it in .mpt / .mps settings blocks). `vs.` Eoc and Emeas are relative to the
 * open circuit (ΔV = Ei), Ref is against the reference electrode (in a two-electrode Li‖Li cell, the
 * other Li electrode). The step used for t₊ is the one with the largest |Ei| (the polarisation step; a
 * 0 V step is a rest). Only what the lines state is returned; a `vs.` the code cannot place (Ectrl)
 * gives no step and a warning.
 */
import type { ParseWarning } from '../../src/records/record.js';
import { parseNumber } from '../text/numbers.js';
import type { CaStep } from '../chrono/record.js';

export interface CaSettingsStep {
  readonly ns: number;
  readonly potentialV: number;
  readonly vs: string;
  readonly durationS?: number;
}

function fields(line: string): { key: string; values: string[] } {
  const key = line.slice(0, 20).trim();
  const values = line
    .slice(20)
    .trim()
    .split(/\s+/)
    .filter((v) => v !== '');
  return { key, values };
}

/** `h:m:s(.frac)` → seconds (decimal comma accepted); NaN when not a duration. */
export function hmsToSeconds(s: string): number {
  const m = /^(\d+):(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$/.exec(s.trim());
  if (!m) return NaN;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]!.replace(',', '.'));
}

export function readCaSettings(
  lines: readonly string[],
  decimalComma: boolean,
  warnings: ParseWarning[],
): { steps: CaSettingsStep[]; step?: CaStep & { ns: number } } {
  const at = lines.findIndex((l) => /^Ei \(V\)\s/.test(l));
  if (at < 0) return { steps: [] };
  const ei = fields(lines[at]!).values.map((v) => parseNumber(v, decimalComma));
  const vsLine = lines.slice(at + 1, at + 4).find((l) => /^vs\.\s/.test(l));
  const vs = vsLine ? fields(vsLine).values : [];
  const nsLine = lines.slice(Math.max(0, at - 3), at).find((l) => /^Ns\s/.test(l));
  const ns = nsLine ? fields(nsLine).values.map(Number) : ei.map((_, i) => i);
  const tLine = lines.slice(at + 1, at + 5).find((l) => /^t[is] \(h:m:s\)\s/.test(l));
  const dur = tLine ? fields(tLine).values.map(hmsToSeconds) : [];
  const steps: CaSettingsStep[] = [];
  for (let i = 0; i < ei.length; i++) {
    if (!Number.isFinite(ei[i]!)) continue;
    steps.push({
      ns: Number.isFinite(ns[i]!) ? ns[i]! : i,
      potentialV: ei[i]!,
      vs: vs[i] ?? vs[0] ?? '',
      ...(Number.isFinite(dur[i]!) ? { durationS: dur[i]! } : {}),
    });
  }
  if (!steps.length) return { steps };
  const pol = [...steps].sort((a, b) => Math.abs(b.potentialV) - Math.abs(a.potentialV))[0]!;
  const ref = /^(Eoc|Emeas)$/i.test(pol.vs) ? 'open-circuit' : /^Ref$/i.test(pol.vs) ? 'reference' : null;
  if (ref === null) {
    warnings.push({
      code: 'ca-step-reference',
      line: at + 2,
      message: `CA step Ei = ${pol.potentialV} V is set vs. '${pol.vs || '(not stated)'}', which does not say what the potential is relative to; ΔV will be taken from the data`,
    });
    return { steps };
  }
  return {
    steps,
    step: {
      ns: pol.ns,
      potentialV: pol.potentialV,
      reference: ref,
      source: `EC-Lab CA settings: Ei (V) = ${pol.potentialV} vs. ${pol.vs}${steps.length > 1 ? ` (step Ns ${pol.ns}, the largest |Ei| of ${steps.length})` : ''}`,
    },
  };
}
