/**
 * The per-item part of an export, the same wherever it runs (the review worker itself or its
 * helper workers): the engine's item consolidation with run-length PNGs, serialized as the
 * dataset's item JSON, framed as a TFRecord, or turned into an inpainting mask PNG.
 */
import { consolidateItemWithPngs, itemHeatmap, pngEncoder, type EncodePng } from '../../core/dataset/consolidate.ts';
import { datasetItemJson } from '../../core/dataset/datasetJson.ts';
import type { ScoreName } from '../../core/formats/index.ts';
import type { Size } from '../../core/dataset/heatmap.ts';
import { inpaintMask } from '../../core/dataset/inpaintMask.ts';
import type { ItemPlan } from '../../core/dataset/plan.ts';
import { makeRleZlib } from '../../core/encode/rleDeflate.ts';
import { encodeExample, exampleFromItem, frameRecord } from '../../core/encode/tfrecord.ts';

export interface ItemJob {
  readonly kind: 'json' | 'tfrecord' | 'mask';
  readonly grid: Size;
  readonly maskThreshold: number;
  readonly maskDilation: number;
}

export type ItemOutput =
  | { readonly kind: 'json'; readonly id: string; readonly json: string; readonly normalized: Record<ScoreName, number> }
  | { readonly kind: 'tfrecord'; readonly record: Uint8Array }
  | { readonly kind: 'mask'; readonly id: string; readonly png: Uint8Array; readonly cells: number };

const encoders = new Map<number, EncodePng>();

/**
 * PNGs with the engine's encoder and the run-length deflate of src/core/encode/rleDeflate.ts: the
 * command line's PNG layout, other deflate bytes, the same pixels. One encoder per scanline
 * length (grid width + 1), reused so the engine encodes the all-zero map only once.
 */
export function encoderFor(width: number): EncodePng {
  let e = encoders.get(width);
  if (!e) encoders.set(width, (e = pngEncoder(makeRleZlib(width + 1))));
  return e;
}

export function workItem(plan: ItemPlan, job: ItemJob): ItemOutput {
  const { grid } = job;
  const encodePng = encoderFor(grid.width);
  if (job.kind === 'mask') {
    const mask = inpaintMask(itemHeatmap(plan, 'artifact', grid).gray, grid.width, grid.height, job.maskThreshold, job.maskDilation);
    let cells = 0;
    for (const v of mask) if (v) cells++;
    return { kind: 'mask', id: plan.id, png: encodePng(mask, grid), cells };
  }
  const { item, artifactPng, misalignmentPng } = consolidateItemWithPngs(plan, grid, encodePng);
  if (job.kind === 'tfrecord') return { kind: 'tfrecord', record: frameRecord(encodeExample(exampleFromItem(item, { artifactPng, misalignmentPng }))) };
  return { kind: 'json', id: item.id, json: datasetItemJson(item), normalized: item.normalizedScores };
}
