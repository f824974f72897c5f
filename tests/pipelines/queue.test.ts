/**
 * Work units over a Redis queue (BullMQ): a batch whose units run in queue workers gives exactly the
 * store an in-process batch gives. Needs Debian's redis-server (.ci/run installs it); skips otherwise.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../../pipelines/batch.js';
import { queueRunner, startQueueWorker, parseRedisUrl } from '../../pipelines/queue.js';
import { toWire, fromWire } from '../../pipelines/wire.js';
import { CampaignStore } from '../../src/store/store.js';
import { tinyDta, smallArbin, MALFORMED_DTA } from './helpers.js';

const HAVE_REDIS = spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;
if (!HAVE_REDIS) console.warn('[interphase tests] redis-server not installed: the queue test is skipped (.ci/run installs it)');

describe('wire format', () => {
  it('round-trips typed arrays, non-finite numbers and nesting exactly', () => {
    const v = { a: Float64Array.from([1.5, -0, NaN, 1e308]), b: Int32Array.from([1, -2, 3]), c: [Infinity, -Infinity, 2], d: { e: 'x' } };
    const back = fromWire<typeof v>(toWire(v));
    expect(back.a).toBeInstanceOf(Float64Array);
    expect(Array.from(back.a)).toEqual([1.5, -0, NaN, 1e308]);
    expect(Array.from(back.b)).toEqual([1, -2, 3]);
    expect(back.c).toEqual([Infinity, -Infinity, 2]);
    expect(back.d).toEqual({ e: 'x' });
    expect(parseRedisUrl('redis://lab:6380')).toEqual({ host: 'lab', port: 6380 });
    expect(() => parseRedisUrl('http://x')).toThrow(/not a redis URL/);
  });
});

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

describe.skipIf(!HAVE_REDIS)('batch over a Redis queue', () => {
  let redis: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error('redis-server did not start')), 10_000);
      redis.stdout!.on('data', (d: Buffer) => {
        if (/Ready to accept connections/.test(d.toString())) {
          clearTimeout(t);
          res();
        }
      });
    });
  });
  afterAll(() => {
    redis?.kill('SIGTERM');
  });

  it('two queue workers produce the same store as an in-process run', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-queue-'));
    const camp = join(d, 'camp');
    mkdirSync(join(camp, 'eis'), { recursive: true });
    mkdirSync(join(camp, 'cycling'), { recursive: true });
    writeFileSync(
      join(camp, 'campaign.yaml'),
      'cells:\n  - { id: A1, group: control, cell_type: Li||Cu }\n  - { id: B1, group: FD, ferroelectric: BaTiO3, poling: poled, cell_type: Li||Cu }\n',
    );
    for (let i = 0; i < 4; i++) writeFileSync(join(camp, 'eis', `A1_${i}.DTA`), tinyDta(i));
    writeFileSync(join(camp, 'eis', 'B1_0.DTA'), tinyDta(9));
    writeFileSync(join(camp, 'eis', 'B1_bad.DTA'), MALFORMED_DTA);
    writeFileSync(join(camp, 'cycling', 'A1_cyc.csv'), smallArbin(1));
    writeFileSync(join(camp, 'cycling', 'B1_cyc.csv'), smallArbin(2));

    const workers = [startQueueWorker(url, 2), startQueueWorker(url, 2)];
    const runner = await queueRunner(url, { timeoutMs: 60_000 });
    let viaQueue;
    try {
      viaQueue = await runBatch(camp, { outDir: join(d, 'q'), runner });
    } finally {
      await runner.close();
      await Promise.all(workers.map((w) => w.close()));
    }
    const local = await runBatch(camp, { outDir: join(d, 'l'), workers: 0 });
    expect(viaQueue.summary.files).toMatchObject({ parsed: 7, failed: 1 });
    expect(viaQueue.summary.files).toEqual(local.summary.files);

    const dump = async (dir: string) => {
      const s = await CampaignStore.open(join(dir, 'store.duckdb'));
      const files = await s.query(`SELECT path, sha256, status, format, records, rows, error_type FROM files ORDER BY path`);
      const params = await s.query(`SELECT record_id, name, value FROM parameters ORDER BY record_id, name`);
      const cols = await s.query(`SELECT record_id, col_index, md5(data::VARCHAR) AS h FROM record_columns ORDER BY record_id, col_index`);
      s.close();
      return { files, params, cols };
    };
    const q = await dump(join(d, 'q'));
    const l = await dump(join(d, 'l'));
    expect(q.files).toEqual(l.files);
    expect(q.params).toEqual(l.params);
    expect(q.cols).toEqual(l.cols);
    expect(q.params.length).toBeGreaterThan(10);
  }, 120_000);
});
