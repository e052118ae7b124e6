import { Worker } from 'node:worker_threads';
import type { Size } from '../core/dataset/heatmap.ts';
import type { ItemPlan } from '../core/dataset/plan.ts';
import { renderBatch, type BatchResult } from './itemBatch.ts';

/**
 * Renders items on worker threads (or in this thread when there are none) and hands the
 * results to `onBatch` strictly in item order. At most a few batches per worker are in
 * flight, so memory stays flat however many items there are: plans are small, and each
 * rendered batch is written out and dropped before more are requested.
 *
 * Workers are started by ItemPool.start() before the inputs are read, so their start-up
 * (loading tsx and the engine, ~0.3-0.5 s) overlaps with parsing on the main thread.
 */
export interface RenderOptions {
  readonly grid: Size;
  readonly withRecords: boolean;
  readonly batchSize?: number;
}

/** A plan without the record fields rendering never reads (times, ids, sizes per record). */
function slimPlan(plan: ItemPlan): ItemPlan {
  const records = plan.records.map((r) => ({ annotator: r.annotator, record: { points: r.record.points, misalignedTokens: r.record.misalignedTokens, scores: r.record.scores } }));
  return { ...plan, records: records as unknown as ItemPlan['records'] };
}

// Compiled (build/cli/itemPool.js): the compiled worker; run from source: its tsx wrapper.
const WORKER_URL = new URL(import.meta.url.endsWith('.js') ? './consolidateWorker.js' : './consolidateWorker.mjs', import.meta.url);

interface PoolWorker {
  readonly worker: Worker;
  readonly waiting: Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>;
}

export class ItemPool {
  private constructor(private readonly workers: PoolWorker[]) {}

  /** jobs <= 1: no threads, everything runs here. */
  static start(jobs: number): ItemPool {
    const workers = Array.from({ length: jobs > 1 ? jobs : 0 }, (): PoolWorker => {
      const worker = new Worker(WORKER_URL);
      const waiting: PoolWorker['waiting'] = new Map();
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
      return { worker, waiting };
    });
    return new ItemPool(workers);
  }

  async render(plans: readonly ItemPlan[], options: RenderOptions, onBatch: (result: BatchResult, itemsDone: number) => Promise<void>): Promise<void> {
    const threads = Math.max(1, this.workers.length);
    // Batches of up to 32 items, smaller for small inputs so every worker gets a few.
    const size = options.batchSize ?? Math.max(1, Math.min(32, Math.ceil(plans.length / (threads * 4))));
    const batches: ItemPlan[][] = [];
    for (let i = 0; i < plans.length; i += size) batches.push(plans.slice(i, i + size));
    const request = (seq: number) => ({ seq, plans: batches[seq]!, grid: options.grid, withRecords: options.withRecords });
    // Workers get only what rendering reads, which halves the structured-clone work per item.
    const slim = (seq: number) => ({ ...request(seq), plans: batches[seq]!.map(slimPlan) });
    let done = 0;

    if (this.workers.length === 0) {
      for (let seq = 0; seq < batches.length; seq++) {
        const result = renderBatch(request(seq));
        done += batches[seq]!.length;
        await onBatch(result, done);
      }
      return;
    }

    const send = (w: PoolWorker, seq: number) =>
      new Promise<BatchResult>((resolve, reject) => {
        w.waiting.set(seq, { resolve, reject });
        w.worker.postMessage(slim(seq));
      });
    const inFlight: Promise<BatchResult>[] = [];
    const maxInFlight = this.workers.length * 3;
    let next = 0;
    while (next < batches.length || inFlight.length > 0) {
      while (inFlight.length < maxInFlight && next < batches.length) {
        // The least busy worker takes the next batch; results are awaited in sequence order.
        const w = this.workers.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
        const p = send(w, next);
        p.catch(() => undefined); // observed below, in order; no unhandled rejection meanwhile
        inFlight.push(p);
        next++;
      }
      const result = await inFlight.shift()!;
      done += batches[result.seq]!.length;
      await onBatch(result, done);
    }
  }

  async close(): Promise<void> {
    for (const w of this.workers) {
      w.worker.removeAllListeners('exit');
      await w.worker.terminate();
    }
  }
}
