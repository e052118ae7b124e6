/**
 * The page's side of the review worker: one worker per page. Each request gets a promise of
 * its own result, matched by id; review.worker.ts says in which order requests are handled.
 * The worker keeps the parsed annotation files, so the page never holds them nor any heatmap
 * other than the item on screen.
 */
import type { CallType, Envelope, JobProgress, Reply, RequestOf, ResultOf, ResultReply } from './protocol.ts';

interface Pending {
  settle(reply: ResultReply): void;
  reject(e: Error): void;
  onProgress?: ((p: JobProgress) => void) | undefined;
}

function isResultOf<K extends CallType>(reply: ResultReply, type: K): reply is ResultReply<K> {
  return reply.type === type;
}

export class ReviewWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('./review.worker.ts', import.meta.url), { type: 'module', name: 'richhf-review' });
    this.worker.onmessage = (e: MessageEvent<Reply>) => {
      const msg = e.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.kind === 'progress') {
        p.onProgress?.(msg.progress);
        return;
      }
      this.pending.delete(msg.id);
      if (msg.kind === 'result') p.settle(msg);
      else p.reject(new Error(msg.message));
    };
    this.worker.onerror = (e) => {
      const err = new Error(`review worker failed: ${e.message}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  request<K extends CallType>(req: RequestOf<K>, onProgress?: (p: JobProgress) => void): Promise<ResultOf<K>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const settle = (reply: ResultReply) => {
        if (isResultOf(reply, req.type)) resolve(reply.result);
        else reject(new Error(`review worker answered a "${req.type}" request with a "${reply.type}" result`));
      };
      this.pending.set(id, { settle, reject, onProgress });
      const envelope: Envelope<K> = { ...req, id };
      this.worker.postMessage(envelope);
    });
  }

  terminate(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('review worker stopped'));
    this.pending.clear();
  }
}
