import { writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { ImageFileError, type DeferredBytes } from '../core/parquet/imageFile.ts';
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

class WriteError extends Error {
  constructor(
    readonly shard: number,
    readonly cause: NodeJS.ErrnoException,
  ) {
    super(cause.message);
  }
}

/**
 * A shard's file, written in order, synchronously: this thread does nothing else while a row
 * group goes out, and a write made here costs the copy into the file alone, where an
 * asynchronous one added a promise, a hand-over to a libuv thread and back, and a queue of
 * buffers waiting (1.5 to 2 writes per item: the pages' headers and small columns, and each
 * image). An image read when written (DeferredBytes) is read here, just before it is written.
 */
class ShardFileWriter implements ShardSink {
  private position = 0;
  private failure: WriteError | null = null;

  constructor(
    private readonly id: number,
    private readonly handle: FileHandle,
  ) {}

  /** Where an image read when written (DeferredBytes) is read into: one buffer, reused, so that its bytes are still in the processor's cache when they are copied into the file. */
  private scratch = new Uint8Array(0);

  write(value: Uint8Array<ArrayBuffer> | DeferredBytes): void {
    if (this.failure) throw this.failure;
    let bytes: Uint8Array;
    if (value instanceof Uint8Array) bytes = value;
    else {
      if (this.scratch.length < value.length) this.scratch = new Uint8Array(Math.max(value.length, 2 * this.scratch.length));
      bytes = this.scratch.subarray(0, value.length);
      value.fill(bytes); // an ImageFileError when the file has changed: reported as the image's, not as a write failure
    }
    try {
      for (let done = 0; done < bytes.length;) {
        const n = writeSync(this.handle.fd, bytes, done, bytes.length - done, this.position);
        done += n;
        this.position += n;
      }
    } catch (e) {
      throw (this.failure = new WriteError(this.id, e as NodeJS.ErrnoException));
    }
  }

  close(): Promise<void> {
    return this.handle.close();
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

// The pack's image files are read when their pages are written (DeferredBytes: ShardFileWriter).
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
