/**
 * SHA-256 of a file on another thread (issue #17 §3): `interphase parse` of a large file hashes it while
 * it parses — and, started early by the CLI (`startHashAside`), while the parsers are still loading —
 * instead of reading the file a second time afterwards. Imports only Node built-ins, so the CLI can start
 * it before loading anything else.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface HashAside {
  readonly digest: Promise<string>;
  cancel(): void;
}

/** Hashes started early, by path, waiting for the load that takes them over. */
const early = new Map<string, HashAside>();

/** Start hashing `abs` now; the next `sha256FileAside(abs)` takes this hash over. */
export function startHashAside(abs: string): void {
  if (!early.has(abs)) early.set(abs, hashOnWorker(abs));
}

/** Stop the early hashes nobody took over (e.g. the file was read whole, or refused). */
export function cancelEarlyHashes(): void {
  for (const h of early.values()) h.cancel();
  early.clear();
}

/**
 * SHA-256 of a file computed on a worker thread (chunked reads, never the whole file in memory), so a
 * large parse and its hash overlap; the one `startHashAside` began for this path, if any. Same digest
 * as `sha256File`; falls back to it if the worker fails.
 */
export function sha256FileAside(abs: string): HashAside {
  const started = early.get(abs);
  if (started) {
    early.delete(abs);
    return started;
  }
  return hashOnWorker(abs);
}

function hashOnWorker(abs: string): HashAside {
  let worker: Worker | undefined;
  let done = false;
  const digest = new Promise<string>((resolveDigest) => {
    try {
      worker = new Worker(HASH_WORKER, { eval: true, workerData: { path: abs }, execArgv: [] });
    } catch {
      resolveDigest(sha256File(abs));
      return;
    }
    worker.once('message', (hex: string) => {
      done = true;
      resolveDigest(hex);
    });
    const fallback = (): void => {
      if (!done) {
        done = true;
        resolveDigest(sha256File(abs));
      }
    };
    worker.once('error', fallback);
    worker.once('exit', fallback);
  });
  return {
    digest,
    cancel: () => {
      done = true; // no fallback hash for a parse that failed
      void worker?.terminate();
    },
  };
}

const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const fd = openSync(workerData.path, 'r');
const hash = createHash('sha256');
const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
try {
  for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(buf.subarray(0, n));
} finally {
  closeSync(fd);
}
parentPort.postMessage(hash.digest('hex'));
`;

/** SHA-256 of a file read in chunks (never the whole file in memory). */
export async function sha256File(abs: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(abs, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
