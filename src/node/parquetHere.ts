import { open, type FileHandle } from 'node:fs/promises';
import type { ExportItem } from '../core/parquet/exportPlan.ts';
import { annotatorPseudonyms, exportItems } from '../core/parquet/exportPlan.ts';
import { DEFAULT_LIMITS, type ParquetLimits } from '../core/parquet/limits.ts';
import { ParquetExport } from '../core/parquet/parquetExport.ts';
import type { SplitRule } from '../core/parquet/split.ts';
import { ImageArena } from './imageArena.ts';
import { packImageReader } from './packImage.ts';
import type { ParquetExportRun, ParquetThreadOptions } from './parquetThread.ts';
import { ShardFileWriter } from './shardFile.ts';

/**
 * The Parquet export into files, as both the writer thread (parquetWorker.ts, for the server)
 * and the command line's own thread (below) run it: the pack's images read into an ImageArena,
 * whose memory a row group's images give back once the group is in its file (ShardFileWriter
 * copies every buffer before its write returns), and the shards written synchronously.
 */
export interface FileExportOptions {
  readonly items: readonly ExportItem[];
  readonly names: ReadonlyMap<string, string> | null;
  readonly rule: SplitRule;
  readonly packSplits: ReadonlyMap<string, string>;
  readonly packDir: string;
  readonly limits: ParquetLimits;
  /** The next shard's file, opened for writing. */
  readonly openShard: (split: string, index: number) => Promise<ShardFileWriter>;
}

export function fileParquetExport(o: FileExportOptions): ParquetExport {
  const arena = new ImageArena();
  return new ParquetExport({
    items: o.items,
    names: o.names,
    rule: o.rule,
    packSplits: o.packSplits,
    readImage: packImageReader(o.packDir, (size, split) => arena.allocate(size, split)),
    released: (bytes) => arena.release(bytes),
    openShard: o.openShard,
    limits: o.limits,
  });
}

/**
 * The Parquet export on the calling thread, for `richhf consolidate --parquet`: the same files
 * as startParquetExport's thread (parquetThread.ts), which the server keeps so that its event
 * loop is never held by a row group being written.
 *
 * Why not a thread when every core makes items: a second isolate costs its start-up, compiling
 * the writer's code and Node's file code again, and a structured clone of every row, for cores
 * that are busy anyway: the whole `consolidate --parquet` run took 4.16 s of CPU against 3.65 s
 * here for 5,000 items (--jobs 1, four alternated runs), 16.1 s against 14.9 s for 20,000
 * (--jobs 2, two runs). The thread was
 * first there for the full collections that each image's fresh buffer set off in the heap of
 * the thread that holds the plan; the images now go into an ImageArena, which sets off none.
 */
export function startParquetExportHere(options: ParquetThreadOptions): ParquetExportRun {
  const files: ShardFileWriter[] = [];
  const exporter = fileParquetExport({
    items: exportItems(options.plan),
    names: options.keepAnnotatorIds ? null : annotatorPseudonyms(options.plan),
    rule: options.rule,
    packSplits: options.packSplits,
    packDir: options.packDir,
    limits: options.limits ?? DEFAULT_LIMITS,
    async openShard(split, index) {
      const shard = await options.openShard(split, index);
      const failed = (cause: NodeJS.ErrnoException) => shard.failed?.(cause) ?? cause;
      let handle: FileHandle;
      try {
        handle = await open(shard.path, 'r+');
      } catch (e) {
        throw failed(e as NodeJS.ErrnoException);
      }
      const file = new ShardFileWriter(handle, failed);
      files.push(file);
      return file;
    },
  });
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= Promise.all(files.map((f) => f.close().catch(() => undefined))).then(() => undefined));
  return {
    rows: (rows) => exporter.rows(rows),
    async finish() {
      const splits = await exporter.finish();
      await Promise.all(files.map((f) => f.close()));
      closed = Promise.resolve();
      return splits;
    },
    close,
  };
}
