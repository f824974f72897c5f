/**
 * Work units over a Redis queue (BullMQ), so parsing and fitting can run on many machines:
 * `interphase worker --queue redis://host:6379` on each worker machine (they must see the campaign
 * folder at the same path), `interphase batch <campaign> --queue redis://host:6379` on the machine that
 * owns the store. Only the store writer stays on one machine; units and results cross as JSON.
 */
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { UnitRunner } from './pool.js';
import { runUnit } from './run-unit.js';
import type { WorkResult, WorkUnit } from './work-units.js';
import { fromWire, toWire } from './wire.js';
import { DEFAULT_SETTINGS, type RuntimeSettings } from '../src/settings.js';

export const QUEUE_NAME = 'interphase-work-units';

export interface RedisConnection {
  readonly host: string;
  readonly port: number;
}

export function parseRedisUrl(url: string): RedisConnection {
  const m = /^redis:\/\/([^:/]+)(?::(\d+))?\/?$/.exec(url.trim());
  if (!m) throw new Error(`not a redis URL: '${url}' (expected redis://host:port)`);
  return { host: m[1]!, port: Number(m[2] ?? 6379) };
}

/** A UnitRunner whose units run wherever an `interphase worker` listens on the queue. */
function client(url: string): Redis {
  return new Redis({ ...parseRedisUrl(url), maxRetriesPerRequest: null });
}

export async function queueRunner(url: string, opts: { timeoutMs?: number } = {}): Promise<UnitRunner> {
  const qc = client(url);
  const ec = client(url);
  const queue = new Queue(QUEUE_NAME, { connection: qc });
  const events = new QueueEvents(QUEUE_NAME, { connection: ec });
  await events.waitUntilReady();
  return {
    size: 8, // units kept in flight on the queue (the workers decide how many run at once)
    async run(unit: WorkUnit): Promise<WorkResult> {
      const job = await queue.add(unit.type, { unit: toWire(unit) }, { removeOnComplete: true, removeOnFail: true });
      const out = (await job.waitUntilFinished(events, opts.timeoutMs ?? 600_000)) as { result: string };
      return fromWire<WorkResult>(out.result);
    },
    async close() {
      await events.close();
      await queue.close();
      qc.disconnect();
      ec.disconnect();
    },
  };
}

/** Consume units from the queue until closed, reading files as this machine's `settings` say. */
export function startQueueWorker(url: string, concurrency = 1, settings: RuntimeSettings = DEFAULT_SETTINGS): Worker {
  const connection = client(url);
  const w = new Worker(
    QUEUE_NAME,
    async (job) => {
      const unit = fromWire<WorkUnit>((job.data as { unit: string }).unit);
      return { result: toWire(await runUnit(unit, settings)) };
    },
    { connection, concurrency },
  );
  w.on('closed', () => connection.disconnect());
  return w;
}
