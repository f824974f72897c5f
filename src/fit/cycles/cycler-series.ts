/**
 * The columns of a canonical cycler record the cycle summary reads, looked up once by canonical name
 * so the hot loop only touches typed arrays.
 */
import type { NumericArray, ParsedRecord } from '../../records/record.js';
import { findColumn, requireColumn } from '../../records/record.js';
import { CYCLER } from '../../records/names.js';

export interface CyclerSeries {
  readonly rows: number;
  readonly time: NumericArray;
  readonly voltage: NumericArray;
  readonly current: NumericArray;
  readonly cycle?: NumericArray;
  /** Step Count, else Step Index: used only to recognise capacity-counter resets at step boundaries. */
  readonly step?: NumericArray;
  readonly chargeCapacity?: NumericArray;
  readonly dischargeCapacity?: NumericArray;
  readonly chargeEnergy?: NumericArray;
  readonly dischargeEnergy?: NumericArray;
  readonly internalResistance?: NumericArray;
}

export function cyclerSeries(record: Pick<ParsedRecord, 'columns'>): CyclerSeries {
  const time = requireColumn(record, CYCLER.testTime.name).values;
  const voltage = requireColumn(record, CYCLER.voltage.name).values;
  const current = requireColumn(record, CYCLER.current.name).values;
  const opt = (name: string): NumericArray | undefined => findColumn(record, name)?.values;
  const qc = opt(CYCLER.chargeCapacity.name);
  const qd = opt(CYCLER.dischargeCapacity.name);
  const ec = opt(CYCLER.chargeEnergy.name);
  const ed = opt(CYCLER.dischargeEnergy.name);
  // Counters are only usable in pairs: one without the other cannot split a cycle into its halves.
  const haveQ = qc !== undefined && qd !== undefined;
  const haveE = ec !== undefined && ed !== undefined;
  return {
    rows: time.length,
    time,
    voltage,
    current,
    cycle: opt(CYCLER.cycle.name),
    step: opt(CYCLER.step.name) ?? opt(CYCLER.stepIndex.name),
    chargeCapacity: haveQ ? qc : undefined,
    dischargeCapacity: haveQ ? qd : undefined,
    chargeEnergy: haveE ? ec : undefined,
    dischargeEnergy: haveE ? ed : undefined,
    internalResistance: opt(CYCLER.internalResistance.name),
  };
}
