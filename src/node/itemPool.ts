import { Worker } from 'node:worker_threads';
import { inlineItemPool, workerItemPool, type ChunkReply, type ChunkWorker, type ItemPool } from '../core/dataset/itemPool.ts';

/**
 * The item pool on Node's worker_threads, for the command line and the server: `threads`
 * threads started at once (<= 1: everything in the calling thread). See
 * src/core/dataset/itemPool.ts for the rules; this file only starts threads and moves messages.
 */
export function startItemPool(threads: number): ItemPool {
  if (threads <= 1) return inlineItemPool();
  return workerItemPool({ spawn: spawnItemWorker, threads });
}

/**
 * Compiled (build/node/itemPool.js), a thread runs build/node/itemWorker.js. Run from the
 * TypeScript sources (tests, benchmarks, scripts under tsx or vitest), a thread loads
 * itemWorker.ts through tsx, a development dependency, which only then is needed.
 */
function newWorker(): Worker {
  if (import.meta.url.endsWith('.js')) return new Worker(new URL('./itemWorker.js', import.meta.url));
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./itemWorker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
}

function spawnItemWorker(): ChunkWorker {
  const worker = newWorker();
  return {
    send: (request) => worker.postMessage(request),
    listen(onReply, onFailure) {
      worker.on('message', (reply: ChunkReply) => onReply(reply));
      worker.on('error', onFailure);
      worker.on('exit', (code) => onFailure(new Error(`an item worker thread exited with code ${code}`)));
    },
    async terminate() {
      worker.removeAllListeners();
      worker.on('error', () => undefined); // stopping: nothing is waiting for it any more
      await worker.terminate();
    },
  };
}
