import { open, type FileHandle } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { ImageFileError } from '../core/parquet/imageFile.ts';
import type { ShardSink } from '../core/parquet/parquetDataset.ts';
import { ParquetExport } from '../core/parquet/parquetExport.ts';
import { packImageReader } from './packImage.ts';
import type { FromParquetThread, ParquetThreadFailure, ParquetThreadInit, ToParquetThread } from './parquetThread.ts';

/**
 * The Parquet writer thread of parquetThread.ts: a ParquetExport fed with the rows it is sent,
 * one batch after the other, reading the pack's images and writing each shard into the file the
 * calling thread made for it. Its first failure is reported once; later messages are ignored.
 */
const port = parentPort;
if (!port) throw new Error('parquetWorker must run in a worker thread');
const init = workerData as ParquetThreadInit;

/**
 * Bytes queued for a shard's file, at most: the thread goes on making pages while they are
 * written, and waits beyond this (as the command line's other outputs do, cli/outputs.ts).
 */
const MAX_QUEUED_BYTES = 16 << 20;

class WriteError extends Error {
  constructor(
    readonly shard: number,
    readonly cause: NodeJS.ErrnoException,
  ) {
    super(cause.message);
  }
}

/** A shard's file, written in order at increasing offsets. */
class ShardFileWriter implements ShardSink {
  private writes: Promise<void> = Promise.resolve();
  private queued = 0;
  private position = 0;
  private failure: WriteError | null = null;

  constructor(
    private readonly id: number,
    private readonly handle: FileHandle,
  ) {}

  write(bytes: Uint8Array<ArrayBuffer>): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    const at = this.position;
    this.position += bytes.length;
    this.queued += bytes.length;
    this.writes = this.writes.then(async () => {
      try {
        await this.handle.write(bytes, 0, bytes.length, at);
      } catch (e) {
        throw (this.failure ??= new WriteError(this.id, e as NodeJS.ErrnoException));
      }
      this.queued -= bytes.length;
    });
    this.writes.catch(() => undefined); // kept in `failure`, thrown by the next write or close
    return this.queued > MAX_QUEUED_BYTES ? this.writes : undefined;
  }

  async close(): Promise<void> {
    try {
      await this.writes;
    } finally {
      await this.handle.close();
    }
  }
}

const files: ShardFileWriter[] = [];
const opening = new Map<number, { resolve: (path: string) => void; reject: (e: Error) => void }>();
let nextShard = 0;

async function openShard(split: string, index: number): Promise<ShardSink> {
  const id = nextShard++;
  const path = await new Promise<string>((resolve, reject) => {
    opening.set(id, { resolve, reject });
    post({ openShard: { id, split, index } });
  });
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (e) {
    throw new WriteError(id, e as NodeJS.ErrnoException);
  }
  const file = new ShardFileWriter(id, handle);
  files.push(file);
  return file;
}

const exporter = new ParquetExport({
  items: init.items,
  names: init.names ? new Map(init.names) : null,
  rule: init.rule,
  packSplits: new Map(init.packSplits),
  readImage: packImageReader(init.packDir),
  openShard,
  limits: init.limits,
});

function post(message: FromParquetThread): void {
  port!.postMessage(message);
}

let failed = false;
let work: Promise<void> = Promise.resolve();

function failure(e: unknown): ParquetThreadFailure {
  if (e instanceof ImageFileError) return { kind: 'image', message: e.message };
  if (e instanceof WriteError) return { kind: 'write', shard: e.shard, code: e.cause.code, message: e.cause.message };
  return { kind: 'other', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

/** Runs a step after the ones before it; the first failure is posted and stops everything. */
function then(step: () => Promise<void>): void {
  work = work.then(async () => {
    if (failed) return;
    try {
      await step();
    } catch (e) {
      failed = true;
      for (const f of files) await f.close().catch(() => undefined);
      post({ failed: failure(e) });
    }
  });
}

port.on('message', (message: ToParquetThread) => {
  if ('shard' in message) {
    const waiting = opening.get(message.shard.id);
    opening.delete(message.shard.id);
    if ('path' in message.shard) waiting?.resolve(message.shard.path);
    else waiting?.reject(new Error(message.shard.error));
  } else if ('rows' in message) {
    const { rows } = message;
    then(async () => {
      await exporter.rows(rows);
      post({ took: rows.length });
    });
  } else
    then(async () => {
      const splits = await exporter.finish();
      for (const f of files) await f.close();
      post({ finished: splits });
    });
});
