import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * A file written through a temporary sibling (same directory, so the rename is atomic) and
 * renamed into place by commit(). Until then the target is untouched: on failure, abort()
 * removes the temporary file and nothing partial is left behind. write() waits for the
 * stream to drain, so a fast producer cannot pile up memory.
 */
export class AtomicFile {
  readonly tempPath: string;
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly target: string) {
    const dir = path.dirname(target);
    this.tempPath = path.join(dir, `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    this.stream = createWriteStream(this.tempPath, { flags: 'wx' });
    this.stream.on('error', (e) => (this.failure ??= e));
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        this.stream.once('drain', () => {
          this.stream.off('error', onError);
          resolve();
        });
        this.stream.once('error', onError);
      });
    }
  }

  private close(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.stream.closed) {
        resolve();
        return;
      }
      this.stream.end((e?: Error | null) => (e ? reject(e) : resolve()));
    });
  }

  async commit(): Promise<void> {
    await this.close();
    if (this.failure) throw this.failure;
    await rename(this.tempPath, this.target);
  }

  async abort(): Promise<void> {
    try {
      await this.close();
    } catch {
      // already failed; removing the file is all that matters
    }
    await unlink(this.tempPath).catch(() => undefined);
  }
}

/** `out/x.json: cannot write: no such directory`, for a failed write of `target`. */
export function writeFailure(target: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'no space left on the device'
          : (e as Error).message;
  return `${target}: cannot write: ${why}`;
}
