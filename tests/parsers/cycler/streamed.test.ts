/**
 * Formats that stream (`streams: true`) must give the same records from head + chunked file reads as
 * from the whole file's bytes: every real file of those formats, parsed both ways with chunk
 * boundaries every 4 KB, and generated exports with every line ending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { detectFormat, sniffInput } from '../../../parsers/index.js';
import { chunking, memorySource } from '../../../parsers/text/chunked-scan.js';
import type { ParsedRecord } from '../../../src/records/record.js';
import { REAL_DATA, HAVE_REAL_DATA } from '../../helpers/realData.js';

const DIRS = ['arbin-csv', 'biologic-mpt', 'generic-csv', 'pec-csv', 'maccor-txt', 'maccor-csv', 'basytec-txt'];

function canonical(recs: ParsedRecord[]): unknown {
  return recs.map((r) => ({
    ...r,
    columns: r.columns.map((c) => ({ ...c, values: Array.from(c.values as ArrayLike<number>, (v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)) })),
  }));
}

async function bothWays(path: string, bytes: Uint8Array, headBytes: number): Promise<{ whole: unknown; streamed: unknown; format: string; streams: boolean }> {
  const det = detectFormat(sniffInput(basename(path), bytes.subarray(0, 65536), bytes.length));
  const format = det.best!.format;
  const whole = canonical(await format.parse({ path, bytes }));
  if (!format.streams) return { whole, streamed: whole, format: format.id, streams: false };
  const head = bytes.subarray(0, Math.min(headBytes, bytes.length - 1));
  const streamed = canonical(await format.parse({ path, bytes: head, source: memorySource(bytes, path) }));
  return { whole, streamed, format: format.id, streams: true };
}

describe('streamed parse = whole-file parse', () => {
  const saved = chunking.bytes;
  beforeAll(() => {
    chunking.bytes = 4096;
  });
  afterAll(() => {
    chunking.bytes = saved;
  });

  it.skipIf(!HAVE_REAL_DATA)('on every real file of the streaming formats', async () => {
    const seen: string[] = [];
    for (const d of DIRS) {
      let files: string[] = [];
      try {
        files = readdirSync(join(REAL_DATA, 'cycler', d));
      } catch {
        continue;
      }
      for (const f of files) {
        const path = join(REAL_DATA, 'cycler', d, f);
        const bytes = new Uint8Array(readFileSync(path));
        let r;
        try {
          r = await bothWays(path, bytes, 16384);
        } catch (e) {
          // Files refused on purpose (e.g. Arbin _Metadata.csv) must be refused the same way streamed.
          const det = detectFormat(sniffInput(f, bytes.subarray(0, 65536), bytes.length));
          const format = det.best!.format;
          await expect((async () => format.parse({ path, bytes: bytes.subarray(0, 16384), source: memorySource(bytes, path) }))()).rejects.toThrow(
            (e as Error).message.slice(0, 40),
          );
          continue;
        }
        expect(r.streamed, `${d}/${f} (${r.format})`).toEqual(r.whole);
        if (r.streams) seen.push(`${r.format}:${f}`);
      }
    }
    // The streaming formats really were exercised on real files.
    expect(seen.some((s) => s.startsWith('arbin-csv:'))).toBe(true);
    expect(seen.some((s) => s.startsWith('biologic-mpt:'))).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(12);
  });

  it('on a generated Arbin export with CRLF, a truncated last row and a BOM', async () => {
    const lines = [
      '\uFEFFData_Point,Test_Time(s),Date_Time,Step_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V),Charge_Capacity(Ah),Discharge_Capacity(Ah)',
    ];
    for (let i = 0; i < 3000; i++) {
      const ch = i % 200 < 100;
      lines.push(
        `${i + 1},${i * 10},05/01/2024 00:${String(Math.floor(i / 6) % 60).padStart(2, '0')}:${String((i * 10) % 60).padStart(2, '0')},${(i % 100) * 10},${ch ? 1 : 2},${1 + Math.floor(i / 200)},${ch ? 0.5 : -0.5},${(3.4 + (i % 100) * 1e-3).toFixed(6)},${ch ? ((i % 100) * 1e-4).toFixed(6) : 0},${ch ? 0 : ((i % 100) * 1e-4).toFixed(6)}`,
      );
    }
    const text = lines.join('\r\n') + '\r\n3001,30010,05/01/2024 08:20:10,10,1';
    const bytes = new TextEncoder().encode(text);
    const r = await bothWays('gen.csv', bytes, 2048);
    expect(r.format).toBe('arbin-csv');
    expect(r.streams).toBe(true);
    expect(r.streamed).toEqual(r.whole);
    const rec = (r.whole as { columns: { values: unknown[] }[]; warnings: { code: string }[] }[])[0]!;
    expect(rec.columns[0]!.values.length).toBe(3000);
    expect(rec.warnings.map((w) => w.code)).toContain('truncated-last-line');
  });
});

describe('streamed parse = whole-file parse on mutated files', () => {
  it('every streaming format, 40 mutation plans per seed file: same records or the same ParseError', async () => {
    const { realSeeds, syntheticSeeds, samplePlans, applyPlan } = await import('../../fuzz/harness.js');
    const saved = chunking.bytes;
    chunking.bytes = 512;
    try {
      const seeds = [...realSeeds(), ...syntheticSeeds()].filter((s) => s.format?.streams && s.bytes.length > 600);
      expect(seeds.length).toBeGreaterThanOrEqual(HAVE_REAL_DATA ? 12 : 2);
      const outcome = async (f: () => unknown): Promise<unknown> => {
        try {
          return canonical((await f()) as ParsedRecord[]);
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      let compared = 0;
      for (const [k, seed] of seeds.entries()) {
        for (const plan of samplePlans(20261125 + k, 40)) {
          const bytes = applyPlan(seed.bytes, plan);
          if (bytes.length < 600) continue;
          const format = seed.format!;
          const path = seed.name;
          const whole = await outcome(() => format.parse({ path, bytes, options: seed.options }));
          // Head up to 64 KB (the real head is 1 MB; the header block must fit), the table in 512-byte chunks.
          const head = bytes.subarray(0, Math.min(bytes.length - 1, 65536));
          const streamed = await outcome(() => format.parse({ path, bytes: head, source: memorySource(bytes, path), options: seed.options }));
          expect(streamed, `${seed.id} plan ${JSON.stringify(plan)}`).toEqual(whole);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(HAVE_REAL_DATA ? 300 : 150); // 40 plans per seed, fewer seeds without real data
    } finally {
      chunking.bytes = saved;
    }
  }, 120_000);
});
