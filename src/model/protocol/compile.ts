/**
 * Steps → per-cycle schedule. A cycle is one plating and the stripping that follows it; rests before a
 * plating belong to that cycle's `restBefore_h`, rests between plating and stripping to
 * `restAfterPlate_h`. Repeats are expanded here.
 */
import { ProtocolError } from './parse.js';
import type { CycleSchedule, Step } from './types.js';

/**
 * `Repeat n times` repeats the cycle just written — the steps after the previous cycle's strip, up to
 * and including the last strip (plus any rests after it) — so that it runs n times in all.
 */
export function expandRepeats(steps: readonly Step[]): Step[] {
  const out: Step[] = [];
  for (const s of steps) {
    if (s.kind === 'repeat') {
      const strips = out.flatMap((x, i) => (x.kind === 'strip' ? [i] : []));
      if (strips.length === 0) throw new ProtocolError(s.text ?? 'Repeat', 'nothing to repeat: write one cycle (a Plate and a Strip) before it');
      const start = strips.length > 1 ? strips[strips.length - 2]! + 1 : 0;
      const block = out.slice(start);
      for (let k = 1; k < s.times; k++) out.push(...block);
    } else out.push(s);
  }
  return out;
}

function capacityOf(s: Extract<Step, { kind: 'plate' | 'strip' }>): number {
  if (s.until.kind === 'duration') return (s.current_mA_cm2 * s.until.seconds) / 3600;
  if (s.until.kind === 'capacity') return s.until.capacity_mAh_cm2;
  return NaN;
}

export function compileCycles(steps: readonly Step[]): CycleSchedule[] {
  const flat = expandRepeats(steps);
  const cycles: CycleSchedule[] = [];
  let restBefore = 0;
  let plate: Extract<Step, { kind: 'plate' }> | null = null;
  let restAfter = 0;
  for (const s of flat) {
    if (s.kind === 'rest') {
      if (plate) restAfter += s.seconds / 3600;
      else restBefore += s.seconds / 3600;
    } else if (s.kind === 'plate') {
      if (plate) throw new ProtocolError(s.text ?? 'Plate', 'two platings without a strip between them; add a Strip step');
      plate = s;
    } else if (s.kind === 'strip') {
      if (!plate) throw new ProtocolError(s.text ?? 'Strip', 'a strip needs a plating before it');
      const voltage = s.until.kind === 'voltage';
      cycles.push({
        restBefore_h: restBefore,
        plateCurrent_mA_cm2: plate.current_mA_cm2,
        plateCapacity_mAh_cm2: capacityOf(plate),
        restAfterPlate_h: restAfter,
        stripCurrent_mA_cm2: s.current_mA_cm2,
        stripMode: voltage ? 'voltage' : 'capacity',
        stripCapacity_mAh_cm2: voltage ? 0 : capacityOf(s),
      });
      plate = null;
      restBefore = 0;
      restAfter = 0;
    }
  }
  if (plate) throw new ProtocolError(plate.text ?? 'Plate', 'the protocol ends after a plating; add a Strip step');
  return cycles;
}
