/**
 * `watch --serve` at the HTTP level: the address syntax, GET only, nothing outside the output folder
 * (`..` plain and percent-encoded, absolute paths, a symlink out), a loopback-only Host, a CSP, and
 * server-sent events delivering a dropped file's feed lines and its cell's card.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServeAddress, startServedWatch, type ServedWatch } from '../../pipelines/serve.js';
import { smallArbin, MALFORMED_DTA } from './helpers.js';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

interface Sse {
  messages: { type: string; data: any }[];
  close(): void;
}

function subscribe(port: number): Promise<Sse> {
  return new Promise((ok, fail) => {
    const messages: { type: string; data: any }[] = [];
    const req = request({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const type = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (type && data) messages.push({ type, data: JSON.parse(data) });
        }
      });
      ok({ messages, close: () => req.destroy() });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : fail(e)));
    req.end();
  });
}

async function until<T>(what: string, f: () => T | undefined | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('parseServeAddress', () => {
  it('reads [host:]port, defaulting to 127.0.0.1', () => {
    expect(parseServeAddress('8080')).toEqual({ host: '127.0.0.1', port: 8080, explicitHost: false });
    expect(parseServeAddress('0.0.0.0:9000')).toEqual({ host: '0.0.0.0', port: 9000, explicitHost: true });
    expect(parseServeAddress('[::1]:0')).toEqual({ host: '::1', port: 0, explicitHost: true });
    expect(parseServeAddress('localhost:1234').host).toBe('localhost');
    for (const bad of ['', 'x', '70000', ':80', 'a b:80', '::1:80', '-1']) expect(() => parseServeAddress(bad), bad).toThrow(/--serve/);
  });
});

describe('watch --serve over HTTP', () => {
  it('serves GET only, nothing outside the output folder, and pushes a dropped file over SSE', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ip-serve-'));
    const dir = join(root, 'lab');
    const out = join(root, 'out');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'campaign.yaml'), 'campaign: served\ncells:\n  - { id: C01, group: ctrl }\n  - { id: C02, group: fd }\n');
    writeFileSync(join(root, 'secret.txt'), 'root:x:0:0\n');
    const logs: string[] = [];
    let served: ServedWatch | undefined;
    let sse: Sse | undefined;
    try {
      served = await startServedWatch(
        dir,
        { outDir: out, settleMs: 150, debounceMs: 80, workers: 0, log: (l) => logs.push(l) },
        parseServeAddress('127.0.0.1:0'),
      );
      await served.watch.ready;
      const port = served.server.port;
      expect(served.server.url).toBe(`http://127.0.0.1:${port}/`);
      expect(logs.some((l) => /WARNING/.test(l))).toBe(false);

      // The page and its assets: only this origin (CSP), no network address anywhere in them.
      const page = await http(port, 'GET', '/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(String(page.headers['content-security-policy'])).toMatch(/default-src 'none'; script-src 'self'/);
      expect(String(page.headers['content-security-policy'])).toMatch(/connect-src 'self'/);
      const js = await http(port, 'GET', '/live.js');
      expect(js.status).toBe(200);
      for (const body of [page.body, js.body, (await http(port, 'GET', '/live.css')).body]) expect(body).not.toMatch(/https?:\/\//);

      // GET only.
      for (const m of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
        const r = await http(port, m, '/');
        expect(r.status, m).toBe(405);
        expect(r.headers.allow).toBe('GET');
      }
      expect((await http(port, 'POST', '/api/snapshot')).status).toBe(405);

      // Inside the output folder: the report; outside it: nothing, however the path is spelled.
      expect((await http(port, 'GET', '/out/report.html')).status).toBe(200);
      expect((await http(port, 'GET', '/out/report.json')).body).toMatch(/"schemaVersion"/);
      symlinkSync(root, join(out, 'escape'));
      const attempts = [
        '/out/../secret.txt',
        '/out/../../etc/passwd',
        '/../secret.txt',
        '/out/%2e%2e/secret.txt',
        '/out/%2E%2E%2Fsecret.txt',
        '/out/.%2e/.%2e/etc/passwd',
        '/out/..%5csecret.txt',
        '/out/%2e%2e%5csecret.txt',
        '/out//etc/passwd',
        '/out/%2Fetc%2Fpasswd',
        `/out/${encodeURIComponent(join(root, 'secret.txt'))}`,
        '/out/escape/secret.txt',
        '/out/%252e%252e/secret.txt',
        '/out/a%00.txt',
        '/out/store.duckdb',
        '/etc/passwd',
        '/out/',
        '/out/quarantine',
      ];
      for (const path of attempts) {
        const r = await http(port, 'GET', path);
        expect([400, 403, 404], path).toContain(r.status);
        expect(r.body, path).not.toMatch(/root:x/);
      }
      expect((await http(port, 'GET', '/out/../secret.txt')).status).toBe(403);
      expect((await http(port, 'GET', '/out/%2e%2e/secret.txt')).status).toBe(403);
      expect((await http(port, 'GET', '/out/%2Fetc%2Fpasswd')).status).toBe(403);
      expect((await http(port, 'GET', '/out/escape/secret.txt')).status).toBe(403);

      // Bound to loopback: a request naming another host (DNS rebinding) is refused.
      expect((await http(port, 'GET', '/', { Host: 'attacker.example' })).status).toBe(403);
      expect((await http(port, 'GET', '/', { Host: `localhost:${port}` })).status).toBe(200);

      // Server-sent events: a file dropped now is announced, parsed, and its cell's card counts it;
      // a malformed file is announced failed with its reason and quarantined with a link to the reason.
      sse = await subscribe(port);
      writeFileSync(join(dir, 'C01_cycling.csv'), smallArbin(1, 4));
      writeFileSync(join(dir, 'C02_bad.DTA'), MALFORMED_DTA);
      const feed = (path: string, state: string) => sse!.messages.find((m) => m.type === 'feed' && m.data.data.path === path && m.data.data.state === state);
      await until('C01 arrived', () => feed('C01_cycling.csv', 'arrived'));
      const parsed = await until('C01 parsed', () => feed('C01_cycling.csv', 'parsed'));
      expect(parsed.data.data.cell).toBe('C01');
      const failed = await until('C02_bad failed', () => feed('C02_bad.DTA', 'failed'));
      expect(failed.data.data.detail.length).toBeGreaterThan(5);
      const quarantined = await until('C02_bad quarantined', () => feed('C02_bad.DTA', 'quarantined'));
      expect(quarantined.data.data.link).toBe('quarantine/C02_bad.DTA.reason.txt');
      const reason = await until('reason served', async () => true).then(() => http(port, 'GET', `/out/${quarantined.data.data.link}`));
      expect(reason.status).toBe(200);
      expect(reason.body).toContain(failed.data.data.detail.slice(0, 20));
      const card = await until('C01 card with cycles', () =>
        sse!.messages
          .filter((m) => m.type === 'cards')
          .map((m) => (m.data.data as any[]).find((c) => c.id === 'C01' && c.cycles !== null))
          .find(Boolean),
      );
      expect(card).toMatchObject({ id: 'C01', group: 'ctrl', files: 1, failed: 0 });
      expect(card.cycles).toBeGreaterThanOrEqual(3);
      const c02 = await until('C02 card flags the failure', () =>
        sse!.messages
          .filter((m) => m.type === 'cards')
          .map((m) => (m.data.data as any[]).find((c) => c.id === 'C02' && c.failed === 1))
          .find(Boolean),
      );
      expect(c02.flags.join(' ')).toMatch(/unreadable/);
      await until('hypotheses', () => sse!.messages.find((m) => m.type === 'hypotheses' && m.data.data.length > 0));
      await until('plots', () => sse!.messages.find((m) => m.type === 'plots' && m.data.data.some((p: any) => /vs cycle/.test(p.title))));
      // Numbered messages of one boot, in order (the page applies only newer ones after a snapshot).
      const seqs = sse.messages.map((m) => m.data.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

      // The snapshot a reconnecting page catches up from holds the same state.
      await served.watch.idle();
      await served.server.state.settled();
      const snap = JSON.parse((await http(port, 'GET', '/api/snapshot')).body);
      expect(snap.boot).toBe(sse.messages.at(-1)!.data.boot);
      expect(snap.seq).toBeGreaterThanOrEqual(sse.messages.at(-1)!.data.seq);
      expect(snap.feed.map((f: any) => `${f.path}:${f.state}`)).toEqual(
        expect.arrayContaining(['C01_cycling.csv:parsed', 'C02_bad.DTA:failed', 'C02_bad.DTA:quarantined']),
      );
      expect(snap.cards.map((c: any) => c.id)).toEqual(['C01', 'C02']);
      expect(snap.plots.map((p: any) => p.title)).toEqual(expect.arrayContaining(['Coulombic efficiency vs cycle']));
      expect(snap.plots[0].svg).toMatch(/^<svg/);
      expect(snap.status).toMatchObject({ campaign: 'served', ready: true });
    } finally {
      sse?.close();
      await served?.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('warns when bound to an interface other than loopback', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ip-serve-'));
    const logs: string[] = [];
    const served = await startServedWatch(root, { outDir: join(root, 'out'), workers: 0, log: (l) => logs.push(l) }, parseServeAddress('0.0.0.0:0'));
    try {
      await served.watch.ready;
      expect(logs.find((l) => /WARNING/.test(l))).toMatch(/0\.0\.0\.0.*network|visible|anyone/);
      // Not loopback: any Host is served (the user chose to expose it).
      expect((await http(served.server.port, 'GET', '/', { Host: 'lab-pc.local' })).status).toBe(200);
    } finally {
      await served.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});
