/**
 * A helper of the review worker (itemWorkers.ts): answers chunks of the item pipeline
 * (src/core/dataset/itemJob.ts) in parallel with the other helpers. Plain data in (item plans),
 * strings and bytes out.
 */
/// <reference lib="webworker" />
import { answerChunk, type ChunkRequest } from '../../core/dataset/itemPool.ts';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<ChunkRequest>) => {
  const { reply, transfer } = answerChunk(e.data);
  self.postMessage(reply, transfer);
};
