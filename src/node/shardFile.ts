import { writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { ShardSink } from '../core/parquet/parquetDataset.ts';

/**
 * A Parquet shard's file, written in order, synchronously: the writer does nothing else while
 * a row group goes out (the images read ahead are read by libuv's threads meanwhile), and a
 * write made here costs the copy into the file alone, where an asynchronous one added a
 * promise, a hand-over to a libuv thread and back, and a queue of buffers waiting (1.5 to 2
 * writes per item: the pages' headers and small columns, and each image's own buffer).
 *
 * Every buffer is copied into the file before write() returns, so the caller may reuse it then
 * (the images' ImageArena relies on this).
 */
export class ShardFileWriter implements ShardSink {
  private position = 0;
  private failure: Error | null = null;

  /** @param failed the error to throw for a failed write (the first one; every later write throws it again) */
  constructor(
    private readonly handle: FileHandle,
    private readonly failed: (cause: NodeJS.ErrnoException) => Error,
  ) {}

  write(bytes: Uint8Array<ArrayBuffer>): void {
    if (this.failure) throw this.failure;
    try {
      for (let done = 0; done < bytes.length;) {
        const n = writeSync(this.handle.fd, bytes, done, bytes.length - done, this.position);
        done += n;
        this.position += n;
      }
    } catch (e) {
      throw (this.failure = this.failed(e as NodeJS.ErrnoException));
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
