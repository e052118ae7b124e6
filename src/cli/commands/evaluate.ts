import zlib from 'node:zlib';
import { DATASET_FORMAT, DATASET_VERSION, datasetSchema } from '../../core/formats/dataset.ts';
import { parseFormatBytes } from '../../core/formats/readDocument.ts';
import { parsePredictionsBytes } from '../../core/formats/readPredictions.ts';
import { problemLines, Problems, type ProblemReport } from '../../core/formats/problems.ts';
import { evaluate } from '../../core/metrics/evaluate.ts';
import { formatReportTable } from '../../core/metrics/report.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Command, type Io } from '../io.ts';
import { checkOutputs, OutputError, writeFailure, writeOutputs } from '../outputs.ts';
import { readCommandArgs, UsageError } from '../args.ts';
import { readBytes } from '../../node/readInput.ts';

const HELP = `usage: richhf evaluate --dataset DATASET.json --predictions PRED.json [--json] [--out REPORT.json]

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
  --help              this text

exit codes: 0 success, 1 invalid input (each problem as file: field: message), 2 usage error
`;

/** Native zlib: several times faster than pure-JS inflate on 512x512 maps. */
const nativeInflate = (data: Uint8Array): Uint8Array => zlib.inflateSync(data);

export const command: Command = {
  summary: "score a model's predictions against a dataset (RichHF paper metrics)",
  async run(args, io) {
    const options = { dataset: { type: 'string' }, predictions: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' } } as const;
    const parsed = readCommandArgs('evaluate', HELP, io, args, options, ({ values, positionals }) => {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      if (!values.dataset || !values.predictions) throw new UsageError('--dataset and --predictions are required');
      return { ...values, dataset: values.dataset, predictions: values.predictions };
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

    const [dBytes, pBytes] = await Promise.all([readBytes(datasetFile), readBytes(predictionsFile)]);
    if (!dBytes.ok || !pBytes.ok) return fail(io, { errors: [...(dBytes.ok ? [] : dBytes.errors), ...(pBytes.ok ? [] : pBytes.errors)] });

    const dataset = parseFormatBytes(datasetFile, dBytes.bytes, datasetSchema, { format: DATASET_FORMAT, version: DATASET_VERSION });
    const predictions = parsePredictionsBytes(predictionsFile, pBytes.bytes);
    if (!dataset.ok || !predictions.ok) {
      const problems = new Problems();
      if (!dataset.ok) problems.addReport(dataset);
      if (!predictions.ok) problems.addReport(predictions);
      return fail(io, problems.report());
    }

    const total = dataset.value.items.length;
    // A progress line on a terminal for long runs only (about 5 ms per item).
    const showProgress = io.isTty && total >= 500;
    const onProgress = showProgress
      ? (done: number) => {
          if (done % 100 === 0 || done === total) io.err(`\revaluating ${done}/${total} items`);
        }
      : undefined;
    const result = evaluate(dataset.value, predictions.value, { datasetFile, predictionsFile, inflate: nativeInflate, onProgress });
    if (showProgress) io.err('\n');
    if (!result.ok) return fail(io, result);
    const json = `${JSON.stringify(result.value, null, 2)}\n`;
    if (values.out) {
      try {
        await writeOutputs([[values.out, json]]);
      } catch (e) {
        if (!(e instanceof OutputError)) throw e;
        io.err(`richhf evaluate: ${writeFailure(e.target, e.cause)}\n`);
        return EXIT_INVALID;
      }
    }
    io.out(values.json ? json : formatReportTable(result.value));
    return EXIT_OK;
  },
};

function fail(io: Io, report: ProblemReport): number {
  io.err(`${problemLines(report).join('\n')}\n`);
  return EXIT_INVALID;
}
