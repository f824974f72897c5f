/**
 * Build the canonical P–E loop record from whatever a reader found: the field comes from the file, or
 * from voltage and thickness (file first, then options.thicknessNm); polarisation from the file, or
 * from charge and electrode area. What cannot be derived is kept raw and warned about, never guessed.
 */
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { PE } from '../../src/records/names.js';
import { fieldFromVoltage } from './units.js';

export interface LoopParts {
  time?: Float64Array;
  voltage?: Float64Array;
  field?: Float64Array;
  polarization?: Float64Array;
  /** Charge in C, used only when no polarisation is given. */
  charge?: Float64Array;
  current?: Float64Array;
  /** Further columns kept as they are (e.g. aixACCT V−, I2, P2). */
  extra?: Column[];
  /** Thickness and area stated by the file. */
  fileThicknessNm?: number;
  fileAreaCm2?: number;
}

export interface LoopOptions {
  readonly thicknessNm?: number;
  readonly areaCm2?: number;
}

export function readLoopOptions(options: Readonly<Record<string, unknown>> | undefined): LoopOptions {
  const num = (k: string): number | undefined => {
    const v = options?.[k];
    return typeof v === 'number' && v > 0 ? v : undefined;
  };
  const areaMm2 = num('areaMm2');
  return { thicknessNm: num('thicknessNm'), areaCm2: num('areaCm2') ?? (areaMm2 ? areaMm2 / 100 : undefined) };
}

export function buildLoop(p: LoopParts, o: LoopOptions, meta: RecordMeta, warnings: ParseWarning[]): ParsedRecord {
  let thickness = p.fileThicknessNm;
  if (o.thicknessNm !== undefined) {
    if (thickness !== undefined && Math.abs(thickness - o.thicknessNm) > 1e-9 * thickness) {
      warnings.push({ code: 'thickness-override', message: `file states thickness ${thickness} nm; options.thicknessNm = ${o.thicknessNm} nm is used` });
    }
    thickness = o.thicknessNm;
  }
  let area = p.fileAreaCm2;
  if (o.areaCm2 !== undefined) {
    if (area !== undefined && Math.abs(area - o.areaCm2) > 1e-9 * area) {
      warnings.push({ code: 'area-override', message: `file states area ${area} cm2; options area ${o.areaCm2} cm2 is used` });
    }
    area = o.areaCm2;
  }
  const columns: Column[] = [];
  if (p.time) columns.push({ ...PE.time, values: p.time });
  if (p.voltage) columns.push({ ...PE.voltage, values: p.voltage });
  let field = p.field;
  if (!field && p.voltage) {
    if (thickness !== undefined) {
      field = new Float64Array(p.voltage.length);
      for (let i = 0; i < field.length; i++) field[i] = fieldFromVoltage(p.voltage[i]!, thickness);
      meta.fieldSource = 'voltage / thickness';
    } else {
      warnings.push({
        code: 'field-needs-thickness',
        message: 'no film thickness in the file or options.thicknessNm: Electric Field not computed, loop kept against Voltage',
      });
    }
  }
  if (field) columns.push({ ...PE.field, values: field });
  let pol = p.polarization;
  if (!pol && p.charge) {
    if (area !== undefined) {
      pol = new Float64Array(p.charge.length);
      for (let i = 0; i < pol.length; i++) pol[i] = (p.charge[i]! * 1e6) / area;
      meta.polarizationSource = 'charge / area';
    } else {
      warnings.push({
        code: 'polarization-needs-area',
        message: 'charge given but no electrode area in the file or options.areaCm2: Polarization not computed, Charge kept',
      });
      columns.push({ name: 'Charge', unit: 'C', values: p.charge });
    }
  }
  if (pol) columns.push({ ...PE.polarization, values: pol });
  if (p.current) columns.push({ ...PE.current, values: p.current });
  if (p.extra) columns.push(...p.extra);
  if (thickness !== undefined) meta.thicknessNm = thickness;
  if (area !== undefined) meta.areaCm2 = area;
  return { kind: 'pe-loop', meta, columns, warnings };
}
