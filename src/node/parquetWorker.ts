import { open, type FileHandle } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { ImageFileError } from '../core/parquet/imageFile.ts';
import { fileParquetExport } from './parquetHere.ts';
import type { FromParquetThread, ParquetThreadFailure, ParquetThreadInit, ToParquetThread } from './parquetThread.ts';
import { ShardFileWriter } from './shardFile.ts';

/**
 * The Parquet writer thread of parquetThread.ts: a ParquetExport into files (parquetHere.ts) fed with the rows it is sent,
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

const files: ShardFileWriter[] = [];
const opening = new Map<number, { resolve: (path: string) => void; reject: (e: Error) => void }>();
let nextShard = 0;

async function openShard(split: string, index: number): Promise<ShardFileWriter> {
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
  const file = new ShardFileWriter(handle, (cause) => new WriteError(id, cause));
  files.push(file);
  return file;
}

const exporter = fileParquetExport({
  items: init.items,
  names: init.names ? new Map(init.names) : null,
  rule: init.rule,
  packSplits: new Map(init.packSplits),
  packDir: init.packDir,
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
