/**
 * Fixed-seed fuzz sample for `npm test` (the long run is `npm run fuzz`, bench/fuzz.ts): for every
 * parser, mutated copies of the files it detects (real files read in place + synthetic seeds) go to
 * that parser directly AND through parseBytes. Each must give valid records or a ParseError — never
 * another exception, never over 2 s per MB, never output out of proportion to the input.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FORMATS } from '../../parsers/index.js';
import {
  HAVE_REAL_DATA,
  MUTATORS,
  REAL_DATA,
  applyPlan,
  checkRecords,
  failures,
  planArb,
  realSeeds,
  runCase,
  runDetected,
  runDirect,
  seedsByFormat,
  syntheticSeeds,
} from './harness.js';

if (!HAVE_REAL_DATA) console.warn(`[fuzz] ${REAL_DATA} not found: real-file seeds skipped, fuzzing synthetic seeds only`);

const SEED = 20261125;
const groups = seedsByFormat([...realSeeds(), ...syntheticSeeds()]);
/** Runs per parser: 16 × 38 parsers + a few for the slow ones ≈ 620 mutated inputs, each through both paths. */
const RUNS: Record<string, number> = { 'cycler-spreadsheet': 3, 'arbin-res': 4, 'neware-ndax': 4 };

describe('fuzz sample: mutated inputs give valid records or a ParseError', () => {
  for (const [i, f] of FORMATS.entries()) {
    const seeds = groups.get(f.id);
    it.skipIf(!seeds)(`${f.id}${seeds ? ` (${seeds.length} seed file${seeds.length > 1 ? 's' : ''})` : ' (no seed file)'}`, async () => {
      await fc.assert(
        fc.asyncProperty(planArb({ growWeight: 1 }), async (plan) => {
          const c = await runCase(seeds!, plan);
          expect(failures(c), `${c.seed} ${JSON.stringify(plan)}`).toEqual([]);
        }),
        { seed: SEED + i, numRuns: RUNS[f.id] ?? 16, endOnFailure: true },
      );
    });
  }

  it.skipIf(!groups.has('(detection only)'))('files no parser claims stay ParseErrors under mutation (parseBytes)', async () => {
    await fc.assert(
      fc.asyncProperty(planArb({ growWeight: 1 }), async (plan) => {
        const c = await runCase(groups.get('(detection only)')!, plan);
        expect(failures(c)).toEqual([]);
      }),
      { seed: SEED - 1, numRuns: 10 },
    );
  });

  it('0-byte and 1-byte files: every parser throws ParseError (directly and through parseBytes)', async () => {
    for (const f of FORMATS) {
      for (const bytes of [new Uint8Array(0), new Uint8Array([0x41]), new Uint8Array([0xff]), new Uint8Array([0x0a])]) {
        const d = await runDirect(f, 'x.dat', bytes);
        expect(d, `${f.id} on ${bytes.length} byte(s)`).toMatchObject({ ok: true });
      }
    }
    for (const bytes of [new Uint8Array(0), new Uint8Array([0x41])])
      expect(await runDetected('x.csv', bytes)).toMatchObject({ ok: true, outcome: 'parse-error' });
  });

  it('every mutator is deterministic for a given plan (failures replay exactly)', () => {
    const seed = syntheticSeeds()[0]!;
    for (const m of MUTATORS) {
      const plan = { seed: 0, ops: [{ m, seed: 12345 }] };
      expect(Buffer.from(applyPlan(seed.bytes, plan)).equals(Buffer.from(applyPlan(seed.bytes, plan))), m).toBe(true);
    }
  });

  it('the oracle rejects what it must: wrong array types, ragged columns, bad categorical codes, silent all-NaN', () => {
    const ok = { kind: 'eis', meta: {}, warnings: [], columns: [{ name: 'Frequency', unit: 'Hz', values: new Float64Array([1, 2]) }] };
    expect(checkRecords([ok], 100)).toEqual([]);
    expect(checkRecords([{ ...ok, kind: 'nope' }], 100)[0]).toMatch(/RecordKind/);
    expect(checkRecords([{ ...ok, columns: [{ name: 'a', unit: '', values: [1, 2] }] }], 100)[0]).toMatch(/not Float64Array/);
    expect(checkRecords([{ ...ok, columns: [...ok.columns, { name: 'b', unit: '', values: new Float64Array(3) }] }], 100)[0]).toMatch(/has 3 values/);
    expect(checkRecords([{ ...ok, columns: [{ name: 's', unit: '', values: new Int32Array([0, 2]), levels: ['a', 'b'] }] }], 100)[0]).toMatch(/does not index/);
    expect(checkRecords([{ ...ok, columns: [{ name: 'Frequency', unit: 'Hz', values: new Float64Array([NaN, NaN]) }] }], 100)[0]).toMatch(/all NaN/);
    expect(
      checkRecords([{ ...ok, warnings: [{ code: 'x', message: 'y' }], columns: [{ name: 'Frequency', unit: 'Hz', values: new Float64Array([NaN]) }] }], 100),
    ).toEqual([]);
    expect(checkRecords([{ ...ok, columns: [{ name: 'a', unit: '', values: new Float64Array(3 * 1024 * 1024) }] }], 10)[0]).toMatch(/output columns hold/);
  });
});
