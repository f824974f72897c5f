/**
 * A cycler log above the piecewise threshold goes through the whole pipeline in pieces (bounded
 * memory, raw columns not kept) and gives the same fitted parameters as the same log read whole.
 * Runs the compiled CLI in child processes, with the thresholds lowered by environment variables.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeArbinCsv } from '../../bench/cycler-files.js';
import { openCampaign } from '../../pipelines/campaign.js';

const CLI = resolve(__dirname, '../../dist/pipelines/cli/main.js');
const PIECES = { INTERPHASE_PIECEWISE_MB: '1', INTERPHASE_PIECE_MB: '1', INTERPHASE_STREAM_MB: '1' };

function cli(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  return r.stdout;
}

async function parameters(camp: string, out: string): Promise<Record<string, unknown>[]> {
  const { ctx } = await openCampaign(camp, { outDir: out });
  try {
    const params = await ctx.store.query(
      `SELECT cell_id, fitter, name, round(value, 9) AS value, round(stderr, 9) AS stderr, censored FROM parameters ORDER BY name`,
    );
    // The per-cycle, half-cycle and rest tables, byte for byte.
    const tables = await ctx.store.query(`SELECT table_name, name, unit, md5(data::VARCHAR) AS h FROM fit_tables ORDER BY table_name, col_index`);
    return [...params, ...tables];
  } finally {
    ctx.store.close();
  }
}

describe.skipIf(!existsSync(CLI))('pipeline on a cycler log read in pieces', () => {
  it('stores the same cycle parameters as the log read whole, and parse says how it read it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-pieces-'));
    const camp = join(dir, 'camp');
    mkdirSync(join(camp, 'cycling'), { recursive: true });
    writeFileSync(join(camp, 'campaign.yaml'), 'campaign: t\ndefaults:\n  cell_type: Li||Cu\ncells:\n  - { id: A1, group: control }\n');
    writeArbinCsv(join(camp, 'cycling', 'A1_cycling.csv'), 41_000); // ≈ 6 MB, 21 cycles
    cli({}, 'batch', camp, '--out', join(dir, 'whole'), '--quiet');
    cli(PIECES, 'batch', camp, '--out', join(dir, 'pieces'), '--quiet');
    const whole = await parameters(camp, join(dir, 'whole'));
    const pieces = await parameters(camp, join(dir, 'pieces'));
    expect(
      whole.map((p) => p.name),
      JSON.stringify(whole),
    ).toContain('ce_mean');
    expect(whole.filter((r) => 'table_name' in r).length).toBeGreaterThan(10);
    expect(whole.some((p) => p.name === 'ce_mean')).toBe(true);
    expect(pieces).toEqual(whole);

    const j = JSON.parse(cli(PIECES, 'parse', join(camp, 'cycling', 'A1_cycling.csv'), '--json').trim());
    expect(j).toMatchObject({ ok: true, format: 'arbin-csv', rows: 41_000, readInPieces: true, cycles: 21, columns: [] });
    expect(String(j.meta.readInPieces)).toMatch(/^\d+ pieces of ≤ 1 MB/);
  });
});

describe.skipIf(!existsSync(CLI))('the size limit (INTERPHASE_MAX_FILE_MB)', () => {
  it('binds files that must be read whole, not logs that stream', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-limit-'));
    const log = join(dir, 'A1_cycling.csv');
    writeArbinCsv(log, 41_000); // ≈ 6 MB, streams
    const env = { ...process.env, INTERPHASE_MAX_FILE_MB: '1', INTERPHASE_STREAM_MB: '1' };
    const ok = spawnSync(process.execPath, [CLI, 'parse', log, '--json'], { encoding: 'utf8', env });
    expect(JSON.parse(ok.stdout.trim())).toMatchObject({ ok: true, rows: 41_000 });
    // A 2 MB text file of a format that does not stream (a Gamry EIS .DTA) is refused, saying why.
    const dta = join(dir, 'big.DTA');
    const rows = Array.from({ length: 40_000 }, (_, i) => `\t${i}\t1.0\t${1e5 / (i + 1)}\t10.0\t-1.0\t10.05\t-5.7\t0\t0`);
    writeFileSync(
      dta,
      [
        'EXPLAIN',
        'TAG\tEISPOT',
        'TITLE\tLABEL\tbig\tTest Identifier',
        'ZCURVE\tTABLE',
        '\tPt\tTime\tFreq\tZreal\tZimag\tZsig\tZmod\tZphz\tIdc',
        '\t#\ts\tHz\tohm\tohm\tV\tohm\t°\tA',
        ...rows,
      ].join('\r\n'),
    );
    const bad = spawnSync(process.execPath, [CLI, 'parse', dta, '--json'], { encoding: 'utf8', env });
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout.trim())).toMatchObject({ ok: false, error: { type: 'too-large' } });
  });
});
