import type { Dataset, DatasetItem, SkippedItem } from '../formats/dataset.ts';
import { DATASET_FORMAT, DATASET_VERSION } from '../formats/names.ts';

/**
 * The byte layout of a `richhf-dataset` file, shared by the command line and the browser so
 * that both write identical bytes. It is compact JSON (as JSON.stringify writes it, no
 * spaces), keys in the order of the issue's example, with one newline before each item and
 * one before the closing `]` of `items`, and a final newline:
 *
 *   {"format":"richhf-dataset","version":1,"pack":"demo","heatmapWidth":512,"heatmapHeight":512,"items":[
 *   {"id":"0001",...,"points":{"alice":[...],"bob":[]}},
 *   {"id":"0002",...}
 *   ],"skipped":[{"id":"0042","reason":"2 of 3 annotators"}],"warnings":["..."]}
 *
 * (with no items: `"items":[\n],`). One item per line lets the file be written and read as a
 * stream. Numbers and strings are JSON.stringify's (ECMAScript fixes both exactly). The keys
 * of `points` follow `annotators` (code-unit order), which JSON.stringify alone would not do
 * for integer-like annotator ids.
 */
export interface DatasetHeader {
  readonly pack: string;
  readonly heatmapWidth: number;
  readonly heatmapHeight: number;
}

const str = JSON.stringify;

export function datasetHeaderJson(h: DatasetHeader): string {
  return `{"format":${str(DATASET_FORMAT)},"version":${DATASET_VERSION},"pack":${str(h.pack)},"heatmapWidth":${h.heatmapWidth},"heatmapHeight":${h.heatmapHeight},"items":[`;
}

function scoresJson(s: DatasetItem['scores']): string {
  return `{"plausibility":${str(s.plausibility)},"alignment":${str(s.alignment)},"aesthetics":${str(s.aesthetics)},"overall":${str(s.overall)}}`;
}

export function datasetItemJson(item: DatasetItem): string {
  const points = item.annotators.map((a) => `${str(a)}:[${(item.points[a] ?? []).map((p) => `{"kind":${str(p.kind)},"x":${str(p.x)},"y":${str(p.y)}}`).join(',')}]`).join(',');
  return (
    `{"id":${str(item.id)},"image":${str(item.image)},"prompt":${str(item.prompt)},` +
    `"imageWidth":${item.imageWidth},"imageHeight":${item.imageHeight},"annotators":${str(item.annotators)},` +
    `"scores":${scoresJson(item.scores)},"normalizedScores":${scoresJson(item.normalizedScores)},"maxScoreDiff":${scoresJson(item.maxScoreDiff)},` +
    `"tokens":${str(item.tokens)},"tokenVotes":${str(item.tokenVotes)},` +
    `"promptMisalignmentLabel":${str(item.promptMisalignmentLabel)},"labeledPrompt":${str(item.labeledPrompt)},` +
    `"artifactHeatmap":${str(item.artifactHeatmap)},"misalignmentHeatmap":${str(item.misalignmentHeatmap)},` +
    `"points":{${points}}}`
  );
}

/** The separator written before item number `index` (0-based). */
export function itemSeparator(index: number): string {
  return index === 0 ? '\n' : ',\n';
}

export function datasetFooterJson(skipped: readonly SkippedItem[], warnings: readonly string[]): string {
  const sk = skipped.map((s) => `{"id":${str(s.id)},"reason":${str(s.reason)}}`).join(',');
  return `\n],"skipped":[${sk}],"warnings":${str(warnings)}}\n`;
}

/**
 * Writes a dataset piece by piece to `sink` (a file stream, an array of Blob parts), so no
 * more than one item is ever held as text. Call item() in dataset order, then finish().
 */
export class DatasetWriter {
  private count = 0;
  constructor(
    private readonly sink: (chunk: string) => void,
    header: DatasetHeader,
  ) {
    sink(datasetHeaderJson(header));
  }
  /** Accepts an item or its datasetItemJson text (e.g. made in a worker). */
  item(item: DatasetItem | string): void {
    this.sink(itemSeparator(this.count++) + (typeof item === 'string' ? item : datasetItemJson(item)));
  }
  finish(skipped: readonly SkippedItem[], warnings: readonly string[]): void {
    this.sink(datasetFooterJson(skipped, warnings));
  }
  get itemCount(): number {
    return this.count;
  }
}

/** The whole dataset as one string, byte for byte what DatasetWriter streams. */
export function serializeDataset(dataset: Dataset): string {
  const parts: string[] = [];
  const w = new DatasetWriter((c) => parts.push(c), dataset);
  for (const item of dataset.items) w.item(item);
  w.finish(dataset.skipped, dataset.warnings);
  return parts.join('');
}
