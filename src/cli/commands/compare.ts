import { joinKey } from '../../core/compare/blind.ts';
import { DEFAULT_RESAMPLES } from '../../core/compare/bootstrap.ts';
import { planComparison } from '../../core/compare/plan.ts';
import { comparisonReport, DEFAULT_SEED } from '../../core/compare/report.ts';
import { comparisonCsv, comparisonMarkdown } from '../../core/compare/tables.ts';
import type { AnnotationSource } from '../../core/dataset/plan.ts';
import { annotationFileSchema } from '../../core/formats/annotations.ts';
import { comparisonKeySchema } from '../../core/formats/comparisonKey.ts';
import { problemCount, problemLines, Problems, type ProblemReport } from '../../core/formats/problems.ts';
import { taskPackSchema, type TaskPack } from '../../core/formats/taskpack.ts';
import { positiveInt, readCommandArgs, UsageError } from '../args.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Command, type Io } from '../io.ts';
import { checkOutputs, OutputError, writeFailure, writeOutputs } from '../outputs.ts';
import { readJsonFile } from '../../node/readInput.ts';

const HELP = `usage: richhf compare --pack PACK [--key KEY] --out REPORT.json [options] ANNOTATION_FILES...

The report of a blind side-by-side comparison (richhf-comparison-report): for each criterion
and pair of systems the share of each of the five answers, wins and ties, the exact sign test,
the win rate with a bootstrap 95% interval over items; which side annotators chose (position
bias), per annotator; Bradley-Terry strengths when three or more systems are compared. Prints
the results as a Markdown table.

--pack is the lead's pack, whose comparison images name their systems, or the annotators' pack
(which names none) with its key (--key, written by richhf pack --compare). Rating items and
their records are left to richhf consolidate.

options:
  --pack FILE         the task pack (required)
  --key FILE          the richhf-comparison-key of an annotators' pack
  --out FILE          the report JSON to write (required; never one of the inputs)
  --csv FILE          also write the results as CSV, one line per criterion and pair
  --seed N            the bootstrap's seed (default ${DEFAULT_SEED}): the same seed, the same intervals
  --resamples N       bootstrap resamples per interval (default ${DEFAULT_RESAMPLES})
  -h, --help          this help

outputs are written to temp files beside their targets and renamed into place only
when all are complete: all are written or none.

exit codes: 0 written, 1 invalid input or a failed write (nothing written), 2 usage error
`;

const OPTIONS = {
  pack: { type: 'string' },
  key: { type: 'string' },
  out: { type: 'string' },
  csv: { type: 'string' },
  seed: { type: 'string' },
  resamples: { type: 'string' },
} as const;

function fail(io: Io, report: ProblemReport): number {
  for (const line of problemLines(report)) io.err(`${line}\n`);
  const count = problemCount(report);
  io.err(`richhf compare: ${count === null ? 'more than 50 problems' : `${count} problem${count === 1 ? '' : 's'}`}; nothing written\n`);
  return EXIT_INVALID;
}

export const command: Command = {
  summary: 'compare',
  async run(args, io) {
    const parsed = readCommandArgs('compare', HELP, io, args, OPTIONS, ({ values, positionals }) => {
      if (!values.pack) throw new UsageError('--pack is required');
      if (!values.out) throw new UsageError('--out is required');
      if (positionals.length === 0) throw new UsageError('give at least one annotation file');
      if (values.seed !== undefined && !/^\d{1,9}$/.test(values.seed)) throw new UsageError(`--seed must be an integer from 0 to 999999999, got "${values.seed}"`);
      return {
        pack: values.pack,
        key: values.key,
        out: values.out,
        csv: values.csv,
        seed: values.seed !== undefined ? Number(values.seed) : DEFAULT_SEED,
        resamples: values.resamples !== undefined ? positiveInt('resamples', values.resamples, 100_000) : DEFAULT_RESAMPLES,
        files: positionals,
      };
    });
    if (!parsed.ok) return parsed.exit;
    const opts = parsed.value;

    const outputs = [{ flag: '--out', path: opts.out }, ...(opts.csv !== undefined ? [{ flag: '--csv', path: opts.csv }] : [])];
    const inputs = [{ flag: '--pack', path: opts.pack }, ...(opts.key !== undefined ? [{ flag: '--key', path: opts.key }] : []), ...opts.files.map((path) => ({ flag: '', path }))];
    const conflict = await checkOutputs(outputs, inputs);
    if (conflict) {
      io.err(`richhf compare: ${conflict}\n`);
      return EXIT_USAGE;
    }

    const problems = new Problems();
    const packRead = await readJsonFile(opts.pack, taskPackSchema);
    let pack: TaskPack | undefined;
    if (!packRead.ok) problems.addReport(packRead);
    else if (opts.key !== undefined) {
      const key = await readJsonFile(opts.key, comparisonKeySchema);
      if (!key.ok) problems.addReport(key);
      else {
        const joined = joinKey(packRead.value, key.value, { pack: opts.pack, key: opts.key });
        if (joined.ok) pack = joined.pack;
        else problems.addReport(joined);
      }
    } else pack = packRead.value;
    const files: AnnotationSource[] = [];
    for (const name of opts.files) {
      const file = await readJsonFile(name, annotationFileSchema);
      if (file.ok) files.push({ name, file: file.value });
      else problems.addReport(file);
    }
    if (problems.has() || !pack) return fail(io, problems.report());

    const plan = planComparison(pack, files, opts.pack);
    if (plan.errors.length > 0) return fail(io, plan);
    const report = comparisonReport(plan, { seed: opts.seed, resamples: opts.resamples });
    try {
      await writeOutputs([...(opts.csv !== undefined ? [[opts.csv, comparisonCsv(report)] as const] : []), [opts.out, `${JSON.stringify(report, null, 2)}\n`]]);
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      io.err(`${writeFailure(e.target, e.cause)}; nothing written\n`);
      return EXIT_INVALID;
    }
    for (const w of plan.warnings) io.err(`warning: ${w}\n`);
    io.out(comparisonMarkdown(report));
    const answers = report.annotators.reduce((n, a) => n + a.n, 0);
    io.err(`wrote ${opts.out}${opts.csv !== undefined ? ` and ${opts.csv}` : ''}: ${plan.items.length} comparison items, ${plan.systems.length} systems, ${answers} answers\n`);
    return EXIT_OK;
  },
};
