import os from 'node:os';
import { DATASET_FORMAT, DATASET_VERSION, datasetSchema } from '../../core/formats/dataset.ts';
import { parseFormatBytes } from '../../core/formats/readDocument.ts';
import { parsePredictionsBytes } from '../../core/formats/readPredictions.ts';
import { problemLines, Problems, type ProblemReport } from '../../core/formats/problems.ts';
import { evaluateWith } from '../../core/metrics/evaluate.ts';
import { JITTER_SEED } from '../../core/metrics/jitter.ts';
import { formatReportTable } from '../../core/metrics/report.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Command, type Io } from '../io.ts';
import { checkOutputs, OutputError, writeFailure, writeOutputs } from '../outputs.ts';
import { startScoringPool, type ScoringPool } from '../../node/itemPool.ts';
import { positiveInt, readCommandArgs, UsageError } from '../args.ts';
import { fileSize, readBytes, readSharedBytes } from '../../node/readInput.ts';
import { cutHeatmapStrings, cutIndexOf } from '../../core/formats/predictionsSkeleton.ts';
import type { Dataset } from '../../core/formats/dataset.ts';
import type { Parsed } from '../../core/formats/located.ts';
import type { EvaluationReport } from '../../core/metrics/report.ts';

const HELP = `usage: richhf evaluate --dataset DATASET.json --predictions PRED.json [--json] [--out REPORT.json] [--jobs N]

Scores a model's predictions (format "richhf-predictions") against a dataset with the
RichHF paper's metrics: PLCC/SRCC for the four scores; MSE (all items and empty ground
truth), CC, KLD, SIM, NSS and AUC-Judd for the two heatmaps; precision/recall/F1 for the
misaligned words (per-item mean and micro). AUC-Judd's jitter comes from a fixed-seed
generator (mulberry32, seed 42), so a run is reproducible.

options:
  --dataset FILE      the consolidated dataset (richhf consolidate)
  --predictions FILE  the model's predictions
  --json              print the report as JSON instead of a table
  --out FILE          also write the JSON report to FILE
  --jobs N            threads scoring the heatmaps, this one included (default: one per CPU
                      for predictions of 4 MiB or more; 1 = this thread only)
  --help              this text

exit codes: 0 success, 1 invalid input (each problem as file: field: message), 2 usage error
`;

/**
 * Predictions this large get worker threads by default: below it (a few dozen noisy maps or a
 * few hundred smooth ones) starting the threads costs about what they save.
 */
const MIN_BYTES_FOR_THREADS = 4 << 20;

export const command: Command = {
  summary: "score a model's predictions against a dataset (RichHF paper metrics)",
  async run(args, io) {
    const options = { dataset: { type: 'string' }, predictions: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' }, jobs: { type: 'string' } } as const;
    const parsed = readCommandArgs('evaluate', HELP, io, args, options, ({ values, positionals }) => {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      if (!values.dataset || !values.predictions) throw new UsageError('--dataset and --predictions are required');
      const jobs = values.jobs !== undefined ? positiveInt('jobs', values.jobs, 64) : undefined;
      return { ...values, dataset: values.dataset, predictions: values.predictions, jobs };
    });
    if (!parsed.ok) return parsed.exit;
    const values = parsed.value;
    const datasetFile = values.dataset;
    const predictionsFile = values.predictions;
    if (values.out) {
      const conflict = await checkOutputs(
        [{ flag: '--out', path: values.out }],
        [
          { flag: '--dataset', path: datasetFile },
          { flag: '--predictions', path: predictionsFile },
        ],
      );
      if (conflict) {
        io.err(`richhf evaluate: ${conflict}\n`);
        return EXIT_USAGE;
      }
    }

    // Started before the files are read, so the threads' start-up (about 0.3 s) overlaps with reading and parsing.
    const size = values.jobs === undefined ? await fileSize(predictionsFile) : undefined;
    const pool = startScoringPool(values.jobs ?? ((size ?? 0) >= MIN_BYTES_FOR_THREADS ? os.availableParallelism() : 1));
    try {
      const [dBytes, pBytes] = await Promise.all([readBytes(datasetFile), readSharedBytes(predictionsFile)]);
      if (!dBytes.ok || !pBytes.ok) return fail(io, { errors: [...(dBytes.ok ? [] : dBytes.errors), ...(pBytes.ok ? [] : pBytes.errors)] });
      return await evaluateFiles(pool, { datasetFile, predictionsFile, dBytes: dBytes.bytes, pBytes: pBytes.bytes, json: values.json, out: values.out }, io);
    } finally {
      await pool.close();
    }
  },
};

interface EvaluateFiles {
  readonly datasetFile: string;
  readonly predictionsFile: string;
  readonly dBytes: Uint8Array;
  readonly pBytes: Uint8Array;
  readonly json: boolean | undefined;
  readonly out: string | undefined;
}

async function evaluateFiles(pool: ScoringPool, files: EvaluateFiles, io: Io): Promise<number> {
  const { datasetFile, predictionsFile, dBytes, pBytes } = files;
  const dataset = parseFormatBytes(datasetFile, dBytes, datasetSchema, { format: DATASET_FORMAT, version: DATASET_VERSION });
  // The threads make their jitter field and buffers while this one parses the predictions.
  if (dataset.ok) pool.prepareScoring({ width: dataset.value.heatmapWidth, height: dataset.value.heatmapHeight, seed: JITTER_SEED });
  // A progress line on a terminal for long runs only, in heatmap pairs (a few ms each).
  const showProgress = io.isTty && dataset.ok && dataset.value.items.length >= 500;
  let shown = 0;
  const progress = (pairs: number) => (done: number) => {
    if (!showProgress || (done - shown < 200 && done < pairs)) return;
    shown = done;
    io.err(`\revaluating ${done}/${pairs} heatmap pairs`);
  };
  const cut = dataset.ok ? await evaluateCut(pool, dataset.value, files, progress) : undefined;
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
 * not in the dataset, a key given twice), or a cut is not plain base64. Otherwise the report or
 * the problems are the ordinary way's, to the last bit: the same texts decoded the same way.
 */
async function evaluateCut(
  pool: ScoringPool,
  dataset: Dataset,
  files: EvaluateFiles,
  progress: (pairs: number) => (done: number) => void,
): Promise<Parsed<EvaluationReport> | undefined> {
  const { datasetFile, predictionsFile, pBytes } = files;
  const skeleton = cutHeatmapStrings(pBytes);
  if (!skeleton || skeleton.spans.length === 0) return undefined;
  const predictions = parsePredictionsBytes(predictionsFile, skeleton.bytes);
  if (!predictions.ok) return undefined;
  const { spans } = skeleton;
  try {
    return await evaluateWith(dataset, predictions.value, { datasetFile, predictionsFile }, async (grid, pairs) => {
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
      return scores;
    });
  } catch (e) {
    if (e instanceof NotCut) return undefined;
    throw e;
  }
}

function fail(io: Io, report: ProblemReport): number {
  io.err(`${problemLines(report).join('\n')}\n`);
  return EXIT_INVALID;
}
