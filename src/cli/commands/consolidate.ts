import os from 'node:os';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import type { GridSize } from '../../core/annotate/geometry.ts';
import { DEFAULT_GRID } from '../../core/dataset/grid.ts';
import { problemCount, problemLines, Problems } from '../../core/formats/problems.ts';
import { comparisonItems, taskPackSchema } from '../../core/formats/taskpack.ts';
import { ImageFileError } from '../../core/parquet/imageFile.ts';
import { DEFAULT_LIMITS } from '../../core/parquet/limits.ts';
import type { SplitFiles } from '../../core/parquet/parquetDataset.ts';
import { ALL_TRAIN, parseSplitRule, type SplitRule } from '../../core/parquet/split.ts';
import type { ParquetFolder } from '../parquetOutput.ts';
import { writeDataset } from '../../core/dataset/pipeline.ts';
import { planConsolidation, type AnnotationSource } from '../../core/dataset/plan.ts';
import { startItemPool, type NodeItemPool } from '../../node/itemPool.ts';
import type { ParquetThread } from '../../node/parquetThread.ts';
import { gridSize, positiveInt, readCommandArgs, unsignedInt, UsageError } from '../args.ts';
import { checkOutputs, OutputError, Outputs, writeFailure } from '../outputs.ts';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Command, type Io } from '../io.ts';
import { progressBar } from '../progress.ts';
import { readBytes, readJsonFile } from '../../node/readInput.ts';

const HELP = `usage: richhf consolidate --pack PACK --out DATASET.json [options] ANNOTATION_FILES...

Turns annotator files into a RichHF-18K-style dataset (richhf-dataset JSON): mean scores,
majority-vote misaligned words, mean disc heatmaps (8-bit PNG). Gold items (items with
a reference answer) never enter the dataset: they are listed as skipped, and their records
are for richhf quality.

options:
  --pack FILE             the task pack (richhf-taskpack) the annotations belong to (required)
  --out FILE              the dataset JSON to write (required; never one of the inputs)
  --tfrecord FILE         also write a RichHF-18K TFRecord of tf.train.Examples
  --parquet DIR           also write the dataset with its images as Parquet for the Hugging Face
                          hub: DIR/data/<split>-00000-of-0000N.parquet and the card DIR/README.md
  --split RULE            Parquet splits, e.g. train=0.9,validation=0.05,test=0.05 (default: all
                          train); an item's split is a hash of --seed and its id, unless the pack
                          gives the item a split of its own
  --seed N                the split's seed, 0 to 4294967295 (default 0)
  --shard-size MB         Parquet shards of at most MB megabytes (10^6 bytes; default 500)
  --keep-annotator-ids    Parquet: the annotators' ids instead of pseudonyms (annotator-001, …)
  --heatmap-size N|WxH    heatmap grid in cells, 1 to 4096 a side (default 512, RichHF-18K's size)
  --min-annotators K      leave out items with fewer annotators (default: the pack's annotatorsPerItem)
  --exclude ANNOTATOR     leave out this annotator's records (repeat for several); the
                          dataset's warnings say so
  --jobs N                worker threads (default: one per CPU for inputs over 20 MB; 1 = this thread only)
  -h, --help              this help

outputs are written to temp files beside their targets and renamed into place only\nwhen all are complete: all are written or none.\n\nexit codes: 0 written, 1 invalid input or a failed write (nothing written), 2 usage error
`;

const OPTIONS = {
  pack: { type: 'string' },
  out: { type: 'string' },
  tfrecord: { type: 'string' },
  parquet: { type: 'string' },
  split: { type: 'string' },
  seed: { type: 'string' },
  'shard-size': { type: 'string' },
  'keep-annotator-ids': { type: 'boolean' },
  'heatmap-size': { type: 'string' },
  'min-annotators': { type: 'string' },
  jobs: { type: 'string' },
  exclude: { type: 'string', multiple: true },
} as const;

/**
 * Below this much annotation data (about 14,000 items x 3 annotators), worker threads cost more
 * than they save: each thread starts its own JIT from cold (its first ~2,000 items run at half
 * speed or less), and plans and results cross threads. Measured with `npm run bench` on 2 cores
 * (one thread: 2,000 items 1.0 s, 10,000 items 3.8 s; two: 1.4 s, 4.5 s; at 17,760 two threads
 * win, 4.9 s against 5.4 s). Decided from file sizes so the threads can start before parsing.
 */
const MIN_BYTES_FOR_WORKERS = 20 << 20;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const command: Command = {
  summary: 'consolidate',
  async run(args, io) {
    const parsed = readCommandArgs('consolidate', HELP, io, args, OPTIONS, ({ values, positionals }) => {
      if (!values.pack) throw new UsageError('--pack is required');
      if (!values.out) throw new UsageError('--out is required');
      if (positionals.length === 0) throw new UsageError('give at least one annotation file');
      if (values.tfrecord !== undefined && values.tfrecord === values.out) throw new UsageError('--tfrecord and --out must be different files');
      const jobs = values.jobs !== undefined ? positiveInt('jobs', values.jobs, 64) : undefined;
      const parquetOnly = (['split', 'seed', 'shard-size', 'keep-annotator-ids'] as const).find((k) => values[k] !== undefined);
      if (values.parquet === undefined && parquetOnly) throw new UsageError(`--${parquetOnly} needs --parquet DIR`);
      const seed = values.seed !== undefined ? unsignedInt('seed', values.seed, 0xffffffff) : 0;
      let rule = ALL_TRAIN;
      if (values.split !== undefined) {
        const parsedRule = parseSplitRule(values.split, seed);
        if (!parsedRule.ok) throw new UsageError(`--split: ${parsedRule.message}`);
        rule = parsedRule.rule;
      }
      return {
        pack: values.pack,
        out: values.out,
        tfrecord: values.tfrecord,
        parquet:
          values.parquet !== undefined
            ? {
                dir: values.parquet,
                rule,
                shardBytes: values['shard-size'] !== undefined ? positiveInt('shard-size', values['shard-size'], 1_000_000) * 1_000_000 : DEFAULT_LIMITS.shardBytes,
                keepAnnotatorIds: values['keep-annotator-ids'] === true,
              }
            : undefined,
        grid: values['heatmap-size'] !== undefined ? gridSize(values['heatmap-size']) : DEFAULT_GRID,
        minAnnotators: values['min-annotators'] !== undefined ? positiveInt('min-annotators', values['min-annotators'], 1000) : undefined,
        jobs,
        exclude: values.exclude ?? [],
        files: positionals,
      };
    });
    return parsed.ok ? consolidateFiles(parsed.value, io) : parsed.exit;
  },
};

export interface ConsolidateFilesOptions {
  readonly pack: string;
  readonly out: string;
  readonly tfrecord?: string | undefined;
  readonly parquet?: ParquetOptions | undefined;
  readonly grid: GridSize;
  readonly minAnnotators?: number | undefined;
  /** Worker threads; default: one per CPU when the annotation files hold over 20 MB, else none. */
  readonly jobs?: number | undefined;
  /** Annotators whose records are left out (the dataset's warnings say so). */
  readonly exclude?: readonly string[] | undefined;
  readonly files: readonly string[];
}

export interface ParquetOptions {
  readonly dir: string;
  readonly rule: SplitRule;
  readonly shardBytes: number;
  readonly keepAnnotatorIds: boolean;
}

function reportErrors(io: Io, problems: Problems): number {
  const report = problems.report();
  for (const line of problemLines(report)) io.err(`${line}\n`);
  const count = problemCount(report);
  io.err(`richhf consolidate: ${count === null ? 'more than 50 errors' : plural(count, 'error')}; nothing written\n`);
  return EXIT_INVALID;
}

export async function consolidateFiles(opts: ConsolidateFilesOptions, io: Io): Promise<number> {
  const conflict = await checkOutputs(
    [
      { flag: '--out', path: opts.out },
      ...(opts.tfrecord !== undefined ? [{ flag: '--tfrecord', path: opts.tfrecord }] : []),
      ...(opts.parquet ? [{ flag: '--parquet', path: path.join(opts.parquet.dir, 'README.md') }] : []),
    ],
    [{ flag: '--pack', path: opts.pack }, ...opts.files.map((f) => ({ flag: '', path: f }))],
  );
  if (conflict) {
    io.err(`richhf consolidate: ${conflict}\n`);
    return EXIT_USAGE;
  }
  let jobs = opts.jobs;
  if (jobs === undefined) {
    const sizes = await Promise.all(
      opts.files.map((f) =>
        stat(f).then(
          (s) => s.size,
          () => 0,
        ),
      ),
    );
    jobs = sizes.reduce((a, b) => a + b, 0) >= MIN_BYTES_FOR_WORKERS ? os.availableParallelism() : 1;
  }
  // Started before the inputs are read, so the threads' start-up overlaps with parsing.
  const pool = startItemPool(jobs);
  try {
    return await consolidateWith(pool, opts, io);
  } finally {
    await pool.close();
  }
}

async function consolidateWith(pool: NodeItemPool, opts: ConsolidateFilesOptions, io: Io): Promise<number> {
  // 1. Read and validate everything before writing anything. The annotation files are checked
  // on the pool's threads while this thread parses the pack and their JSON.
  const problems = new Problems();
  const reads = await Promise.all(opts.files.map((name) => readBytes(name)));
  const files = reads.map((read, i) => (read.ok ? pool.parseInput(opts.files[i]!, read.bytes) : Promise.resolve(read)));
  const pack = await readJsonFile(opts.pack, taskPackSchema);
  if (!pack.ok) problems.addReport(pack);
  const sources: AnnotationSource[] = [];
  for (const [i, name] of opts.files.entries()) {
    const parsed = await files[i]!;
    if (parsed.ok) sources.push({ name, file: parsed.value });
    else problems.addReport(parsed);
  }
  if (!pack.ok) return reportErrors(io, problems);
  // The valid files are checked against the pack even when others failed, to report all at once.
  const plan = planConsolidation({ pack: pack.value, files: sources, minAnnotators: opts.minAnnotators, exclude: opts.exclude });
  problems.addReport(plan);
  if (problems.has()) return reportErrors(io, problems);

  // 2. Render items (in worker threads for big inputs) and stream them out in pack order.
  let outputs: Outputs;
  try {
    outputs = await Outputs.open(opts.tfrecord !== undefined ? [opts.tfrecord, opts.out] : [opts.out]); // the JSON last
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    io.err(`${writeFailure(e.target, e.cause)}; nothing written\n`);
    return EXIT_INVALID;
  }
  const json = outputs.file(opts.out);
  const tf = opts.tfrecord !== undefined ? outputs.file(opts.tfrecord) : undefined;
  const bar = progressBar(io, 'consolidating', plan.items.length);
  let folder: ParquetFolder | undefined;
  let exporter: ParquetThread | undefined;
  let splits: readonly SplitFiles[] = [];
  try {
    const parquet = opts.parquet;
    if (parquet) {
      // Loaded only for --parquet: hyparquet-writer is not part of every consolidate run.
      const [{ startParquetExport }, { ParquetFolder }, { packSplits }] = await Promise.all([
        import('../../node/parquetThread.ts'),
        import('../parquetOutput.ts'),
        import('../../core/parquet/exportPlan.ts'),
      ]);
      const f = (folder = await ParquetFolder.prepare(outputs, parquet.dir));
      exporter = startParquetExport({
        plan,
        rule: parquet.rule,
        packSplits: packSplits(pack.value),
        packDir: path.dirname(opts.pack),
        openShard: (split, index) => f.openShard(split, index),
        keepAnnotatorIds: parquet.keepAnnotatorIds,
        limits: { ...DEFAULT_LIMITS, shardBytes: parquet.shardBytes, rowGroupBytes: Math.min(DEFAULT_LIMITS.rowGroupBytes, parquet.shardBytes) },
      });
    }
    const rows = exporter;
    await writeDataset(
      pool,
      { plan, grid: opts.grid },
      { json: (bytes) => json.write(bytes), records: tf ? (bytes) => tf.write(bytes) : undefined, rows: rows ? (r) => rows.rows(r) : undefined },
      { onProgress: (done) => bar.update(done) },
    );
    if (exporter && folder && parquet) {
      splits = await exporter.finish();
      await exporter.close();
      const { planCard } = await import('../../core/parquet/exportPlan.ts');
      const minAnnotators = opts.minAnnotators ?? pack.value.annotatorsPerItem;
      await folder.complete(splits, planCard(pack.value, plan, { grid: opts.grid, minAnnotators, splits, rule: parquet.rule, keepAnnotatorIds: parquet.keepAnnotatorIds }));
    }
    await outputs.commit();
    bar.end();
  } catch (e) {
    bar.end(false);
    await exporter?.close(); // before the temps go: the thread writes into them
    await outputs.abort();
    await folder?.abandon();
    if (e instanceof ImageFileError) {
      io.err(`${opts.pack}: ${e.message}; nothing written\n`);
      return EXIT_INVALID;
    }
    if (!(e instanceof OutputError)) throw e; // a bug, not the file system: let it surface
    io.err(`${writeFailure(e.target, e.cause)}; nothing written\n`);
    return EXIT_INVALID;
  }

  for (const w of plan.warnings) io.err(`warning: ${w}\n`);
  const compared = comparisonItems(pack.value).length;
  if (compared > 0) io.err(`note: the pack's ${plural(compared, 'comparison item')} ${compared === 1 ? 'is' : 'are'} not part of a dataset (richhf compare reports them)\n`);
  const tfNote =
    (tf ? ` and ${opts.tfrecord}` : '') + (opts.parquet ? `, with its images as Parquet in ${opts.parquet.dir} (${splits.map((s) => `${s.name} ${s.rows}`).join(', ')})` : '');
  io.out(`wrote ${plural(plan.items.length, 'item')} to ${opts.out}${tfNote}; ${plan.skipped.length} skipped, ${plural(plan.warnings.length, 'warning')}\n`);
  return EXIT_OK;
}
