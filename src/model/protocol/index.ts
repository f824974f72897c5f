/** Protocols: parsed from readable strings, built in code, or rebuilt from a cycler's per-cycle table. */
import { parseSteps } from './parse.js';
import { compileCycles } from './compile.js';
import type { Protocol } from './types.js';

export type { Step, StopCondition, CycleSchedule, Protocol } from './types.js';
export { parseStep, parseSteps, ProtocolError, PROTOCOL_EXAMPLES } from './parse.js';
export { compileCycles, expandRepeats } from './compile.js';
export { protocolFromCycleTable, protocolFromCycleColumns, type CyclerCycleTable } from './from-cycler.js';

/** Parse and compile in one go: `protocol(['Plate at 0.5 mA cm-2 for 1 hour', 'Strip at 0.5 mA cm-2 to 1 V', 'Repeat 100 times'])`. */
export function protocol(input: string | readonly string[]): Protocol {
  const steps = parseSteps(input);
  return { steps, cycles: compileCycles(steps), source: 'text' };
}
