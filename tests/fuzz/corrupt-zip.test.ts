/**
 * A workbook whose zip data is corrupt (a fuzz find: four bytes overwritten inside a deflate stream)
 * made SheetJS spin until the sandbox's timeout (13 s for a 10 KB file). The worker now inflates every
 * member with fflate first and answers at once with a named error.
 */
import { describe, expect, it } from 'vitest';
import { applyPlan, syntheticSeeds } from './harness.js';
import { parseBytes } from '../../src/io/load.js';
import { readWorkbook } from '../../parsers/cycler/spreadsheet/workbook.js';

describe('corrupt zip data in a workbook', () => {
  it('is a ParseError naming the corruption, in well under the 2 s budget', async () => {
    const seed = syntheticSeeds().find((s) => s.id === 'synthetic:avantage.xlsx')!;
    const bytes = applyPlan(seed.bytes, { seed: 704825, ops: [{ m: 'binary-int', seed: 546570053 }] } as never);
    const t0 = performance.now();
    await expect(readWorkbook('bad.xlsx', bytes)).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/zip data is corrupt/) });
    await expect(parseBytes('bad.xlsx', bytes)).rejects.toMatchObject({ name: 'ParseError' });
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it('an intact workbook still reads', async () => {
    const seed = syntheticSeeds().find((s) => s.id === 'synthetic:avantage.xlsx')!;
    const wb = await readWorkbook('ok.xlsx', seed.bytes);
    expect(wb.sheets.map((s) => s.name)).toEqual(['F1s Scan']);
  });
});
