/**
 * Worker-thread entry: runs work units posted by the pool (pipelines/pool.ts) and posts results back,
 * transferring the buffers of typed-array columns. Loaded as compiled JS (dist/pipelines/worker.js).
 * The pool's runtime settings come as workerData (an edge: nothing here reads the environment).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runUnit } from './run-unit.js';
import { transferablesOf, type WorkUnit } from './work-units.js';
import type { WorkerData } from './pool.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';
import { setParallelScan } from '../parsers/text/parallel-scan.js';

interface Request {
  readonly id: number;
  readonly unit: WorkUnit;
}

if (!parentPort) throw new Error('pipelines/worker.js must be started as a worker thread');
const port = parentPort;
const settings = (workerData as WorkerData | null)?.settings ?? DEFAULT_SETTINGS;
setParallelScan(settings.parallelScan);

port.on('message', (msg: Request) => {
  void (async () => {
    try {
      const result = await runUnit(msg.unit, settings);
      try {
        port.postMessage({ id: msg.id, ok: true, result }, transferablesOf(result));
      } catch {
        // A buffer that cannot be transferred (e.g. Node's pooled Buffer slab): copy instead.
        port.postMessage({ id: msg.id, ok: true, result });
      }
    } catch (e) {
      port.postMessage({ id: msg.id, ok: false, error: (e as Error)?.stack ?? String(e) });
    }
  })();
});
