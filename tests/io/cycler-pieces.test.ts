/**
 * A cycler file read in pieces (bounded memory) gives the per-cycle analysis of the whole file read at
 * once: every per-cycle value, rest and half cycle, for Arbin and EC-Lab exports, counters from the
 * file or integrated current, cycle numbers from the file or from the current sign, pieces smaller
 * than one cycle. Generated with the bench's writers (known protocol, 2,000 rows per cycle).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArbinCsv, writeBiologicMpt } from '../../bench/cycler-files.js';
import { arbinCsv } from '../../parsers/cycler/arbin-csv.js';
import { biologicMpt } from '../../parsers/biologic/index.js';
import { analyzeCycles } from '../../src/fit/cycles/analyze-cycles.js';
import { analyzeCyclerInPieces } from '../../src/io/cycler-pieces.js';
import type { FormatParser } from '../../parsers/types.js';
import type { CycleOptions } from '../../src/fit/cycles/options.js';

const dir = mkdtempSync(join(tmpdir(), 'ip-pieces-'));
const arbin = join(dir, 'a.csv');
const mpt = join(dir, 'b.mpt');
writeArbinCsv(arbin, 41_000);
writeBiologicMpt(mpt, 41_000);

function plain(x: unknown): unknown {
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>, (v) => (Number.isNaN(v) ? 'NaN' : Math.round(v * 1e9) / 1e9));
  if (Array.isArray(x)) return x.map(plain);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return typeof x === 'number' && Number.isNaN(x) ? 'NaN' : x;
}

async function compare(path: string, format: FormatParser, cellType: string, pieceBytes: number, cycleOptions: Partial<CycleOptions> = {}) {
  const b = readFileSync(path);
  const [rec] = await format.parse({ path, bytes: new Uint8Array(b.buffer, b.byteOffset, b.length) });
  const whole = analyzeCycles(rec!, { cellType: cellType as never }, cycleOptions);
  const p = await analyzeCyclerInPieces(path, path, format, { cellType }, { pieceBytes, cycleOptions });
  return { whole, p };
}

describe('cycler file read in pieces = read whole', () => {
  for (const [name, path, format] of [
    ['Arbin CSV', arbin, arbinCsv],
    ['EC-Lab .mpt', mpt, biologicMpt],
  ] as const) {
    it(`${name}: every per-cycle value, rest and half cycle (Li||Cu, 1 MB pieces)`, async () => {
      const { whole, p } = await compare(path, format, 'Li||Cu', 1 << 20);
      expect(p.pieces).toBeGreaterThan(3);
      expect(p.rows).toBe(41_000);
      // Bounded: never more than one piece (1 MB ≈ 7,000 rows) plus the cycle carried into it (2,000 rows).
      expect(p.maxPieceRows).toBeLessThan(11_000);
      expect(whole.summary.cycles).toBe(21);
      expect(plain(p.analysis.summary)).toEqual(plain(whole.summary));
      expect(plain(p.analysis.metrics)).toEqual(plain(whole.metrics));
      expect(plain(p.analysis.life)).toEqual(plain(whole.life));
      expect(plain(p.analysis.reservoir)).toEqual(plain(whole.reservoir));
      expect(p.record.columns).toHaveLength(0);
      expect(String(p.record.meta.readInPieces)).toMatch(/pieces/);
    });
  }

  it('pieces smaller than one cycle grow until a cycle fits (Li||Li, cycles from the current sign)', async () => {
    const { whole, p } = await compare(arbin, arbinCsv, 'Li||Li', 64 * 1024, { cycleSource: 'current-sign' });
    expect(whole.summary.cycleSource).toBe('current-sign');
    expect(plain(p.analysis.summary)).toEqual(plain(whole.summary));
    expect(plain(p.analysis.life)).toEqual(plain(whole.life));
  });

  it('a bad cell deep in the file is reported at its line in the file', async () => {
    const text = readFileSync(arbin, 'utf8').split('\n');
    const line = 30_123; // 1-based line number in the file
    const f = text[line - 1]!.split(',');
    f[7] = 'x3.3';
    text[line - 1] = f.join(',');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, text.join('\n'));
    await expect(analyzeCyclerInPieces(bad, bad, arbinCsv, { cellType: 'Li||Cu' }, { pieceBytes: 1 << 20 })).rejects.toMatchObject({
      line,
      column: expect.stringMatching(/Voltage/),
      found: 'x3.3',
    });
  });
});

describe('a log still being written', () => {
  it('is parsed exactly as far as it was hashed, streamed or in pieces', async () => {
    const { parseStreamed, loadInPieces } = await import('../../src/io/load.js');
    const text = readFileSync(arbin, 'utf8');
    // Cut after line 30,001 (header + 30,000 rows): what the pipeline hashed before the cycler appended more.
    let at = 0;
    for (let k = 0; k < 30_001; k++) at = text.indexOf('\n', at) + 1;
    const s = await parseStreamed('a.csv', arbin, { hash: 'x', size: at });
    expect(s!.records[0]!.columns[0]!.values.length).toBe(30_000);
    const p = await loadInPieces('a.csv', arbin, { hash: 'x', size: at, cellType: 'Li||Cu' });
    expect(p!.rows).toBe(30_000);
    expect(p!.size).toBe(at);
  });
});
