/**
 * The page's side of the review worker: one worker per page, requests answered in order by id.
 * The worker keeps the parsed annotation files, so the page never holds them nor any heatmap
 * other than the item on screen.
 */
import type { Envelope, Progress, Reply, Request, Results } from './protocol.ts';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (p: Progress) => void };

export class ReviewWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('./consolidate.worker.ts', import.meta.url), { type: 'module', name: 'richhf-review' });
    this.worker.onmessage = (e: MessageEvent<Reply>) => {
      const msg = e.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.kind === 'progress') {
        p.onProgress?.(msg.progress);
        return;
      }
      this.pending.delete(msg.id);
      if (msg.kind === 'result') p.resolve(msg.result);
      else p.reject(new Error(msg.message));
    };
    this.worker.onerror = (e) => {
      const err = new Error(`review worker failed: ${e.message}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  request<R extends Request>(req: R, onProgress?: (p: Progress) => void): Promise<Results[R['type']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ ...req, id } satisfies Envelope);
    });
  }

  terminate(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('review worker stopped'));
    this.pending.clear();
  }
}
