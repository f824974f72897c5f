/** `sha256FileAside` (the hash `interphase parse` computes on another thread while it parses) = `sha256File`. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File, sha256FileAside } from '../../src/io/load.js';
import { cancelEarlyHashes, startHashAside } from '../../src/io/hash-aside.js';

describe('sha256FileAside', () => {
  const d = mkdtempSync(join(tmpdir(), 'ip-sha-'));

  it('gives the digest of the whole file, as sha256File does (empty, small, several chunks)', async () => {
    for (const n of [0, 1000, 9 * 1024 * 1024 + 17]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
      const f = join(d, `f${n}.bin`);
      writeFileSync(f, bytes);
      const expected = createHash('sha256').update(bytes).digest('hex');
      expect(await sha256FileAside(f).digest).toBe(expected);
      expect(await sha256File(f)).toBe(expected);
    }
  });

  it('a missing file falls back to sha256File, which rejects', async () => {
    await expect(sha256FileAside(join(d, 'missing.bin')).digest).rejects.toThrow(/ENOENT/);
  });

  it('cancel stops the worker without an unhandled rejection', async () => {
    const f = join(d, 'c.bin');
    writeFileSync(f, new Uint8Array(1024));
    const h = sha256FileAside(f);
    h.cancel();
    await new Promise((r) => setTimeout(r, 100));
  });

  it('a hash started early is taken over by the next sha256FileAside of that path; leftovers are cancelled', async () => {
    const f = join(d, 'early.bin');
    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => i & 0xff);
    writeFileSync(f, bytes);
    startHashAside(f);
    const h = sha256FileAside(f);
    expect(await h.digest).toBe(createHash('sha256').update(bytes).digest('hex'));
    startHashAside(join(d, 'never-taken.bin'));
    cancelEarlyHashes(); // no fallback, no unhandled rejection for the missing file
    await new Promise((r) => setTimeout(r, 100));
  });
});
