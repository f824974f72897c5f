/**
 * Issue #22: the watcher's four named parts on their own (pipelines/watch/): the event intake's path
 * rules, the settle timers, the processing queue, the report refresh. The watcher as a whole is tested
 * by watch-faults, companions, serve and refresh-incremental.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classify, ignoredPath, relativeToFolder } from '../../pipelines/watch/intake.js';
import { createSettler } from '../../pipelines/watch/settle.js';
import { createJobQueue } from '../../pipelines/watch/queue.js';
import { createReportRefresh } from '../../pipelines/watch/refresh.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('intake', () => {
  it('folder-relative paths; the top-level manifest apart; output, quarantine, hidden and temporary paths ignored', () => {
    expect(relativeToFolder('/lab', '/lab/eis/a.DTA')).toBe('eis/a.DTA');
    expect(relativeToFolder('/lab', '/lab')).toBeNull();
    expect(relativeToFolder('/lab', '/elsewhere/a.DTA')).toBeNull();
    expect(classify('campaign.yaml', 'change')).toEqual({ kind: 'manifest' });
    expect(classify('sub/campaign.yaml', 'add')).toEqual({ kind: 'file', rel: 'sub/campaign.yaml', event: 'add' });
    expect(ignoredPath('/lab', '/lab/out', '/lab/out/report.html')).toBe(true);
    expect(ignoredPath('/lab', '/lab/out', '/lab/quarantine/x.DTA')).toBe(true);
    expect(ignoredPath('/lab', '/lab/out', '/lab/.git/HEAD')).toBe(true);
    expect(ignoredPath('/lab', '/lab/out', '/lab/eis/~$lock.DTA')).toBe(true);
    expect(ignoredPath('/lab', '/lab/out', '/lab/eis/a.DTA')).toBe(false);
    expect(ignoredPath('/lab', '/out', '/out/report.html')).toBe(false); // outside the folder: chokidar's business
  });
});

describe('settle timers', () => {
  it('hand a file on once it kept its size and mtime; appends restart the wait; a deleted file is handed on as gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-settle-'));
    dirs.push(dir);
    const events: string[] = [];
    const s = createSettler({
      folder: dir,
      settleMs: 120,
      closed: () => false,
      onSettled: (rel) => events.push(`settled ${rel}`),
      onGone: (rel) => events.push(`gone ${rel}`),
      onSettling: (rel) => events.push(`settling ${rel}`),
    });
    writeFileSync(join(dir, 'a.txt'), 'x');
    s.settle('a.txt');
    expect(s.waiting).toBe(1);
    await sleep(60);
    appendFileSync(join(dir, 'a.txt'), 'y');
    s.settle('a.txt'); // the watcher's 'change' event
    await sleep(100);
    expect(events).toEqual([]); // not quiet long enough yet
    for (let i = 0; i < 40 && !events.length; i++) await sleep(25);
    expect(events).toEqual(['settled a.txt']);
    expect(s.waiting).toBe(0);

    writeFileSync(join(dir, 'b.txt'), 'x');
    s.settle('b.txt', 10);
    unlinkSync(join(dir, 'b.txt'));
    for (let i = 0; i < 40 && events.length < 2; i++) await sleep(25);
    expect(events[1]).toBe('gone b.txt');

    writeFileSync(join(dir, 'c.txt'), 'x');
    s.settle('c.txt');
    s.cancel('c.txt');
    expect(s.waiting).toBe(0);
    s.clear();
  });
});

describe('processing queue', () => {
  it('one job at a time in order; a waiting file is queued once; a failing job is logged; closed skips the rest', async () => {
    const done: string[] = [];
    const logged: string[] = [];
    let closed = false;
    const q = createJobQueue({
      process: async (rel) => {
        await sleep(5);
        done.push(rel);
      },
      log: (l) => logged.push(l),
      closed: () => closed,
    });
    q.enqueueFile('a');
    q.enqueueFile('a'); // coalesced
    q.enqueueFile('b');
    q.enqueue(async () => {
      throw new Error('boom');
    });
    q.enqueueFile('c');
    expect(q.length).toBe(4);
    expect(q.filesWaiting).toBe(3); // a, b, c (the failing job is not a file)
    await q.drained();
    expect(q.filesWaiting).toBe(0);
    expect(done).toEqual(['a', 'b', 'c']);
    expect(logged.join('\n')).toMatch(/boom/);
    expect(q.length).toBe(0);
    q.enqueueFile('a'); // taken off the waiting set when it ran: queued again
    let release!: () => void;
    q.adopt(new Promise<void>((r) => (release = r)));
    q.enqueueFile('d'); // waits behind the adopted job …
    await sleep(20);
    expect(done).toEqual(['a', 'b', 'c', 'a']);
    closed = true; // … and is skipped once closed
    release();
    await q.drained();
    expect(done).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('report refresh', () => {
  it('rebuilds once after a burst, on the queue; nothing when closed or not pending', async () => {
    let builds = 0;
    let closed = false;
    const jobs: (() => Promise<void>)[] = [];
    const r = createReportRefresh({ debounceMs: 40, enqueue: (j) => jobs.push(j), closed: () => closed, build: async () => void builds++ });
    r.schedule();
    await sleep(20);
    r.schedule(); // restarts the wait
    expect(r.pending).toBe(true);
    await sleep(30);
    expect(jobs).toHaveLength(0);
    await sleep(40);
    expect(jobs).toHaveLength(1);
    await jobs[0]!();
    expect(builds).toBe(1);
    expect(r.pending).toBe(false);
    await r.rebuild(); // nothing pending
    expect(builds).toBe(1);
    r.markPending();
    closed = true;
    await r.rebuild();
    expect(builds).toBe(1);
    r.schedule();
    r.cancel();
    await sleep(60);
    expect(jobs).toHaveLength(1);
  });
});
