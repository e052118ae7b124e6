import { SCORE_NAMES, type ScoreName } from '../formats/names.ts';
import type { SkippedItem } from '../formats/dataset.ts';
import { datasetFooterJson, datasetHeaderJson, itemSeparator } from './datasetJson.ts';
import type { GridSize } from '../annotate/geometry.ts';
import type { ItemPool } from './itemPool.ts';
import type { ConsolidationPlan } from './plan.ts';
import type { PackedRow } from '../parquet/packedRow.ts';

/**
 * The streaming dataset writer, the one way every part of the system writes a dataset (the
 * command line's `consolidate`, the review page's exports, the server's dataset export): items
 * are made on an ItemPool and written in pack order as the dataset JSON (datasetJson.ts:
 * header, one item per line with its separator, footer) and/or the TFRecord file (one framed
 * record per item, in the same order) and/or as Parquet rows (parquet/parquetExport.ts). Only a
 * few chunks of items are held at any time.
 */
export interface DatasetSink {
  /** The dataset JSON as UTF-8, piece by piece in order; leave out for a TFRecord file alone. */
  json?(bytes: Uint8Array<ArrayBuffer>): void | Promise<void>;
  /** Framed TFRecord records of consecutive items, in order; leave out for no TFRecord file. */
  records?(bytes: Uint8Array<ArrayBuffer>): void | Promise<void>;
  /** The Parquet rows of consecutive items, in order (parquet/parquetExport.ts); leave out for no Parquet files. */
  rows?(rows: PackedRow[]): void | Promise<void>;
}

export interface DatasetRequest {
  /** A plan without errors (planConsolidation's; check `errors` before writing anything). */
  readonly plan: ConsolidationPlan;
  readonly grid: GridSize;
  /**
   * Keep only the items whose normalized scores all reach these minimums (the review page's
   * fine-tuning subset); the others are listed as skipped, after the plan's own skipped items.
   */
  readonly minNormalizedScores?: Readonly<Record<ScoreName, number>>;
}

export interface WriteOptions {
  /** Items done so far out of `total` (plan items), after each chunk. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the writing (the sink has then received part of the file: the caller discards it). */
  readonly signal?: AbortSignal;
}

export interface WrittenDataset {
  /** Items written. */
  readonly items: number;
  /** The footer's skipped list: the plan's, then the items the score filter left out. */
  readonly skipped: readonly SkippedItem[];
  readonly warnings: readonly string[];
}

const utf8 = new TextEncoder();
const FIRST = utf8.encode(itemSeparator(0));
const NEXT = utf8.encode(itemSeparator(1));

function concat(parts: readonly Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer> {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function writeDataset(pool: ItemPool, request: DatasetRequest, sink: DatasetSink, options: WriteOptions = {}): Promise<WrittenDataset> {
  const { plan, grid, minNormalizedScores: min } = request;
  if (plan.errors.length > 0) throw new Error(`the plan has ${plan.errors.length} input errors; nothing may be written`);
  const json = sink.json?.bind(sink);
  const records = sink.records?.bind(sink);
  const rows = sink.rows?.bind(sink);
  const dropped: SkippedItem[] = [];
  let written = 0;
  if (json) await json(utf8.encode(datasetHeaderJson({ pack: plan.pack, heatmapWidth: grid.width, heatmapHeight: grid.height })));
  await pool.run(
    { kind: 'dataset', grid, json: Boolean(json), record: Boolean(records), row: Boolean(rows) },
    plan.items,
    async (chunk, done) => {
      if (chunk.kind !== 'dataset') throw new Error(`expected dataset items, got ${chunk.kind} outputs`);
      const text: Uint8Array<ArrayBuffer>[] = [];
      const parts: Uint8Array<ArrayBuffer>[] = [];
      const kept: PackedRow[] = [];
      for (const out of chunk.outputs) {
        if (min) {
          const below = SCORE_NAMES.filter((s) => out.normalizedScores[s] < min[s]);
          if (below.length > 0) {
            dropped.push({ id: out.id, reason: `normalized ${below.map((s) => `${s} ${out.normalizedScores[s]} < ${min[s]}`).join(', ')}` });
            continue;
          }
        }
        if (out.json) text.push(written === 0 ? FIRST : NEXT, out.json);
        if (out.record) parts.push(out.record);
        if (out.row) kept.push(out.row);
        written++;
      }
      if (json && text.length > 0) await json(concat(text));
      if (records && parts.length > 0) await records(concat(parts));
      if (rows && kept.length > 0) await rows(kept);
      options.onProgress?.(done, plan.items.length);
    },
    options.signal,
  );
  const skipped = [...plan.skipped, ...dropped];
  if (json) await json(utf8.encode(datasetFooterJson(skipped, plan.warnings)));
  return { items: written, skipped, warnings: plan.warnings };
}
