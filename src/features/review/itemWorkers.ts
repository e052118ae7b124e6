/**
 * The item pool on Web Workers, for the review page's worker: one helper per core (at most 4),
 * started at the first run of MIN_PARALLEL items or more; smaller runs, and browsers or test
 * runners without Worker, work inline. See src/core/dataset/itemPool.ts for the rules; this
 * file only starts helpers and moves messages.
 */
import { inlineItemPool, workerItemPool, type ChunkReply, type ChunkWorker, type ItemPool } from '../../core/dataset/itemPool.ts';

/** Below this many items the helpers' start-up costs more than it saves. */
const MIN_PARALLEL = 256;

function helperCount(): number {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(4, cores));
}

function spawnHelper(): ChunkWorker {
  const worker = new Worker(new URL('./item.worker.ts', import.meta.url), { type: 'module', name: 'richhf-review-items' });
  return {
    send: (request) => worker.postMessage(request),
    listen(onReply, onFailure) {
      worker.onmessage = (e: MessageEvent<ChunkReply>) => onReply(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        onFailure(new Error(`export helper failed: ${e.message}`));
      };
    },
    terminate() {
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
    },
  };
}

export function webItemPool(): ItemPool {
  if (typeof Worker !== 'function') return inlineItemPool();
  return workerItemPool({ spawn: spawnHelper, threads: helperCount(), inlineBelow: MIN_PARALLEL, lazy: true });
}
