import { exportItem } from '../core/dataset/exportItem.ts';
import type { Size } from '../core/dataset/heatmap.ts';
import type { ItemPlan } from '../core/dataset/plan.ts';
import { nativePngEncoder } from './nativePng.ts';

/** A run of consecutive items, rendered in one go by one thread. */
export interface BatchRequest {
  readonly seq: number;
  readonly plans: readonly ItemPlan[];
  readonly grid: Size;
  readonly withRecords: boolean;
}

export interface BatchResult {
  readonly seq: number;
  /** datasetItemJson of each item, in order. */
  readonly json: string[];
  /** The items' framed TFRecord records, concatenated in order (when asked for). */
  readonly records?: Uint8Array;
}

export function renderBatch(req: BatchRequest): BatchResult {
  const json: string[] = [];
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const plan of req.plans) {
    const out = exportItem(plan, req.grid, nativePngEncoder, req.withRecords);
    json.push(out.json);
    if (out.record) {
      parts.push(out.record);
      size += out.record.length;
    }
  }
  if (!req.withRecords) return { seq: req.seq, json };
  const records = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    records.set(p, at);
    at += p.length;
  }
  return { seq: req.seq, json, records };
}
