/**
 * Files → parser → cycle fitter → replay-model fit: a virtual cell written as an Arbin CSV is read back
 * by the registry, summarised per cycle by src/fit/cycles (the project's own cycle table), turned into
 * a protocol with protocolFromCycleColumns, and fitted; φ₀, k_p0 and R_b must come back within 15 %.
 */
import { describe, expect, it } from 'vitest';
import { writeArbinCsv } from '../../fixtures/virtual-lab/writers/arbin-csv.js';
import { writeBiologicMpt } from '../../fixtures/virtual-lab/writers/biologic-mpt.js';
import { cyclerSeries } from '../../fixtures/virtual-lab/timeseries.js';
import { fdStudyDesign } from '../../fixtures/virtual-lab/design.js';
import { simulateCampaign } from '../../fixtures/virtual-lab/simulate.js';
import { parseBytes } from '../../src/io/load.js';
import type { CanonicalRecord } from '../../src/records/record.js';
import { cycleFitter } from '../../src/fit/cycles/index.js';
import { protocolFromCycleColumns } from '../../src/model/protocol/index.js';
import { fitCell, freeParametersFor, type CellObservations } from '../../src/model/replay-fit/index.js';

/** Median |V| while I < 0, per Cycle Count (the plating plateau of a Li||Cu cycle). */
function platingPlateau(r: CanonicalRecord): Float64Array {
  const get = (n: string): ArrayLike<number> => r.columns.find((c) => c.name === n)!.values as ArrayLike<number>;
  const V = get('Voltage');
  const I = get('Current');
  const C = get('Cycle Count');
  const by = new Map<number, number[]>();
  for (let i = 0; i < V.length; i++) if (I[i]! < 0) by.set(C[i]!, [...(by.get(C[i]!) ?? []), Math.abs(V[i]!)]);
  return Float64Array.from(
    [...by.keys()].sort((a, b) => a - b),
    (k) => {
      const v = by.get(k)!.sort((a, b) => a - b);
      return v[v.length >> 1]!;
    },
  );
}

const design = fdStudyDesign({ cellsPerGroup: 1, cycles: 40 });
const cell = simulateCampaign(design).find((c) => c.group.name === 'control')!;

describe.each([
  ['arbin-csv', '.csv', (s: ReturnType<typeof cyclerSeries>) => new TextEncoder().encode(writeArbinCsv(s))],
  [
    'biologic-mpt',
    '.mpt',
    (s: ReturnType<typeof cyclerSeries>) => Uint8Array.from(Buffer.from(writeBiologicMpt(s, { electrodeAreaCm2: design.electrodeAreaCm2 }), 'latin1')),
  ],
] as const)('%s → cycle table → model fit', (format, ext, write) => {
  it('recovers φ₀, k_p0 and R_b within 15 %', async () => {
    const series = cyclerSeries(cell.replay, cell.protocol, {
      electrodeAreaCm2: design.electrodeAreaCm2,
      ce: cell.observations.ce,
      overpotential_V: cell.observations.overpotential_V,
    });
    const { records } = await parseBytes(`C01${ext}`, write(series));
    expect(records[0]!.format).toBe(format);
    const out = cycleFitter.fit(records[0]!, {
      cellType: 'Li||Cu',
      electrodeAreaCm2: design.electrodeAreaCm2,
      currentDensityMaPerCm2: 0.5,
      arealCapacityMahPerCm2: 1,
    });
    const table = out.tables?.cycles;
    if (!table)
      throw new Error(
        `cycle fitter gave no 'cycles' table; tables: ${Object.keys(out.tables ?? {}).join(', ')}; messages: ${out.quality.messages.join(' | ')}`,
      );
    const col = (n: string): Float64Array => Float64Array.from(table.find((c) => c.name === n)!.values as ArrayLike<number>);
    const protocol = protocolFromCycleColumns(table, { electrodeAreaCm2: design.electrodeAreaCm2, currentDensityMaCm2: 0.5 });
    expect(protocol.cycles.length).toBe(40);
    expect(protocol.cycles[4]!.restAfterPlate_h).toBeCloseTo(24, 1);
    protocol.cycles.forEach((c, i) => expect(c.plateCapacity_mAh_cm2, `cycle ${i + 1}`).toBeCloseTo(1, 4));
    const obs: CellObservations = {
      ...cell.observations,
      protocol,
      ce: col('Coulombic Efficiency'),
      // the cycle table's 'Overpotential' and plateau columns are NaN for Li||Cu (a needed shared change):
      // η here is the median |V| of the plating samples of each cycle, read from the parsed record
      overpotential_V: platingPlateau(records[0]!),
    };
    const free = freeParametersFor(obs, { variant: 'M1', passivation: 'parabolic', stage: 'control' });
    const fit = fitCell(obs, { variant: 'M1', base: design.parameterSet.values, free });
    for (const name of ['Dead Li base fraction [1]', 'Parabolic corrosion constant [nm2.h-1]'] as const) {
      const v = fit.values.find((x) => x.name === name)!;
      expect(Math.abs(v.value / cell.truth[name] - 1), name).toBeLessThan(0.15);
    }
    const rb = fit.values.find((x) => x.name === 'Bulk resistance [Ohm.cm2]')!;
    console.log(
      `${format}: η from plateaus ${Array.from(obs.overpotential_V!.slice(0, 3), (x) => x.toFixed(5)).join(', ')} vs logged ${Array.from(cell.observations.overpotential_V!.slice(0, 3), (x) => x.toFixed(5)).join(', ')}; R_b ${rb.value.toPrecision(3)} (${rb.identifiability}) vs ${cell.truth['Bulk resistance [Ohm.cm2]'].toPrecision(3)}`,
    );
    expect(Math.abs(rb.value / cell.truth['Bulk resistance [Ohm.cm2]'] - 1)).toBeLessThan(0.15);
  });
});
