import { runItemJob, transferables, type ItemJob, type ItemOutputs } from './itemJob.ts';
import { contentPlan, type ItemPlan, type RecordContent } from './plan.ts';

/**
 * Runs an item job (itemJob.ts) over many plans, on worker threads or in this thread, and hands
 * the outputs back strictly in plan order, a chunk of consecutive items at a time. `emit` is
 * awaited before more work is handed out, and at most a few chunks per thread are in flight,
 * so memory stays flat however many items there are.
 *
 * The threads themselves come from a platform adapter: src/node/itemPool.ts (worker_threads,
 * for the command line and the server) or src/features/review/itemWorkers.ts (Web Workers,
 * for the review page). An adapter only moves ChunkRequest / ChunkReply messages; the
 * scheduling, ordering, cancellation and failure rules are all here.
 */
export interface ItemPool {
  run(job: ItemJob, plans: readonly ItemPlan<RecordContent>[], emit: (chunk: ItemOutputs, itemsDone: number) => void | Promise<void>, signal?: AbortSignal): Promise<void>;
  /** Stops the threads; the pool must not be used afterwards. */
  close(): Promise<void>;
}

/** Work for a thread: the job on consecutive plans. `id` is unique within the pool. */
export interface ChunkRequest {
  readonly id: number;
  readonly job: ItemJob;
  readonly plans: readonly ItemPlan<RecordContent>[];
}

/** A thread's answer: the outputs in plan order, or why the job threw. */
export type ChunkReply = { readonly id: number; readonly result: ItemOutputs } | { readonly id: number; readonly error: string };

/** The worker side of a chunk: the reply to post back and the buffers to move with it. */
export function answerChunk(request: ChunkRequest): { reply: ChunkReply; transfer: ArrayBuffer[] } {
  try {
    const result = runItemJob(request.job, request.plans);
    return { reply: { id: request.id, result }, transfer: transferables(result) };
  } catch (e) {
    return { reply: { id: request.id, error: e instanceof Error ? e.message : String(e) }, transfer: [] };
  }
}

/** One thread as the pool sees it; the adapters wrap a worker_threads Worker or a Web Worker. */
export interface ChunkWorker {
  send(request: ChunkRequest): void;
  /** Called once, before the first send: where replies and failures (crash, exit) go. */
  listen(onReply: (reply: ChunkReply) => void, onFailure: (error: Error) => void): void;
  /** Stops the thread; no reply or failure is reported afterwards. */
  terminate(): void | Promise<void>;
}

/** Items per chunk: small runs get small chunks so every thread gets a few; at most 32. */
export function chunkSize(items: number, threads: number): number {
  return Math.max(1, Math.min(32, Math.ceil(items / (threads * 4))));
}

const IN_FLIGHT_PER_THREAD = 3;

function cancelled(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

/** Everything in the calling thread, one chunk at a time (small inputs, no thread support, tests). */
export function inlineItemPool(): ItemPool {
  return {
    async run(job, plans, emit, signal) {
      const size = chunkSize(plans.length, 1);
      for (let at = 0; at < plans.length; at += size) {
        if (signal?.aborted) throw cancelled(signal);
        const chunk = plans.slice(at, at + size);
        await emit(runItemJob(job, chunk), at + chunk.length);
      }
    },
    async close() {},
  };
}

export interface WorkerPoolOptions {
  /** Starts one thread. */
  readonly spawn: () => ChunkWorker;
  readonly threads: number;
  /** Runs of fewer items than this go inline: starting threads would cost more. */
  readonly inlineBelow?: number;
  /** Start the threads at the first run that needs them, not with the pool. */
  readonly lazy?: boolean;
}

interface Slot {
  readonly worker: ChunkWorker;
  readonly waiting: Map<number, { resolve(r: ItemOutputs): void; reject(e: Error): void }>;
}

/**
 * A pool of `threads` threads, started at once (so their start-up overlaps whatever the caller
 * does next, e.g. parsing the inputs) unless `lazy`. Several runs may share it; each gets its outputs in its
 * own order. When a thread fails, every run waiting on the pool fails with that error, the
 * threads are stopped, and the next run starts fresh ones.
 */
export function workerItemPool(options: WorkerPoolOptions): ItemPool {
  const { spawn, threads } = options;
  const inline = inlineItemPool();
  let slots: Slot[] | null = null;
  let closed = false;
  let nextId = 0;

  function start(): Slot[] {
    const started: Slot[] = [];
    for (let i = 0; i < threads; i++) {
      const slot: Slot = { worker: spawn(), waiting: new Map() };
      slot.worker.listen(
        (reply) => {
          const w = slot.waiting.get(reply.id);
          if (!w) return; // the pool failed meanwhile and rejected it already
          slot.waiting.delete(reply.id);
          if ('error' in reply) w.reject(new Error(reply.error));
          else w.resolve(reply.result);
        },
        (error) => fail(started, error),
      );
      started.push(slot);
    }
    return started;
  }

  function fail(failed: Slot[], error: Error): void {
    if (slots === failed) slots = null;
    for (const slot of failed) {
      for (const w of slot.waiting.values()) w.reject(error);
      slot.waiting.clear();
      // The pool has failed already (its callers hear of `error`); a thread that will not stop adds nothing.
      Promise.resolve(slot.worker.terminate()).catch(() => undefined);
    }
  }

  if (threads > 1 && !options.lazy) slots = start();

  function send(pool: Slot[], job: ItemJob, plans: readonly ItemPlan<RecordContent>[]): Promise<ItemOutputs> {
    const slot = pool.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject });
      const withTimes = job.kind === 'dataset' && job.row === true;
      slot.worker.send({ id, job, plans: plans.map((p) => contentPlan(p, withTimes)) });
    });
  }

  return {
    async run(job, plans, emit, signal) {
      if (closed) throw new Error('the item pool is closed');
      if (threads <= 1 || plans.length < (options.inlineBelow ?? 0)) return inline.run(job, plans, emit, signal);
      if (signal?.aborted) throw cancelled(signal);
      const pool = (slots ??= start());
      const size = chunkSize(plans.length, pool.length);
      let abort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        abort = () => reject(cancelled(signal!));
        signal?.addEventListener('abort', abort, { once: true });
      });
      aborted.catch(() => undefined);
      const inFlight: Promise<ItemOutputs>[] = [];
      let next = 0;
      let done = 0;
      try {
        while (next < plans.length || inFlight.length > 0) {
          while (inFlight.length < pool.length * IN_FLIGHT_PER_THREAD && next < plans.length) {
            if (slots !== pool) throw new Error('a worker thread failed');
            const p = send(pool, job, plans.slice(next, next + size));
            p.catch(() => undefined); // awaited below, in order; no unhandled rejection meanwhile
            inFlight.push(p);
            next += size;
          }
          const result = await Promise.race([inFlight[0]!, aborted]);
          void inFlight.shift(); // settled: `result` is its value
          done += result.outputs.length;
          await emit(result, done);
          if (signal?.aborted) throw cancelled(signal);
        }
      } finally {
        if (abort) signal?.removeEventListener('abort', abort);
      }
    },
    async close() {
      closed = true;
      const stopping = slots ?? [];
      slots = null;
      await Promise.all(stopping.map((s) => s.worker.terminate()));
    },
  };
}
