/**
 * Runs the per-item export work on helper workers (one per core, at most 4), in chunks, and
 * hands the outputs back in item order; without Worker support (or for a few items) it runs
 * inline. Only a bounded number of chunks is in flight, so finished outputs never pile up.
 */
import type { ItemPlan } from '../../core/dataset/plan.ts';
import type { ChunkReply, ChunkRequest } from './item.worker.ts';
import { workItem, type ItemJob, type ItemOutput } from './itemWork.ts';
import type { Progress } from './protocol.ts';

const CHUNK = 64;
const PROGRESS_MS = 100;
/** Below this many items the helpers' start-up costs more than it saves. */
const MIN_PARALLEL = 256;

let helpers: Worker[] | null = null;
/** Set by cancelItems(); the running job stops at the next finished chunk. */
let cancelRequested: (() => void) | null = null;

/** Stops the running parallel job (its helpers are terminated); it rejects with "Export cancelled". */
export function cancelItems(): void {
  cancelRequested?.();
}

function helperCount(): number {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(4, cores));
}

function getHelpers(): Worker[] | null {
  if (typeof Worker !== 'function') return null;
  helpers ??= Array.from({ length: helperCount() }, () => new Worker(new URL('./item.worker.ts', import.meta.url), { type: 'module', name: 'richhf-review-items' }));
  return helpers;
}

/** After a failure the helpers' state is unknown: start fresh ones next time. */
function stopHelpers(): void {
  helpers?.forEach((w) => w.terminate());
  helpers = null;
}

function reporter(total: number, phase: string, progress: (p: Progress) => void): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = Date.now();
    if (done === total || now - last >= PROGRESS_MS) {
      last = now;
      progress({ done, total, phase });
    }
  };
}

export async function runItems(
  plans: readonly ItemPlan[],
  job: ItemJob,
  phase: string,
  progress: (p: Progress) => void,
  emit: (out: ItemOutput, plan: ItemPlan) => void,
): Promise<void> {
  const report = reporter(plans.length, phase, progress);
  const pool = plans.length >= MIN_PARALLEL ? getHelpers() : null;
  if (!pool) {
    plans.forEach((p, i) => {
      emit(workItem(p, job), p);
      report(i + 1);
    });
    report(plans.length);
    return;
  }
  const chunks: ItemPlan[][] = [];
  for (let i = 0; i < plans.length; i += CHUNK) chunks.push(plans.slice(i, i + CHUNK));
  const done = new Map<number, readonly ItemOutput[]>();
  let next = 0; // next chunk to send
  let emitted = 0; // chunks handed to emit, in order
  let items = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    cancelRequested = () => {
      if (failed) return;
      failed = true;
      stopHelpers();
      reject(new Error('Export cancelled'));
    };
    const send = (w: Worker) => {
      // At most 2 chunks per helper ahead of the one emit is waiting for.
      if (next >= chunks.length || next - emitted >= 2 * pool.length) return;
      const id = next++;
      w.postMessage({ id, job, plans: chunks[id]! } satisfies ChunkRequest);
    };
    pool.forEach((w) => {
      w.onmessage = (e: MessageEvent<ChunkReply>) => {
        if (failed) return;
        const r = e.data;
        if ('error' in r) {
          failed = true;
          stopHelpers();
          reject(new Error(r.error));
          return;
        }
        done.set(r.id, r.outputs);
        while (done.has(emitted)) {
          const outs = done.get(emitted)!;
          done.delete(emitted);
          outs.forEach((o, k) => emit(o, chunks[emitted]![k]!));
          items += outs.length;
          emitted++;
          report(items);
        }
        if (emitted === chunks.length) resolve();
        else pool.forEach(send);
      };
      w.onerror = (e) => {
        if (failed) return;
        failed = true;
        stopHelpers();
        reject(new Error(`export helper failed: ${e.message}`));
      };
    });
    for (let k = 0; k < 2; k++) pool.forEach(send);
    if (chunks.length === 0) resolve();
  }).finally(() => {
    cancelRequested = null;
  });
}
