/**
 * Ferroelectric P–E loops, pristine vs cycled. Input: one `PeLoop` per measured loop (canonical
 * `Electric Field` / kV/cm and `Polarization` / µC/cm² columns) with its state. Lines follow the
 * acquisition order; colour = state, dash = cell.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, SCHEMA } from './theme.js';
import { caption, type PlotSpec } from './figure.js';
import { downsampleNote, lttb, MAX_POINTS_PER_LINE } from './downsample.js';

export interface PeLoop {
  readonly cell: string;
  /** `pristine`, `cycled`, or what the file / path says. */
  readonly state: string;
  readonly label: string;
  readonly field: ArrayLike<number>;
  readonly polarization: ArrayLike<number>;
}

export function peLoopSpec(loops: readonly PeLoop[], o: { title: string; source: string }): PlotSpec {
  const values: Record<string, unknown>[] = [];
  const reduced: { label: string; from: number; to: number }[] = [];
  for (const l of loops) {
    const d = lttb(l.field, l.polarization, MAX_POINTS_PER_LINE);
    if (d.index.length < d.kept) reduced.push({ label: l.label, from: d.kept, to: d.index.length });
    d.index.forEach((i, k) => values.push({ loop: l.label, cell: l.cell, state: l.state, E: l.field[i]!, P: l.polarization[i]!, k }));
  }
  const spec = {
    $schema: SCHEMA,
    config: CONFIG,
    width: 420,
    height: 300,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.6 },
    encoding: {
      x: { field: 'E', type: 'quantitative', title: 'Electric field / kV cm⁻¹' },
      y: { field: 'P', type: 'quantitative', title: 'Polarization / µC cm⁻²' },
      color: { field: 'state', type: 'nominal', title: 'state', sort: ['pristine', 'cycled'] },
      detail: { field: 'loop', type: 'nominal' },
      strokeDash: { field: 'cell', type: 'nominal', title: 'cell' },
      order: { field: 'k', type: 'quantitative' },
    },
  } as unknown as TopLevelSpec;
  return {
    title: o.title,
    spec,
    caption: caption(`${o.source}. ${loops.length} loops; lines in acquisition order.`, downsampleNote(reduced)),
  };
}
