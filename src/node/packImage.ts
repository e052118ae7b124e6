import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { packImageRef } from '../core/formats/packPath.ts';
import { readImageSize } from '../core/encode/imageSize.ts';
import { ImageFileError, type DeferredBytes, type ImageBytes } from '../core/parquet/imageFile.ts';

/**
 * An item's image file as bytes, for exports that carry their images (Parquet): a path inside
 * the pack's folder (the pack path rule, then the real path, symlinks followed, must still be
 * inside the folder's real path), or an http(s) URL fetched with a time limit. Failures are
 * PackImageErrors naming the item and the reason.
 */
export class PackImageError extends ImageFileError {}

const FETCH_TIMEOUT_MS = 60_000;

/** The first bytes read of a file when it is read (tells PNG, GIF, WebP, BMP and most JPEG sizes). */
const HEAD_BYTES = 4096;

/**
 * The pack's images as the Parquet writer thread reads them: a file is opened and its size and
 * first bytes read (DeferredBytes), and read whole only when its page is written, into the
 * shard writer's memory (parquetWorker.ts); a file whose size its first bytes do not tell, or
 * that is not a regular file, is read whole at once; a URL is fetched.
 */
export function packImageReader(packDir: string): (ref: string, itemId: string) => Promise<ImageBytes> {
  const files = new PackFiles(packDir);
  const heads = new Heads();
  return async (ref, itemId) => {
    const fail = (why: string) => new PackImageError(`item "${itemId}": image ${JSON.stringify(ref)}: ${why}`);
    const r = packImageRef(ref);
    if (!r.ok) throw fail(r.reason);
    if (r.value.kind === 'url') {
      let res: Response;
      try {
        res = await fetch(r.value.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      } catch (e) {
        throw fail(`cannot fetch: ${(e as Error).message}`);
      }
      if (!res.ok) throw fail(`the server answered ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    }
    let file: { fd: number; path: string };
    try {
      file = files.open(r.value.path);
    } catch (e) {
      throw fail(e instanceof OutsideThePack ? "leads outside the pack's folder" : 'no such file');
    }
    /** The file system's error as the item's (one of ours passes as it is). */
    const readFailure = (e: unknown) => {
      if (e instanceof PackImageError) return e;
      const code = (e as NodeJS.ErrnoException).code;
      return fail(code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message);
    };
    try {
      const st = fstatSync(file.fd);
      if (!st.isFile() || st.size <= HEAD_BYTES) return readWhole(file.fd);
      const head = readExactly(file.fd, heads.take(HEAD_BYTES));
      if (head.length < HEAD_BYTES || !readImageSize(head)) return readWhole(file.fd);
      const { path: opened } = file;
      const length = st.size;
      return {
        length,
        head,
        fill(into: Uint8Array) {
          const changed = () => fail('changed while it was being exported');
          let fd: number;
          try {
            fd = openSync(opened, fsConstants.O_RDONLY | (NO_FOLLOW ?? 0));
          } catch {
            throw changed();
          }
          try {
            if (fstatSync(fd).size !== length || readExactly(fd, into.subarray(0, length)).length !== length) throw changed();
          } catch (e) {
            throw readFailure(e);
          } finally {
            closeSync(fd);
          }
        },
      } satisfies DeferredBytes;
    } catch (e) {
      throw readFailure(e);
    } finally {
      closeSync(file.fd);
    }
  };
}

/** A file's bytes into `into` from its start, until it is full or the file ends: what was read. */
function readExactly(fd: number, into: Uint8Array): Uint8Array {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, done);
    if (n === 0) break;
    done += n;
  }
  return done === into.length ? into : into.subarray(0, done);
}

function readWhole(fd: number): Uint8Array {
  const buf = readFileSync(fd);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Memory for the files' first bytes, cut from blocks of 1 MiB rather than a buffer each (memory outside V8's heap calls for its collections). */
class Heads {
  private block = new Uint8Array(0);
  private used = 0;

  take(n: number): Uint8Array {
    if (this.used + n > this.block.length) {
      this.block = new Uint8Array(Math.max(n, 1 << 20));
      this.used = 0;
    }
    const out = this.block.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}

class OutsideThePack extends Error {}

const NO_FOLLOW = fsConstants.O_NOFOLLOW as number | undefined;

/**
 * Opens the pack's files, for reading, by their path inside the pack (packPath.ts): the file's
 * real path, symlinks followed, must be inside the folder's real path. Each folder's real path
 * is found once (a pack's images share a few folders), and a file is opened in it without
 * following a symlink, so an ordinary file costs one open; a file that is a symlink is
 * resolved and checked first. Synchronous: it runs on the Parquet writer's own thread, where a
 * file's open, stat, read and close each handed to libuv's threads and back cost more than the
 * reading itself (80 µs an image of 130 KiB, against about 30 µs).
 */
class PackFiles {
  private base: string | undefined;
  /** A folder (as joined from the pack's folder) -> its real path, or the error it gave. */
  private readonly folders = new Map<string, string | Error>();

  constructor(private readonly packDir: string) {}

  /** The file, open, and the real path it was opened by; OutsideThePack, or the file system's error (missing, no access). */
  open(segments: readonly string[]): { fd: number; path: string } {
    const file = path.join(this.packDir, ...segments);
    const folder = this.folder(path.dirname(file));
    if (NO_FOLLOW !== undefined) {
      const inFolder = path.join(folder, path.basename(file));
      try {
        return { fd: openSync(inFolder, fsConstants.O_RDONLY | NO_FOLLOW), path: inFolder };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ELOOP') throw e;
      }
    }
    const real = this.inside(realpathSync.native(file));
    return { fd: openSync(real, 'r'), path: real };
  }

  private folder(dir: string): string {
    let real = this.folders.get(dir);
    if (real === undefined) {
      try {
        real = this.inside(realpathSync.native(dir), true);
      } catch (e) {
        real = e as Error;
      }
      this.folders.set(dir, real);
    }
    if (real instanceof Error) throw real;
    return real;
  }

  /** `real` when it is inside the pack's real folder (or is that folder, for a folder). */
  private inside(real: string, folder = false): string {
    const base = (this.base ??= realpathSync.native(this.packDir));
    if (!(real.startsWith(base.endsWith(path.sep) ? base : base + path.sep) || (folder && real === base))) throw new OutsideThePack();
    return real;
  }
}
