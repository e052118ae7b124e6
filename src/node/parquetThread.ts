import type { Worker } from 'node:worker_threads';
import type { ConsolidationPlan } from '../core/dataset/plan.ts';
import type { PackedRow } from '../core/parquet/packedRow.ts';
import { annotatorPseudonyms, exportItems, type ExportItem } from '../core/parquet/exportPlan.ts';
import { ImageFileError } from '../core/parquet/imageFile.ts';
import { DEFAULT_LIMITS, type ParquetLimits } from '../core/parquet/limits.ts';
import type { SplitFiles } from '../core/parquet/parquetDataset.ts';
import type { SplitRule } from '../core/parquet/split.ts';
import { startModuleThread } from './moduleThread.ts';

/**
 * The Parquet export (core/parquet/parquetExport.ts) on a thread of its own, for the command
 * line's `consolidate --parquet` and the server's ZIP alike: the caller hands it the pipeline's
 * rows (DatasetSink.rows), and the thread reads the images, makes the pages and writes the
 * shards itself (parquetWorker.ts).
 *
 * Why a thread: the export runs beside the items (the command line's, and the server's event
 * loop is never held by a row group being written). It was first there for the full
 * collections that every image's fresh buffer set off in the heap of the thread that holds the
 * plan (about 150 MB for 20,000 items); images are now read only when written, into one
 * reused buffer (packImage.ts), which sets off none, and writing on the calling thread was
 * measured again: about 0.5 s less CPU for 5,000 or 20,000 items (no second isolate to start,
 * compile and clone the rows to), but the wall time 10 to 25% longer, with the items waiting on
 * the writing (README, Benchmarks).
 *
 * The shard files are made by the caller (temp files, all or none) and filled by the thread,
 * which opens them by path: their bytes never pass through the calling thread.
 */
export interface ShardFile {
  /** An existing, empty file for the thread to fill. */
  readonly path: string;
  /** The error to report when writing it fails (default: the file system's own). */
  readonly failed?: (cause: NodeJS.ErrnoException) => Error;
}

export interface ParquetThreadOptions {
  readonly plan: ConsolidationPlan;
  readonly rule: SplitRule;
  /** The pack's own split of each item that has one (items[].split). */
  readonly packSplits: ReadonlyMap<string, string>;
  /** The pack's folder: image paths are inside it (node/packImage.ts), or http(s) URLs. */
  readonly packDir: string;
  /** A file for the next shard of a split (its final name needs the count of shards, known at the end). */
  readonly openShard: (split: string, index: number) => Promise<ShardFile>;
  /** Keep the annotators' ids instead of pseudonyms. */
  readonly keepAnnotatorIds?: boolean;
  readonly limits?: ParquetLimits;
}

/** What the thread starts with (workerData). */
export interface ParquetThreadInit {
  readonly items: readonly ExportItem[];
  readonly names: readonly (readonly [string, string])[] | null;
  readonly rule: SplitRule;
  readonly packSplits: readonly (readonly [string, string])[];
  readonly packDir: string;
  readonly limits: ParquetLimits;
}

export type ToParquetThread =
  | { readonly rows: readonly PackedRow[] }
  | { readonly shard: { readonly id: number; readonly path: string } | { readonly id: number; readonly error: string } }
  | { readonly finish: true };

export type ParquetThreadFailure =
  | { readonly kind: 'image'; readonly message: string }
  | { readonly kind: 'write'; readonly shard: number; readonly code: string | undefined; readonly message: string }
  | { readonly kind: 'other'; readonly message: string };

export type FromParquetThread =
  /** A batch of rows is written (or held in a row group): `took` rows fewer in flight. */
  | { readonly took: number }
  | { readonly openShard: { readonly id: number; readonly split: string; readonly index: number } }
  | { readonly finished: readonly SplitFiles[] }
  | { readonly failed: ParquetThreadFailure };

/**
 * Rows handed over but not yet taken by the thread, at most (about half a row group of images):
 * enough that making items goes on while the thread writes a group, few enough that the rows
 * waiting stay a few MB.
 */
const MAX_ROWS_IN_FLIGHT = 512;

export interface ParquetThread {
  /** Hands rows over in plan order (their buffers move to the thread); waits while the thread is behind. */
  rows(rows: readonly PackedRow[]): Promise<void>;
  /** Writes what is left and closes the shards (every byte written); the splits as ParquetExport.finish gives them. */
  finish(): Promise<SplitFiles[]>;
  /** Stops the thread (after finish, or to abandon the export); again, the same promise. */
  close(): Promise<void>;
}

export function startParquetExport(options: ParquetThreadOptions): ParquetThread {
  const init: ParquetThreadInit = {
    items: exportItems(options.plan),
    names: options.keepAnnotatorIds ? null : [...annotatorPseudonyms(options.plan)],
    rule: options.rule,
    packSplits: [...options.packSplits],
    packDir: options.packDir,
    limits: options.limits ?? DEFAULT_LIMITS,
  };
  const worker: Worker = startModuleThread('parquetWorker', { workerData: init });
  const shards = new Map<number, ShardFile>();
  let inFlight = 0;
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  let settle: { resolve: (splits: SplitFiles[]) => void; reject: (e: Error) => void } | undefined;
  const finished = new Promise<SplitFiles[]>((resolve, reject) => (settle = { resolve, reject }));
  finished.catch(() => undefined); // rethrown by finish() or rows(); never unhandled
  let closed = false;
  let stopped: Promise<void> = Promise.resolve();

  const fail = (e: Error) => {
    failure ??= e;
    settle!.reject(failure);
    wake?.();
  };
  const post = (message: ToParquetThread, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);

  worker.on('message', (message: FromParquetThread) => {
    if ('took' in message) {
      inFlight -= message.took;
      wake?.();
    } else if ('openShard' in message) {
      const { id, split, index } = message.openShard;
      options.openShard(split, index).then(
        (file) => {
          shards.set(id, file);
          post({ shard: { id, path: file.path } });
        },
        (e: unknown) => {
          fail(e instanceof Error ? e : new Error(String(e)));
          post({ shard: { id, error: failure!.message } });
        },
      );
    } else if ('finished' in message) settle!.resolve([...message.finished]);
    else fail(threadError(message.failed, shards));
  });
  worker.on('error', (e) => fail(new Error(`the Parquet writer thread failed: ${e.stack ?? e.message}`)));
  worker.on('exit', (code) => {
    if (!closed) fail(new Error(`the Parquet writer thread exited with code ${code}`));
  });

  return {
    async rows(rows) {
      if (failure) throw failure;
      post({ rows }, movable(rows));
      inFlight += rows.length;
      while (inFlight > MAX_ROWS_IN_FLIGHT && !failure) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (failure) throw failure;
    },
    finish() {
      if (!failure) post({ finish: true });
      return finished;
    },
    close() {
      if (!closed) {
        closed = true;
        worker.removeAllListeners();
        worker.on('error', () => undefined); // stopping: nothing is waiting for it any more
        stopped = worker.terminate().then(() => undefined);
      }
      return stopped;
    },
  };
}

/** The rows' buffers, each moved rather than copied (packRow gives each row a buffer of its own). */
function movable(rows: readonly PackedRow[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const r of rows) if (r.byteOffset === 0 && r.byteLength === r.buffer.byteLength) buffers.add(r.buffer);
  return [...buffers];
}

function threadError(f: ParquetThreadFailure, shards: ReadonlyMap<number, ShardFile>): Error {
  if (f.kind === 'image') return new ImageFileError(f.message);
  if (f.kind === 'write') {
    const cause: NodeJS.ErrnoException = Object.assign(new Error(f.message), { code: f.code });
    return shards.get(f.shard)?.failed?.(cause) ?? cause;
  }
  return new Error(`the Parquet writer thread failed: ${f.message}`);
}
