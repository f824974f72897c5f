/**
 * src/settings.ts: the INTERPHASE_* variables become one typed settings object at the edge. The
 * defaults are the values the modules used when they read process.env themselves.
 */
import { describe, expect, it } from 'vitest';
import { totalmem } from 'node:os';
import { DEFAULT_SETTINGS, settingsFromEnv } from '../src/settings.js';
import { resolvePoolSize } from '../pipelines/pool.js';

const MB = 1024 * 1024;

describe('settingsFromEnv', () => {
  it('no variable set: the defaults', () => {
    expect(settingsFromEnv({})).toEqual({
      maxFileBytes: 4096 * MB,
      piecewiseMinBytes: Math.floor(totalmem() / 4),
      pieceBytes: 64 * MB,
      streamMinBytes: 24 * MB,
      storeRawBytes: 16 * MB,
      parallelScan: true,
      workers: null,
      reportVegaLite: false,
    });
    expect(DEFAULT_SETTINGS).toEqual(settingsFromEnv({}));
  });

  it('every variable read as before', () => {
    const s = settingsFromEnv({
      INTERPHASE_MAX_FILE_MB: '1',
      INTERPHASE_PIECEWISE_MB: '2',
      INTERPHASE_PIECE_MB: '3',
      INTERPHASE_STREAM_MB: '4',
      INTERPHASE_STORE_RAW_MB: '5',
      INTERPHASE_PARALLEL_SCAN: '0',
      INTERPHASE_WORKERS: '6',
      INTERPHASE_REPORT_VEGA_LITE: '1',
    });
    expect(s).toEqual({
      maxFileBytes: MB,
      piecewiseMinBytes: 2 * MB,
      pieceBytes: 3 * MB,
      streamMinBytes: 4 * MB,
      storeRawBytes: 5 * MB,
      parallelScan: false,
      workers: 6,
      reportVegaLite: true,
    });
  });

  it('edge cases kept: an empty INTERPHASE_PIECEWISE_MB or INTERPHASE_WORKERS is unset; only "0" turns the parallel scan off, only "1" turns vega-lite on', () => {
    const s = settingsFromEnv({ INTERPHASE_PIECEWISE_MB: '', INTERPHASE_WORKERS: '', INTERPHASE_PARALLEL_SCAN: 'no', INTERPHASE_REPORT_VEGA_LITE: 'yes' });
    expect(s).toMatchObject({ piecewiseMinBytes: Math.floor(totalmem() / 4), workers: null, parallelScan: true, reportVegaLite: false });
  });
});

describe('resolvePoolSize', () => {
  it('the option, else the settings, else one per core; anything not a number ≥ 0 is 0 (in-process)', () => {
    expect(resolvePoolSize(3, 5)).toBe(3);
    expect(resolvePoolSize(undefined, 5)).toBe(5);
    expect(resolvePoolSize(undefined, null)).toBeGreaterThan(0);
    expect(resolvePoolSize(undefined, settingsFromEnv({ INTERPHASE_WORKERS: 'many' }).workers)).toBe(0);
    expect(resolvePoolSize(2.7)).toBe(2);
    expect(resolvePoolSize(-1)).toBe(0);
  });
});
