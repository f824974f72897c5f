import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';
import { FORMATS, detectFormat, sniffInput } from '../../../parsers/index.js';
import { analyzeCycles } from '../../../src/fit/cycles/analyze-cycles.js';
import { CYCLER } from '../../../src/records/names.js';
import type { ParsedRecord } from '../../../src/records/record.js';

const FILE = 'cycler/arbin-csv/bdt__arbin_example.csv';

async function parse(): Promise<ParsedRecord | undefined> {
  const bytes = readReal(FILE);
  const det = detectFormat(sniffInput('bdt__arbin_example.csv', bytes, bytes.length), FORMATS);
  if (!det.best) return undefined;
  return (await det.best.format.parse({ path: FILE, bytes }))[0];
}

describe.skipIf(!HAVE_REAL_DATA)('real Arbin CSV (battery-data-toolkit example)', () => {
  it('capacity counters and the integrated current agree per cycle (two independent routes)', async () => {
    const rec = await parse();
    if (!rec) {
      console.warn('[cycles] no parser registered for the Arbin CSV yet: test not run');
      return;
    }
    const withCounters = analyzeCycles(rec, { cellType: 'full' });
    expect(withCounters.summary.capacitySource).toBe('counters');
    const stripped = { columns: rec.columns.filter((c) => c.name !== CYCLER.chargeCapacity.name && c.name !== CYCLER.dischargeCapacity.name) };
    const integrated = analyzeCycles(stripped, { cellType: 'full' });
    expect(integrated.summary.capacitySource).toBe('integrated-current');
    expect(integrated.summary.cycles).toBe(withCounters.summary.cycles);
    let compared = 0;
    for (let c = 0; c < withCounters.summary.cycles; c++) {
      for (const k of ['chargeCapacity', 'dischargeCapacity'] as const) {
        const a = withCounters.summary[k][c]!;
        const b = integrated.summary[k][c]!;
        if (a < 0.05) continue; // partial cycles at the file's edges
        expect(Math.abs(a - b) / a, `${k} of cycle ${withCounters.summary.cycle[c]}`).toBeLessThan(0.01);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});
