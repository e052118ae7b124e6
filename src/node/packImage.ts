import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { packImageRef } from '../core/formats/packPath.ts';
import { ImageFileError } from '../core/parquet/imageFile.ts';

/**
 * An item's image file as bytes, for exports that carry their images (Parquet): a path inside
 * the pack's folder (the pack path rule, then the real path, symlinks followed, must still be
 * inside the folder's real path), or an http(s) URL fetched with a time limit. Failures are
 * PackImageErrors naming the item and the reason.
 */
export class PackImageError extends ImageFileError {}

const FETCH_TIMEOUT_MS = 60_000;

/**
 * Where a file's bytes go, given its size and the key the caller passed (the Parquet writer
 * thread's ImageArena, by split); without one, each file gets a buffer of its own.
 */
export type ImageAllocator = (size: number, key: string) => Uint8Array<ArrayBuffer>;

/** Files up to this size are read into the allocator's memory; larger ones (or of unknown size) as readFile reads them. */
const MAX_ALLOCATED_BYTES = 1 << 30;

export function packImageReader(packDir: string, allocate?: ImageAllocator): (ref: string, itemId: string, key?: string) => Promise<Uint8Array> {
  const files = new PackFiles(packDir);
  return async (ref, itemId, key = '') => {
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
    let fd: number;
    try {
      fd = files.open(r.value.path);
    } catch (e) {
      throw fail(e instanceof OutsideThePack ? "leads outside the pack's folder" : 'no such file');
    }
    try {
      return readWhole(fd, allocate && ((size) => allocate(size, key)));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw fail(code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message);
    } finally {
      closeSync(fd);
    }
  };
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

  /** The file's descriptor; OutsideThePack, or the file system's error (missing, no access). */
  open(segments: readonly string[]): number {
    const file = path.join(this.packDir, ...segments);
    const folder = this.folder(path.dirname(file));
    if (NO_FOLLOW !== undefined) {
      try {
        return openSync(path.join(folder, path.basename(file)), fsConstants.O_RDONLY | NO_FOLLOW);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ELOOP') throw e;
      }
    }
    return openSync(this.inside(realpathSync.native(file)), 'r');
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

/**
 * A file's bytes, as fs.readFile reads them (its size from fstat, read until then or the end),
 * into memory from `allocate` when given; a file that is not regular, empty by its size or very
 * large is read by readFile itself.
 */
function readWhole(fd: number, allocate: ((size: number) => Uint8Array<ArrayBuffer>) | undefined): Uint8Array {
  const st = allocate ? fstatSync(fd) : undefined;
  if (!allocate || !st || !st.isFile() || st.size === 0 || st.size > MAX_ALLOCATED_BYTES) {
    const buf = readFileSync(fd);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  const bytes = allocate(st.size);
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(fd, bytes, done, bytes.length - done, done);
    if (n === 0) break;
    done += n;
  }
  return done === bytes.length ? bytes : bytes.subarray(0, done);
}
