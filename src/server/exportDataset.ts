import os from 'node:os';
import { DEFAULT_GRID } from '../core/dataset/grid.ts';
import { writeDataset } from '../core/dataset/pipeline.ts';
import { buildAnnotationFile, packOrder } from '../core/dataset/annotationFile.ts';
import { planConsolidation, type AnnotationSource } from '../core/dataset/plan.ts';
import type { AnnotationRecord } from '../core/formats/annotations.ts';
import type { LocatedError } from '../core/formats/located.ts';
import type { TaskPack } from '../core/formats/taskpack.ts';
import { startItemPool } from '../node/itemPool.ts';

/**
 * The `richhf-dataset` of the server's submissions, streamed by the pipeline `richhf consolidate`
 * and the review page use (src/core/dataset/pipeline.ts, on the Node item pool), from the
 * annotation files the server would hand out (`GET /api/v1/export/annotations`), so the bytes
 * are those `richhf consolidate --pack PACK FILES…` writes from those files. This is the one
 * place the server consolidates.
 */

/** Below this many records, worker threads cost more than they save (as the CLI's 1 MB rule). */
const MIN_RECORDS_FOR_WORKERS = 1000;

export type DatasetExport =
  | { readonly ok: true; readonly itemCount: number; readonly write: (sink: (chunk: Uint8Array) => Promise<void>) => Promise<void> }
  | { readonly ok: false; readonly errors: readonly LocatedError[] };

/** Plans the dataset (cheap; errors before anything is sent), then `write` streams it to `sink`, waiting on it between batches. */
export function planDatasetExport(pack: TaskPack, records: readonly { annotator: string; record: AnnotationRecord }[], order = packOrder(pack)): DatasetExport {
  const byAnnotator = new Map<string, AnnotationRecord[]>();
  for (const r of records) {
    let list = byAnnotator.get(r.annotator);
    if (!list) byAnnotator.set(r.annotator, (list = []));
    list.push(r.record);
  }
  const files: AnnotationSource[] = [...byAnnotator].map(([annotator, list]) => ({
    name: `annotations of "${annotator}"`,
    file: buildAnnotationFile(annotator, pack, list, order),
  }));
  const plan = planConsolidation({ pack, files });
  if (plan.errors.length > 0) return { ok: false, errors: plan.errors };
  const grid = DEFAULT_GRID;
  return {
    ok: true,
    itemCount: plan.items.length,
    async write(sink) {
      const pool = startItemPool(records.length >= MIN_RECORDS_FOR_WORKERS ? os.availableParallelism() : 1);
      try {
        await writeDataset(pool, { plan, grid }, { json: sink });
      } finally {
        await pool.close();
      }
    },
  };
}
