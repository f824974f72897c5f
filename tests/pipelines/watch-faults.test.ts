/**
 * Fault injection for `interphase watch`: 500 file events on a watched folder — whole files, 50
 * malformed files, 20 files written in two pieces and finished later, 30 renamed into place from a
 * `.part` name, 20 deletions (some right after writing, i.e. before or while being parsed), 10 copies
 * under another name, 10 temporary files of instrument software, 10 rewrites — with the watcher
 * closed mid-stream (a kill) and a new one started on the same folder and output while more events
 * happened in between.
 *
 * The end state is checked against the folder itself (ground truth: what the parser says of each file
 * still there): every valid file is in the store exactly once (one parsed row per distinct content,
 * copies are 'duplicate' of it), every malformed one is 'failed' and quarantined with its reason (the
 * original untouched), nothing deleted or temporary lingers, and no file written once was parsed twice
 * across the restart.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, appendFileSync, renameSync, rmSync, copyFileSync, existsSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWatch, type WatchHandle } from '../../pipelines/watch.js';
import { openCampaign } from '../../pipelines/campaign.js';
import { listFiles } from '../../src/campaign/load.js';
import { parseBytes, sha256 } from '../../src/io/load.js';
import type { FileOutcome } from '../../pipelines/process-file.js';
import { tinyDta, MALFORMED_DTA } from './helpers.js';

const SETTLE = 150;
const DEBOUNCE = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watch under faults', () => {
  it('500 events with malformed, partial, renamed, deleted, duplicated and temp files and a kill/restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ip-watch-faults-'));
    const dir = join(root, 'lab');
    const out = join(root, 'out');
    mkdirSync(join(dir, 'eis'), { recursive: true });
    const cells = Array.from({ length: 10 }, (_, i) => `C${String(i).padStart(2, '0')}`);
    writeFileSync(join(dir, 'campaign.yaml'), `campaign: faults\ncells:\n${cells.map((c) => `  - { id: ${c}, group: g${c.slice(-1)} }`).join('\n')}\n`);

    let events = 0;
    let tag = 0;
    const writeOnce = new Set<string>(); // written exactly once and never touched again
    const outcomes: FileOutcome[] = [];
    const cellOf = (i: number) => cells[i % cells.length]!;
    const valid = (i: number) => `eis/${cellOf(i)}_eis_${i}.DTA`;
    const abs = (rel: string) => join(dir, rel);
    const write = (rel: string, data: Buffer | string) => {
      writeFileSync(abs(rel), data);
      events++;
    };

    const start = (): WatchHandle => startWatch(dir, { outDir: out, settleMs: SETTLE, debounceMs: DEBOUNCE, workers: 0, onOutcome: (o) => outcomes.push(o) });

    // Before the first start: 20 files the catch-up must find.
    let i = 0;
    for (; i < 20; i++) {
      write(valid(i), tinyDta(++tag));
      writeOnce.add(valid(i));
    }
    let h = start();
    await h.ready;

    // Phase 1 (watcher up): whole files, malformed files, first halves of partial writes, renames, temp files.
    const partial: { rel: string; rest: Buffer }[] = [];
    const malformed: string[] = [];
    for (let k = 0; k < 120; k++, i++) {
      write(valid(i), tinyDta(++tag));
      writeOnce.add(valid(i));
      if (k % 4 === 0) {
        const m = `eis/${cellOf(k)}_bad_${k}.DTA`;
        write(m, `${MALFORMED_DTA}REM\t${k}\r\n`);
        malformed.push(m);
      }
      if (k % 6 === 0) {
        const rel = `eis/${cellOf(k)}_partial_${k}.DTA`;
        const full = tinyDta(++tag);
        const cut = Math.floor(full.length * 0.4);
        write(rel, full.subarray(0, cut));
        partial.push({ rel, rest: full.subarray(cut) });
      }
      if (k % 8 === 0) {
        const rel = `eis/${cellOf(k)}_renamed_${k}.DTA`;
        writeFileSync(abs(`${rel}.part`), tinyDta(++tag));
        events++;
        renameSync(abs(`${rel}.part`), abs(rel));
        events++;
        writeOnce.add(rel);
      }
      if (k % 24 === 0) write(`eis/~$${cellOf(k)}_lock_${k}.DTA`, 'lock');
      if (k % 10 === 0) await sleep(15);
    }
    // counts so far: 20 + 120 + 30 malformed + 20 partial halves + 30 rename events + 5 temp = 225
    await sleep(SETTLE * 3); // the partial halves settle: they are read (and quarantined) as they are now

    // Phase 2: kill mid-stream — events in flight and files still settling when the handle closes.
    for (let k = 0; k < 30; k++, i++) {
      write(valid(i), tinyDta(++tag));
      writeOnce.add(valid(i));
    }
    await sleep(SETTLE / 3);
    await h.close();

    // While no watcher runs: more files, malformed ones, deletions, copies and temp files.
    for (let k = 0; k < 60; k++, i++) {
      write(valid(i), tinyDta(++tag));
      writeOnce.add(valid(i));
    }
    for (let k = 0; k < 10; k++) {
      const m = `eis/${cellOf(k)}_down_bad_${k}.bin`;
      write(m, Buffer.from([0, 1, 2, 3, 255, 254, k]));
      malformed.push(m);
    }
    for (let k = 0; k < 10; k++) {
      const gone = valid(20 + k); // processed before the kill
      rmSync(abs(gone));
      writeOnce.delete(gone);
      events++;
    }
    for (let k = 0; k < 5; k++) {
      const src = valid(40 + k);
      copyFileSync(abs(src), abs(`eis/${cellOf(k)}_copy_${k}.DTA`));
      events++;
    }
    for (let k = 0; k < 3; k++) write(`eis/${cellOf(k)}_download_${k}.DTA.tmp`, 'partial download');
    // so far: 225 + 30 + 60 + 10 + 10 + 5 + 3 = 343

    // Phase 3: restart on the same folder and output; it must catch up on all of the above.
    h = start();
    await h.ready;
    for (let k = 0; k < 80; k++, i++) {
      write(valid(i), tinyDta(++tag));
      writeOnce.add(valid(i));
      if (k % 8 === 0) {
        const m = `eis/${cellOf(k)}_late_bad_${k}.DTA`;
        write(m, `EXPLAIN\r\nTAG\tEISPOT\r\nREM\tlate ${k}\r\n`);
        malformed.push(m);
      }
      if (k % 10 === 0) await sleep(15);
    }
    // Finish the partial writes (they were read half-written and quarantined meanwhile).
    for (const p of partial) {
      appendFileSync(abs(p.rel), p.rest);
      events++;
    }
    // Deletions right after writing: gone before they settle, or while being parsed.
    for (let k = 0; k < 10; k++, i++) {
      const rel = valid(i);
      write(rel, tinyDta(++tag));
      if (k % 2 === 0) await sleep(SETTLE + 20);
      rmSync(abs(rel));
      events++;
    }
    // More copies under another name, temp files and rewrites of files already stored.
    for (let k = 0; k < 5; k++) {
      copyFileSync(abs(valid(50 + k)), abs(`eis/${cellOf(k)}_copy_late_${k}.DTA`));
      events++;
    }
    for (let k = 0; k < 2; k++) write(`eis/.~lock.${cellOf(k)}_x_${k}.DTA#`, 'lock');
    for (let k = 0; k < 10; k++) {
      const rel = valid(60 + k);
      write(rel, tinyDta(++tag));
      writeOnce.delete(rel);
    }
    // so far: 343 + 80 + 10 + 20 + 20 + 5 + 2 + 10 = 490; ten more whole files make 500.
    for (let k = 0; k < 10; k++, i++) {
      write(valid(i), tinyDta(++tag));
      writeOnce.add(valid(i));
    }
    expect(events).toBe(500);
    expect(malformed).toHaveLength(50);
    expect(partial).toHaveLength(20);

    await sleep(SETTLE * 2);
    await h.idle();
    await h.close();

    // ---- ground truth from the folder ----
    const present = await listFiles(dir);
    const truth = new Map<string, { ok: boolean; sha: string }>();
    for (const rel of present) {
      const bytes = new Uint8Array(readFileSync(abs(rel)));
      let ok = true;
      try {
        await parseBytes(rel, bytes);
      } catch {
        ok = false;
      }
      truth.set(rel, { ok, sha: sha256(bytes) });
    }
    expect([...truth.values()].filter((t) => !t.ok)).toHaveLength(50);

    const { ctx } = await openCampaign(dir, { outDir: out });
    const storedParsed = new Set<string>();
    try {
      // Files deleted after they were stored keep their results, marked "source removed" (issue #18).
      const rows = (await ctx.store.allFiles()).filter((r) => !r.sourceRemoved);
      for (const r of rows) if (r.status === 'parsed') storedParsed.add(r.path);
      // Exactly the files in the folder: nothing deleted lingers unmarked, no temp file got in.
      expect(rows.map((r) => r.path).sort()).toEqual([...present].sort());
      const parsedBySha = new Map<string, string[]>();
      for (const r of rows) {
        const t = truth.get(r.path)!;
        expect(r.sha256, r.path).toBe(t.sha); // the store holds the final bytes
        if (t.ok) {
          expect(['parsed', 'duplicate'], r.path).toContain(r.status);
          if (r.status === 'parsed') parsedBySha.set(t.sha, [...(parsedBySha.get(t.sha) ?? []), r.path]);
        } else {
          expect(r.status, r.path).toBe('failed');
          const q = join(out, 'quarantine', r.path);
          expect(existsSync(q), q).toBe(true);
          expect(readFileSync(`${q}.reason.txt`, 'utf8')).toContain(r.path);
          expect(existsSync(abs(r.path))).toBe(true); // the original is never moved
        }
      }
      // Every valid content exactly once; every copy points at the parsed path with the same bytes.
      const validShas = new Set([...truth.values()].filter((t) => t.ok).map((t) => t.sha));
      for (const sha of validShas) expect(parsedBySha.get(sha)?.length, sha).toBe(1);
      const dups = rows.filter((r) => r.status === 'duplicate');
      expect(dups.length).toBe(10);
      for (const d of dups) expect(parsedBySha.get(truth.get(d.path)!.sha)).toEqual([d.duplicateOf]);
      const recs = await ctx.store.query(`SELECT path, count(*)::INTEGER AS n FROM records GROUP BY path`);
      const removed = new Set(await ctx.store.removedPaths());
      for (const r of recs) if (!removed.has(r.path as string)) expect(rows.find((f) => f.path === r.path)?.status, r.path as string).toBe('parsed');
      // Partial writes were read half-written (failed, quarantined), then parsed once finished; stale copies removed.
      for (const p of partial) {
        const seq = outcomes.filter((o) => o.path === p.rel).map((o) => o.status);
        expect(seq.indexOf('failed'), `${p.rel}: ${seq.join(',')}`).toBeGreaterThanOrEqual(0);
        expect(seq.at(-1), p.rel).toBe('parsed');
        expect(rows.find((r) => r.path === p.rel)?.status).toBe('parsed');
        expect(existsSync(join(out, 'quarantine', p.rel))).toBe(false);
      }
    } finally {
      ctx.store.close();
    }
    // Nothing processed twice: a file written once was parsed once, across the kill and restart.
    const parsedCount = new Map<string, number>();
    for (const o of outcomes) if (o.status === 'parsed') parsedCount.set(o.path, (parsedCount.get(o.path) ?? 0) + 1);
    for (const rel of writeOnce) {
      if (!truth.has(rel)) continue;
      // At most once; zero only when the kill came after the store committed it and before the outcome was
      // reported (the restart then finds it unchanged) — the store must hold it parsed.
      const n = parsedCount.get(rel) ?? 0;
      expect(n, rel).toBeLessThanOrEqual(1);
      if (n === 0 && truth.get(rel)!.ok)
        expect(storedParsed.has(rel) || [...truth.values()].filter((t) => t.sha === truth.get(rel)!.sha).length > 1, rel).toBe(true);
    }
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.files.filter((f: { sourceRemoved?: boolean }) => !f.sourceRemoved)).toHaveLength(present.length);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);
});
