import type { ScoreName } from '../formats/names.ts';
import { exampleFromItem, exampleRecord } from '../encode/tfrecord.ts';
import { encodeGrayPng } from '../encode/png.ts';
import { consolidateItemWithPngs, itemHeatmap } from './consolidate.ts';
import { datasetItemJson } from './datasetJson.ts';
import type { GridSize } from '../annotate/geometry.ts';
import { inpaintMask } from './inpaintMask.ts';
import { datasetRow } from '../parquet/datasetRow.ts';
import { packRow, type PackedRow } from '../parquet/packedRow.ts';
import type { ItemPlan, RecordContent } from './plan.ts';

/**
 * The per-item step of every export: plan -> heatmaps rasterized -> PNG-encoded -> the item's
 * dataset JSON, its TFRecord record, or an inpainting mask. Pure and deterministic, so the
 * same function runs in the calling thread, in Node worker threads (command line, server) and
 * in Web Workers (review page); itemPool.ts moves the work between threads and pipeline.ts
 * writes the results. Jobs and outputs are plain data: they cross threads by structured clone.
 */
export type ItemJob = DatasetJob | MaskJob;

/** Dataset items: their JSON (datasetItemJson), their framed TFRecord record and/or their Parquet row. */
export interface DatasetJob {
  readonly kind: 'dataset';
  readonly grid: GridSize;
  readonly json: boolean;
  readonly record: boolean;
  /** The item's DatasetRow (Parquet export); the plans then carry the records' times. */
  readonly row?: boolean;
}

/** Inpainting masks: the artifact heatmap thresholded (share of 255) and dilated (radius in grid cells). */
export interface MaskJob {
  readonly kind: 'mask';
  readonly grid: GridSize;
  readonly threshold: number;
  readonly dilation: number;
}

export interface DatasetOutput {
  readonly id: string;
  /** The item's normalized scores (0-1), for score filters such as the review page's subset. */
  readonly normalizedScores: Readonly<Record<ScoreName, number>>;
  /**
   * datasetItemJson(item) as UTF-8: bytes move between threads without a copy, and the writer
   * never holds the dataset's text as strings (which would weigh on the main thread's heap).
   */
  readonly json?: Uint8Array<ArrayBuffer>;
  readonly record?: Uint8Array<ArrayBuffer>;
  /** The item's DatasetRow, packed: one buffer that moves between threads (parquet/packedRow.ts). */
  readonly row?: PackedRow;
}

export interface MaskOutput {
  readonly id: string;
  readonly png: Uint8Array<ArrayBuffer>;
  /** Cells inside the mask. */
  readonly cells: number;
}

/** The outputs of consecutive items, tagged with their job's kind. */
export type ItemOutputs = { readonly kind: 'dataset'; readonly outputs: DatasetOutput[] } | { readonly kind: 'mask'; readonly outputs: MaskOutput[] };

const utf8 = new TextEncoder();

export function datasetOutput(job: DatasetJob, plan: ItemPlan<RecordContent>): DatasetOutput {
  const { item, artifactPng, misalignmentPng } = consolidateItemWithPngs(plan, job.grid);
  return {
    id: item.id,
    normalizedScores: item.normalizedScores,
    json: job.json ? utf8.encode(datasetItemJson(item)) : undefined,
    record: job.record ? exampleRecord(exampleFromItem(item, { artifactPng, misalignmentPng })) : undefined,
    row: job.row ? packRow(datasetRow(item, plan, { artifactPng, misalignmentPng })) : undefined,
  };
}

export function maskOutput(job: MaskJob, plan: ItemPlan<RecordContent>): MaskOutput {
  const { grid } = job;
  const mask = inpaintMask(itemHeatmap(plan, 'artifact', grid).gray, grid.width, grid.height, job.threshold, job.dilation);
  let cells = 0;
  for (const v of mask) if (v) cells++;
  return { id: plan.id, png: encodeGrayPng(grid.width, grid.height, mask), cells };
}

/** The job done on consecutive plans, in order. */
export function runItemJob(job: ItemJob, plans: readonly ItemPlan<RecordContent>[]): ItemOutputs {
  if (job.kind === 'dataset') return { kind: 'dataset', outputs: plans.map((p) => datasetOutput(job, p)) };
  return { kind: 'mask', outputs: plans.map((p) => maskOutput(job, p)) };
}

/**
 * The buffers of `result` that can be moved to another thread instead of copied. Each is a
 * whole, fresh allocation (TextEncoder, exampleRecord and encodeGrayPng all return new arrays), so
 * moving it detaches nothing else.
 */
export function transferables(result: ItemOutputs): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  if (result.kind === 'dataset') {
    for (const o of result.outputs) {
      if (o.json) buffers.push(o.json.buffer);
      if (o.record) buffers.push(o.record.buffer);
      if (o.row) buffers.push(o.row.buffer);
    }
  }
  if (result.kind === 'mask') for (const o of result.outputs) buffers.push(o.png.buffer);
  return buffers;
}
