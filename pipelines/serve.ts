/**
 * `interphase watch <folder> --serve [host:]port`: a local page that follows the watcher live.
 *
 * Routes (GET only; anything else is 405):
 *   /               the page (pipelines/live-page/page.ts), /live.js and /live.css its assets
 *   /api/events     server-sent events: `feed`, `cards`, `plots`, `hypotheses`, `status` messages,
 *                   each `{boot, seq, type, data}` (LiveState in pipelines/live-page/state.ts)
 *   /api/snapshot   the whole state with its last `seq`: the page loads it whenever it (re)connects
 *   /out/<path>     files under the campaign's output folder (report.html, quarantine reasons, …);
 *                   `..`, encoded or not, absolute paths and symlinks out of it are refused (403)
 * Nothing on the page comes from the network: a Content-Security-Policy header allows only this
 * origin. Bound to 127.0.0.1 unless a host is given; on a loopback address requests must name a
 * loopback host (a page elsewhere cannot reach it through DNS rebinding).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { realpath, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { basename, extname, isAbsolute, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../src/records/errors.js';
import { defaultOutDir } from './context.js';
import { startWatch, type WatchEvent, type WatchHandle, type WatchOptions } from './watch.js';
import { LiveState, type LiveMessage } from './live-page/state.js';
import { PAGE_CSS, PAGE_JS, pageHtml } from './live-page/page.js';

export interface ServeAddress {
  readonly host: string;
  readonly port: number;
  /** The host was given (not the 127.0.0.1 default). */
  readonly explicitHost: boolean;
}

/** `8080`, `127.0.0.1:8080`, `0.0.0.0:8080`, `[::1]:8080`, `localhost:8080`; port 0 = any free port. */
export function parseServeAddress(arg: string): ServeAddress {
  const s = arg.trim();
  let host = '127.0.0.1';
  let portText = s;
  let explicitHost = false;
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(s);
  if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
    explicitHost = true;
  } else if (s.includes(':')) {
    const i = s.lastIndexOf(':');
    host = s.slice(0, i);
    portText = s.slice(i + 1);
    explicitHost = true;
    if (!host || host.includes(':') || !/^[A-Za-z0-9.-]+$/.test(host))
      throw new UsageError(`--serve: '${arg}' is not [host:]port (write an IPv6 address as [::1]:8080)`);
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--serve: the port must be a whole number 0–65535, not '${portText}'`);
  return { host, port, explicitHost };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const SSE_RETRY_MS = 500;
const HEARTBEAT_MS = 15_000;

/** Only this origin, nothing from the network; inline SVG may carry style attributes. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** The campaign's own report files may hold inline scripts and styles; still nothing from elsewhere. */
const OUT_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.parquet': 'application/octet-stream',
};
/** The live store is the watcher's: never handed out while it is being written. */
const NEVER = /\.(duckdb|wal)$|\.duckdb\./i;

export interface LiveServerOptions {
  readonly host: string;
  readonly port: number;
  /** Absolute watched folder. */
  readonly folder: string;
  /** Absolute output folder (the report event updates it from the watcher's context). */
  readonly outDir: string;
  readonly campaign: string;
  readonly log?: (line: string) => void;
}

export interface LiveServer {
  /** http://host:port/ */
  readonly url: string;
  readonly port: number;
  readonly state: LiveState;
  /** Feed a watcher event to the page (pass as `onEvent` to startWatch). */
  onEvent(e: WatchEvent): Promise<void>;
  close(): Promise<void>;
}

export async function startLiveServer(o: LiveServerOptions): Promise<LiveServer> {
  const clients = new Set<ServerResponse>();
  const publish = (m: LiveMessage): void => {
    const frame = `id: ${m.boot}:${m.seq}\nevent: ${m.type}\ndata: ${JSON.stringify(m)}\n\n`;
    for (const c of clients) c.write(frame);
  };
  const live = { folder: o.folder, campaign: o.campaign, outDir: resolve(o.outDir), publish, log: o.log };
  const state = new LiveState(live);
  const loopback = isLoopback(o.host);

  const send = (res: ServerResponse, code: number, body: string | Buffer, type = 'text/plain; charset=utf-8', csp = PAGE_CSP): void => {
    res.writeHead(code, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      ...(code === 405 ? { Allow: 'GET' } : {}),
    });
    res.end(body);
  };

  const serveOut = async (res: ServerResponse, rawRest: string): Promise<void> => {
    let rel: string;
    try {
      rel = decodeURIComponent(rawRest);
    } catch {
      return send(res, 400, 'bad path\n');
    }
    const parts = rel.split('/');
    if (!rel || rel.includes('\0') || rel.includes('\\') || isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || parts.some((p) => p === '..' || p === '.'))
      return send(res, 403, 'forbidden\n');
    const root = live.outDir;
    const abs = resolve(root, rel);
    if (!abs.startsWith(root + sep)) return send(res, 403, 'forbidden\n');
    if (NEVER.test(basename(abs))) return send(res, 404, 'not found\n');
    let real: string;
    let realRoot: string;
    try {
      [real, realRoot] = await Promise.all([realpath(abs), realpath(root)]);
    } catch {
      return send(res, 404, 'not found\n');
    }
    if (!real.startsWith(realRoot + sep)) return send(res, 403, 'forbidden\n');
    const st = await stat(real).catch(() => null);
    if (!st?.isFile()) return send(res, 404, 'not found\n');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': st.size,
      'Content-Security-Policy': OUT_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    createReadStream(real)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET') return send(res, 405, 'only GET\n');
    if (loopback) {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      if (!isLoopback(host)) return send(res, 403, 'forbidden host\n');
    }
    const raw = req.url ?? '/';
    if (!raw.startsWith('/')) return send(res, 403, 'forbidden\n');
    const rawPath = raw.split('?')[0]!.split('#')[0]!;
    // `..` in any spelling is refused before anything is normalised (a URL parser would fold it away).
    const folded = rawPath.replace(/%2e/gi, '.').replace(/%2f|%5c|\\/gi, '/');
    if (folded.split('/').some((p) => p === '..') || /%00/.test(rawPath)) return send(res, 403, 'forbidden\n');
    if (rawPath === '/' || rawPath === '/index.html') return send(res, 200, pageHtml(o.campaign), 'text/html; charset=utf-8');
    if (rawPath === '/live.js') return send(res, 200, PAGE_JS, 'text/javascript; charset=utf-8');
    if (rawPath === '/live.css') return send(res, 200, PAGE_CSS, 'text/css; charset=utf-8');
    if (rawPath === '/api/snapshot') return send(res, 200, JSON.stringify(state.snapshot()), 'application/json; charset=utf-8');
    if (rawPath === '/api/events') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': PAGE_CSP,
      });
      res.write(`retry: ${SSE_RETRY_MS}\n: ${state.boot}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (rawPath.startsWith('/out/')) return serveOut(res, rawPath.slice('/out/'.length));
    return send(res, 404, 'not found\n');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      o.log?.(`live page: ${(e as Error)?.message ?? String(e)}`);
      if (!res.headersSent) send(res, 500, 'error\n');
      else res.destroy();
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port, o.host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const port = (server.address() as AddressInfo).port;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    state,
    onEvent: (e) => state.onEvent(e),
    async close() {
      clearInterval(heartbeat);
      for (const c of clients) c.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface ServedWatch {
  readonly watch: WatchHandle;
  readonly server: LiveServer;
  close(): Promise<void>;
}

/**
 * Start the page, then the watcher feeding it. The page is up during the start-up catch-up. A host
 * that is not a loopback address logs a warning: the page is then visible to the network.
 */
export async function startServedWatch(folder: string, o: WatchOptions, address: ServeAddress): Promise<ServedWatch> {
  const log = o.log ?? (() => {});
  const abs = resolve(folder);
  if (!isLoopback(address.host)) {
    log(
      `WARNING: the live page is bound to ${address.host}: anyone who can reach this machine on port ${address.port || '(any)'} can see it (file names, cells, results). Use 127.0.0.1 to keep it local.`,
    );
  }
  const server = await startLiveServer({
    host: address.host,
    port: address.port,
    folder: abs,
    outDir: resolve(o.outDir ?? defaultOutDir(abs)),
    campaign: basename(abs),
    log,
  });
  const user = o.onEvent;
  const watch = startWatch(folder, {
    ...o,
    onEvent: async (e) => {
      await server.onEvent(e);
      await user?.(e);
    },
  });
  watch.ready.catch(() => {});
  return {
    watch,
    server,
    async close() {
      await watch.close();
      await server.close();
    },
  };
}
