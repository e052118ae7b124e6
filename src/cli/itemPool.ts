import { Worker } from 'node:worker_threads';
import type { Size } from '../core/heatmap.ts';
import type { ItemPlan } from '../core/plan.ts';
import { renderBatch, type BatchResult } from './itemBatch.ts';

/**
 * Renders items on `jobs` worker threads (or in this thread when jobs <= 1) and hands the
 * results to `onBatch` strictly in item order. At most a few batches per worker are in
 * flight, so memory stays flat however many items there are: plans are small, and each
 * rendered batch is written out and dropped before more are requested.
 */
export interface PoolOptions {
  readonly grid: Size;
  readonly withRecords: boolean;
  readonly jobs: number;
  readonly batchSize?: number;
}

const WORKER_URL = new URL('./consolidateWorker.mjs', import.meta.url);

export async function renderItems(plans: readonly ItemPlan[], options: PoolOptions, onBatch: (result: BatchResult, itemsDone: number) => Promise<void>): Promise<void> {
  // Batches of up to 32 items, smaller for small inputs so every worker gets a few.
  const size = options.batchSize ?? Math.max(1, Math.min(32, Math.ceil(plans.length / (Math.max(1, options.jobs) * 4))));
  const batches: ItemPlan[][] = [];
  for (let i = 0; i < plans.length; i += size) batches.push(plans.slice(i, i + size));
  const request = (seq: number) => ({ seq, plans: batches[seq]!, grid: options.grid, withRecords: options.withRecords });
  let done = 0;

  if (options.jobs <= 1 || batches.length <= 1) {
    for (let seq = 0; seq < batches.length; seq++) {
      const result = renderBatch(request(seq));
      done += batches[seq]!.length;
      await onBatch(result, done);
    }
    return;
  }

  const workers = Array.from({ length: Math.min(options.jobs, batches.length) }, () => {
    const worker = new Worker(WORKER_URL);
    const waiting = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
    const failAll = (e: Error) => {
      for (const w of waiting.values()) w.reject(e);
      waiting.clear();
    };
    worker.on('message', (r: BatchResult) => {
      waiting.get(r.seq)?.resolve(r);
      waiting.delete(r.seq);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`consolidation worker exited with code ${code}`)));
    const send = (seq: number) =>
      new Promise<BatchResult>((resolve, reject) => {
        waiting.set(seq, { resolve, reject });
        worker.postMessage(request(seq));
      });
    return { worker, waiting, send };
  });

  try {
    const inFlight: Promise<BatchResult>[] = [];
    const maxInFlight = workers.length * 3;
    let next = 0;
    while (next < batches.length || inFlight.length > 0) {
      while (inFlight.length < maxInFlight && next < batches.length) {
        // The least busy worker takes the next batch; results are awaited in sequence order.
        const w = workers.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
        const p = w.send(next);
        p.catch(() => undefined); // observed below, in order; avoid an unhandled rejection meanwhile
        inFlight.push(p);
        next++;
      }
      const result = await inFlight.shift()!;
      done += batches[result.seq]!.length;
      await onBatch(result, done);
    }
  } finally {
    for (const w of workers) {
      w.worker.removeAllListeners('exit');
      await w.worker.terminate();
    }
  }
}
