import { stat } from 'node:fs/promises';
import os from 'node:os';
import { EXIT_USAGE, type Command } from '../io.ts';
import { checkOutputs } from '../outputs.ts';
import { startScoringPool } from '../../node/scoringPool.ts';
import { readSharedBytes } from '../../node/readInput.ts';
import { positiveInt, readCommandArgs, UsageError } from '../args.ts';

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

    // The threads start first, before this thread loads the rest of the command (src/cli/evaluation.ts)
    // and reads the files: their start-up, about 0.2 s each, overlaps with all that.
    const size =
      values.jobs === undefined
        ? await stat(predictionsFile).then(
            (s) => s.size,
            () => 0,
          )
        : 0;
    const pool = startScoringPool(values.jobs ?? (size >= MIN_BYTES_FOR_THREADS ? os.availableParallelism() : 1));
    try {
      // The predictions' read is under way (in Node's thread pool) while the rest loads.
      const predictions = readSharedBytes(predictionsFile);
      const { evaluateFiles } = await import('../evaluation.ts');
      return await evaluateFiles(pool, { datasetFile, predictionsFile, predictions, json: values.json, out: values.out }, io);
    } finally {
      await pool.close();
    }
  },
};
