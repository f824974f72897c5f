/**
 * Sign convention: which half of a cycle comes first and which ratio is the Coulombic efficiency.
 *
 * The record's current is positive = charge (src/records/names.ts). What "charge" means depends on the cell:
 * - Cathode-type cells (`full`, `anode-free`): charge (I > 0) moves Li to the anode; discharge (I < 0)
 *   returns it. CE = Q_discharge / Q_charge within a cycle that opens with the charge.
 * - `Li||Cu`: the Cu working electrode is PLATED with negative current (its potential goes towards
 *   0 V vs Li) and STRIPPED with positive current (up to the ~1 V cut-off). CE = Q_strip / Q_plate =
 *   Q_charge / Q_discharge within a cycle that opens with the plating.
 * - `Li||Li`: symmetric; both halves move the same charge by protocol, so CE is not a property of the
 *   cell. The cycle opens with the negative half (plating on the working electrode) by convention.
 */
import type { CellContext } from '../types.js';

export type CellType = NonNullable<CellContext['cellType']>;

export interface CycleConvention {
  readonly cellType: CellType;
  /** Sign of the current in the half that opens a cycle (+1 charge first, −1 plating/discharge first). */
  readonly openingSign: 1 | -1;
  /** True when CE (closing/opening) is a property of the cell. */
  readonly ceMeaningful: boolean;
  /** Names of the halves for messages and docs. */
  readonly openingName: string;
  readonly closingName: string;
  /** True when `cellType` was not given and the cathode convention was assumed. */
  readonly assumed: boolean;
}

export function cycleConvention(cellType: CellContext['cellType']): CycleConvention {
  switch (cellType) {
    case 'Li||Cu':
      return { cellType, openingSign: -1, ceMeaningful: true, openingName: 'plate (I<0)', closingName: 'strip (I>0)', assumed: false };
    case 'Li||Li':
      return { cellType, openingSign: -1, ceMeaningful: false, openingName: 'plate on WE (I<0)', closingName: 'strip from WE (I>0)', assumed: false };
    case 'anode-free':
    case 'full':
      return { cellType, openingSign: 1, ceMeaningful: true, openingName: 'charge (I>0)', closingName: 'discharge (I<0)', assumed: false };
    default:
      return { cellType: 'full', openingSign: 1, ceMeaningful: true, openingName: 'charge (I>0)', closingName: 'discharge (I<0)', assumed: true };
  }
}
