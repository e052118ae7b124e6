import { DATASET_FORMAT, DATASET_VERSION, datasetSchema, type Dataset } from '../core/formats/dataset.ts';
import type { Parsed } from '../core/formats/located.ts';
import { cutHeatmapStrings, cutIndexOf } from '../core/formats/predictionsSkeleton.ts';
import { problemLines, Problems, type ProblemReport } from '../core/formats/problems.ts';
import { parseFormatBytes } from '../core/formats/readDocument.ts';
import { parsePredictionsBytes } from '../core/formats/readPredictions.ts';
import { evaluateWith } from '../core/metrics/evaluate.ts';
import { JITTER_SEED } from '../core/metrics/jitter.ts';
import { formatReportTable, type EvaluationReport } from '../core/metrics/report.ts';
import { readBytes, type readSharedBytes } from '../node/readInput.ts';
import type { ScoringPool } from '../node/scoringPool.ts';
import { EXIT_INVALID, EXIT_OK, type Io } from './io.ts';
import { OutputError, writeFailure, writeOutputs } from './outputs.ts';

/**
 * `richhf evaluate` once its arguments are read and its threads started (commands/evaluate.ts):
 * the files read, parsed and scored, the report written. Loaded after the threads are started.
 */

export interface EvaluateFiles {
  readonly datasetFile: string;
  readonly predictionsFile: string;
  /** The predictions file's bytes, being read (readSharedBytes). */
  readonly predictions: ReturnType<typeof readSharedBytes>;
  readonly json: boolean | undefined;
  readonly out: string | undefined;
}

export async function evaluateFiles(pool: ScoringPool, files: EvaluateFiles, io: Io): Promise<number> {
  const { datasetFile, predictionsFile } = files;
  let predictionsRead = false;
  void files.predictions.then(() => (predictionsRead = true));
  const dRead = await readBytes(datasetFile);
  const dataset = dRead.ok ? parseFormatBytes(datasetFile, dRead.bytes, datasetSchema, { format: DATASET_FORMAT, version: DATASET_VERSION }) : undefined;
  if (dataset?.ok) {
    const grid = { width: dataset.value.heatmapWidth, height: dataset.value.heatmapHeight, seed: JITTER_SEED };
    pool.prepareScoring(grid);
    // This thread makes its scorer (its jitter field, about 50 ms) now if the predictions are still
    // being read; otherwise at its first pair, after the threads have theirs.
    await new Promise(setImmediate);
    if (!predictionsRead) await pool.prepareHere(grid);
  }
  const pRead = await files.predictions;
  if (!dRead.ok || !pRead.ok || !dataset) return fail(io, { errors: [...(dRead.ok ? [] : dRead.errors), ...(pRead.ok ? [] : pRead.errors)] });
  const pBytes = pRead.bytes;
  // A progress line on a terminal for long runs only, in heatmap pairs (a few ms each).
  const showProgress = io.isTty && dataset.ok && dataset.value.items.length >= 500;
  let shown = 0;
  const progress = (pairs: number) => (done: number) => {
    if (!showProgress || (done - shown < 200 && done < pairs)) return;
    shown = done;
    io.err(`\revaluating ${done}/${pairs} heatmap pairs`);
  };
  const cut = dataset.ok ? await evaluateCut(pool, dataset.value, { ...files, pBytes }, progress) : undefined;
  let result: Parsed<EvaluationReport>;
  if (cut) result = cut;
  else {
    // The ordinary way: every problem of either file said as usual.
    const predictions = parsePredictionsBytes(predictionsFile, pBytes);
    if (!dataset.ok || !predictions.ok) {
      const problems = new Problems();
      if (!dataset.ok) problems.addReport(dataset);
      if (!predictions.ok) problems.addReport(predictions);
      return fail(io, problems.report());
    }
    result = await evaluateWith(dataset.value, predictions.value, { datasetFile, predictionsFile }, (grid, pairs) => pool.scorePairs(grid, pairs, progress(pairs.length)));
  }
  if (showProgress) io.err('\n');
  if (!result.ok) return fail(io, result);
  const json = `${JSON.stringify(result.value, null, 2)}\n`;
  if (files.out) {
    try {
      await writeOutputs([[files.out, json]]);
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      io.err(`richhf evaluate: ${writeFailure(e.target, e.cause)}\n`);
      return EXIT_INVALID;
    }
  }
  io.out(files.json ? json : formatReportTable(result.value));
  return EXIT_OK;
}

/** Why evaluateCut gives up, inside evaluateWith: the run is then made the ordinary way. */
class NotCut extends Error {}

/**
 * The evaluation with the predictions' heatmaps cut out (src/core/formats/predictionsSkeleton.ts):
 * the skeleton is parsed and validated, and the predicted maps are scored from the file's bytes.
 * Undefined when it cannot answer for the file as the ordinary way would: the skeleton is not
 * valid (the ordinary way locates the problems in the file), a cut is not scored (a prediction
 * not in the dataset, a key given twice, problems found before scoring), or a cut is not plain base64. Otherwise the report or
 * the problems are the ordinary way's, to the last bit: the same texts decoded the same way.
 */
async function evaluateCut(
  pool: ScoringPool,
  dataset: Dataset,
  files: EvaluateFiles & { readonly pBytes: Uint8Array },
  progress: (pairs: number) => (done: number) => void,
): Promise<Parsed<EvaluationReport> | undefined> {
  const { datasetFile, predictionsFile, pBytes } = files;
  const skeleton = cutHeatmapStrings(pBytes);
  if (!skeleton || skeleton.spans.length === 0) return undefined;
  const predictions = parsePredictionsBytes(predictionsFile, skeleton.bytes);
  if (!predictions.ok) return undefined;
  const { spans } = skeleton;
  let checked = false; // every cut scored, so every cut's text checked
  try {
    const result = await evaluateWith(dataset, predictions.value, { datasetFile, predictionsFile }, async (grid, pairs) => {
      const scored = new Uint8Array(spans.length / 2);
      const cutPairs = pairs.map((pair) => {
        const k = cutIndexOf(pair.predicted);
        if (k < 0 || k >= scored.length) throw new NotCut();
        scored[k] = 1;
        return { truth: pair.truth, start: spans[2 * k]!, end: spans[2 * k + 1]! };
      });
      if (scored.includes(0)) throw new NotCut();
      const scores = await pool.scoreCutPairs(grid, pBytes, cutPairs, progress(pairs.length));
      if (!scores) throw new NotCut();
      checked = true;
      return scores;
    });
    // Problems found before any pair is scored (a prediction not in the dataset) are the ordinary
    // way's only if no cut hides a worse one (a control character: the file is not JSON).
    return checked ? result : undefined;
  } catch (e) {
    if (e instanceof NotCut) return undefined;
    throw e;
  }
}

function fail(io: Io, report: ProblemReport): number {
  io.err(`${problemLines(report).join('\n')}\n`);
  return EXIT_INVALID;
}
