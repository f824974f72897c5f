/**
 * Libraries the format registry loads on first use (`src/records/lazy.ts`, issue #17 §3) load the same way
 * under the test runner as in the compiled CLI, and the parsers that use them still parse synchronously.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { lazyRequire } from '../../src/records/lazy.js';
import { arbinRes } from '../../parsers/cycler/arbin-res.js';
import { HAVE_REAL_DATA, realPath } from '../helpers/realData.js';

describe('lazyRequire', () => {
  it('loads a CommonJS-capable package and an ES-module-only one (mdb-reader), once', () => {
    const xml = lazyRequire<typeof import('fast-xml-parser')>('fast-xml-parser');
    expect(typeof xml().XMLParser).toBe('function');
    expect(xml()).toBe(xml());
    const mdb = lazyRequire<typeof import('mdb-reader')>('mdb-reader');
    expect(typeof mdb().default).toBe('function');
  });

  it.skipIf(!HAVE_REAL_DATA)('arbin-res still parses synchronously (mdb-reader loaded on first use)', () => {
    const path = realPath('cycler/arbin-res/cellpy__20160805_test001_45_cc_01.res');
    const out = arbinRes.parse({ path, bytes: new Uint8Array(readFileSync(path)) });
    expect(Array.isArray(out)).toBe(true);
    expect((out as readonly { columns: readonly { values: ArrayLike<number> }[] }[])[0]!.columns[0]!.values.length).toBe(10261);
  });
});
