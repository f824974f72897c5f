/**
 * The per-cycle, rest and half-cycle tables as typed columns (the store and exports read these).
 * The cycle table has a fixed schema whatever the cell type; quantities that do not apply are NaN.
 */
import type { Column } from '../../records/record.js';
import { CYCLER } from '../../records/names.js';
import type { CycleMetrics } from './cycle-metrics.js';
import type { CycleSummary } from './summarize-cycles.js';

const col = (name: string, unit: string, values: Float64Array | Int32Array): Column => ({ name, unit, values });

/** `Partial Cycle` column: 1 at the partial last cycle of a log cut mid-cycle (partial-cycle.ts), else 0. */
export const PARTIAL_CYCLE_COLUMN = 'Partial Cycle';

export function cycleTable(s: CycleSummary, m: CycleMetrics, retention: Float64Array, partialIndex = -1): Column[] {
  const partial = new Int32Array(s.cycles);
  if (partialIndex >= 0 && partialIndex < s.cycles) partial[partialIndex] = 1;
  return [
    col(CYCLER.cycle.name, CYCLER.cycle.unit, s.cycle),
    col('Start Time', 's', s.startTime),
    col('End Time', 's', s.endTime),
    col(CYCLER.chargeCapacity.name, CYCLER.chargeCapacity.unit, s.chargeCapacity),
    col(CYCLER.dischargeCapacity.name, CYCLER.dischargeCapacity.unit, s.dischargeCapacity),
    col('Coulombic Efficiency', '1', m.ce),
    col('LCE', '1', m.lce),
    col('LCE Undefined', '1', m.lceUndefined),
    col(CYCLER.chargeEnergy.name, CYCLER.chargeEnergy.unit, s.chargeEnergy),
    col(CYCLER.dischargeEnergy.name, CYCLER.dischargeEnergy.unit, s.dischargeEnergy),
    col('Energy Efficiency', '1', m.energyEfficiency),
    col('Mean Charge Voltage', 'V', m.meanChargeVoltage),
    col('Mean Discharge Voltage', 'V', m.meanDischargeVoltage),
    col('Overpotential', 'V', m.overpotential),
    col('Plateau Voltage Charge', 'V', s.plateauCharge),
    col('Plateau Voltage Discharge', 'V', s.plateauDischarge),
    col(CYCLER.internalResistance.name, CYCLER.internalResistance.unit, s.internalResistance),
    col('Rest Time', 's', s.restTime),
    col('Capacity Retention', '1', retention),
    col('Complete', '1', m.complete),
    col('Short Circuit Flag', '1', m.shortFlag),
    col(PARTIAL_CYCLE_COLUMN, '1', partial),
  ];
}

export function restTable(s: CycleSummary): Column[] {
  const r = s.rests;
  return [
    col(CYCLER.cycle.name, CYCLER.cycle.unit, r.cycle),
    col('Start Time', 's', r.startTime),
    col('Rest Duration', 's', r.duration),
    col('Voltage Start', 'V', r.voltageStart),
    col('Voltage End', 'V', r.voltageEnd),
    col('OCV Drift', 'V', r.drift),
    col('OCV Drift Rate', 'V/s', r.slope),
    col('Mid Cycle', '1', Int32Array.from(r.midCycle)),
  ];
}

export function halfCycleTable(s: CycleSummary): Column[] {
  const h = s.halfCycles;
  return [
    col(CYCLER.cycle.name, CYCLER.cycle.unit, h.cycle),
    col('Direction', '1', Int32Array.from(h.sign)),
    col('Start Time', 's', h.startTime),
    col('End Time', 's', h.endTime),
    col('Capacity', 'Ah', h.capacity),
    col('Energy', 'Wh', h.energy),
  ];
}
