import { consolidateItemWithPngs, type EncodePng } from './consolidate.ts';
import { datasetItemJson } from './datasetJson.ts';
import type { Size } from './heatmap.ts';
import type { ItemPlan } from './plan.ts';
import { exampleFromItem, exampleRecord } from '../encode/tfrecord.ts';

/**
 * One item as it goes into the output files: its dataset JSON line (datasetItemJson) and,
 * when asked, its framed TFRecord record. This is the unit of work a thread does; the
 * command line's workers and the browser's worker both call it, so both write the same bytes.
 */
export interface ExportedItem {
  readonly json: string;
  readonly record?: Uint8Array;
}

export function exportItem(plan: ItemPlan, grid: Size, encodePng: EncodePng, withRecord: boolean): ExportedItem {
  const { item, artifactPng, misalignmentPng } = consolidateItemWithPngs(plan, grid, encodePng);
  const json = datasetItemJson(item);
  if (!withRecord) return { json };
  return { json, record: exampleRecord(exampleFromItem(item, { artifactPng, misalignmentPng })) };
}
