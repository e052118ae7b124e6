/**
 * A helper of the review worker: consolidates chunks of items in parallel with the others (one
 * helper per core). Plain data in (the engine's item plans), strings and bytes out.
 */
/// <reference lib="webworker" />
import type { ItemPlan } from '../../core/dataset/plan.ts';
import { workItem, type ItemJob, type ItemOutput } from './itemWork.ts';

declare const self: DedicatedWorkerGlobalScope;

export interface ChunkRequest {
  readonly id: number;
  readonly job: ItemJob;
  readonly plans: readonly ItemPlan[];
}

export type ChunkReply = { readonly id: number; readonly outputs: readonly ItemOutput[] } | { readonly id: number; readonly error: string };

self.onmessage = (e: MessageEvent<ChunkRequest>) => {
  const { id, job, plans } = e.data;
  try {
    const outputs = plans.map((p) => workItem(p, job));
    const transfer = outputs.flatMap((o) => (o.kind === 'tfrecord' ? [o.record.buffer] : o.kind === 'mask' ? [o.png.buffer] : [])) as ArrayBuffer[];
    self.postMessage({ id, outputs } satisfies ChunkReply, transfer);
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies ChunkReply);
  }
};
