/**
 * The evaluation panel's worker side (issue 5 in the review page): a predictions file is scored
 * with src/core/metrics against the dataset the page would export now (same engine, same
 * pixels), so the table is the one `richhf evaluate` prints for that dataset. The predictions
 * stay here so the item view can show a predicted heatmap next to the ground truth.
 */
import { problemLines, type PredictionItem, type TaskPack } from '../../core/formats/index.ts';
import { parsePredictionsBytes } from '../../core/formats/readPredictions.ts';
import type { GridSize } from '../../core/annotate/geometry.ts';
import { evaluate } from '../../core/metrics/evaluate.ts';
import type { EvaluationReport } from '../../core/metrics/report.ts';
import type { AnnotationSource } from '../../core/dataset/plan.ts';
import { decodeBase64GrayPng } from '../../core/encode/pngDecode.ts';
import type { ItemPool } from '../../core/dataset/itemPool.ts';
import { buildDataset } from './exports.ts';
import type { PredictedMaps, JobProgress } from './protocol.ts';

export type EvaluationOutcome = { readonly ok: true; readonly report: EvaluationReport } | { readonly ok: false; readonly errors: readonly string[] };

let predictions = new Map<string, PredictionItem>();

/** `current()` says whether the pack is still the one evaluated (else the predictions are not kept). */
export async function runEvaluation(
  pool: ItemPool,
  name: string,
  bytes: Uint8Array,
  pack: TaskPack,
  files: readonly AnnotationSource[],
  grid: GridSize,
  minAnnotators: number | undefined,
  progress: (p: JobProgress) => void,
  current: () => boolean,
): Promise<EvaluationOutcome> {
  const parsed = parsePredictionsBytes(name, bytes);
  if (!parsed.ok) return { ok: false, errors: problemLines(parsed) };
  const dataset = await buildDataset(pool, pack, files, grid, minAnnotators, progress);
  progress({ done: 0, total: dataset.items.length, phase: 'Evaluating' });
  const result = evaluate(dataset, parsed.value, { datasetFile: 'the review dataset', predictionsFile: name, perItem: true });
  if (!result.ok) return { ok: false, errors: problemLines(result) };
  if (current()) predictions = new Map(parsed.value.items.map((it) => [it.id, it]));
  return { ok: true, report: result.value };
}

export function clearPredictions(): void {
  predictions = new Map();
}

/** A predicted map as 8-bit levels at its own size (16-bit PNGs scaled to 0..255). */
function levels(text: string | undefined): PredictedMaps['artifact'] {
  if (!text) return undefined;
  const d = decodeBase64GrayPng(text);
  if (!d.ok) return undefined;
  const { width, height, data, maxValue } = d.image;
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = Math.round((data[i]! * 255) / maxValue);
  return { width, height, gray };
}

export function predictedMaps(id: string): PredictedMaps | null {
  const p = predictions.get(id);
  if (!p) return null;
  return { id, scores: p.scores ?? null, misalignedTokens: p.misalignedTokens ?? null, artifact: levels(p.artifactHeatmap), misalignment: levels(p.misalignmentHeatmap) };
}
